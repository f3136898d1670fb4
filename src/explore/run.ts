/** One exploration run: the scenario plus a fault schedule on a fresh Cluster, and what broke. */
import { Cluster, type RunSummary } from "../cluster/cluster.js";
import type { RecordSink } from "../cluster/records.js";
import type { Scenario } from "../scenario/types.js";
import { type FaultSchedule, withFaults } from "./schedule.js";

/** A broken promise: a failed `expect` entry, or a violated invariant. */
export interface Failure {
  kind: "expect" | "invariant";
  /** The expectation's text, or the invariant's name. */
  what: string;
  detail: string;
  /** When an invariant broke. */
  atMs?: number;
}

/** What one run found; an empty `failures` means every promise held. */
export interface RunVerdict {
  failures: Failure[];
  eventsRun: number;
}

/** Options of a run: the cluster's seed (the scenario's unless given), invariants, a timeline sink. */
export interface RunOptions {
  clusterSeed?: number;
  /** Invariants to check (names); default the scenario's `spec.invariants`. */
  invariants?: readonly string[];
  sink?: RecordSink;
}

/** The failures a run summary reports: expectations first (declaration order), then invariants. */
export function failuresOf(summary: RunSummary): Failure[] {
  const out: Failure[] = [];
  for (const e of summary.expectations) {
    if (!e.ok) out.push({ kind: "expect", what: e.expect, detail: e.detail });
  }
  for (const v of summary.violations) {
    out.push({ kind: "invariant", what: v.invariant, detail: v.message, atMs: v.atMs });
  }
  return out;
}

/** Runs the scenario with the schedule's faults to its end and returns what failed. */
export function runSchedule(scenario: Scenario, schedule: FaultSchedule, opts: RunOptions = {}): RunVerdict {
  const cluster = new Cluster(withFaults(scenario, schedule), {
    ...(opts.clusterSeed !== undefined ? { seed: opts.clusterSeed } : {}),
    ...(opts.invariants !== undefined ? { invariants: opts.invariants } : {}),
    ...(opts.sink ? { sink: opts.sink } : {}),
  });
  const summary = cluster.run();
  return { failures: failuresOf(summary), eventsRun: summary.eventsRun };
}
