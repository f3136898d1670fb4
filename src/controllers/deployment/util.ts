/**
 * Pure Deployment arithmetic (pkg/controller/deployment/util/deployment_util.go): fenceposts,
 * surge and unavailability, how many new pods, proportions when scaling mid-rollout, revisions,
 * conditions and completeness.
 */
import { deepCopy } from "../../api/copy.js";
import { getScaledValueFromIntOrPercent } from "../../api/intstr.js";
import { byType } from "../../api/lists.js";
import type { Deployment, DeploymentCondition, ReplicaSet, Stored } from "./types.js";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH = "pod-template-hash";

const isRolling = (d: Deployment) => (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
export const replicasOf = (x: { spec?: { replicas?: number } }) => x.spec?.replicas ?? 1;
const rsReplicas = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;

/** ResolveFenceposts: surge rounds up, unavailable rounds down; both 0 → unavailable 1. */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

// Fenceposts of frozen (stored) specs: every sync asks for them several times, and a spec keeps
// its identity across status writes.
const fencepostsBySpec = new WeakMap<object, { surge: number; unavailable: number }>();

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const spec = d.spec;
  if (!spec || !Object.isFrozen(spec)) return fencepostsOf(d);
  let f = fencepostsBySpec.get(spec);
  if (f === undefined) fencepostsBySpec.set(spec, (f = fencepostsOf(d)));
  return f;
}

function fencepostsOf(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d));
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  return isRolling(d) ? fenceposts(d).surge : 0;
}

/** MinAvailable = replicas − MaxUnavailable (0 for Recreate). */
export function minAvailable(d: Deployment): number {
  return isRolling(d) ? replicasOf(d) - maxUnavailable(d) : 0;
}

/** NewRSNewReplicas: how large the new ReplicaSet may be now. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRolling(d)) return replicasOf(d);
  const surge = fenceposts(d).surge;
  const current = allRSs.reduce((n, rs) => n + rsReplicas(rs), 0);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** Go's math.Round: half away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function nonNegativeInt32Annotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n <= 2147483647 ? n : undefined;
}

/** getReplicaSetFraction: this RS's share of a resize, from its max-replicas annotation. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -rsReplicas(rs);
  const deploymentMax = replicasOf(d) + maxSurge(d);
  let before = nonNegativeInt32Annotation(rs, MAX_REPLICAS);
  if (before === undefined || before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  return roundHalfAway((rsReplicas(rs) * deploymentMax) / before) - rsReplicas(rs);
}

/** GetReplicaSetProportion: bounded by what is left to add (or remove). */
export function replicaSetProportion(
  rs: ReplicaSet | undefined,
  d: Deployment,
  toAdd: number,
  added: number,
): number {
  if (!rs || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/** The revision number of a ReplicaSet (0 when missing or malformed). */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata?.annotations?.[REVISION];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

export function maxRevision(rss: ReplicaSet[]): number {
  let m = 0;
  for (const rs of rss) m = Math.max(m, revisionOf(rs));
  return m;
}

/** Oldest first by creationTimestamp, then name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: Stored<ReplicaSet>, b: Stored<ReplicaSet>): number {
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** ReplicaSetsBySizeNewer (size desc, then newer first) and BySizeOlder (then older first). */
export function bySizeThen(newer: boolean) {
  return (a: Stored<ReplicaSet>, b: Stored<ReplicaSet>): number => {
    const d = rsReplicas(b) - rsReplicas(a);
    if (d !== 0) return d;
    return newer ? byCreation(b, a) : byCreation(a, b);
  };
}

// Keys of frozen (stored, immutable) templates per canonicaliser: syncs compare the same templates again and again.
const templateKeys = new WeakMap<(v: unknown) => string, WeakMap<object, string>>();

/** Template equality ignoring the pod-template-hash label (EqualIgnoreHash). */
export function templateKeyIgnoringHash(t: unknown, canonical: (v: unknown) => string): string {
  if (t === null || typeof t !== "object" || !Object.isFrozen(t)) return templateKeyOf(t, canonical);
  let byTemplate = templateKeys.get(canonical);
  if (!byTemplate) templateKeys.set(canonical, (byTemplate = new WeakMap()));
  let k = byTemplate.get(t);
  if (k === undefined) byTemplate.set(t, (k = templateKeyOf(t, canonical)));
  return k;
}

function templateKeyOf(t: unknown, canonical: (v: unknown) => string): string {
  const copy = deepCopy((t ?? {}) as Record<string, any>);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return canonical(copy);
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Deployment, st: NonNullable<Deployment["status"]>): boolean {
  const want = replicasOf(d);
  return (
    (st.updatedReplicas ?? 0) === want &&
    (st.replicas ?? 0) === want &&
    (st.availableReplicas ?? 0) === want &&
    (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** DeploymentProgressing: compared with the stored status, did anything move forward? */
export function deploymentProgressing(d: Deployment, next: NonNullable<Deployment["status"]>): boolean {
  const old = d.status ?? {};
  const oldStatus = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newStatus = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newStatus < oldStatus ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

export function getCondition(
  st: { conditions?: DeploymentCondition[] } | undefined,
  type: string,
): DeploymentCondition | undefined {
  return byType(st?.conditions, type);
}

/** Whether the progress deadline is set (not nil and not MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const pds = d.spec?.progressDeadlineSeconds;
  return pds !== undefined && pds !== 2147483647;
}
