/** The RollingUpdate strategy (pkg/controller/deployment/rolling.go), one step per sync. */
import { SyncError } from "../workqueue.js";
import { syncRolloutStatus } from "./progress.js";
import type { DeploymentSync } from "./sync.js";
import type { ReplicaSet, Stored } from "./types.js";
import * as u from "./util.js";

const replicas = (rs: ReplicaSet | undefined) => rs?.spec?.replicas ?? 0;
const available = (rs: ReplicaSet | undefined) => rs?.status?.availableReplicas ?? 0;

/** rolloutRolling: scale the new RS up if possible, else old ones down; clean up when complete. */
export function rolloutRolling(s: DeploymentSync): void {
  let { newRS, oldRSs } = s.newAndOld(true);
  const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
  if (newRS) {
    const r = reconcileNewReplicaSet(s, all(), newRS);
    newRS = r.rs;
    if (r.scaled) {
      syncRolloutStatus(s, all(), newRS);
      return;
    }
  }
  const r = reconcileOldReplicaSets(s, all(), oldRSs, newRS);
  oldRSs = r.oldRSs;
  if (r.scaled) {
    syncRolloutStatus(s, all(), newRS);
    return;
  }
  if (u.deploymentComplete(s.d, s.d.status ?? {})) {
    s.cleanupDeployment(oldRSs);
    syncRolloutStatus(s, all(), newRS);
    return;
  }
  // Nothing written since: the status computed for the wait check is the one to sync.
  const st = newRS ? s.calculateStatus(all(), newRS) : undefined;
  if (newRS && st && !u.deploymentComplete(s.d, st)) s.step("wait", waitReason(s, all(), newRS));
  syncRolloutStatus(s, all(), newRS, st);
}

/** Why this sync could neither add new pods nor remove old ones (the fenceposts that bind). */
function waitReason(s: DeploymentSync, allRSs: Stored<ReplicaSet>[], newRS: Stored<ReplicaSet>): string {
  const want = u.replicasOf(s.d);
  const total = allRSs.reduce((n, rs) => n + replicas(rs), 0);
  const availableNow = allRSs.reduce((n, rs) => n + available(rs), 0);
  const minAvailable = want - u.maxUnavailable(s.d);
  const newUnavailable = replicas(newRS) - available(newRS);
  const parts = [`available ${availableNow}/${want}`];
  if (replicas(newRS) < want)
    parts.push(`cannot add: ${total} pods ≥ replicas + maxSurge = ${want + u.maxSurge(s.d)}`);
  if (newUnavailable > 0) parts.push(`${newUnavailable} new pod(s) not available yet`);
  if (total > replicas(newRS))
    parts.push(`cannot remove old: available ${availableNow} ≤ minAvailable ${minAvailable}`);
  return `waiting — ${parts.join("; ")}`;
}

function reconcileNewReplicaSet(s: DeploymentSync, allRSs: Stored<ReplicaSet>[], newRS: Stored<ReplicaSet>) {
  const want = u.replicasOf(s.d);
  if (replicas(newRS) === want) return { scaled: false, rs: newRS };
  if (replicas(newRS) > want) return s.scaleTo(newRS, want);
  return s.scaleTo(newRS, u.newRSNewReplicas(s.d, allRSs, newRS));
}

/** reconcileOldReplicaSets: first unhealthy old pods, then down to minAvailable. */
function reconcileOldReplicaSets(
  s: DeploymentSync,
  allRSs: Stored<ReplicaSet>[],
  oldRSs: Stored<ReplicaSet>[],
  newRS: Stored<ReplicaSet> | undefined,
): { scaled: boolean; oldRSs: Stored<ReplicaSet>[] } {
  const active = oldRSs.filter((rs) => replicas(rs) > 0);
  if (active.reduce((n, rs) => n + replicas(rs), 0) === 0) return { scaled: false, oldRSs };
  const allPods = allRSs.reduce((n, rs) => n + replicas(rs), 0);
  const minAvailable = u.replicasOf(s.d) - u.maxUnavailable(s.d);
  const newUnavailable = replicas(newRS) - available(newRS);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { scaled: false, oldRSs };
  const replaced = new Map<Stored<ReplicaSet>, Stored<ReplicaSet>>();
  const cleaned = cleanupUnhealthyReplicas(s, active, maxScaledDown, replaced);
  const latest = (rs: Stored<ReplicaSet>) => replaced.get(rs) ?? rs;
  const activeNow = active.map(latest);
  const downNow = scaleDownForRollingUpdate(
    s,
    [...activeNow, ...(newRS ? [newRS] : [])],
    activeNow,
    replaced,
  );
  return { scaled: cleaned + downNow > 0, oldRSs: oldRSs.map(latest) };
}

/** cleanupUnhealthyReplicas: scale away pods of old RSs that are not available, oldest RS first. */
function cleanupUnhealthyReplicas(
  s: DeploymentSync,
  oldRSs: Stored<ReplicaSet>[],
  maxCleanup: number,
  replaced: Map<Stored<ReplicaSet>, Stored<ReplicaSet>>,
): number {
  let total = 0;
  for (const rs of [...oldRSs].sort(u.byCreation)) {
    if (total >= maxCleanup) break;
    if (replicas(rs) === 0) continue;
    if (replicas(rs) === available(rs)) continue;
    const n = Math.min(maxCleanup - total, replicas(rs) - available(rs));
    // Status can report more available pods than the spec now asks for (spec was just lowered);
    // Kubernetes refuses to "clean up" upwards and retries the sync later.
    if (n < 0) {
      throw new SyncError(
        `when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas(rs)} -> ${replicas(rs) - n}`,
      );
    }
    const r = s.scaleTo(rs, replicas(rs) - n);
    replaced.set(rs, r.rs);
    total += n;
  }
  return total;
}

/** scaleDownOldReplicaSetsForRollingUpdate: keep at least minAvailable available pods. */
function scaleDownForRollingUpdate(
  s: DeploymentSync,
  allRSs: Stored<ReplicaSet>[],
  oldRSs: Stored<ReplicaSet>[],
  replaced: Map<Stored<ReplicaSet>, Stored<ReplicaSet>>,
): number {
  const minAvailable = u.replicasOf(s.d) - u.maxUnavailable(s.d);
  const availableNow = allRSs.reduce((n, rs) => n + available(rs), 0);
  if (availableNow <= minAvailable) return 0;
  const totalScaleDown = availableNow - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(u.byCreation)) {
    if (total >= totalScaleDown) break;
    if (replicas(rs) === 0) continue;
    const n = Math.min(replicas(rs), totalScaleDown - total);
    const orig = [...replaced.entries()].find(([, v]) => v === rs)?.[0] ?? rs;
    replaced.set(orig, s.scaleTo(rs, replicas(rs) - n).rs);
    total += n;
  }
  return total;
}
