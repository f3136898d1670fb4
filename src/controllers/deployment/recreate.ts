import { syncRolloutStatus } from "./progress.js";
import type { DeploymentSync } from "./sync.js";
import type { ReplicaSet, Stored } from "./types.js";
import * as u from "./util.js";

export function rolloutRecreate(s: DeploymentSync): void {
  let { newRS, oldRSs } = s.newAndOld(false);
  const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  oldRSs = oldRSs.map((rs) => {
    if ((rs.spec?.replicas ?? 0) === 0) return rs;
    const r = s.scaleTo(rs, 0);
    scaledDown ||= r.scaled;
    return r.rs;
  });
  if (scaledDown || oldPodsRunning(s, newRS, oldRSs)) {
    syncRolloutStatus(s, all(), newRS);
    return;
  }
  if (!newRS) ({ newRS, oldRSs } = s.newAndOld(true));
  if (newRS) newRS = s.scaleTo(newRS, u.replicasOf(s.d)).rs;
  if (u.deploymentComplete(s.d, s.d.status ?? {})) s.cleanupDeployment(oldRSs);
  syncRolloutStatus(s, all(), newRS);
}

/** oldPodsRunning: any old RS reports pods, or any pod of an old RS is not Succeeded/Failed. */
function oldPodsRunning(
  s: DeploymentSync,
  newRS: Stored<ReplicaSet> | undefined,
  oldRSs: Stored<ReplicaSet>[],
): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  for (const rs of oldRSs) {
    if (rs === newRS) continue;
    for (const p of s.c.pods.list({ ownerUid: rs.metadata.uid })) {
      const phase = p.status?.phase;
      if (phase !== "Failed" && phase !== "Succeeded") return true;
    }
  }
  return false;
}
