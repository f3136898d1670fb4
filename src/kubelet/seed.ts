/** A new worker for a pod that already ran on this node (the kubelet restarted after a node crash): carry its history over. */
import type { ContainerStatus, Pod, Stored } from "../api/types.js";
import type { TerminatedInfo } from "./container-record.js";
import type { PodWorker } from "./pod-worker.js";

/**
 * Takes restart counts, last states and the start time from the pod's status. Containers that were
 * running when the node died show `terminated: Unknown, exit code 255` as their last state.
 */
export function seedWorker(w: PodWorker, pod: Stored<Pod>): void {
  const clock = w.kubelet.cluster.clock;
  const st = pod.status;
  if (st?.startTime) w.startTimeMs = clock.parse(st.startTime);
  const all: ContainerStatus[] = [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? [])];
  for (const r of w.records) {
    const s = all.find((x) => x.name === r.spec.name);
    if (!s) continue;
    const last = lastRun(s, w.kubelet.nowMs, (ts) => clock.parse(ts));
    if (!last) {
      r.restartCount = s.restartCount ?? 0;
      continue;
    }
    r.restartCount = (s.restartCount ?? 0) + 1;
    r.previous = last;
  }
}

function lastRun(
  s: ContainerStatus,
  nowMs: number,
  parse: (ts: string) => number,
): TerminatedInfo | undefined {
  const t = s.state?.terminated;
  if (t) {
    return {
      exitCode: t.exitCode,
      reason: t.reason ?? "Error",
      startedAtMs: t.startedAt ? parse(t.startedAt) : nowMs,
      finishedAtMs: t.finishedAt ? parse(t.finishedAt) : nowMs,
      containerId: t.containerID ?? s.containerID ?? "",
    };
  }
  const running = s.state?.running;
  if (running) {
    return {
      exitCode: 255,
      reason: "Unknown",
      startedAtMs: running.startedAt ? parse(running.startedAt) : nowMs,
      finishedAtMs: nowMs,
      containerId: s.containerID ?? "",
    };
  }
  return undefined;
}
