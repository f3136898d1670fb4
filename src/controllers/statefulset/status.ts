/**
 * StatefulSet status (stateful_set_control.go: computeReplicaStatus, updateStatefulSetStatus;
 * stateful_set_utils.go: completeRollingUpdate, inconsistentStatus) and the pod predicates the
 * controller decides by.
 */
import type { ApiServer } from "../../api/apiserver.js";
import { ApiError } from "../../api/errors.js";
import type { SimClock } from "../../api/time.js";
import type { KubeObject, Mutable, Pod, StatefulSet, Stored } from "../../api/types.js";
import { isPodAvailable, isPodReady } from "../pod-utils.js";
import { REVISION_LABEL, replicasOf } from "./identity.js";

type Status = Mutable<NonNullable<StatefulSet["status"]>>;

/** isCreated: the pod exists in the apiserver (placeholders for missing ordinals have no phase). */
export const isCreated = (p: Pod): boolean => (p.status?.phase ?? "") !== "";
/** isTerminating: the pod has a deletionTimestamp. */
export const isTerminating = (p: Pod): boolean => p.metadata?.deletionTimestamp != null;
/** isRunningAndReady. */
export const isRunningAndReady = (p: Pod): boolean => p.status?.phase === "Running" && isPodReady(p);
/**
 * isHealthy: Running, Ready and not terminating. (Kubernetes after v1.33 counts availability
 * after minReadySeconds here, PR #130909; v1.33 still uses readiness.)
 */
export const isHealthy = (p: Pod): boolean => isRunningAndReady(p) && !isTerminating(p);

/** The pod's revision: its controller-revision-hash label. */
export const podRevision = (p: Pod): string => p.metadata?.labels?.[REVISION_LABEL] ?? "";

/** computeReplicaStatus over every list given (in-range replicas and condemned pods). */
export function computeStatus(
  status: Status,
  minReadySeconds: number,
  nowMs: number,
  clock: SimClock,
  currentRevision: string,
  updateRevision: string,
  ...lists: readonly Pod[][]
): void {
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const list of lists) {
    for (const p of list) {
      const created = isCreated(p);
      if (created) replicas++;
      if (isRunningAndReady(p)) {
        ready++;
        if (isPodAvailable(p, minReadySeconds, nowMs, clock)) available++;
      }
      if (created && !isTerminating(p)) {
        const rev = podRevision(p);
        if (rev === currentRevision) current++;
        if (rev === updateRevision) updated++;
      }
    }
  }
  status.replicas = replicas;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  status.currentReplicas = current;
  status.updatedReplicas = updated;
}

/** completeRollingUpdate: every replica updated and ready → the update revision becomes current. */
export function completeRollingUpdate(set: StatefulSet, status: Status): void {
  const want = replicasOf(set);
  if (
    set.spec?.updateStrategy?.type === "RollingUpdate" &&
    status.updatedReplicas === want &&
    status.readyReplicas === want &&
    status.replicas === want
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** inconsistentStatus: whether the computed status differs from the stored one in a field that counts. */
export function inconsistentStatus(set: StatefulSet, status: Status): boolean {
  const s: Partial<Status> = set.status ?? {};
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    status.replicas !== (s.replicas ?? 0) ||
    status.currentReplicas !== (s.currentReplicas ?? 0) ||
    status.readyReplicas !== (s.readyReplicas ?? 0) ||
    status.updatedReplicas !== (s.updatedReplicas ?? 0) ||
    status.currentRevision !== (s.currentRevision ?? "") ||
    status.availableReplicas !== (s.availableReplicas ?? 0) ||
    status.updateRevision !== (s.updateRevision ?? "")
  );
}

/** updateStatefulSetStatus: completes a finished rolling update, then writes status if it changed. */
export function writeStatus(
  api: ApiServer,
  set: Stored<StatefulSet>,
  status: Status,
): Stored<StatefulSet> | undefined {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return set;
  try {
    return api.mutate<StatefulSet>(
      "StatefulSet",
      set.metadata.namespace,
      set.metadata.name,
      (d) => {
        const st = ((d as KubeObject).status ??= {}) as Status;
        // Only the fields the controller owns: conditions (none are set in v1.33) stay.
        st.observedGeneration = status.observedGeneration;
        st.replicas = status.replicas;
        st.readyReplicas = status.readyReplicas;
        st.currentReplicas = status.currentReplicas;
        st.updatedReplicas = status.updatedReplicas;
        st.availableReplicas = status.availableReplicas;
        st.currentRevision = status.currentRevision;
        st.updateRevision = status.updateRevision;
        st.collisionCount = status.collisionCount;
      },
      { subresource: "status" },
    );
  } catch (e) {
    if (e instanceof ApiError && e.reason === "NotFound") return undefined;
    throw e;
  }
}
