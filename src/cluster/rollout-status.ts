/** kubectl rollout status, word for word (polymorphichelpers/rollout_status.go). */
import type { Deployment, StatefulSet, Stored } from "../api/types.js";

export interface RolloutStatus {
  message: string;
  done: boolean;
  error: boolean;
}

/** The message `kubectl rollout status deployment/NAME` prints for this state of the Deployment. */
export function deploymentRolloutStatus(d: Stored<Deployment>): RolloutStatus {
  const name = d.metadata.name;
  const st = d.status ?? {};
  const spec: { replicas?: number } = d.spec ?? {};
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) {
    return { message: "Waiting for deployment spec update to be observed...", done: false, error: false };
  }
  const progressing = st.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return {
      message: `error: deployment "${name}" exceeded its progress deadline`,
      done: false,
      error: true,
    };
  }
  const want = spec.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const replicas = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const wait = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < want)
    return {
      message: `${wait}${updated} out of ${want} new replicas have been updated...`,
      done: false,
      error: false,
    };
  if (replicas > updated)
    return {
      message: `${wait}${replicas - updated} old replicas are pending termination...`,
      done: false,
      error: false,
    };
  if (available < updated)
    return {
      message: `${wait}${available} of ${updated} updated replicas are available...`,
      done: false,
      error: false,
    };
  return { message: `deployment "${name}" successfully rolled out`, done: true, error: false };
}

/** The message `kubectl rollout status statefulset/NAME` prints (StatefulSetStatusViewer.Status). */
export function statefulSetRolloutStatus(sts: Stored<StatefulSet>): RolloutStatus {
  const spec = sts.spec;
  const st = sts.status;
  if (spec?.updateStrategy?.type !== "RollingUpdate") {
    return {
      message: "error: rollout status is only available for RollingUpdate strategy type",
      done: true,
      error: true,
    };
  }
  const wait = (message: string): RolloutStatus => ({ message, done: false, error: false });
  const observed = st?.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata.generation ?? 0) > observed)
    return wait("Waiting for statefulset spec update to be observed...");
  const replicas = spec.replicas;
  const ready = st?.readyReplicas ?? 0;
  const updated = st?.updatedReplicas ?? 0;
  if (replicas !== undefined && ready < replicas)
    return wait(`Waiting for ${replicas - ready} pods to be ready...`);
  const ru = spec.updateStrategy.rollingUpdate;
  if (ru) {
    const partition = ru.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return wait(
        `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      );
    }
    return {
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
      done: true,
      error: false,
    };
  }
  if (st?.updateRevision !== st?.currentRevision)
    return wait(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${st?.updateRevision}...`,
    );
  return {
    message: `statefulset rolling update complete ${st?.currentReplicas ?? 0} pods at revision ${st?.currentRevision}...`,
    done: true,
    error: false,
  };
}
