/** kubectl rollout status, word for word (polymorphichelpers/rollout_status.go). */
import type { Deployment, Stored } from "../api/types.js";

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
