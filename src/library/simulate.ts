/**
 * `simulate`: the library's one call. Runs a scenario (a Scenario, or YAML text: a Scenario
 * document and/or plain manifests) with a seed, optional extra faults and the invariants, and
 * returns the whole timeline with queries over it. Browser-safe: files other than the text are
 * read only through `read`, which the caller supplies.
 */
import { Cluster, type RunSummary } from "../cluster/cluster.js";
import type { ExpectResult } from "../cluster/expect.js";
import type { TimelineRecord } from "../cluster/records.js";
import { parseDurationMs } from "../engine/duration.js";
import { type ScheduledFault, toActions } from "../faults/arbitraries.js";
import type { Violation } from "../invariants/index.js";
import { loadScenario, type ReadFile } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { TimelineQueries } from "./queries.js";

export interface SimulateOptions {
  /** Root seed; default the scenario's (else 1). */
  seed?: number;
  /** When the run ends: ms, or a duration such as `15m`; default the scenario's (else 10m). */
  until?: number | string;
  /** Invariants to check: true (default) for every built-in one, false for none, or a list of names. */
  invariants?: boolean | readonly string[];
  /** The convergence invariant's bound (ms); default the scenario's `convergeWithin`, else 10 minutes. */
  convergeWithinMs?: number;
  /** Faults added to the scenario's actions (from `faults.schedule`, or written by hand). */
  faults?: readonly ScheduledFault[];
  /** Reads files the text refers to (`spec.manifests`, `kubectl apply -f`); none by default. */
  read?: ReadFile;
  /** Also receives each record as it happens (records are collected either way). */
  sink?: (rec: TimelineRecord) => void;
}

/** A finished run: its records, verdicts and queries over its timeline. */
export interface Simulation extends TimelineQueries {
  readonly scenario: Scenario;
  readonly records: readonly TimelineRecord[];
  readonly summary: RunSummary;
  readonly violations: readonly Violation[];
  readonly expectations: readonly ExpectResult[];
  /** No invariant broke and every expectation held. */
  readonly ok: boolean;
}

/** The name YAML text is loaded under (errors point at `scenario.yaml:LINE:COL`). */
export const TEXT_FILE = "scenario.yaml";

/** YAML text → Scenario (throws ScenarioError with the position of a problem). */
export function scenarioFromText(text: string, read: ReadFile = () => undefined): Scenario {
  return loadScenario([TEXT_FILE], (p) => (p === TEXT_FILE ? text : read(p)));
}

function untilMsOf(until: number | string | undefined): number | undefined {
  if (until === undefined || typeof until === "number") return until;
  const ms = parseDurationMs(until);
  if (ms === undefined) throw new Error(`until: "${until}" is not a duration like 90s, 15m or 1h30m`);
  return ms;
}

/** Runs a scenario to its end and returns the timeline, the verdicts and queries over it. */
export function simulate(input: Scenario | string, opts: SimulateOptions = {}): Simulation {
  const base = typeof input === "string" ? scenarioFromText(input, opts.read) : input;
  const scenario: Scenario =
    opts.faults && opts.faults.length > 0
      ? { ...base, actions: [...base.actions, ...toActions(opts.faults)] }
      : base;
  const records: TimelineRecord[] = [];
  const sink = opts.sink;
  const cluster = new Cluster(scenario, {
    seed: opts.seed,
    invariants: opts.invariants ?? scenario.invariants ?? true,
    convergeWithinMs: opts.convergeWithinMs,
    sink: sink
      ? (r) => {
          records.push(r);
          sink(r);
        }
      : (r) => records.push(r),
  });
  const summary = cluster.run(untilMsOf(opts.until) ?? scenario.untilMs);
  const queries = new TimelineQueries(records, summary.endMs);
  return Object.assign(queries, {
    scenario,
    records,
    summary,
    violations: summary.violations,
    expectations: summary.expectations,
    ok: summary.violations.length === 0 && summary.expectations.every((e) => e.ok),
  });
}
