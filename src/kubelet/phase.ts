/** Pure pod phase and condition rules (kubelet_pods.go getPhase, status/generate.go), over status JSON. */
import type { ContainerStatus, PodCondition, PodSpec } from "../api/types.js";

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

/** The spec fields the rules read. */
export type PhaseSpec = Pick<PodSpec, "containers" | "initContainers" | "restartPolicy" | "readinessGates">;

// An indexed loop, not find(): the statuses are often the stored (frozen) ones, and find() on a
// frozen array takes V8's slow path (~4× slower in Node 20); this runs several times per status write.
function byName(statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  for (let i = 0; i < statuses.length; i++) if (statuses[i]!.name === name) return statuses[i];
  return undefined;
}

/** An init container with restartPolicy Always: a sidecar. */
export function isSidecar(c: { restartPolicy?: string }): boolean {
  return c.restartPolicy === "Always";
}

/** HasAnyRegularContainerStarted: a regular container is running or has terminated. */
export function anyRegularContainerStarted(spec: PhaseSpec, statuses: readonly ContainerStatus[]): boolean {
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (s?.state?.running || s?.state?.terminated) return true;
  }
  return false;
}

// Counts of getPhase over init containers: regular ones pending/failed, sidecars pending.
function countInit(spec: PhaseSpec, statuses: readonly ContainerStatus[]) {
  let pendingInit = 0;
  let failedInit = 0;
  let pendingSidecars = 0;
  let running = 0;
  let waiting = 0;
  let unknown = 0;
  for (const c of spec.initContainers ?? []) {
    const s = byName(statuses, c.name);
    const st = s?.state;
    if (isSidecar(c)) {
      if (!s) unknown++;
      else if (st?.running) {
        if (!s.started) pendingSidecars++;
        running++;
      } else if (st?.waiting && !s.lastState?.terminated) {
        pendingSidecars++;
        waiting++;
      } else if (!st?.terminated && !st?.waiting) {
        pendingSidecars++;
        unknown++;
      }
      continue;
    }
    if (!s || st?.running) pendingInit++;
    else if (st?.terminated) {
      if (st.terminated.exitCode !== 0) failedInit++;
    } else if (st?.waiting) {
      const last = s.lastState?.terminated;
      if (!last) pendingInit++;
      else if (last.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  return { pendingInit, failedInit, pendingSidecars, running, waiting, unknown };
}

/**
 * getPhase (v1.33, no alpha gates): the pod phase from its container statuses, the restart policy,
 * whether the pod is terminal (being deleted or evicted) and whether it has initialized before.
 */
export function getPhase(
  spec: PhaseSpec,
  statuses: readonly ContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): PodPhase {
  const init = countInit(spec, statuses);
  let { running, waiting, unknown } = init;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    const st = s?.state;
    if (!s) unknown++;
    else if (st?.running) running++;
    else if (st?.terminated) {
      stopped++;
      if (st.terminated.exitCode === 0) succeeded++;
    } else if (st?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = spec.restartPolicy ?? "Always";
  if (init.failedInit > 0 && policy === "Never") return "Failed";
  if (init.pendingInit > 0 || (init.pendingSidecars > 0 && !podHasInitialized) || waiting > 0)
    return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    // A terminal pod's containers will not restart whatever the policy (since 1.27).
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

/** A condition as generated (transition times are added by the status writer). */
export interface GeneratedCondition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
}

const list = (names: string[]) => `[${names.join(" ")}]`;

/** GenerateContainersReadyCondition. `statuses` holds init and regular container statuses. */
export function containersReadyCondition(
  spec: PhaseSpec,
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): GeneratedCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const consider = (name: string) => {
    const s = byName(statuses, name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of spec.initContainers ?? []) if (isSidecar(c)) consider(c.name);
  for (const c of spec.containers ?? []) consider(c.name);
  if ((phase === "Succeeded" && unknown.length === 0) || phase === "Failed") {
    return {
      type: "ContainersReady",
      status: "False",
      reason: phase === "Failed" ? "PodFailed" : "PodCompleted",
    };
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${list(unready)}`);
  if (msgs.length)
    return {
      type: "ContainersReady",
      status: "False",
      reason: "ContainersNotReady",
      message: msgs.join(", "),
    };
  return { type: "ContainersReady", status: "True" };
}

/** GeneratePodReadyCondition: ContainersReady and every readiness gate True. */
export function podReadyCondition(
  spec: PhaseSpec,
  conditions: readonly PodCondition[],
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): GeneratedCondition {
  const cr = containersReadyCondition(spec, statuses, phase);
  if (cr.status !== "True") return { ...cr, type: "Ready" };
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== "True")
      msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length)
    return { type: "Ready", status: "False", reason: "ReadinessGatesNotReady", message: msgs.join(", ") };
  return { type: "Ready", status: "True" };
}

/** GeneratePodInitializedCondition. */
export function initializedCondition(
  spec: PhaseSpec,
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): GeneratedCondition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0)
    return { type: "Initialized", status: "True", reason: "PodCompleted" };
  if (anyRegularContainerStarted(spec, statuses)) return { type: "Initialized", status: "True" };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${list(incomplete)}`);
  if (msgs.length)
    return {
      type: "Initialized",
      status: "False",
      reason: "ContainersNotInitialized",
      message: msgs.join(", "),
    };
  return { type: "Initialized", status: "True" };
}

/** The kubelet-owned conditions, in the order the kubelet writes them. */
export function kubeletConditions(
  spec: PhaseSpec,
  existing: readonly PodCondition[],
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
  sandboxReady: boolean,
): GeneratedCondition[] {
  return [
    { type: "PodReadyToStartContainers", status: sandboxReady ? "True" : "False" },
    initializedCondition(spec, statuses, phase),
    podReadyCondition(spec, existing, statuses, phase),
    containersReadyCondition(spec, statuses, phase),
  ];
}

/** Condition types the kubelet owns (kubetypes.PodConditionByKubelet); others are kept as they are. */
export const KUBELET_CONDITIONS = new Set([
  "PodReadyToStartContainers",
  "Initialized",
  "Ready",
  "ContainersReady",
]);
