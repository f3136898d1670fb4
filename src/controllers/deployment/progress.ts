/** syncRolloutStatus and requeueStuckDeployment (pkg/controller/deployment/progress.go). */

import { byType } from "../../api/lists.js";
import { type DeploymentStatus, Reason, removeCondition, setCondition } from "./conditions.js";
import type { DeploymentSync } from "./sync.js";
import type { ReplicaSet, Stored } from "./types.js";
import * as u from "./util.js";

/**
 * Status with the Progressing condition advanced (complete, progressing or timed out). `computed`
 * is calculateStatus(allRSs, newRS) when the caller has it already (it is changed here).
 */
export function syncRolloutStatus(
  s: DeploymentSync,
  allRSs: Stored<ReplicaSet>[],
  newRS: Stored<ReplicaSet> | undefined,
  computed?: DeploymentStatus,
): void {
  const d = s.d;
  const st = computed ?? s.calculateStatus(allRSs, newRS);
  if (!u.hasProgressDeadline(d)) removeCondition(st, "Progressing");
  const current = u.getCondition(d.status, "Progressing");
  const isComplete = st.replicas === st.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (u.hasProgressDeadline(d) && !isComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (u.deploymentComplete(d, st)) {
      setCondition(
        st,
        s.cond("Progressing", "True", Reason.NewRSAvailable, `${subject} has successfully progressed.`),
      );
    } else if (u.deploymentProgressing(d, st)) {
      // Progress refreshes lastUpdateTime even with the same reason: remove, then set.
      const cond = s.cond("Progressing", "True", Reason.ReplicaSetUpdated, `${subject} is progressing.`);
      if (current) {
        if (current.status === "True") cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(st, "Progressing");
      }
      setCondition(st, cond);
    } else if (timedOut(s, st)) {
      setCondition(
        st,
        s.cond("Progressing", "False", Reason.TimedOut, `${subject} has timed out progressing.`),
      );
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) {
    setCondition(
      st,
      s.cond("ReplicaFailure", failure.status as "True", failure.reason ?? "", failure.message ?? ""),
    );
  } else removeCondition(st, "ReplicaFailure");
  const before = s.d;
  s.writeStatus(st);
  if (s.d === before) requeueStuck(s, st);
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime. */
function timedOut(s: DeploymentSync, st: ReturnType<DeploymentSync["calculateStatus"]>): boolean {
  const cond = u.getCondition(st, "Progressing");
  if (!cond || cond.reason === Reason.NewRSAvailable) return false;
  if (cond.reason === Reason.TimedOut) return true;
  if (!cond.lastUpdateTime) return false;
  const from = s.c.ctx.clock.parse(cond.lastUpdateTime);
  return from + (s.d.spec?.progressDeadlineSeconds ?? 600) * 1000 < s.now;
}

/** A stuck rollout is re-checked when its deadline would pass (plus a second, as Kubernetes does). */
function requeueStuck(s: DeploymentSync, st: ReturnType<DeploymentSync["calculateStatus"]>): void {
  const d = s.d;
  const cond = u.getCondition(d.status, "Progressing");
  if (!u.hasProgressDeadline(d) || !cond?.lastUpdateTime) return;
  if (u.deploymentComplete(d, st) || cond.reason === Reason.TimedOut) return;
  const after =
    s.c.ctx.clock.parse(cond.lastUpdateTime) + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - s.now;
  if (after < 1000) s.requeueRateLimited();
  else s.requeueAfter(after + 1000);
}

function replicaFailure(allRSs: Stored<ReplicaSet>[], newRS: Stored<ReplicaSet> | undefined) {
  const find = (rs: Stored<ReplicaSet>) => byType(rs.status?.conditions, "ReplicaFailure");
  if (newRS) {
    const c = find(newRS);
    if (c) return c;
  }
  for (const rs of allRSs) {
    const c = find(rs);
    if (c) return c;
  }
  return undefined;
}
