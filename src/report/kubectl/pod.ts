/**
 * The `kubectl get pods` row: READY, STATUS and RESTARTS derived the way kubectl's printPod does
 * (pkg/printers/internalversion/printers.go), summarised in k8s-semantics.md §5.8.
 */
import type { ContainerStatus, Pod } from "../../api/types.js";
import { humanDuration, type TimestampParser } from "./age.js";

/** The reason the node lifecycle controller sets on pods of an unreachable node (node.NodeUnreachablePodReason). */
const NODE_LOST_REASON = "NodeLost";

/** What printPod derives from a pod's status; `lastRestartMs` is undefined when no restart is recorded. */
export interface PodSummary {
  ready: number;
  total: number;
  status: string;
  restarts: number;
  lastRestartMs: number | undefined;
}

interface Tally {
  reason: string;
  ready: number;
  restarts: number;
  lastRestartMs: number | undefined;
  /** Restarts of restartable init containers (sidecars) seen while walking the init containers. */
  sidecarRestarts: number;
  sidecarLastRestartMs: number | undefined;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b > a ? b : a;
}

function lastTerminationMs(c: ContainerStatus, clock: TimestampParser): number | undefined {
  const finishedAt = c.lastState?.terminated?.finishedAt;
  return finishedAt ? clock.parse(finishedAt) : undefined;
}

function hasTrueCondition(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** `Init:…` reasons: walks init containers in order and stops at the first one not done. */
function initReason(pod: Pod, t: Tally, restartable: Set<string>, clock: TimestampParser): boolean {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? 0;
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i]!;
    t.restarts += c.restartCount ?? 0;
    t.lastRestartMs = later(t.lastRestartMs, lastTerminationMs(c, clock));
    if (restartable.has(c.name)) {
      t.sidecarRestarts += c.restartCount ?? 0;
      t.sidecarLastRestartMs = later(t.sidecarLastRestartMs, lastTerminationMs(c, clock));
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable.has(c.name) && c.started === true) {
      if (c.ready) t.ready++;
      continue;
    }
    if (term) {
      if (term.reason) t.reason = `Init:${term.reason}`;
      else t.reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      t.reason = `Init:${waiting.reason}`;
    } else {
      t.reason = `Init:${i}/${total}`;
    }
    return true;
  }
  return false;
}

/** Regular containers, from the last to the first: the first one found waiting or terminated sets the reason. */
function containerReason(pod: Pod, t: Tally, clock: TimestampParser): void {
  const statuses = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    t.restarts += c.restartCount ?? 0;
    t.lastRestartMs = later(t.lastRestartMs, lastTerminationMs(c, clock));
    const waiting = c.state?.waiting;
    const term = c.state?.terminated;
    if (waiting?.reason) t.reason = waiting.reason;
    else if (term?.reason) t.reason = term.reason;
    else if (term) t.reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
    else if (c.ready && c.state?.running) {
      hasRunning = true;
      t.ready++;
    }
  }
  // A pod whose last container completed but another still runs is shown as running.
  if (t.reason === "Completed" && hasRunning)
    t.reason = hasTrueCondition(pod, "Ready") ? "Running" : "NotReady";
}

/** READY, STATUS and RESTARTS of a pod, as kubectl derives them. */
export function summarizePod(pod: Pod, clock: TimestampParser): PodSummary {
  const phase = pod.status?.phase ?? "";
  let reason: string = pod.status?.reason || phase;
  for (const c of pod.status?.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  const restartable = new Set<string>();
  let total = pod.spec?.containers?.length ?? 0;
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === "Always") {
      restartable.add(c.name);
      total++;
    }
  }
  const t: Tally = {
    reason,
    ready: 0,
    restarts: 0,
    lastRestartMs: undefined,
    sidecarRestarts: 0,
    sidecarLastRestartMs: undefined,
  };
  const initializing = initReason(pod, t, restartable, clock);
  if (!initializing || hasTrueCondition(pod, "Initialized")) {
    // Once initialized, only sidecar restarts count beside the regular containers' (as printPod does).
    t.restarts = t.sidecarRestarts;
    t.lastRestartMs = t.sidecarLastRestartMs;
    containerReason(pod, t, clock);
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === NODE_LOST_REASON) t.reason = "Unknown";
  else if (pod.metadata?.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed")
    t.reason = "Terminating";
  return { ready: t.ready, total, status: t.reason, restarts: t.restarts, lastRestartMs: t.lastRestartMs };
}

/** `3 (45s ago)` when the last restart time is known, else just the count. */
export function formatRestarts(s: PodSummary, nowMs: number): string {
  if (s.restarts === 0 || s.lastRestartMs === undefined) return String(s.restarts);
  return `${s.restarts} (${humanDuration(nowMs - s.lastRestartMs)} ago)`;
}
