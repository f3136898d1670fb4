/** Deployment conditions (deployment_util.go: NewDeploymentCondition, SetDeploymentCondition). */

import { byType } from "../../api/lists.js";
import type { Mutable } from "../../api/types.js";
import type { Deployment, DeploymentCondition } from "./types.js";

export type DeploymentStatus = Mutable<NonNullable<Deployment["status"]>>;
export type Condition = Mutable<DeploymentCondition>;

export const Reason = {
  NewRSAvailable: "NewReplicaSetAvailable",
  TimedOut: "ProgressDeadlineExceeded",
  ReplicaSetUpdated: "ReplicaSetUpdated",
  NewRSCreated: "NewReplicaSetCreated",
  FoundNewRS: "FoundNewReplicaSet",
  FailedRSCreate: "ReplicaSetCreateError",
  Paused: "DeploymentPaused",
  Resumed: "DeploymentResumed",
  MinimumReplicasAvailable: "MinimumReplicasAvailable",
  MinimumReplicasUnavailable: "MinimumReplicasUnavailable",
} as const;

export function newCondition(
  type: string,
  status: "True" | "False" | "Unknown",
  reason: string,
  message: string,
  ts: string,
): Condition {
  return { type, status, lastUpdateTime: ts, lastTransitionTime: ts, reason, message };
}

/** No-op when status and reason are unchanged; keeps lastTransitionTime when only the reason changes. */
export function setCondition(st: DeploymentStatus, cond: Condition): void {
  const cur = byType(st.conditions, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond.lastTransitionTime = cur.lastTransitionTime;
  st.conditions = [...(st.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(st: DeploymentStatus, type: string): void {
  if (!st.conditions?.some((c) => c.type === type)) return;
  st.conditions = st.conditions.filter((c) => c.type !== type);
}
