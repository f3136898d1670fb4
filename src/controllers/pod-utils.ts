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

/** The pod's Ready condition, if any. */
export function readyCondition(p: Pod): PodCondition | undefined {
  const cs = p.status?.conditions;
  if (!cs) return undefined;
  for (const c of cs) if (c.type === "Ready") return c;
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
  for (const r of refs) if (r.controller) return r;
  return undefined;
}

/** Sum of restart counts is not what Kubernetes ranks by: it takes the largest container count. */
function maxRestarts(p: Pod): number {
  let m = 0;
  for (const c of p.status?.containerStatuses ?? []) if ((c.restartCount ?? 0) > m) m = c.restartCount ?? 0;
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
 * decides; a missing time counts as newest (afterOrZero).
 */
function newerFirst(
  ta: number | undefined,
  tb: number | undefined,
  uidA: string,
  uidB: string,
  nowMs: number,
): boolean {
  if (ta === undefined || tb === undefined) return ta === undefined;
  const diff = logBucket(nowMs, ta) - logBucket(nowMs, tb);
  return diff === 0 ? uidA < uidB : diff < 0;
}

export interface RankedPod {
  pod: Stored<Pod>;
  /** Active related pods on the same node (the rank). */
  rank: number;
}

/**
 * ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. Rules in order:
 * unassigned, phase Pending < Unknown < Running, not ready, lower deletion cost, higher rank,
 * ready more recently (log buckets, then UID), more restarts, created more recently (log buckets,
 * then UID). Final tie: name, so the order is total.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, nowMs: number, clock: SimClock): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? "";
  const nb = pb.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "";
  const ra = PHASE_RANK[pa.status?.phase ?? ""] ?? 0;
  const rb = PHASE_RANK[pb.status?.phase ?? ""] ?? 0;
  if (ra !== rb) return ra < rb;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return !readyA;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (readyA && readyB) {
    const ta = readyTime(pa, clock);
    const tb = readyTime(pb, clock);
    if (ta !== tb) return newerFirst(ta, tb, pa.metadata.uid, pb.metadata.uid, nowMs);
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa !== xb) return xa > xb;
  const cta = clock.parse(pa.metadata.creationTimestamp);
  const ctb = clock.parse(pb.metadata.creationTimestamp);
  if (cta !== ctb) return newerFirst(cta, ctb, pa.metadata.uid, pb.metadata.uid, nowMs);
  return pa.metadata.name < pb.metadata.name;
}

function readyTime(p: Pod, clock: SimClock): number | undefined {
  const t = readyCondition(p)?.lastTransitionTime;
  return t ? clock.parse(t) : undefined;
}
