/** Stopping containers and pods (kuberuntime_container.go killContainer, kubelet SyncTerminatingPod): preStop, SIGTERM, grace, final delete. */
import { DEFAULT_TERMINATION_GRACE_SECONDS, MIN_GRACE_PERIOD_SECONDS } from "./config.js";
import type { ContainerRecord } from "./container-record.js";
import { hookDurationMs, hookFails } from "./hooks.js";
import { msg } from "./messages.js";
import type { PodWorker } from "./pod-worker.js";

/**
 * killContainer: `Killing` event, the preStop hook (bounded by the grace period), then
 * StopContainer with what is left of the grace period, at least 2 s. `onStopped` runs when the
 * process has exited.
 */
export function killContainer(
  w: PodWorker,
  r: ContainerRecord,
  graceS: number,
  message: string,
  onStopped: () => void,
): void {
  const k = w.kubelet;
  const inst = r.current;
  if (inst?.state !== "running") {
    onStopped();
    return;
  }
  k.event(w.pod, "Normal", "Killing", message, r.fieldPath);
  r.killing = true;
  r.onStopped = onStopped;
  const stop = (leftS: number) => k.runtime.stop(inst, Math.max(leftS, MIN_GRACE_PERIOD_SECONDS) * 1000);
  const preStop = r.spec.lifecycle?.preStop;
  if (!preStop || graceS <= 0) {
    stop(graceS);
    return;
  }
  // A hook that outlives the grace period is abandoned at its end (executePreStopHook).
  const hookMs = Math.min(hookDurationMs(preStop, k.rng, k.timings), graceS * 1000);
  w.timers.after(hookMs, (nowMs) => {
    if (inst.state !== "running") return;
    if (hookFails(preStop, inst, nowMs)) {
      k.event(w.pod, "Warning", "FailedPreStopHook", msg.preStopFailed, r.fieldPath);
    }
    // The elapsed time is subtracted in whole seconds, as the kubelet does.
    stop(graceS - Math.floor(hookMs / 1000));
  });
}

/** The grace period of a pod being deleted: deletionGracePeriodSeconds, else its spec's. */
export function gracePeriodSeconds(w: PodWorker): number {
  const m = w.pod.metadata;
  return (
    m.deletionGracePeriodSeconds ??
    w.pod.spec?.terminationGracePeriodSeconds ??
    DEFAULT_TERMINATION_GRACE_SECONDS
  );
}

/**
 * SyncTerminatingPod: abandon whatever was starting, stop every running container in parallel
 * with the pod's grace period, then finish (terminal status, sandbox removed, final delete).
 */
export function terminatePod(w: PodWorker): void {
  if (w.terminating) return;
  w.terminating = true;
  w.cancelWork();
  const k = w.kubelet;
  for (const r of w.records) {
    // Simplification: probes stop when termination starts (readiness keeps its last result).
    for (const p of r.probes) p.stop();
    if (r.starting) k.runtime.discard(r.starting);
    r.starting = undefined;
    r.inFlight = false;
    r.killRequested = undefined;
  }
  const graceS = gracePeriodSeconds(w);
  let pending = 0;
  const stopped = () => {
    if (--pending === 0) finishTermination(w);
  };
  for (const r of w.records) {
    if (r.current?.state === "running") {
      pending++;
      killContainer(w, r, graceS, msg.stopping(r.spec.name), stopped);
    } else if (!r.current && r.kind === "regular") r.lostOnTermination = true;
  }
  w.markDirty();
  if (pending === 0) finishTermination(w);
}

/** All containers stopped: the terminal phase, the sandbox removed, and the pod object deleted (grace 0). */
export function finishTermination(w: PodWorker): void {
  const k = w.kubelet;
  for (const r of w.records) {
    r.ready = false;
    r.started = false;
  }
  const phase = w.computePhase(true);
  // A terminated pod always ends in a terminal phase (pods stopped mid-initialisation fail).
  w.finalPhase = phase === "Succeeded" ? "Succeeded" : "Failed";
  w.terminal = true;
  w.releaseSandbox(true);
  k.releaseAdmission(w);
  w.flushNow();
  w.pendingFinalize = true;
  k.finalize(w);
}
