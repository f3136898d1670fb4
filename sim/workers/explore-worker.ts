/** The worker thread of `kubesim explore` and `kubesim sweep`: runs a batch of run indices or seeds. */
import type { ExploreConfig } from "../../src/explore/explore.js";
import { Explorer } from "../../src/explore/explore.js";
import type { SweepMetric } from "../../src/explore/metrics.js";
import { type SweepRun, sweepRun } from "../../src/explore/sweep.js";
import type { Scenario } from "../../src/scenario/types.js";
import { loadRun } from "../options.js";

/** A batch of work: explore runs (stopping at the batch's first failure) or sweep seeds. */
export type WorkerTask =
  | { kind: "explore"; files: string[]; config: ExploreConfig; indices: number[] }
  | { kind: "sweep"; files: string[]; seeds: number[]; metrics: SweepMetric[] };

/** One explore run's outcome, as small as a message can be. */
export interface RunOutcome {
  index: number;
  failed: boolean;
  eventsRun: number;
}

// A worker loads the scenario files once and keeps them for every later batch.
const scenarios = new Map<string, Scenario>();
const explorers = new Map<string, Explorer>();

function scenarioOf(files: string[]): Scenario {
  const key = JSON.stringify(files);
  let s = scenarios.get(key);
  if (!s) scenarios.set(key, (s = loadRun(files)));
  return s;
}

/** Runs explore indices in order and stops after the first failing one. */
export function exploreBatch(explorer: Explorer, indices: readonly number[]): RunOutcome[] {
  const out: RunOutcome[] = [];
  for (const index of indices) {
    const check = explorer.check(index);
    out.push({ index, failed: check.failures.length > 0, eventsRun: check.eventsRun });
    if (check.failures.length > 0) break;
  }
  return out;
}

/** The task handler (tinypool calls the default export). */
export default function runTask(task: WorkerTask): RunOutcome[] | SweepRun[] {
  const scenario = scenarioOf(task.files);
  if (task.kind === "sweep") {
    const metrics = new Set(task.metrics);
    return task.seeds.map((seed) => sweepRun(scenario, seed, metrics));
  }
  const key = JSON.stringify([task.files, task.config]);
  let explorer = explorers.get(key);
  if (!explorer) explorers.set(key, (explorer = new Explorer(scenario, task.files, task.config)));
  return exploreBatch(explorer, task.indices);
}
