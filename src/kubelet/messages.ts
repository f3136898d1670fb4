/** The kubelet's Event reasons and message formats (v1.33 wording), in one place. */
import { formatDurationMs } from "../engine/duration.js";

/** format.Pod: `name_namespace(uid)`. */
export function formatPod(name: string, namespace: string, uid: string): string {
  // Joined, not a template: a template's pieces are kept (workers keep this for the pod's life).
  return [name, "_", namespace, "(", uid, ")"].join("");
}

export const msg = {
  pulling: (image: string) => `Pulling image "${image}"`,
  pulled: (image: string, pullMs: number, totalMs: number, sizeBytes: number) =>
    `Successfully pulled image "${image}" in ${formatDurationMs(pullMs)} (${formatDurationMs(totalMs)} including waiting). Image size: ${sizeBytes} bytes.`,
  alreadyPresent: (image: string) => `Container image "${image}" already present on machine`,
  neverPull: (image: string) => `Container image "${image}" is not present with pull policy of Never`,
  pullFailed: (image: string, err: string) => `Failed to pull image "${image}": ${err}`,
  pullBackOff: (image: string) => `Back-off pulling image "${image}"`,
  /** The Warning `Failed` event that follows a failed start (kuberuntime_container.go startContainer). */
  startError: (reason: string) => `Error: ${reason}`,
  created: (container: string) => `Created container: ${container}`,
  started: (container: string) => `Started container ${container}`,
  stopping: (container: string) => `Stopping container ${container}`,
  crashBackOffEvent: (container: string, pod: string) =>
    `Back-off restarting failed container ${container} in pod ${pod}`,
  crashBackOffWaiting: (backoffMs: number, container: string, pod: string) =>
    `back-off ${formatGoDuration(backoffMs)} restarting failed container=${container} pod=${pod}`,
  probeFailed: (type: ProbeType, output: string) => `${type} probe failed: ${output}`,
  probeKill: (container: string, type: "liveness" | "startup", restart: boolean) =>
    `Container ${container} failed ${type} probe${restart ? ", will be restarted" : ""}`,
  postStartFailed: "PostStartHook failed",
  preStopFailed: "PreStopHook failed",
  nodeStatus: (node: string, event: string) => `Node ${node} status is now: ${event}`,
  rejected: (message: string) => `Pod was rejected: ${message}`,
  unknownAfterTermination: "The container could not be located when the pod was terminated",
} as const;

export type ProbeType = "Liveness" | "Readiness" | "Startup";

/** Go's time.Duration String for whole seconds and minutes (`10s`, `5m0s`, `2m40s`). */
export function formatGoDuration(ms: number): string {
  const totalS = Math.floor(ms / 1000);
  if (totalS < 60 || ms % 1000 !== 0) return formatDurationMs(ms);
  const m = Math.floor(totalS / 60);
  return `${m}m${totalS % 60}s`;
}
