/** The time a fault's recovery spent in each phase, per pod and per fault, and how the timeline says it. */
import { formatDurationMs } from "../engine/duration.js";
import { type FaultTrack, type LostPod, PHASES, type PhaseName } from "./recovery-types.js";

export type PhaseDurations = Partial<Record<PhaseName, number>>;

const diff = (to: number | undefined, from: number | undefined) =>
  to === undefined || from === undefined ? undefined : to - from;

/** One pod's pod-level phases (eviction onwards). */
export function podPhases(track: FaultTrack, p: LostPod): PhaseDurations {
  const r = p.replacement;
  const out: PhaseDurations = {
    taintToEviction: diff(p.evictedMs, track.taintedMs),
    evictionToCreated: diff(r?.createdMs, p.evictedMs),
    createdToScheduled: diff(r?.scheduledMs, r?.createdMs),
    scheduledToRunning: diff(r?.runningMs, r?.scheduledMs),
    runningToReady: diff(r?.readyMs, r?.runningMs),
  };
  return prune(out);
}

/** The fault's phases: node-level ones once, pod-level ones for the slowest pod. */
export function faultPhases(track: FaultTrack): PhaseDurations {
  const out: PhaseDurations = {
    heartbeatToNotReady: diff(track.notReadyMs, track.lastHeartbeatMs),
    notReadyToTaint: diff(track.taintedMs, track.notReadyMs),
  };
  for (const p of track.pods) {
    for (const [name, ms] of Object.entries(podPhases(track, p)) as [PhaseName, number][]) {
      out[name] = Math.max(out[name] ?? 0, ms);
    }
  }
  return prune(out);
}

function prune(d: PhaseDurations): PhaseDurations {
  for (const k of Object.keys(d) as PhaseName[]) if (d[k] === undefined) delete d[k];
  return d;
}

/** `label 1.2s; label 5m0s; …` in phase order. */
export function formatPhases(d: PhaseDurations): string {
  return PHASES.filter(([name]) => d[name] !== undefined)
    .map(([name, label]) => `${label} ${formatDurationMs(d[name]!)}`)
    .join("; ");
}

/** `crash of node-2 at 1m0s`. */
export function faultTitle(track: FaultTrack): string {
  return `${track.fault.type} of ${track.fault.node} at ${formatDurationMs(track.fault.sinceMs)}`;
}

/** When the last lost pod was serving again, if all are. */
export function recoveredAtMs(track: FaultTrack): number | undefined {
  let last = track.fault.sinceMs;
  for (const p of track.pods) {
    if (p.recoveredMs === undefined) return undefined;
    last = Math.max(last, p.recoveredMs);
  }
  return last;
}

/** The outcome of one lost pod, in a few words. */
export function podOutcome(p: LostPod): string {
  if (p.inPlace) return "Ready again in place";
  if (p.recoveredMs !== undefined && p.replacement) return `replaced by ${p.replacement.key}`;
  if (p.evictedMs === undefined) return "not evicted";
  if (!p.ownerUid) return "evicted; no controller to replace it";
  if (!p.replacement) return "evicted; no replacement yet";
  return `replacement ${p.replacement.key} not Ready yet`;
}

/** The end-of-run summary line of a fault. */
export function summaryMessage(track: FaultTrack): string {
  const n = track.pods.length;
  const at = recoveredAtMs(track);
  const outcome =
    n === 0
      ? "no pods were on the node"
      : at !== undefined
        ? `${n} pod(s) affected, all serving again ${formatDurationMs(at - track.fault.sinceMs)} after the fault`
        : `${n} pod(s) affected, ${track.pods.filter((p) => p.recoveredMs !== undefined).length} serving again`;
  const healed =
    track.healedMs === undefined
      ? "not healed"
      : `healed after ${formatDurationMs(track.healedMs - track.fault.sinceMs)}`;
  const phases = formatPhases(faultPhases(track));
  return `${faultTitle(track)} (${healed}): ${outcome}${phases ? `. ${phases}` : ""}`;
}

/** The structured summary of a fault (the step record's data). */
export function summaryData(track: FaultTrack): Record<string, unknown> {
  const at = recoveredAtMs(track);
  return {
    fault: track.fault.type,
    node: track.fault.node,
    atMs: track.fault.sinceMs,
    healedMs: track.healedMs ?? null,
    lastHeartbeatMs: track.lastHeartbeatMs ?? null,
    notReadyMs: track.notReadyMs ?? null,
    taintedMs: track.taintedMs ?? null,
    recoveredMs: at ?? null,
    totalMs: at === undefined ? null : at - track.fault.sinceMs,
    phasesMs: faultPhases(track),
    pods: track.pods.map((p) => ({
      pod: p.key,
      outcome: podOutcome(p),
      evictedMs: p.evictedMs ?? null,
      evictedBy: p.evictedBy ?? null,
      replacement: p.replacement?.key ?? null,
      recoveredMs: p.recoveredMs ?? null,
      phasesMs: podPhases(track, p),
    })),
  };
}
