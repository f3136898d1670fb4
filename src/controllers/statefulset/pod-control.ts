/**
 * StatefulPodControl (stateful_pod_control.go): the StatefulSet controller's writes — claims
 * before pods, pod identity repairs, deletions, claim ownerReferences for the retention policy —
 * each recorded as an Event on the set with Kubernetes' wording.
 */
import type { SimContext } from "../../api/context.js";
import { deepCopy } from "../../api/copy.js";
import { ApiError } from "../../api/errors.js";
import type {
  Mutable,
  ObjectMeta,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
  Stored,
} from "../../api/types.js";
import {
  claimOwnerRefsFor,
  claimsFor,
  hasStaleOwnerRef,
  isClaimOwnerUpToDate,
  retentionPolicy,
} from "./claims.js";
import { identityMatches, ordinalOf, storageMatches, updateIdentity, updateStorage } from "./identity.js";

export const COMPONENT = "statefulset-controller";

/** A failed write of a sync; the sync is retried with back-off (Kubernetes returns an error). */
export class SyncError extends Error {
  override readonly name = "SyncError";
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(", ")}]`;
}

export class StatefulPodControl {
  constructor(private readonly ctx: SimContext) {}

  /** CreateStatefulPod: the pod's claims first, then the pod, then the claims' ownerReferences. */
  createStatefulPod(set: Stored<StatefulSet>, pod: Pod): Stored<Pod> | undefined {
    const claimErr = this.createPersistentVolumeClaims(set, pod);
    if (claimErr) {
      this.podEvent("create", set, pod, claimErr);
      throw new SyncError(claimErr);
    }
    let created: Stored<Pod>;
    try {
      created = this.ctx.api.create(pod);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // An AlreadyExists is sunk without an event: the next sync sees the pod.
      if (e.reason !== "AlreadyExists") this.podEvent("create", set, pod, e.message);
      throw new SyncError(e.message);
    }
    const refErr = this.updatePodClaimForRetentionPolicy(set, created);
    if (refErr) {
      this.podEvent("update", set, created, refErr);
      throw new SyncError(refErr);
    }
    this.podEvent("create", set, created);
    return created;
  }

  /** createMissingPersistentVolumeClaims: for Pending pods whose claims went missing. */
  createMissingPersistentVolumeClaims(set: Stored<StatefulSet>, pod: Stored<Pod>): void {
    const err = this.createPersistentVolumeClaims(set, pod);
    if (err) throw new SyncError(err);
    const refErr = this.updatePodClaimForRetentionPolicy(set, pod);
    if (refErr) {
      this.podEvent("update", set, pod, refErr);
      throw new SyncError(refErr);
    }
  }

  /**
   * createPersistentVolumeClaims: creates each claim of the pod's ordinal that does not exist;
   * a claim being deleted is an error (the pod must wait for it to go). Returns the error text.
   */
  private createPersistentVolumeClaims(set: Stored<StatefulSet>, pod: Pod): string | undefined {
    const errs: string[] = [];
    const ns = set.metadata.namespace;
    for (const { claim } of claimsFor(set, ordinalOf(pod))) {
      const name = claim.metadata!.name!;
      const existing = this.ctx.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, name);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errs.push(`pvc ${name} is being deleted`);
        continue;
      }
      try {
        this.ctx.api.create(claim);
        this.claimEvent(set, pod, name);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        errs.push(`failed to create PVC ${name}: ${e.message}`);
        if (e.reason !== "AlreadyExists") this.claimEvent(set, pod, name, e.message);
      }
    }
    return errs.length > 0 ? aggregate(errs) : undefined;
  }

  /**
   * UpdateStatefulPod: repairs identity (name label, index label), storage (claim volumes, and
   * the claims themselves) and the claims' ownerReferences; writes the pod if any was off.
   */
  updateStatefulPod(set: Stored<StatefulSet>, pod: Stored<Pod>): void {
    const draft = deepCopy(pod) as Mutable<Pod>;
    let consistent = true;
    if (!identityMatches(set, draft)) {
      updateIdentity(set, draft);
      consistent = false;
    }
    if (!storageMatches(set, draft)) {
      updateStorage(set, draft);
      consistent = false;
      const err = this.createPersistentVolumeClaims(set, draft);
      if (err) {
        this.podEvent("update", set, pod, err);
        throw new SyncError(err);
      }
    }
    if (!this.claimsMatchRetentionPolicy(set, pod)) {
      const err = this.updatePodClaimForRetentionPolicy(set, pod);
      if (err) {
        this.podEvent("update", set, pod, err);
        throw new SyncError(err);
      }
      consistent = false;
    }
    if (consistent) return;
    try {
      this.ctx.api.mutate<Pod>("Pod", pod.metadata.namespace, pod.metadata.name, (d) => {
        (d.metadata as Mutable<ObjectMeta>).labels = draft.metadata!.labels;
        if (d.spec) (d.spec as Mutable<NonNullable<Pod["spec"]>>).volumes = draft.spec!.volumes;
      });
      this.podEvent("update", set, pod);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.podEvent("update", set, pod, e.message);
      throw new SyncError(e.message);
    }
  }

  /** DeleteStatefulPod: a plain delete (graceful for a pod on a node); its claims stay. */
  deleteStatefulPod(set: Stored<StatefulSet>, pod: Stored<Pod>): ApiError | undefined {
    try {
      this.ctx.api.delete("Pod", pod.metadata.namespace, pod.metadata.name);
      this.podEvent("delete", set, pod);
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.podEvent("delete", set, pod, e.message);
      return e;
    }
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod has the references the policy wants. */
  claimsMatchRetentionPolicy(set: Stored<StatefulSet>, pod: Pod): boolean {
    for (const { claim } of claimsFor(set, ordinalOf(pod))) {
      const c = this.ctx.api.get<PersistentVolumeClaim>(
        "PersistentVolumeClaim",
        set.metadata.namespace,
        claim.metadata!.name!,
      );
      // A missing claim is picked up by a later sync.
      if (c && !isClaimOwnerUpToDate(c, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrites the claims' references; returns the error text. */
  updatePodClaimForRetentionPolicy(set: Stored<StatefulSet>, pod: Pod): string | undefined {
    const ns = set.metadata.namespace;
    for (const { claim } of claimsFor(set, ordinalOf(pod))) {
      const name = claim.metadata!.name!;
      const c = this.ctx.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, name);
      if (!c || isClaimOwnerUpToDate(c, set, pod)) continue;
      const refs = claimOwnerRefsFor(c, set, pod);
      try {
        this.ctx.api.mutate<PersistentVolumeClaim>("PersistentVolumeClaim", ns, name, (d) => {
          const m = d.metadata as Mutable<ObjectMeta>;
          if (refs.length > 0) m.ownerReferences = refs as Mutable<OwnerReference>[];
          else delete m.ownerReferences;
        });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return `could not update claim ${name} for delete policy ownerRefs: ${e.message}`;
      }
    }
    return undefined;
  }

  /**
   * PodClaimIsStale: under whenScaled=Delete, a claim still referencing an older pod of this name
   * blocks creating the pod until the garbage collector has deleted that claim.
   */
  podClaimIsStale(set: Stored<StatefulSet>, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === "Retain") return false;
    const target = { apiVersion: "v1", kind: "Pod", name: pod.metadata?.name ?? "", uid: pod.metadata?.uid };
    for (const { claim } of claimsFor(set, ordinalOf(pod))) {
      const c = this.ctx.api.get<PersistentVolumeClaim>(
        "PersistentVolumeClaim",
        set.metadata.namespace,
        claim.metadata!.name!,
      );
      if (c && hasStaleOwnerRef(c.metadata.ownerReferences ?? [], target)) return true;
    }
    return false;
  }

  /** recordPodEvent: `<verb> Pod <pod> in StatefulSet <set> successful` / `... failed error: <err>`. */
  private podEvent(
    verb: "create" | "update" | "delete",
    set: Stored<StatefulSet>,
    pod: Pod,
    err?: string,
  ): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    const name = pod.metadata?.name ?? "";
    if (err === undefined) {
      const msg = `${verb} Pod ${name} in StatefulSet ${set.metadata.name} successful`;
      this.ctx.events.record(set, "Normal", `Successful${title}`, msg, COMPONENT);
    } else {
      const msg = `${verb} Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${err}`;
      this.ctx.events.record(set, "Warning", `Failed${title}`, msg, COMPONENT);
    }
  }

  /** recordClaimEvent: `create Claim <pvc> Pod <pod> in StatefulSet <set> success` / `... failed error: <err>`. */
  private claimEvent(set: Stored<StatefulSet>, pod: Pod, claim: string, err?: string): void {
    const podName = pod.metadata?.name ?? "";
    if (err === undefined) {
      const msg = `create Claim ${claim} Pod ${podName} in StatefulSet ${set.metadata.name} success`;
      this.ctx.events.record(set, "Normal", "SuccessfulCreate", msg, COMPONENT);
    } else {
      const msg = `create Claim ${claim} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${err}`;
      this.ctx.events.record(set, "Warning", "FailedCreate", msg, COMPONENT);
    }
  }
}
