/** `kubesim sweep`'s unit of work: one seed of a scenario, its metrics and whether its promises held. */
import { Cluster } from "../cluster/cluster.js";
import type { Scenario } from "../scenario/types.js";
import { MetricsCollector, type SweepMetric } from "./metrics.js";
import { failuresOf } from "./run.js";

/** One seed's outcome. */
export interface SweepRun {
  seed: number;
  /** Broken promises (failed expectations, violated invariants). */
  failures: number;
  metrics: Record<string, number>;
}

/** Runs the scenario with `seed` and collects the chosen metrics. */
export function sweepRun(scenario: Scenario, seed: number, metrics: ReadonlySet<SweepMetric>): SweepRun {
  const collector = new MetricsCollector(metrics);
  const summary = new Cluster(scenario, { seed, sink: collector.sink }).run();
  return { seed, failures: failuresOf(summary).length, metrics: collector.finish() };
}
