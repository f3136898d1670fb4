/** What the kubelet knows of one container of a pod, and its conversion to a ContainerStatus (convertToAPIContainerStatuses). */
import type { SimClock } from "../api/time.js";
import type { Container, ContainerStatus, Mutable } from "../api/types.js";
import type { ImageBehavior } from "../scenario/types.js";
import { imageId, normalizeImage } from "./images.js";
import { msg } from "./messages.js";
import type { ProbeWorker } from "./probes.js";
import type { ContainerInstance } from "./runtime.js";

export type ContainerKind = "init" | "sidecar" | "regular";

/** A terminated instance as status shows it. */
export interface TerminatedInfo {
  exitCode: number;
  reason: string;
  message?: string;
  startedAtMs: number;
  finishedAtMs: number;
  containerId: string;
}

/** The kubelet's per-container bookkeeping inside a pod worker. */
export interface ContainerRecord {
  readonly spec: Container;
  readonly kind: ContainerKind;
  /** `spec.containers{web}` / `spec.initContainers{init}` for events. */
  readonly fieldPath: string;
  readonly behavior: ImageBehavior | undefined;
  /** The latest runtime instance. */
  current: ContainerInstance | undefined;
  /** What status shows of `current`: nothing yet, running (after postStart), or exited (after the PLEG saw it). */
  observed: "none" | "running" | "exited";
  /** The instance before `current` (lastState). */
  previous: TerminatedInfo | undefined;
  restartCount: number;
  /** The last start attempt failed (the kubelet's reasonCache): CrashLoopBackOff, ErrImagePull, … */
  failure: { reason: string; message?: string } | undefined;
  /** Startup probe passed (or there is none) for the running instance. */
  started: boolean;
  /** Readiness for the running instance. */
  ready: boolean;
  /** The kubelet killed it and wants it back (liveness/startup failure) regardless of exit code. */
  forceRestart: boolean;
  /** Never started and the pod was terminated: ContainerStatusUnknown. */
  lostOnTermination: boolean;
  /** A start (image, create, start, postStart) is in progress. */
  inFlight: boolean;
  /** Created but not yet started. */
  starting: ContainerInstance | undefined;
  /** The kubelet is stopping it (and waits for it). */
  killing: boolean;
  /** A probe failed past its threshold; the next sync kills it. */
  killRequested: "liveness" | "startup" | undefined;
  /** Runs when a stop the kubelet waits for has finished. */
  onStopped: (() => void) | undefined;
  probes: ProbeWorker[];
}

// Shared by every record without probes (most): the pod worker replaces it, never pushes to it.
const NO_PROBES: ProbeWorker[] = [];

/** A fresh record for a container of the spec. */
export function newRecord(
  spec: Container,
  kind: ContainerKind,
  behavior: ImageBehavior | undefined,
): ContainerRecord {
  const field = kind === "regular" ? "containers" : "initContainers";
  return {
    spec,
    kind,
    // Joined (one flat string): Events keep it for an hour.
    fieldPath: ["spec.", field, "{", spec.name, "}"].join(""),
    behavior,
    current: undefined,
    observed: "none",
    previous: undefined,
    restartCount: 0,
    failure: undefined,
    started: false,
    ready: false,
    forceRestart: false,
    lostOnTermination: false,
    inFlight: false,
    starting: undefined,
    killing: false,
    killRequested: undefined,
    onStopped: undefined,
    probes: NO_PROBES,
  };
}

/** The terminated view of an exited instance. */
export function terminatedInfo(inst: ContainerInstance): TerminatedInfo {
  return {
    exitCode: inst.exitCode,
    reason: inst.reason,
    startedAtMs: inst.startedAtMs,
    finishedAtMs: inst.finishedAtMs,
    containerId: inst.id,
  };
}

/** Whether the record's latest instance has exited (as the kubelet has observed). */
export function hasExited(r: ContainerRecord): boolean {
  return r.observed === "exited";
}

/** Whether the record's instance runs (as observed). */
export function isRunning(r: ContainerRecord): boolean {
  return r.observed === "running";
}

function terminatedJson(t: TerminatedInfo, clock: SimClock) {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: clock.time(t.startedAtMs),
    finishedAt: clock.time(t.finishedAtMs),
    containerID: t.containerId,
  };
}

/** The ContainerStatus of a record; `podHasInit` picks the default waiting reason (PodInitializing). */
export function containerStatus(
  r: ContainerRecord,
  podHasInit: boolean,
  clock: SimClock,
): Mutable<ContainerStatus> {
  const inst = r.current;
  const running = r.observed === "running";
  const exited = r.observed === "exited" && inst !== undefined;
  let state: Mutable<ContainerStatus>["state"];
  let last: TerminatedInfo | undefined = r.previous;
  if (r.lostOnTermination && !inst) {
    state = {
      terminated: { exitCode: 137, reason: "ContainerStatusUnknown", message: msg.unknownAfterTermination },
    };
  } else if (running && inst) state = { running: { startedAt: clock.time(inst.startedAtMs) } };
  else if (exited && !r.failure) state = { terminated: terminatedJson(terminatedInfo(inst), clock) };
  else {
    if (exited) last = terminatedInfo(inst);
    const reason = r.failure?.reason ?? (podHasInit ? "PodInitializing" : "ContainerCreating");
    state = { waiting: r.failure?.message ? { reason, message: r.failure.message } : { reason } };
  }
  const shown = running || exited ? inst : undefined;
  const image = r.spec.image ?? "";
  const s: Mutable<ContainerStatus> = {
    name: r.spec.name,
    state,
    lastState: last ? { terminated: terminatedJson(last, clock) } : {},
    // prober_manager.go UpdatePodStatus: an init container is ready once it exited 0.
    ready: r.kind === "init" ? exited && !r.failure && inst.exitCode === 0 : running && r.ready,
    restartCount: r.restartCount,
    image: shown || last ? normalizeImage(image) : image,
    imageID: shown || last ? imageId(image) : "",
    ...(shown ? { containerID: shown.id } : last ? { containerID: last.containerId } : {}),
    started: running && r.started,
  };
  return s;
}
