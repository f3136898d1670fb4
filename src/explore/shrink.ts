/** Shrinking a failing fault schedule to a minimal one with fast-check's shrinkers. */
import fc from "fast-check";
import type { Scenario } from "../scenario/types.js";
import { type Failure, runSchedule } from "./run.js";
import { type ExploreSpace, type FaultSchedule, scheduleArbitrary } from "./schedule.js";

/** The smallest failing schedule found, what it broke, and how many shrink steps succeeded. */
export interface Shrunk {
  schedule: FaultSchedule;
  failures: Failure[];
  shrinks: number;
  /** Runs spent shrinking (each candidate is a full run). */
  runs: number;
}

/** Limits on shrinking: each candidate is a whole simulated run. */
export interface ShrinkOptions {
  clusterSeed?: number;
  invariants?: readonly string[];
  /** Stop shrinking after this many candidate runs (default 2,000). */
  maxRuns?: number;
}

const DEFAULT_MAX_SHRINK_RUNS = 2000;

/**
 * Shrinks `failing` (a schedule that broke the scenario) with fast-check: `fc.check` is given it as
 * its only example (`numRuns: 1`, so no random run is added) and walks the arbitrary's shrink tree,
 * keeping every candidate that still fails. Any failure counts, not only the original one: the
 * result is the smallest schedule that breaks some promise.
 */
export function shrinkSchedule(
  scenario: Scenario,
  space: ExploreSpace,
  failing: FaultSchedule,
  opts: ShrinkOptions = {},
): Shrunk {
  const maxRuns = opts.maxRuns ?? DEFAULT_MAX_SHRINK_RUNS;
  let runs = 0;
  let last: { schedule: FaultSchedule; failures: Failure[] } | undefined;
  let crash: unknown;
  const property = fc.property(scheduleArbitrary(space), (schedule) => {
    // Past the budget every candidate "passes", which ends the shrink at the best one so far.
    if (runs >= maxRuns || crash !== undefined) return true;
    runs++;
    let verdict: ReturnType<typeof runSchedule>;
    try {
      verdict = runSchedule(scenario, schedule, {
        clusterSeed: opts.clusterSeed,
        invariants: opts.invariants,
      });
    } catch (e) {
      // A kubesim bug is not a counterexample: stop shrinking and report it as it is.
      crash = e;
      return true;
    }
    if (verdict.failures.length === 0) return true;
    last = { schedule, failures: verdict.failures };
    return false;
  });
  const details = fc.check(property, { examples: [[failing]], numRuns: 1, seed: 0 });
  if (crash !== undefined) throw crash;
  if (!details.failed || !last) {
    // A deterministic run cannot pass now and fail before; say so rather than report a pass.
    throw new Error("the failing schedule passed when it was run again: the simulation is not deterministic");
  }
  return { schedule: last.schedule, failures: last.failures, shrinks: details.numShrinks, runs };
}
