/**
 * One sync of one Deployment (deployment_controller.go: syncDeployment, sync.go, progress.go):
 * finds the new and old ReplicaSets, creates the new one, scales proportionally, cleans up
 * history, and computes status and conditions. The strategies live in rolling.ts and recreate.ts.
 */
import type { ApiServer } from "../../api/apiserver.js";
import { deepCopy } from "../../api/copy.js";
import { ApiError } from "../../api/errors.js";
import { byType } from "../../api/lists.js";
import type { KubeObject, Mutable, ReplicaSet as RS } from "../../api/types.js";
import {
  type Condition,
  type DeploymentStatus,
  newCondition,
  Reason,
  removeCondition,
  setCondition,
} from "./conditions.js";
import type { DeploymentController } from "./controller.js";
import { canonicalEqual, canonicalJson, computeHash } from "./hash.js";
import { rolloutRecreate } from "./recreate.js";
import { rolloutRolling } from "./rolling.js";
import type { Deployment, ReplicaSet, Stored } from "./types.js";
import * as u from "./util.js";

const COMPONENT = "deployment-controller";
/** Longest revision-history annotation (sync.go: maxRevHistoryLengthInChars). */
const MAX_REV_HISTORY_CHARS = 2000;
const SKIP_COPY = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  u.REVISION,
  u.REVISION_HISTORY,
  u.DESIRED_REPLICAS,
  u.MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

const rsReplicas = (rs: ReplicaSet | undefined) => rs?.spec?.replicas ?? 0;

export class DeploymentSync {
  /** The Deployment as this sync last wrote or read it. */
  d: Stored<Deployment>;
  private readonly templateKey: string;

  constructor(
    readonly c: DeploymentController,
    d: Stored<Deployment>,
    readonly rsList: Stored<ReplicaSet>[],
  ) {
    this.d = d;
    this.templateKey = u.templateKeyIgnoringHash(d.spec?.template, canonicalJson);
  }

  /** This Deployment's queue key (also the key of its last recorded wait). */
  private get key(): string {
    return this.c.keys.of(this.d.metadata.namespace, this.d.metadata.name);
  }

  get now(): number {
    return this.c.ctx.engine.nowMs;
  }

  /** syncDeployment after the ReplicaSets are claimed. */
  run(): void {
    const d = this.d;
    const sel = d.spec?.selector;
    if (sel && !sel.matchLabels && !sel.matchExpressions) {
      this.c.ctx.events.record(
        d,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
        COMPONENT,
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        this.writeStatus({
          ...(d.status ?? {}),
          observedGeneration: d.metadata.generation,
        } as DeploymentStatus);
      }
      return;
    }
    if (d.metadata.deletionTimestamp) {
      this.syncStatusOnly();
      return;
    }
    this.checkPausedConditions();
    if (this.d.spec?.paused) {
      this.syncScale();
      return;
    }
    if (this.isScalingEvent()) {
      this.syncScale();
      return;
    }
    if (this.d.spec?.strategy?.type === "Recreate") rolloutRecreate(this);
    else rolloutRolling(this);
  }

  // ---- new and old ReplicaSets ---------------------------------------------------------------

  /** getAllReplicaSetsAndSyncRevision: the new RS (created if asked) and the old ones. */
  newAndOld(create: boolean): { newRS: Stored<ReplicaSet> | undefined; oldRSs: Stored<ReplicaSet>[] } {
    const known = this.found;
    if (known) return { newRS: known.newRS, oldRSs: [...known.oldRSs] };
    const sorted = [...this.rsList].sort(u.byCreation);
    const found = sorted.find(
      (rs) => u.templateKeyIgnoringHash(rs.spec?.template, canonicalJson) === this.templateKey,
    );
    const oldRSs = sorted.filter((rs) => rs !== found);
    const newRS = this.getNewReplicaSet(found, oldRSs, create);
    // Once the new ReplicaSet is found and its revision synced, asking again (isScalingEvent, then
    // the rollout) finds the same ReplicaSets and writes nothing; any later write forgets this.
    if (newRS) this.found = { newRS, oldRSs: [...oldRSs] };
    return { newRS, oldRSs };
  }

  private found: { newRS: Stored<ReplicaSet>; oldRSs: Stored<ReplicaSet>[] } | undefined;

  private getNewReplicaSet(
    existing: Stored<ReplicaSet> | undefined,
    oldRSs: Stored<ReplicaSet>[],
    create: boolean,
  ) {
    const newRevision = String(u.maxRevision(oldRSs) + 1);
    if (existing) return this.syncExistingNewRS(existing, newRevision);
    if (!create) return undefined;
    return this.createNewRS(oldRSs, newRevision);
  }

  private syncExistingNewRS(existing: Stored<ReplicaSet>, newRevision: string): Stored<ReplicaSet> {
    const d = this.d;
    const current = existing.metadata.annotations ?? {};
    const annotations = this.newRSAnnotations(current, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotations !== current || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
      return this.track(
        updateFrom(this.c.ctx.api, "ReplicaSet", existing, (r) => ({
          ...r,
          metadata: { ...r.metadata, annotations },
          spec: { ...(r.spec as RSSpec), minReadySeconds: minReady },
        })),
      );
    }
    const revisionChanged = this.setDeploymentRevision(existing.metadata.annotations?.[u.REVISION] ?? "");
    const needsCondition = u.hasProgressDeadline(d) && !u.getCondition(d.status, "Progressing");
    // Most syncs find nothing to write: copy the status only when something will be.
    if (!revisionChanged && !needsCondition) return existing;
    const st = this.statusCopy();
    if (needsCondition) {
      setCondition(
        st,
        this.cond(
          "Progressing",
          "True",
          Reason.FoundNewRS,
          `Found new replica set "${existing.metadata.name}"`,
        ),
      );
    }
    this.writeStatus(st);
    return existing;
  }

  private createNewRS(oldRSs: Stored<ReplicaSet>[], newRevision: string): Stored<ReplicaSet> | undefined {
    const d = this.d;
    const api = this.c.ctx.api;
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = deepCopy(d.spec?.template ?? {}) as Mutable<NonNullable<Deployment["spec"]>["template"]>;
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), [u.POD_TEMPLATE_HASH]: hash },
    };
    const selector = deepCopy(d.spec?.selector ?? {}) as Mutable<NonNullable<RS["spec"]>["selector"]>;
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [u.POD_TEMPLATE_HASH]: hash };
    const rs: Mutable<ReplicaSet> = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {},
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: d.metadata.name,
            uid: d.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    rs.spec!.replicas = u.newRSNewReplicas(d, [...oldRSs, rs as ReplicaSet], rs as ReplicaSet);
    rs.metadata!.annotations = this.newRSAnnotations({}, newRevision, false);
    let created: Stored<ReplicaSet>;
    try {
      created = this.track(api.create(rs as ReplicaSet));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return this.onCreateError(e, rs.metadata!.name!);
    }
    if ((created.spec?.replicas ?? 0) > 0) {
      this.step(
        "scale",
        `${created.metadata.name} 0 → ${created.spec?.replicas} (new ReplicaSet, revision ${newRevision})`,
      );
      this.event(
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${created.metadata.name} from 0 to ${created.spec?.replicas}`,
      );
    }
    const st = this.statusCopy();
    const revisionChanged = this.setDeploymentRevision(newRevision);
    if (u.hasProgressDeadline(d)) {
      setCondition(
        st,
        this.cond(
          "Progressing",
          "True",
          Reason.NewRSCreated,
          `Created new replica set "${created.metadata.name}"`,
        ),
      );
    }
    if (revisionChanged || u.hasProgressDeadline(d)) this.writeStatus(st);
    return created;
  }

  /** AlreadyExists with a different template is a hash collision: bump collisionCount, retry later. */
  private onCreateError(e: ApiError, name: string): never {
    const d = this.d;
    const api = this.c.ctx.api;
    if (e.reason === "AlreadyExists") {
      const rs = api.get<ReplicaSet>("ReplicaSet", d.metadata.namespace, name);
      const ours = rs && controllerOf(rs) === d.metadata.uid;
      if (ours && u.templateKeyIgnoringHash(rs.spec?.template, canonicalJson) === this.templateKey) throw e;
      const st = this.statusCopy();
      st.collisionCount = (st.collisionCount ?? 0) + 1;
      this.writeStatus(st);
      throw e;
    }
    const msg = `Failed to create new replica set "${name}": ${e.message}`;
    const st = this.statusCopy();
    if (u.hasProgressDeadline(d))
      setCondition(st, this.cond("Progressing", "False", Reason.FailedRSCreate, msg));
    this.event("Warning", Reason.FailedRSCreate, msg);
    this.writeStatus(st);
    throw e;
  }

  /**
   * SetNewReplicaSetAnnotations: `current` itself when nothing changes (most syncs), else a copy
   * with the changes, made at the first one.
   */
  private newRSAnnotations(
    current: Readonly<Record<string, string>>,
    newRevision: string,
    exists: boolean,
  ): Record<string, string> {
    const d = this.d;
    let a: Record<string, string> | undefined;
    const put = (k: string, v: string) => {
      a ??= { ...current };
      a[k] = v;
    };
    const from = d.metadata.annotations;
    if (from) for (const k in from) if (!SKIP_COPY.has(k) && current[k] !== from[k]) put(k, from[k]!);
    const oldRevision = current[u.REVISION];
    const oldN = oldRevision === undefined ? 0 : /^\d+$/.test(oldRevision) ? Number(oldRevision) : Number.NaN;
    if (!Number.isNaN(oldN) && oldN < Number(newRevision)) {
      put(u.REVISION, newRevision);
      if (oldRevision !== undefined)
        put(u.REVISION_HISTORY, appendRevisionHistory(current[u.REVISION_HISTORY], oldRevision));
    }
    if (!exists && !Number.isNaN(oldN)) {
      put(u.DESIRED_REPLICAS, String(u.replicasOf(d)));
      put(u.MAX_REPLICAS, String(u.replicasOf(d) + u.maxSurge(d)));
    }
    return a ?? (current as Record<string, string>);
  }

  /** SetDeploymentRevision: the Deployment carries its new ReplicaSet's revision. */
  private setDeploymentRevision(revision: string): boolean {
    if (this.d.metadata.annotations?.[u.REVISION] === revision) return false;
    this.pendingRevision = revision;
    return true;
  }

  private pendingRevision: string | undefined;

  /** Keeps this sync's list current after a write, so later steps see what was written. */
  private track(rs: Stored<ReplicaSet>): Stored<ReplicaSet> {
    this.found = undefined;
    const i = this.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  // ---- scaling -----------------------------------------------------------------------------

  private isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.newAndOld(false);
    const want = u.replicasOf(this.d);
    const differs = (rs: Stored<ReplicaSet>) => {
      if (rsReplicas(rs) <= 0) return false;
      const v = rs.metadata.annotations?.[u.DESIRED_REPLICAS];
      return v !== undefined && /^\d+$/.test(v) && Number(v) !== want;
    };
    return oldRSs.some(differs) || (newRS !== undefined && differs(newRS));
  }

  /** sync(): scale (proportionally if needed), clean up when paused, update status. */
  private syncScale(): void {
    const { newRS, oldRSs } = this.newAndOld(false);
    const scaled = this.scale(newRS, oldRSs);
    if (this.d.spec?.paused) this.cleanupDeployment(scaled.oldRSs);
    this.syncDeploymentStatus([...scaled.oldRSs, ...(scaled.newRS ? [scaled.newRS] : [])], scaled.newRS);
  }

  /** scale(): proportional scaling of every active ReplicaSet when the Deployment is resized. */
  private scale(newRS: Stored<ReplicaSet> | undefined, oldRSs: Stored<ReplicaSet>[]) {
    const d = this.d;
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    const active = all.filter((rs) => rsReplicas(rs) > 0);
    const replace = (rs: Stored<ReplicaSet>, next: Stored<ReplicaSet>) => {
      if (rs === newRS) newRS = next;
      const i = oldRSs.indexOf(rs);
      if (i >= 0) oldRSs[i] = next;
    };
    const activeOrLatest =
      active.length === 1
        ? active[0]
        : active.length === 0
          ? (newRS ?? [...oldRSs].sort(u.byCreation).at(-1))
          : undefined;
    if (active.length <= 1) {
      if (activeOrLatest && rsReplicas(activeOrLatest) !== u.replicasOf(d))
        replace(activeOrLatest, this.scaleReplicaSet(activeOrLatest, u.replicasOf(d)));
      return { newRS, oldRSs };
    }
    if (this.isSaturated(newRS)) {
      for (const rs of oldRSs.filter((r) => rsReplicas(r) > 0)) replace(rs, this.scaleReplicaSet(rs, 0));
      return { newRS, oldRSs };
    }
    if (d.spec?.strategy?.type === "Recreate") return { newRS, oldRSs };
    const allowed = u.replicasOf(d) > 0 ? u.replicasOf(d) + u.maxSurge(d) : 0;
    const toAdd = allowed - active.reduce((n, rs) => n + rsReplicas(rs), 0);
    const ordered = [...active].sort(u.bySizeThen(toAdd > 0));
    const sizes = new Map<Stored<ReplicaSet>, number>();
    let added = 0;
    for (const rs of ordered) {
      const p = toAdd !== 0 ? u.replicaSetProportion(rs, d, toAdd, added) : 0;
      sizes.set(rs, rsReplicas(rs) + p);
      added += p;
    }
    ordered.forEach((rs, i) => {
      let size = sizes.get(rs)!;
      // Leftovers from rounding go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      replace(rs, this.scaleReplicaSet(rs, size));
    });
    return { newRS, oldRSs };
  }

  private isSaturated(newRS: Stored<ReplicaSet> | undefined): boolean {
    if (!newRS) return false;
    const want = u.replicasOf(this.d);
    const desired = newRS.metadata.annotations?.[u.DESIRED_REPLICAS];
    return (
      rsReplicas(newRS) === want &&
      desired === String(want) &&
      (newRS.status?.availableReplicas ?? 0) === want
    );
  }

  /** scaleReplicaSet: resize and/or refresh the desired/max annotations; event when the size changed. */
  scaleReplicaSet(rs: Stored<ReplicaSet>, newScale: number): Stored<ReplicaSet> {
    const d = this.d;
    const desired = String(u.replicasOf(d));
    const max = String(u.replicasOf(d) + u.maxSurge(d));
    const a = rs.metadata.annotations ?? {};
    const sizeChanged = rsReplicas(rs) !== newScale;
    if (!sizeChanged && a[u.DESIRED_REPLICAS] === desired && a[u.MAX_REPLICAS] === max) return rs;
    const next = this.track(
      updateFrom(this.c.ctx.api, "ReplicaSet", rs, (r) => ({
        ...r,
        spec: { ...(r.spec as RSSpec), replicas: newScale },
        metadata: {
          ...r.metadata,
          annotations: {
            ...(r.metadata.annotations ?? {}),
            [u.DESIRED_REPLICAS]: desired,
            [u.MAX_REPLICAS]: max,
          },
        },
      })),
    );
    if (sizeChanged) {
      const dir = rsReplicas(rs) < newScale ? "up" : "down";
      const avail = this.rsList.reduce((n, r) => n + (r.status?.availableReplicas ?? 0), 0);
      this.step(
        "scale",
        `${rs.metadata.name} ${rsReplicas(rs)} → ${newScale} (available ${avail}/${u.replicasOf(d)}, maxSurge ${u.maxSurge(d)}, maxUnavailable ${u.maxUnavailable(d)})`,
      );
      this.event(
        "Normal",
        "ScalingReplicaSet",
        `Scaled ${dir} replica set ${rs.metadata.name} from ${rsReplicas(rs)} to ${newScale}`,
      );
    }
    return next;
  }

  /** scaleReplicaSetAndRecordEvent: no-op when already at that size. */
  scaleTo(rs: Stored<ReplicaSet>, newScale: number): { scaled: boolean; rs: Stored<ReplicaSet> } {
    if (rsReplicas(rs) === newScale) return { scaled: false, rs };
    return { scaled: true, rs: this.scaleReplicaSet(rs, newScale) };
  }

  // ---- history -----------------------------------------------------------------------------

  /** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  cleanupDeployment(oldRSs: Stored<ReplicaSet>[]): void {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === 2147483647) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    cleanable.sort((a, b) => u.revisionOf(a) - u.revisionOf(b) || u.byCreation(a, b));
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        this.c.ctx.api.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
      }
    }
  }

  // ---- status ------------------------------------------------------------------------------

  private syncStatusOnly(): void {
    const { newRS, oldRSs } = this.newAndOld(false);
    this.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  /** calculateStatus: counts from ReplicaSet statuses, and the Available condition. */
  calculateStatus(allRSs: Stored<ReplicaSet>[], newRS: Stored<ReplicaSet> | undefined): DeploymentStatus {
    const d = this.d;
    let available = 0;
    let total = 0;
    let actual = 0;
    let ready = 0;
    let terminating = 0;
    for (const rs of allRSs) {
      available += rs.status?.availableReplicas ?? 0;
      total += rsReplicas(rs);
      actual += rs.status?.replicas ?? 0;
      ready += rs.status?.readyReplicas ?? 0;
      terminating += (rs.status as { terminatingReplicas?: number } | undefined)?.terminatingReplicas ?? 0;
    }
    const st: DeploymentStatus = {
      observedGeneration: d.metadata.generation,
      replicas: actual,
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    // Assigned in the order the fields are written (key order is part of the timeline's bytes).
    if (d.status?.collisionCount !== undefined) st.collisionCount = d.status.collisionCount;
    // Shared, not copied: setCondition and removeCondition build new arrays and new conditions.
    if (d.status?.conditions) st.conditions = d.status.conditions as DeploymentStatus["conditions"];
    (st as { terminatingReplicas?: number }).terminatingReplicas = terminating;
    if (available >= u.replicasOf(d) - u.maxUnavailable(d))
      this.setCond(
        st,
        "Available",
        "True",
        Reason.MinimumReplicasAvailable,
        "Deployment has minimum availability.",
      );
    else
      this.setCond(
        st,
        "Available",
        "False",
        Reason.MinimumReplicasUnavailable,
        "Deployment does not have minimum availability.",
      );
    return st;
  }

  /** setCondition, the condition built (and its time formatted) only when it changes something. */
  private setCond(
    st: DeploymentStatus,
    type: string,
    status: "True" | "False" | "Unknown",
    reason: string,
    message: string,
  ): void {
    const cur = byType(st.conditions, type);
    if (cur && cur.status === status && cur.reason === reason) return;
    setCondition(st, this.cond(type, status, reason, message));
  }

  syncDeploymentStatus(allRSs: Stored<ReplicaSet>[], newRS: Stored<ReplicaSet> | undefined): void {
    this.writeStatus(this.calculateStatus(allRSs, newRS));
  }

  /** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
  private checkPausedConditions(): void {
    const d = this.d;
    if (!u.hasProgressDeadline(d)) return;
    const cond = u.getCondition(d.status, "Progressing");
    if (cond?.reason === Reason.TimedOut) return;
    const pausedExists = cond?.reason === Reason.Paused;
    if (!d.spec?.paused === !pausedExists) return;
    const st = this.statusCopy();
    if (d.spec?.paused)
      setCondition(st, this.cond("Progressing", "Unknown", Reason.Paused, "Deployment is paused"));
    else setCondition(st, this.cond("Progressing", "Unknown", Reason.Resumed, "Deployment is resumed"));
    this.writeStatus(st);
  }

  statusCopy(): DeploymentStatus {
    const st = deepCopy(this.d.status ?? {}) as DeploymentStatus;
    return st;
  }

  cond(type: string, status: "True" | "False" | "Unknown", reason: string, message: string): Condition {
    return newCondition(type, status, reason, message, this.c.ctx.clock.time(this.now));
  }

  /** UpdateStatus, when the status (or the pending revision annotation) changed. */
  writeStatus(st: DeploymentStatus): void {
    const d = this.d;
    const revision = this.pendingRevision;
    this.pendingRevision = undefined;
    const unchanged = canonicalEqual(st, d.status ?? {});
    if (unchanged && revision === undefined) return;
    this.found = undefined;
    // UpdateStatus from this sync's copy: a Deployment changed meanwhile is a Conflict (retried).
    this.d = updateFrom(
      this.c.ctx.api,
      "Deployment",
      d,
      (cur) =>
        revision === undefined
          ? { ...cur, status: st }
          : {
              ...cur,
              metadata: {
                ...cur.metadata,
                annotations: { ...(cur.metadata.annotations ?? {}), [u.REVISION]: revision },
              },
              status: st,
            },
      "status",
    );
  }

  /**
   * A rollout step in the timeline (kubesim's own record: Kubernetes shows only the events).
   * "wait" steps are recorded only when the reason for waiting changes.
   */
  step(kind: "scale" | "wait", message: string): void {
    const k = this.key;
    if (kind === "wait") {
      if (this.c.lastWait.get(k) === message) return;
      this.c.lastWait.set(k, message);
    } else this.c.lastWait.delete(k);
    this.c.ctx.record({
      t: this.now,
      type: "step",
      component: COMPONENT,
      object: `Deployment/${this.d.metadata.namespace}/${this.d.metadata.name}`,
      step: kind === "scale" ? "rollout" : "rollout-wait",
      message,
    });
  }

  event(type: "Normal" | "Warning", reason: string, message: string): void {
    this.c.ctx.events.record(this.d, type, reason, message, COMPONENT);
  }

  /** Re-queues this Deployment after `ms` (progress deadline checks). */
  requeueAfter(ms: number): void {
    this.c.queue.addAfter(this.key, ms);
  }

  requeueRateLimited(): void {
    this.c.queue.addRateLimited(this.key);
  }

  removeProgressing(st: DeploymentStatus): void {
    removeCondition(st, "Progressing");
  }
}

type RSSpec = NonNullable<RS["spec"]>;

/**
 * An Update of `obj` as this sync read it (the apiserver's optimistic concurrency: a stored
 * version with another resourceVersion is a Conflict). Built by spreading the stored object
 * instead of an immer draft (these are the hot writes).
 */
function updateFrom<T extends KubeObject>(
  api: ApiServer,
  kind: "Deployment" | "ReplicaSet",
  obj: Stored<T>,
  build: (current: Stored<T>) => T,
  subresource?: "status",
): Stored<T> {
  const { namespace, name, resourceVersion } = obj.metadata;
  return api.replace<T>(kind, namespace, name, build, { subresource, resourceVersion });
}

function controllerOf(rs: Stored<ReplicaSet>): string | undefined {
  return rs.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

/** Appends a revision to the comma list, dropping the oldest while it would exceed 2,000 characters. */
function appendRevisionHistory(history: string | undefined, oldRevision: string): string {
  if (!history) return oldRevision;
  const parts = history.split(",");
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > MAX_REV_HISTORY_CHARS && start < parts.length) {
    total -= parts[start]!.length + 1;
    start++;
  }
  return [...parts.slice(start), oldRevision].join(",");
}
