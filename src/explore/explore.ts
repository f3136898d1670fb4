/**
 * An exploration: run i draws its fault schedule from (seed, i), runs it on a fresh cluster, and
 * the lowest failing index of the slice is shrunk into the result. The order of the work does not
 * change the result, so worker threads and shards reach the same one as this serial loop.
 */
import type { Scenario } from "../scenario/types.js";
import type { ExploreResult, Shard } from "./result.js";
import { type Failure, runSchedule } from "./run.js";
import {
  type ExploreSpace,
  type FaultSchedule,
  runSeed,
  scheduleArbitrary,
  scheduleForRun,
  sortedSchedule,
} from "./schedule.js";
import { shrinkSchedule } from "./shrink.js";

/** What to explore: how many runs from which seed, over which faults, and which slice of the runs. */
export interface ExploreConfig {
  seed: number;
  runs: number;
  space: ExploreSpace;
  /** Draw each run's cluster seed too (timing jitter within the scenario's ranges). */
  jitter: boolean;
  shard: Shard | null;
  /** Invariants every run checks (names; the scenario's own `spec.invariants` included). */
  invariants: string[];
  /** Bound on the runs spent shrinking. */
  maxShrinkRuns?: number;
}

/** One run's outcome. */
export interface RunCheck {
  index: number;
  failures: Failure[];
  eventsRun: number;
}

/** The stream of runSeed that draws cluster seeds, apart from the schedules' stream. */
const JITTER_STREAM = 0x5eed;

/** The run indices of a slice, in order: i % count == index. */
export function shardIndices(runs: number, shard: Shard | null): number[] {
  const { index, count } = shard ?? { index: 0, count: 1 };
  const out: number[] = [];
  for (let i = index; i < runs; i += count) out.push(i);
  return out;
}

/** Draws schedules, runs them, and shrinks a failure, for one scenario and configuration. */
export class Explorer {
  private readonly arb;

  constructor(
    readonly scenario: Scenario,
    readonly files: readonly string[],
    readonly config: ExploreConfig,
  ) {
    this.arb = scheduleArbitrary(config.space);
  }

  /** The fault schedule of run `index`. */
  schedule(index: number): FaultSchedule {
    return scheduleForRun(this.arb, this.config.seed, index);
  }

  /** The seed the cluster of run `index` runs with. */
  clusterSeed(index: number): number {
    return this.config.jitter ? runSeed(this.config.seed ^ JITTER_STREAM, index) : this.scenario.seed;
  }

  /** Runs run `index` and returns what it broke. */
  check(index: number): RunCheck {
    const verdict = runSchedule(this.scenario, this.schedule(index), {
      clusterSeed: this.clusterSeed(index),
    });
    return { index, failures: verdict.failures, eventsRun: verdict.eventsRun };
  }

  /**
   * The result of the slice once its runs are known: `failingIndex` is its lowest failing run (then
   * shrunk here), or undefined when all `runsHeld` runs held.
   */
  result(failingIndex: number | undefined, runsHeld: number): ExploreResult {
    const base: ExploreResult = {
      kind: "kubesim-explore-result",
      version: 1,
      scenario: this.scenario.name,
      files: [...this.files],
      seed: this.config.seed,
      runs: this.config.runs,
      jitter: this.config.jitter,
      invariants: this.config.invariants,
      space: this.config.space,
      shard: this.config.shard,
      runsHeld,
      failure: null,
    };
    if (failingIndex === undefined) return base;
    const original = this.schedule(failingIndex);
    const clusterSeed = this.clusterSeed(failingIndex);
    const shrunk = shrinkSchedule(this.scenario, this.config.space, original, {
      clusterSeed,
      invariants: this.config.invariants,
      ...(this.config.maxShrinkRuns !== undefined ? { maxRuns: this.config.maxShrinkRuns } : {}),
    });
    base.failure = {
      index: failingIndex,
      clusterSeed,
      original: sortedSchedule(original),
      schedule: sortedSchedule(shrunk.schedule),
      failures: shrunk.failures,
      shrinks: shrunk.shrinks,
    };
    return base;
  }

  /** The whole slice in one thread: runs in index order, stops at the first failure. */
  exploreSerial(onRun?: (check: RunCheck) => void): ExploreResult {
    let held = 0;
    for (const index of shardIndices(this.config.runs, this.config.shard)) {
      const check = this.check(index);
      onRun?.(check);
      if (check.failures.length > 0) return this.result(index, held);
      held++;
    }
    return this.result(undefined, held);
  }
}
