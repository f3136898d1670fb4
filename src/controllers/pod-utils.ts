/**
 * Pod helpers shared by the workload controllers (pkg/controller/controller_utils.go,
 * pkg/api/v1/pod/util.go): activity, readiness, availability, controller references and the
 * order in which a ReplicaSet deletes pods.
 */
import type { SimClock } from "../api/time.js";
import type { OwnerReference, Pod, PodCondition, Stored } from "../api/types.js";

/** FilterActivePods: not Succeeded/Failed and not being deleted. */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !p.metadata?.deletionTimestamp;
}

// The helpers below loop by index: on a stored (frozen) array V8 runs for-of about 1.7× slower
// than an indexed loop (and find/some/filter slower still), and they run on every pod event.

/** The pod's Ready condition, if any. */
export function readyCondition(p: Pod): PodCondition | undefined {
  const cs = p.status?.conditions;
  if (!cs) return undefined;
  for (let i = 0; i < cs.length; i++) if (cs[i]!.type === "Ready") return cs[i];
  return undefined;
}

export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === "True";
}

/**
 * IsPodAvailable: Ready, and Ready for longer than minReadySeconds (strictly: lastTransitionTime +
 * minReadySeconds must be before now). Timestamps have whole seconds, as in a cluster.
 */
export function isPodAvailable(p: Pod, minReadySeconds: number, nowMs: number, clock: SimClock): boolean {
  const c = readyCondition(p);
  if (c?.status !== "True") return false;
  if (minReadySeconds === 0) return true;
  if (!c.lastTransitionTime) return false;
  return clock.parse(c.lastTransitionTime) + minReadySeconds * 1000 < nowMs;
}

/** The controlling ownerReference (controller: true), if any. */
export function controllerOf(obj: {
  metadata?: { ownerReferences?: readonly OwnerReference[] };
}): OwnerReference | undefined {
  const refs = obj.metadata?.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i]!.controller) return refs[i];
  return undefined;
}

/** Sum of restart counts is not what Kubernetes ranks by: it takes the largest container count. */
function maxRestarts(p: Pod): number {
  let m = 0;
  const cs = p.status?.containerStatuses ?? [];
  for (let i = 0; i < cs.length; i++) if ((cs[i]!.restartCount ?? 0) > m) m = cs[i]!.restartCount ?? 0;
  return m;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.["controller.kubernetes.io/pod-deletion-cost"];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** floor(log2(now − t)) with the age in nanoseconds, −1 when not positive (logarithmicRankDiff). */
function logBucket(nowMs: number, tMs: number): number {
  const ns = (nowMs - tMs) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/**
 * Newer first, with LogarithmicScaleDown: ages in the same power-of-two bucket tie and the UID
 * decides; a missing time counts as newest (afterOrZero). −1: a first, 1: b first, 0: same time.
 */
function newerFirst(
  ta: number | undefined,
  tb: number | undefined,
  bucketA: number,
  bucketB: number,
  uidA: string,
  uidB: string,
): number {
  if (ta === tb) return 0;
  if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
  const diff = bucketA - bucketB;
  return (diff === 0 ? uidA < uidB : diff < 0) ? -1 : 1;
}

export interface RankedPod {
  pod: Stored<Pod>;
  /** Active related pods on the same node (the rank). */
  rank: number;
}

/** What ActivePodsWithRanks reads from the pod alone (not from the time or the rank). */
interface PodDeletionFacts {
  clock: SimClock;
  unassigned: boolean;
  phase: number;
  ready: boolean;
  cost: number;
  readyMs: number | undefined;
  restarts: number;
  createdMs: number;
}

// A stored pod is frozen and every write makes a new object, so facts kept per object never go
// stale; a scale-down in steps ranks the same pods again and again (reading them cost ~1 µs a pod).
const factsByPod = new WeakMap<Pod, PodDeletionFacts>();

/** The pod's deletion facts, from the cache when the pod is frozen (a stored version). */
function deletionFacts(p: Stored<Pod>, clock: SimClock): PodDeletionFacts {
  const known = factsByPod.get(p);
  if (known !== undefined && known.clock === clock) return known;
  const facts = readDeletionFacts(p, clock);
  if (Object.isFrozen(p)) factsByPod.set(p, facts);
  return facts;
}

function readDeletionFacts(p: Stored<Pod>, clock: SimClock): PodDeletionFacts {
  const ready = isPodReady(p);
  return {
    clock,
    unassigned: !p.spec?.nodeName,
    phase: PHASE_RANK[p.status?.phase ?? ""] ?? 0,
    ready,
    cost: deletionCost(p),
    readyMs: ready ? readyTime(p, clock) : undefined,
    restarts: maxRestarts(p),
    createdMs: clock.parse(p.metadata.creationTimestamp),
  };
}

/** What ActivePodsWithRanks compares, read once per pod instead of once per comparison. */
interface DeletionKey {
  ranked: RankedPod;
  facts: PodDeletionFacts;
  readyBucket: number;
  createdBucket: number;
}

function deletionKey(r: RankedPod, nowMs: number, clock: SimClock): DeletionKey {
  const facts = deletionFacts(r.pod, clock);
  return {
    ranked: r,
    facts,
    readyBucket: facts.readyMs === undefined ? 0 : logBucket(nowMs, facts.readyMs),
    createdBucket: logBucket(nowMs, facts.createdMs),
  };
}

/**
 * ActivePodsWithRanks.Less as a three-way comparison: −1 when `a` should be deleted before `b`.
 * Rules in order: unassigned, phase Pending < Unknown < Running, not ready, lower deletion cost,
 * higher rank, ready more recently (log buckets, then UID), more restarts, created more recently
 * (log buckets, then UID). Final tie: name, so the order is total.
 */
function compareForDeletion(ka: DeletionKey, kb: DeletionKey): number {
  const a = ka.facts;
  const b = kb.facts;
  if (a.unassigned !== b.unassigned) return a.unassigned ? -1 : 1;
  if (a.phase !== b.phase) return a.phase < b.phase ? -1 : 1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost < b.cost ? -1 : 1;
  const ra = ka.ranked;
  const rb = kb.ranked;
  if (ra.rank !== rb.rank) return ra.rank > rb.rank ? -1 : 1;
  const ua = ra.pod.metadata.uid;
  const ub = rb.pod.metadata.uid;
  if (a.ready && b.ready) {
    const r = newerFirst(a.readyMs, b.readyMs, ka.readyBucket, kb.readyBucket, ua, ub);
    if (r !== 0) return r;
  }
  if (a.restarts !== b.restarts) return a.restarts > b.restarts ? -1 : 1;
  const c = newerFirst(a.createdMs, b.createdMs, ka.createdBucket, kb.createdBucket, ua, ub);
  if (c !== 0) return c;
  const na = ra.pod.metadata.name;
  const nb = rb.pod.metadata.name;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: RankedPod, b: RankedPod, nowMs: number, clock: SimClock): boolean {
  return compareForDeletion(deletionKey(a, nowMs, clock), deletionKey(b, nowMs, clock)) < 0;
}

/** The pods in deletion order (ActivePodsWithRanks), each pod's facts read once. */
export function sortForDeletion(pods: readonly RankedPod[], nowMs: number, clock: SimClock): RankedPod[] {
  const keys = pods.map((r) => deletionKey(r, nowMs, clock));
  keys.sort(compareForDeletion);
  return keys.map((k) => k.ranked);
}

function readyTime(p: Pod, clock: SimClock): number | undefined {
  const t = readyCondition(p)?.lastTransitionTime;
  return t ? clock.parse(t) : undefined;
}
