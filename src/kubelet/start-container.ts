/** Starting one container (kuberuntime_container.go startContainer): back-off, image, create, start, postStart. */
import type { ImageBehavior } from "../scenario/types.js";
import { draw } from "./config.js";
import { type ContainerRecord, terminatedInfo } from "./container-record.js";
import { hookDurationMs, hookFails } from "./hooks.js";
import { defaultPullPolicy } from "./images.js";
import { INJECTED_CRASH_AFTER_START_MS } from "./injected.js";
import { msg } from "./messages.js";
import type { PodWorker } from "./pod-worker.js";
import type { ProcessPlan } from "./runtime.js";
import { killContainer } from "./termination.js";

type Done = (ok: boolean) => void;

/** A start attempt failed: the reason the status shows (the kubelet's reasonCache) and the `Failed` event. */
function fail(
  w: PodWorker,
  r: ContainerRecord,
  reason: string,
  message: string | undefined,
  event = true,
): void {
  r.failure = message ? { reason, message } : { reason };
  if (event) w.kubelet.event(w.pod, "Warning", "Failed", msg.startError(reason), r.fieldPath);
  w.markDirty();
}

/**
 * One container of a sync: a container that exited is restarted only outside its crash back-off
 * (doBackOff, counted from its finish); then image, create, start and postStart. `done(ok)` continues the sync.
 */
export function attemptStart(w: PodWorker, r: ContainerRecord, done: Done): void {
  const k = w.kubelet;
  const cur = r.current;
  if (cur && r.observed === "exited") {
    const key = `c/${r.spec.name}`;
    if (w.backoff?.isInBackOffSince(key, cur.finishedAtMs, k.nowMs)) {
      k.event(w.pod, "Warning", "BackOff", msg.crashBackOffEvent(r.spec.name, w.formatted), r.fieldPath);
      const waiting = msg.crashBackOffWaiting(w.backoff.get(key), r.spec.name, w.formatted);
      fail(w, r, "CrashLoopBackOff", waiting, false);
      done(false);
      return;
    }
    w.bumpBackoff(key, cur.finishedAtMs, k.nowMs);
  }
  r.inFlight = true;
  const epoch = w.epoch;
  ensureImage(w, r, (ok) => {
    if (epoch !== w.epoch) return;
    if (!ok) {
      r.inFlight = false;
      done(false);
      return;
    }
    // generateContainerConfig: env from Secrets/ConfigMaps is resolved now, after the image.
    const configError = w.projected.startContainer(r.spec);
    if (configError !== undefined) {
      r.inFlight = false;
      k.event(w.pod, "Warning", "Failed", msg.startError(configError), r.fieldPath);
      fail(w, r, "CreateContainerConfigError", configError, false);
      done(false);
      return;
    }
    createAndStart(w, r, done);
  });
}

// EnsureImageExists: pull policy, the node's image cache, the per-pod image back-off.
function ensureImage(w: PodWorker, r: ContainerRecord, done: Done): void {
  const k = w.kubelet;
  const image = r.spec.image ?? "";
  const policy = r.spec.imagePullPolicy ?? defaultPullPolicy(image);
  const present = k.images.has(image);
  if (policy === "Never" || (policy === "IfNotPresent" && present)) {
    if (present) {
      k.event(w.pod, "Normal", "Pulled", msg.alreadyPresent(image), r.fieldPath);
      done(true);
      return;
    }
    k.event(w.pod, "Warning", "ErrImageNeverPull", msg.neverPull(image), r.fieldPath);
    fail(w, r, "ErrImageNeverPull", msg.neverPull(image));
    done(false);
    return;
  }
  const key = `i/${image}`;
  // Simplification: the ImagePullBackOff message does not repeat the last pull error.
  if (w.backoff?.isInBackOffSinceUpdate(key, k.nowMs)) {
    k.event(w.pod, "Normal", "BackOff", msg.pullBackOff(image), r.fieldPath);
    fail(w, r, "ImagePullBackOff", msg.pullBackOff(image));
    done(false);
    return;
  }
  k.event(w.pod, "Normal", "Pulling", msg.pulling(image), r.fieldPath);
  const epoch = w.epoch;
  k.images.pull(image, r.behavior, k.nowMs, (res) => {
    if (epoch !== w.epoch || w.terminal) return;
    if (res.ok) {
      k.event(
        w.pod,
        "Normal",
        "Pulled",
        msg.pulled(image, res.pullMs, res.totalMs, res.sizeBytes),
        r.fieldPath,
      );
      done(true);
      return;
    }
    k.event(w.pod, "Warning", "Failed", msg.pullFailed(image, res.error), r.fieldPath);
    w.bumpBackoff(key, k.nowMs, k.nowMs);
    fail(w, r, "ErrImagePull", res.error);
    done(false);
  });
}

/** How this run of the process will behave, drawn from the image's behaviour (an injected crash fault wins). */
export function drawPlan(w: PodWorker, b: ImageBehavior | undefined, container?: string): ProcessPlan {
  const k = w.kubelet;
  const upMs = b?.start ? draw(k.rng, b.start) : 0;
  const ready = b?.ready;
  const plan: ProcessPlan = {
    upMs,
    readyMs: ready === null ? null : ready ? Math.max(upMs, draw(k.rng, ready)) : upMs,
    unhealthyMs: b?.livenessFailsAfter ? draw(k.rng, b.livenessFailsAfter) : undefined,
    exitAfterMs: b?.exit ? draw(k.rng, b.exit.after) : undefined,
    terminateMs: draw(k.rng, b?.terminate ?? k.timings.containerStop),
  };
  const injected =
    container === undefined ? undefined : k.injected.crashOnStart(w.namespace, w.name, container);
  if (injected) {
    plan.exitAfterMs = INJECTED_CRASH_AFTER_START_MS;
    plan.injectedExit = injected;
  }
  return plan;
}

// CreateContainer (`Created`), StartContainer after timing.containerStart (`Started`), then postStart.
function createAndStart(w: PodWorker, r: ContainerRecord, done: Done): void {
  const k = w.kubelet;
  const plan = drawPlan(w, r.behavior, r.spec.name);
  const inst = k.runtime.create(w.uid, r.spec.name, r.spec.image ?? "", r.behavior, plan);
  r.starting = inst;
  k.event(w.pod, "Normal", "Created", msg.created(r.spec.name), r.fieldPath);
  const epoch = w.epoch;
  w.timers.after(k.draw(k.timings.containerStart), (nowMs) => {
    if (epoch !== w.epoch) return;
    r.starting = undefined;
    k.runtime.start(inst, nowMs);
    if (r.current && r.observed === "exited") r.previous = terminatedInfo(r.current);
    if (r.current) r.restartCount++;
    r.current = inst;
    r.observed = "none";
    r.failure = undefined;
    r.started = false;
    r.ready = false;
    r.forceRestart = false;
    r.killRequested = undefined;
    k.event(w.pod, "Normal", "Started", msg.started(r.spec.name), r.fieldPath);
    runPostStart(w, r, done);
  });
}

// The next container waits for postStart; a failed hook kills the container (FailedPostStartHook).
// Simplification: the container shows as running once its hook is done (the kubelet would show it
// at its next status sync); exec and sleep hooks always succeed, network hooks fail before the app listens.
function runPostStart(w: PodWorker, r: ContainerRecord, done: Done): void {
  const k = w.kubelet;
  const inst = r.current;
  const hook = r.spec.lifecycle?.postStart;
  if (!inst) return;
  const finish = () => {
    r.inFlight = false;
    if (inst.state === "running") {
      r.observed = "running";
      r.started = !r.probes.some((p) => p.kind === "startup");
      w.wakeProbes(r);
      w.recomputeReady(r);
      w.triggerReadiness(r);
      w.markDirty();
    }
    done(true);
  };
  if (!hook) {
    finish();
    return;
  }
  const epoch = w.epoch;
  w.timers.after(hookDurationMs(hook, k.rng, k.timings), (nowMs) => {
    if (epoch !== w.epoch) return;
    if (!hookFails(hook, inst, nowMs)) {
      finish();
      return;
    }
    k.event(w.pod, "Warning", "FailedPostStartHook", msg.postStartFailed, r.fieldPath);
    const graceS = w.pod.spec?.terminationGracePeriodSeconds ?? 30;
    killContainer(w, r, graceS, "FailedPostStartHook", () => {
      r.inFlight = false;
      fail(w, r, "PostStartHookError", msg.postStartFailed, false);
      done(false);
    });
  });
}

/**
 * Kills a container whose liveness or startup probe failed; it restarts unless restartPolicy is Never.
 * Simplification: the restart then goes through the ordinary sync and crash back-off (the kubelet
 * kills and starts it in one SyncPod, with the back-off checked against the previous exit).
 */
export function onProbeKill(w: PodWorker, r: ContainerRecord): void {
  const kind = r.killRequested;
  r.killRequested = undefined;
  if (!kind) return;
  const restart = w.restartPolicy !== "Never";
  const probe = kind === "liveness" ? r.spec.livenessProbe : r.spec.startupProbe;
  // A probe-level terminationGracePeriodSeconds overrides the pod's for probe kills.
  const graceS = probe?.terminationGracePeriodSeconds ?? w.pod.spec?.terminationGracePeriodSeconds ?? 30;
  r.forceRestart = restart;
  w.busy = true;
  const epoch = w.epoch;
  killContainer(w, r, graceS, msg.probeKill(r.spec.name, kind, restart), () => {
    if (epoch !== w.epoch) return;
    w.busy = false;
    w.sync();
  });
}
