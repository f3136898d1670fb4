/** The end-of-run summary of a pod-level fault: the timeline's words and the step record's data. */
import { formatDurationMs } from "../engine/duration.js";
import type { ContainerFaultTrack, ImageFaultTrack } from "./pod-recovery-types.js";

/** A summary step: the text and the structured data. */
export interface Summary {
  message: string;
  data: Record<string, unknown>;
}

const dur = (ms: number) => formatDurationMs(ms);

/** `container-crash of default/web-0 (app, exit code 1 Error) at 1m0s`. */
export function containerTitle(t: ContainerFaultTrack): string {
  return `${t.type} of ${t.podKey} (${t.container}, exit code ${t.exitCode} ${t.reason}) at ${dur(t.sinceMs)}`;
}

function containerOutcome(t: ContainerFaultTrack): string {
  if (t.recoveredMs !== undefined) {
    const afterHeal = t.healedMs !== undefined ? `, ${dur(t.recoveredMs - t.healedMs)} after the heal` : "";
    return `Ready again ${dur(t.recoveredMs - t.sinceMs)} after the fault${afterHeal}`;
  }
  if (t.deletedMs !== undefined) return `the pod was deleted ${dur(t.deletedMs - t.sinceMs)} after the fault`;
  if (t.notReadyMs === undefined) return "the pod never lost Ready";
  return "not Ready again by the end of the run";
}

/** The summary of a container crash or OOM kill. */
export function containerSummary(t: ContainerFaultTrack): Summary {
  const how = !t.lasting
    ? "once"
    : t.healedMs === undefined
      ? "on every start, never healed"
      : `on every start, healed after ${dur(t.healedMs - t.sinceMs)}`;
  const restarts = t.restartsNow - t.restartsBefore;
  const notReady = t.notReadyMs === undefined ? "" : `; fault → not Ready ${dur(t.notReadyMs - t.sinceMs)}`;
  const back =
    t.notReadyMs === undefined || t.recoveredMs === undefined
      ? ""
      : `; not Ready → Ready ${dur(t.recoveredMs - t.notReadyMs)}`;
  return {
    message: `${containerTitle(t)} (${how}): ${containerOutcome(t)}; ${restarts} restart(s)${notReady}${back}`,
    data: {
      fault: t.type,
      pod: t.podKey,
      container: t.container,
      node: t.node ?? null,
      exitCode: t.exitCode,
      reason: t.reason,
      atMs: t.sinceMs,
      lasting: t.lasting,
      healedMs: t.healedMs ?? null,
      notReadyMs: t.notReadyMs ?? null,
      recoveredMs: t.recoveredMs ?? null,
      deletedMs: t.deletedMs ?? null,
      totalMs: t.recoveredMs === undefined ? null : t.recoveredMs - t.sinceMs,
      restarts,
      // The same per-pod rows as a node fault's summary (the HTML report lists them).
      pods: [
        {
          pod: t.podKey,
          outcome: containerOutcome(t),
          replacement: null,
          recoveredMs: t.recoveredMs ?? null,
        },
      ],
    },
  };
}

/** The summary of an image-pull fault. */
export function imageSummary(t: ImageFaultTrack): Summary {
  const where = t.node === undefined ? "every node" : t.node;
  const healed = t.healedMs === undefined ? "not healed" : `healed after ${dur(t.healedMs - t.sinceMs)}`;
  const pods = [...t.pods.values()];
  const ready = pods.filter((p) => p.recoveredMs !== undefined);
  const deleted = pods.filter((p) => p.deletedMs !== undefined);
  const lastReady = ready.length ? Math.max(...ready.map((p) => p.recoveredMs!)) : undefined;
  let outcome = `${pods.length} pod(s) could not pull it`;
  if (pods.length > 0) {
    outcome += `, ${ready.length} Ready again`;
    if (deleted.length) outcome += `, ${deleted.length} deleted`;
    if (lastReady !== undefined && t.healedMs !== undefined && ready.length === pods.length)
      outcome += ` (the last ${dur(lastReady - t.healedMs)} after the heal)`;
  }
  return {
    message: `image-pull-fail of ${t.image} on ${where} at ${dur(t.sinceMs)} (${healed}): ${outcome}`,
    data: {
      fault: "image-pull-fail",
      image: t.normalized,
      // Where it applied, as the report's fault heading names it.
      node: t.node ?? "every node",
      atMs: t.sinceMs,
      healedMs: t.healedMs ?? null,
      totalMs: lastReady !== undefined && ready.length === pods.length ? lastReady - t.sinceMs : null,
      pods: pods.map((p) => ({
        pod: p.key,
        outcome:
          p.recoveredMs !== undefined
            ? "Ready after the heal"
            : p.deletedMs !== undefined
              ? "deleted"
              : "not Ready yet",
        replacement: null,
        blockedMs: p.blockedMs,
        recoveredMs: p.recoveredMs ?? null,
        deletedMs: p.deletedMs ?? null,
      })),
    },
  };
}
