/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas`
 * active pods matching the selector — adopting orphans, releasing pods that stopped matching,
 * creating in slow-start batches, deleting the best candidates first — and reports status.
 */

import type { Lister } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import { compileSelector, type Selector } from "../api/labels.js";
import { byType } from "../api/lists.js";
import type { Pod, ReplicaSet, Stored } from "../api/types.js";
import { controllerRef, setControllerRef } from "./controller-ref.js";
import { Expectations } from "./expectations.js";
import {
  controllerOf,
  isPodActive,
  isPodAvailable,
  isPodReady,
  type RankedPod,
  sortForDeletion,
} from "./pod-utils.js";
import { ReplicaSetTally } from "./replicaset-tally.js";
import { QueueKeys, WorkQueue } from "./workqueue.js";

/** Most pods created or deleted in one sync (replica_set.go: BurstReplicas). */
export const BURST_REPLICAS = 500;
const COMPONENT = "replicaset-controller";

/** The status counts calculateStatus derives from the claimed pods. */
export interface StatusCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
  terminating: number;
}

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly expectations = new Expectations();
  private readonly keys = new QueueKeys();
  /** Pod counts per ReplicaSet key, and the same tallies by ReplicaSet uid for pod events. */
  private readonly tallies = new Map<string, ReplicaSetTally>();
  private readonly talliesByUid = new Map<string, ReplicaSetTally>();

  /** The shared informer caches this controller reads (a watch latency behind the store). */
  private readonly pods: Lister<Pod>;
  private readonly replicaSets: Lister<ReplicaSet>;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.api.lister<Pod>("Pod");
    this.replicaSets = ctx.api.lister<ReplicaSet>("ReplicaSet");
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    ctx.api.watch<ReplicaSet>("ReplicaSet", (ev) =>
      this.queue.add(this.keys.of(ev.object.metadata.namespace, ev.object.metadata.name)),
    );
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev.type, ev.object, ev.old));
  }

  private onPod(type: string, pod: Stored<Pod>, old: Stored<Pod> | undefined): void {
    const ns = pod.metadata.namespace;
    const ref = controllerOf(pod);
    this.tallyPod(type, pod, old);
    const rsKey = ref?.kind === "ReplicaSet" ? this.keys.of(ns, ref.name) : undefined;
    if (type === "ADDED" && rsKey) this.expectations.creationObserved(rsKey);
    if (
      rsKey &&
      (type === "DELETED" || (pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp))
    ) {
      this.expectations.deletionObserved(rsKey, pod.metadata.uid);
    }
    if (rsKey) {
      this.queue.add(rsKey);
      // A pod that just became Ready becomes available minReadySeconds later: look again then
      // (plus a second against millisecond skew, as replica_set.go's updatePod does).
      if (old && !isPodReady(old) && isPodReady(pod)) {
        const rs = this.replicaSets.get(ns, ref!.name);
        const minReady = rs?.spec?.minReadySeconds ?? 0;
        if (minReady > 0) this.queue.addAfter(rsKey, minReady * 1000 + 1000);
      }
    }
    const oldRef = old ? controllerOf(old) : undefined;
    if (oldRef?.kind === "ReplicaSet" && oldRef.uid !== ref?.uid)
      this.queue.add(this.keys.of(ns, oldRef.name));
    // An orphan may be adopted by any ReplicaSet whose selector matches it.
    if (!ref && type !== "DELETED")
      for (const rs of this.replicaSetsFor(pod)) this.queue.add(this.keys.of(ns, rs.metadata.name));
  }

  // Keeps the tallies of every ReplicaSet the pod names (owner references, before or after)
  // equal to what the cache now holds: its controller's counts, and any owner's pods per node.
  // Pods are known by uid: a string each pod holds already, not one more per pod and event.
  private tallyPod(type: string, pod: Stored<Pod>, old: Stored<Pod> | undefined): void {
    if (this.talliesByUid.size === 0) return;
    const podKey = pod.metadata.uid;
    const next = type === "DELETED" ? undefined : pod;
    const refs = pod.metadata.ownerReferences;
    // Indexed: the references are stored (frozen), where V8's for-of is slower; this runs per pod event.
    if (refs) for (let i = 0; i < refs.length; i++) this.talliesByUid.get(refs[i]!.uid)?.set(podKey, next);
    const oldRefs = old?.metadata.ownerReferences;
    if (!oldRefs || oldRefs === refs) return;
    for (const r of oldRefs)
      if (!refs?.some((x) => x.uid === r.uid)) this.talliesByUid.get(r.uid)?.set(podKey, next);
  }

  /** The ReplicaSet's tally, built from the cache when missing or made for another uid/selector/template. */
  private tallyOf(k: string, rs: Stored<ReplicaSet>): ReplicaSetTally {
    const sel = this.selectorOf(rs);
    const labels = rs.spec?.template?.metadata?.labels;
    const t = this.tallies.get(k);
    if (t && t.uid === rs.metadata.uid && t.selector === sel && t.templateLabels === labels) return t;
    if (t) this.talliesByUid.delete(t.uid);
    const fresh = new ReplicaSetTally(rs.metadata.uid, sel, labels);
    for (const p of this.pods.list({ ownerUid: rs.metadata.uid })) fresh.set(p.metadata.uid, p);
    this.tallies.set(k, fresh);
    this.talliesByUid.set(fresh.uid, fresh);
    return fresh;
  }

  private dropTally(k: string): void {
    const t = this.tallies.get(k);
    if (!t) return;
    this.tallies.delete(k);
    this.talliesByUid.delete(t.uid);
  }

  /** Whether ClaimPods would adopt an orphan now. */
  private hasOrphansToAdopt(rs: Stored<ReplicaSet>): boolean {
    const sel = this.selectorOf(rs);
    if (rs.metadata.deletionTimestamp || sel.nothing) return false;
    const ns = rs.metadata.namespace;
    for (const p of this.pods.list({ namespace: ns, selector: sel, withoutController: true }))
      if (!controllerOf(p) && !p.metadata.deletionTimestamp) return true;
    return false;
  }

  private replicaSetsFor(pod: Stored<Pod>): Stored<ReplicaSet>[] {
    return this.replicaSets
      .list({ namespace: pod.metadata.namespace })
      .filter((rs) => this.selectorOf(rs).matches(pod.metadata.labels));
  }

  // compileSelector keeps the compiled form of each stored (frozen) selector: the same object for
  // the same spec, which is what a tally is checked against.
  private selectorOf(rs: Stored<ReplicaSet>): Selector {
    return compileSelector(rs.spec?.selector);
  }

  /** syncReplicaSet. */
  private sync(k: string): void {
    const slash = k.indexOf("/");
    const ns = k.slice(0, slash);
    const name = k.slice(slash + 1);
    const rs = this.replicaSets.get(ns, name);
    if (!rs) {
      this.expectations.delete(k);
      this.dropTally(k);
      this.keys.forget(ns, name);
      return;
    }
    const now = this.ctx.engine.nowMs;
    const needsSync = this.expectations.satisfied(k, now);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const isAvailable = (p: Stored<Pod>) => isPodAvailable(p, minReady, now, this.ctx.clock);
    const tally = this.tallyOf(k, rs);
    let counts: StatusCounts;
    let failure: { reason: string; message: string } | undefined;
    const desired = rs.spec?.replicas ?? 1;
    const manage = needsSync && !rs.metadata.deletionTimestamp;
    // Fast path: nothing to release, adopt or delete — the tally has the counts (and how many to create).
    if (tally.strays === 0 && (!manage || tally.replicas <= desired) && !this.hasOrphansToAdopt(rs)) {
      if (manage && tally.replicas < desired) failure = this.createMissing(k, rs, desired - tally.replicas);
      counts = {
        replicas: tally.replicas,
        fullyLabeled: tally.fullyLabeled,
        ready: tally.ready,
        available: tally.available(isAvailable, minReady),
        terminating: tally.terminating,
      };
    } else {
      const { claimed, changed } = this.claimPods(rs);
      const pods = claimed.filter(isPodActive);
      if (manage) failure = this.manageReplicas(k, rs, pods);
      // Nothing adopted or released (a scale-down): the tally counts what calculateStatus would.
      counts = changed
        ? countStatus(rs, claimed, pods, isAvailable)
        : {
            replicas: tally.replicas,
            fullyLabeled: tally.fullyLabeled,
            ready: tally.ready,
            available: tally.available(isAvailable, minReady),
            terminating: tally.terminating,
          };
    }
    const updated = this.updateStatus(rs, counts, failure);
    const st = updated?.status;
    if (
      minReady > 0 &&
      st &&
      st.readyReplicas === (rs.spec?.replicas ?? 1) &&
      st.availableReplicas !== st.readyReplicas
    ) {
      this.queue.addAfter(k, minReady * 1000);
    }
    if (failure) this.queue.addRateLimited(k);
    else this.queue.forget(k);
  }

  /**
   * The pods this ReplicaSet controls after adoption and release (ClaimPods): its own pods that
   * still match, plus matching orphans it adopts now. Pods of other controllers are left alone.
   * `changed`: a pod was released or adopted (or tried to be).
   */
  private claimPods(rs: Stored<ReplicaSet>): { claimed: Stored<Pod>[]; changed: boolean } {
    const api = this.ctx.api;
    const sel = this.selectorOf(rs);
    const uid = rs.metadata.uid;
    const ns = rs.metadata.namespace;
    const out: Stored<Pod>[] = [];
    let changed = false;
    for (const p of this.pods.list({ ownerUid: uid })) {
      if (controllerOf(p)?.uid !== uid) continue;
      if (sel.matches(p.metadata.labels)) out.push(p);
      else if (isPodActive(p)) {
        setControllerRef(api, p, undefined);
        changed = true;
      }
    }
    if (rs.metadata.deletionTimestamp || sel.nothing) return { claimed: out, changed };
    // Only orphans can be adopted: their own index, usually empty, instead of every matching pod.
    const candidates = this.pods.list({ namespace: ns, selector: sel, withoutController: true });
    for (const p of candidates) {
      if (controllerOf(p) || p.metadata.deletionTimestamp) continue;
      const adopted = setControllerRef(api, p, controllerRef(rs, "apps/v1"));
      changed = true;
      if (adopted) out.push(adopted);
    }
    return { claimed: out, changed };
  }

  /** manageReplicas: create or delete the difference, at most BURST_REPLICAS per sync. */
  private manageReplicas(k: string, rs: Stored<ReplicaSet>, pods: Stored<Pod>[]) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const now = this.ctx.engine.nowMs;
    if (diff < 0) return this.createMissing(k, rs, -diff);
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = this.podsToDelete(rs, pods, n);
      this.expectations.expectDeletions(
        k,
        victims.map((p) => p.metadata.uid),
        now,
      );
      for (const p of victims) this.deletePod(k, rs, p);
    }
    return undefined;
  }

  /** manageReplicas' scale-up: `missing` pods, at most BURST_REPLICAS, in slow-start batches. */
  private createMissing(k: string, rs: Stored<ReplicaSet>, missing: number) {
    const n = Math.min(missing, BURST_REPLICAS);
    this.expectations.expectCreations(k, n, this.ctx.engine.nowMs);
    const { created, error } = slowStartBatch(n, 1, () => this.createPod(rs));
    // Pods that were never attempted are not coming: stop waiting for them.
    for (let i = created; i < n; i++) this.expectations.creationObserved(k);
    return error ? { reason: "FailedCreate", message: error } : undefined;
  }

  private createPod(rs: Stored<ReplicaSet>): string | undefined {
    const t = rs.spec?.template ?? {};
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
        ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
        ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "ReplicaSet",
            name: rs.metadata.name,
            uid: rs.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: t.spec as Pod["spec"],
    };
    // The template's parts go in as they are: create copies its (untrusted) input before defaulting.
    try {
      const created = this.ctx.api.create(pod);
      this.ctx.events.record(
        rs,
        "Normal",
        "SuccessfulCreate",
        `Created pod: ${created.metadata.name}`,
        COMPONENT,
      );
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.ctx.events.record(rs, "Warning", "FailedCreate", `Error creating: ${e.message}`, COMPONENT);
      return e.message;
    }
  }

  private deletePod(k: string, rs: Stored<ReplicaSet>, p: Stored<Pod>): void {
    try {
      this.ctx.api.delete("Pod", p.metadata.namespace, p.metadata.name, { uid: p.metadata.uid });
      this.ctx.events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`, COMPONENT);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // The pod is already gone: nothing to wait for.
      this.expectations.deletionObserved(k, p.metadata.uid);
      if (e.reason !== "NotFound") {
        this.ctx.events.record(rs, "Warning", "FailedDelete", `Error deleting: ${e.message}`, COMPONENT);
      }
    }
  }

  /**
   * getPodsToDelete: rank by the number of active pods of related ReplicaSets (same controller)
   * on the same node, then ActivePodsWithRanks order.
   * Simplification: a related ReplicaSet's pods are those with an ownerReference to it, not those
   * its selector matches (getIndirectlyRelatedPods); they differ only for orphaned or adopted pods.
   */
  private podsToDelete(rs: Stored<ReplicaSet>, pods: Stored<Pod>[], n: number): Stored<Pod>[] {
    if (n >= pods.length) return pods;
    // The tallies count the pods of each related ReplicaSet per node: no walk over ~all of them.
    const related = this.relatedTallies(rs);
    const ranked: RankedPod[] = pods.map((pod) => {
      const node = pod.spec?.nodeName ?? "";
      let rank = 0;
      for (const t of related) rank += t.activeOnNode(node);
      return { pod, rank };
    });
    return sortForDeletion(ranked, this.ctx.engine.nowMs, this.ctx.clock)
      .slice(0, n)
      .map((r) => r.pod);
  }

  /** The tallies of every ReplicaSet with the same controller as this one (or just this one's). */
  private relatedTallies(rs: Stored<ReplicaSet>): ReplicaSetTally[] {
    const owner = controllerOf(rs);
    if (!owner) return [this.tallyOf(this.keys.of(rs.metadata.namespace, rs.metadata.name), rs)];
    const siblings = this.replicaSets.list({ ownerUid: owner.uid });
    return siblings.map((s) => this.tallyOf(this.keys.of(s.metadata.namespace, s.metadata.name), s));
  }

  /** updateReplicaSetStatus (writes only when something changed). */
  private updateStatus(
    rs: Stored<ReplicaSet>,
    counts: StatusCounts,
    failure?: { reason: string; message: string },
  ) {
    const now = this.ctx.engine.nowMs;
    const { replicas, fullyLabeled: fully, ready, available, terminating } = counts;
    // Most syncs change nothing: compare with the stored status first and skip the recipe (immer).
    const cur = this.ctx.api.get<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
    const cst = cur?.status as (ReplicaSet["status"] & { terminatingReplicas?: number }) | undefined;
    if (
      cst &&
      !failure &&
      cst.conditions === undefined &&
      cst.replicas === replicas &&
      cst.fullyLabeledReplicas === fully &&
      cst.readyReplicas === ready &&
      cst.availableReplicas === available &&
      cst.terminatingReplicas === terminating &&
      cst.observedGeneration === (rs.metadata.generation ?? 1)
    )
      return cur;
    const ts = this.ctx.clock.time(now);
    const generation = rs.metadata.generation ?? 1;
    try {
      return this.ctx.api.replace<ReplicaSet>(
        "ReplicaSet",
        rs.metadata.namespace,
        rs.metadata.name,
        (current) => withStatus(current, counts, generation, failure, ts),
        { subresource: "status" },
      );
    } catch (e) {
      if (e instanceof ApiError && e.reason === "NotFound") return undefined;
      throw e;
    }
  }
}

type Condition = NonNullable<NonNullable<ReplicaSet["status"]>["conditions"]>[number];

/**
 * The ReplicaSet with the counts, observedGeneration and the ReplicaFailure condition for `failure`
 * written into its status, or `rs` itself when nothing changes. Built by hand instead of through
 * an immer recipe (most of updateStatus' time); it reproduces that recipe's result exactly: keys
 * keep their order (new ones last), a field counts as changed when its value is not Object.is the
 * old one, and a condition list that is written again is a change even with the same entries.
 */
export function withStatus(
  rs: Stored<ReplicaSet>,
  counts: StatusCounts,
  generation: number,
  failure: { reason: string; message: string } | undefined,
  ts: string,
): ReplicaSet {
  const base = rs.status as Record<string, unknown> | undefined;
  const st: Record<string, unknown> = base ? { ...base } : {};
  let changed = base === undefined;
  const set = (field: string, v: unknown) => {
    if (Object.is(v, st[field]) && (v !== undefined || field in st)) return;
    st[field] = v;
    changed = true;
  };
  set("replicas", counts.replicas);
  set("fullyLabeledReplicas", counts.fullyLabeled);
  set("readyReplicas", counts.ready);
  set("availableReplicas", counts.available);
  set("terminatingReplicas", counts.terminating);
  set("observedGeneration", generation);
  // Without a failure and without a conditions field (most writes) there is nothing to rewrite.
  if (failure || "conditions" in st) {
    const conditions = st.conditions as readonly Condition[] | undefined;
    const others = (conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
    if (failure) others.push(failureCondition(conditions, failure, ts));
    if (others.length > 0 || conditions) set("conditions", others.length > 0 ? others : undefined);
    if (st.conditions === undefined && "conditions" in st) {
      delete st.conditions;
      changed = true;
    }
  }
  return changed ? { ...rs, status: st as unknown as ReplicaSet["status"] } : rs;
}

/** The ReplicaFailure condition for `failure`: the current one when it says the same. */
function failureCondition(
  conditions: readonly Condition[] | undefined,
  failure: { reason: string; message: string },
  ts: string,
): Condition {
  const cur = byType(conditions, "ReplicaFailure");
  if (cur && cur.reason === failure.reason && cur.message === failure.message) return cur;
  return {
    type: "ReplicaFailure",
    status: "True",
    reason: failure.reason,
    message: failure.message,
    lastTransitionTime: ts,
  };
}

/** calculateStatus over the claimed pods (`pods`: the active ones). */
function countStatus(
  rs: Stored<ReplicaSet>,
  claimed: readonly Stored<Pod>[],
  pods: readonly Stored<Pod>[],
  isAvailable: (p: Stored<Pod>) => boolean,
): StatusCounts {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const labelKeys = Object.keys(templateLabels);
  let terminating = 0;
  for (const p of claimed) if (p.metadata.deletionTimestamp) terminating++;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (labelKeys.every((l) => labels[l] === templateLabels[l])) fullyLabeled++;
    if (isPodReady(p)) ready++;
    if (isAvailable(p)) available++;
  }
  return { replicas: pods.length, fullyLabeled, ready, available, terminating };
}

/**
 * slowStartBatch: calls in batches of 1, 2, 4, …; stops after the first batch with an error.
 * `fn` gets the batch number (0, 1, 2, …).
 */
export function slowStartBatch(
  count: number,
  initial: number,
  fn: (batch: number) => string | undefined,
): { created: number; error?: string } {
  let remaining = count;
  let created = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining), index++) {
    let error: string | undefined;
    for (let i = 0; i < batch; i++) {
      const err = fn(index);
      if (err === undefined) created++;
      else error ??= err;
    }
    remaining -= batch;
    if (error) return { created, error };
  }
  return { created };
}
