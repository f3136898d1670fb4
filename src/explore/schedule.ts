/** Fault schedules for `kubesim explore`: their shape, the fast-check arbitrary, and the schedule of run i. */
import fc from "fast-check";
import { formatDurationMs } from "../engine/duration.js";
import type { Action, FaultType, Scenario } from "../scenario/types.js";

/** The fault types explore can inject today: the node faults of src/faults/node-faults.ts. */
export const EXPLORE_FAULT_TYPES = ["crash", "partition", "kubelet-stop"] as const;
export type ExploreFaultType = (typeof EXPLORE_FAULT_TYPES)[number];

/** What the generator may choose from. */
export interface ExploreSpace {
  types: readonly ExploreFaultType[];
  nodes: readonly string[];
  /** At most this many faults per run (0 to maxFaults). */
  maxFaults: number;
  /** Faults start within [windowFromMs, windowToMs], in whole seconds. */
  windowFromMs: number;
  windowToMs: number;
}

/** One generated fault: a `fault:` action, healed after `forMs` when given (else it lasts). */
export interface ScheduledFault {
  atMs: number;
  type: ExploreFaultType;
  node: string;
  forMs?: number;
}

export type FaultSchedule = readonly ScheduledFault[];

/**
 * The arbitrary of fault schedules. It shrinks (fast-check's own shrinkers) towards fewer faults,
 * the first fault type listed, the window's start, and faults that never heal (no `for:`); it can
 * shrink a value it did not generate, so a failing schedule is shrunk from itself alone.
 */
export function scheduleArbitrary(space: ExploreSpace): fc.Arbitrary<FaultSchedule> {
  const fromS = Math.ceil(space.windowFromMs / 1000);
  const toS = Math.max(fromS, Math.floor(space.windowToMs / 1000));
  const fault = fc.record(
    {
      atS: fc.integer({ min: fromS, max: toS }),
      type: fc.constantFrom(...space.types),
      node: fc.constantFrom(...space.nodes),
      forS: fc.option(fc.integer({ min: 1, max: Math.max(1, toS - fromS) }), { nil: undefined }),
    },
    { requiredKeys: ["atS", "type", "node"] },
  );
  return fc.array(fault, { maxLength: space.maxFaults }).map(
    (faults) =>
      faults.map((f): ScheduledFault => {
        const out: ScheduledFault = { atMs: f.atS * 1000, type: f.type, node: f.node };
        if (f.forS !== undefined) out.forMs = f.forS * 1000;
        return out;
      }),
    (value) => unmapSchedule(value),
  );
}

/** The inverse of the arbitrary's map, so fast-check can shrink a schedule given from outside. */
function unmapSchedule(
  value: unknown,
): { atS: number; type: ExploreFaultType; node: string; forS?: number }[] {
  if (!Array.isArray(value)) throw new Error("not a fault schedule");
  return value.map((f: ScheduledFault) => {
    const out: { atS: number; type: ExploreFaultType; node: string; forS?: number } = {
      atS: f.atMs / 1000,
      type: f.type,
      node: f.node,
    };
    if (f.forMs !== undefined) out.forS = f.forMs / 1000;
    return out;
  });
}

/** murmur3's 32-bit finaliser: spreads (seed, index) over the seed space. */
function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The seed of run `index`: a function of the exploration seed and the index alone, so any slice of
 * the runs (a shard, a worker's batch) draws the same schedules as a single process would.
 */
export function runSeed(seed: number, index: number): number {
  const hi = Math.floor(seed / 2 ** 32);
  return mix32(mix32(seed >>> 0) ^ mix32(hi + 0x9e3779b9) ^ mix32(index + 0x632be5ab)) & 0x7fffffff;
}

/** The schedule of run `index` (fast-check's generator, seeded by `runSeed`). */
export function scheduleForRun(arb: fc.Arbitrary<FaultSchedule>, seed: number, index: number): FaultSchedule {
  return fc.sample(arb, { seed: runSeed(seed, index), numRuns: 1 })[0]!;
}

/** The schedule in time order (ties by node, then type), as it is printed and written. */
export function sortedSchedule(schedule: FaultSchedule): ScheduledFault[] {
  return [...schedule].sort(
    (a, b) =>
      a.atMs - b.atMs ||
      (a.node < b.node ? -1 : a.node > b.node ? 1 : 0) ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
}

/** The fault's `fault:` entry as a scenario file writes it. */
export function faultEntry(f: ScheduledFault): { node: string; type: FaultType; for?: string } {
  const entry: { node: string; type: FaultType; for?: string } = { node: f.node, type: f.type };
  if (f.forMs !== undefined) entry.for = formatDurationMs(f.forMs);
  return entry;
}

/** One line per fault: `at 2m13s  crash node-2 (for 45s)`. */
export function describeFault(f: ScheduledFault): string {
  const healed = f.forMs === undefined ? "" : ` for ${formatDurationMs(f.forMs)}`;
  return `at ${formatDurationMs(f.atMs)} ${f.type} ${f.node}${healed}`;
}

/**
 * The scenario with the schedule's faults added after its own actions, in time order (as the
 * counterexample file lists them, so both run in the same order).
 */
export function withFaults(scenario: Scenario, schedule: FaultSchedule): Scenario {
  const pos = { file: scenario.file, line: 0, col: 0 };
  const faults = sortedSchedule(schedule).map((f): Action => {
    const fault: Extract<Action, { kind: "fault" }>["fault"] = { type: f.type, node: f.node };
    if (f.forMs !== undefined) fault.forMs = f.forMs;
    return { kind: "fault", atMs: f.atMs, fault, pos };
  });
  return { ...scenario, actions: [...scenario.actions, ...faults] };
}
