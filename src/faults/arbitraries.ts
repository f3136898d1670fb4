/**
 * fast-check arbitraries for fault schedules, for property tests over a scenario (the library's
 * `faults`, `kubesim explore`): each schedule is a list of faults at times within a window, one
 * fault per target at a time, each healing after `forMs` (or never). A failing schedule shrinks
 * towards fewer faults, earlier faults, shorter faults, the first target and the first type.
 */
import fc from "fast-check";
import { formatDurationMs } from "../engine/duration.js";
import type { Action, FaultSpec, FaultType, SourcePos } from "../scenario/types.js";

/** One fault of a schedule: what, when, and for how long (absent: it never heals). */
export interface ScheduledFault {
  atMs: number;
  fault: { type: FaultType; node?: string; pod?: string; container?: string };
  forMs?: number;
}

/** Fault types that act on a node (need `nodes`) and on a pod (need `pods`). */
const NODE_TYPES: readonly FaultType[] = ["crash", "partition", "kubelet-stop"];
const POD_TYPES: readonly FaultType[] = ["container-crash", "oom"];

export interface ScheduleOptions {
  /** Nodes node faults may hit. */
  nodes?: readonly string[];
  /** Pods pod faults (container-crash, oom) may hit (`name` or `namespace/name`). */
  pods?: readonly string[];
  /** Fault types to draw from; default crash, partition, kubelet-stop. */
  types?: readonly FaultType[];
  /** At most this many faults in a schedule (default 3). */
  maxFaults?: number;
  /** When faults start: [0, windowMs] or [fromMs, toMs] (default the first 10 minutes). */
  windowMs?: number | readonly [number, number];
  /** How long a fault lasts, [min, max] ms (default 5 s to 5 min). */
  forMs?: readonly [number, number];
  /** Also draw faults that never heal (default false: every fault heals, so convergence can be checked). */
  permanent?: boolean;
}

const DEFAULT_WINDOW_MS = 10 * 60_000;
const DEFAULT_FOR_MS: readonly [number, number] = [5_000, 5 * 60_000];

/** Faults of some types on some targets; shrinks to the first type, the first target, earlier, shorter. */
function faultsOn(
  types: readonly FaultType[],
  targets: readonly string[],
  pod: boolean,
  opts: ScheduleOptions,
): fc.Arbitrary<ScheduledFault> {
  const [fromMs, toMs] =
    typeof opts.windowMs === "number" ? [0, opts.windowMs] : (opts.windowMs ?? [0, DEFAULT_WINDOW_MS]);
  const [minFor, maxFor] = opts.forMs ?? DEFAULT_FOR_MS;
  const forArb = fc.integer({ min: minFor, max: maxFor });
  return fc
    .record({
      type: fc.constantFrom(...types),
      target: fc.constantFrom(...targets),
      atMs: fc.integer({ min: fromMs, max: toMs }),
      forMs: opts.permanent ? fc.option(forArb, { nil: undefined }) : forArb,
    })
    .map(({ type, target, atMs, forMs }): ScheduledFault => {
      const fault: ScheduledFault["fault"] = pod ? { type, pod: target } : { type, node: target };
      return forMs === undefined ? { atMs, fault } : { atMs, fault, forMs };
    });
}

/** One fault among the types that have targets (node faults first). */
function faultArb(opts: ScheduleOptions): fc.Arbitrary<ScheduledFault> {
  const types = opts.types ?? NODE_TYPES;
  const nodeTypes = types.filter((t) => NODE_TYPES.includes(t));
  const podTypes = types.filter((t) => POD_TYPES.includes(t));
  const unknown = types.filter((t) => !NODE_TYPES.includes(t) && !POD_TYPES.includes(t));
  if (unknown.length > 0) throw new Error(`faults.schedule: cannot schedule ${unknown.join(", ")} faults`);
  const arbs: fc.Arbitrary<ScheduledFault>[] = [];
  if (nodeTypes.length > 0 && (opts.nodes?.length ?? 0) > 0)
    arbs.push(faultsOn(nodeTypes, opts.nodes!, false, opts));
  if (podTypes.length > 0 && (opts.pods?.length ?? 0) > 0)
    arbs.push(faultsOn(podTypes, opts.pods!, true, opts));
  if (arbs.length === 0)
    throw new Error("faults.schedule: no fault type has a target (give nodes, or pods for pod faults)");
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

const targetKey = (f: ScheduledFault) => f.fault.node ?? `pod/${f.fault.pod}`;

/**
 * Orders a schedule by time (then target) and drops a fault whose target still has an earlier
 * fault active: one fault per node at a time, as the injector requires.
 */
export function normalizeSchedule(faults: readonly ScheduledFault[]): ScheduledFault[] {
  const busyUntil = new Map<string, number>();
  return [...faults]
    .sort(
      (a, b) => a.atMs - b.atMs || (targetKey(a) < targetKey(b) ? -1 : targetKey(a) > targetKey(b) ? 1 : 0),
    )
    .filter((f) => {
      const key = targetKey(f);
      if ((busyUntil.get(key) ?? -1) >= f.atMs) return false;
      busyUntil.set(key, f.forMs === undefined ? Number.POSITIVE_INFINITY : f.atMs + f.forMs);
      return true;
    });
}

/** An arbitrary of fault schedules (normalized: time-ordered, one fault per target at a time). */
export function schedule(opts: ScheduleOptions): fc.Arbitrary<ScheduledFault[]> {
  const maxLength = opts.maxFaults ?? 3;
  return fc.array(faultArb(opts), { maxLength }).map(normalizeSchedule);
}

const POS: SourcePos = { file: "<faults>", line: 0, col: 0 };

/** The schedule as scenario `fault:` actions (healing through `for:`). */
export function toActions(faults: readonly ScheduledFault[]): Action[] {
  return faults.map((f) => {
    const spec: FaultSpec = { ...f.fault };
    if (f.forMs !== undefined) spec.forMs = f.forMs;
    return { kind: "fault", atMs: f.atMs, fault: spec, pos: POS };
  });
}

/** The schedule as YAML `actions:` entries (indented by `indent`), for a counterexample file. */
export function toYaml(faults: readonly ScheduledFault[], indent = "    "): string {
  return faults
    .map((f) => {
      const parts = Object.entries(f.fault).map(([k, v]) => `${k}: ${v}`);
      if (f.forMs !== undefined) parts.push(`for: ${formatDurationMs(f.forMs)}`);
      return `${indent}- at: ${formatDurationMs(f.atMs)}\n${indent}  fault: {${parts.join(", ")}}\n`;
    })
    .join("");
}

/** One line per fault: `crash node-2 at 1m30s for 2m0s`. */
export function describeSchedule(faults: readonly ScheduledFault[]): string {
  if (faults.length === 0) return "no faults";
  return faults
    .map((f) => {
      const target = f.fault.node ?? f.fault.pod;
      const heal = f.forMs === undefined ? ", never healed" : ` for ${formatDurationMs(f.forMs)}`;
      return `${f.fault.type} ${target} at ${formatDurationMs(f.atMs)}${heal}`;
    })
    .join("; ");
}
