/** `kubesim sweep`: one scenario over a range of seeds, and the distribution of each metric. */

import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import { formatDurationMs } from "../../src/engine/duration.js";
import {
  type Distribution,
  distributions,
  SWEEP_METRICS,
  type SweepMetric,
} from "../../src/explore/metrics.js";
import { type SweepRun, sweepRun } from "../../src/explore/sweep.js";
import { EXIT, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun } from "../options.js";
import { sweepOnThreads } from "../workers/pool.js";
import { positiveInt } from "./explore.js";
import { Progress } from "./progress.js";

/** The flags of `kubesim sweep`. */
export interface SweepOptions {
  seeds?: string;
  metric?: string;
  json?: boolean;
  workers?: number;
  progress?: boolean;
}

const MAX_SEEDS = 10_000_000;

/** `--seeds 1..1000` (or one seed). */
export function parseSeedRange(text: string): { from: number; to: number } {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  const from = Number(m?.[1]);
  const to = m?.[2] === undefined ? from : Number(m[2]);
  if (!m || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
    throw new UsageError(`--seeds ${text}: expected FROM..TO, like 1..1000`);
  }
  if (to - from + 1 > MAX_SEEDS) throw new UsageError(`--seeds ${text}: at most ${MAX_SEEDS} seeds`);
  return { from, to };
}

function parseMetrics(text: string | undefined): SweepMetric[] {
  if (text === undefined) return [...SWEEP_METRICS];
  return text.split(",").map((m) => {
    const name = m.trim();
    if (!(SWEEP_METRICS as readonly string[]).includes(name)) {
      throw new UsageError(`--metric ${name}: unknown metric; the metrics are ${SWEEP_METRICS.join(", ")}`);
    }
    return name as SweepMetric;
  });
}

/** What `sweep --json` prints. */
export interface SweepResult {
  kind: "kubesim-sweep-result";
  version: 1;
  scenario: string;
  files: string[];
  seeds: { from: number; to: number };
  metrics: SweepMetric[];
  runs: number;
  /** Seeds whose run broke an expectation (or an invariant). */
  failedSeeds: number[];
  distributions: Distribution[];
}

const show = (d: Distribution, v: number) => (d.unit === "ms" ? formatDurationMs(v) : String(v));

/** The table: one row a metric, columns aligned. */
export function sweepTable(result: SweepResult): string[] {
  const head = ["METRIC", "RUNS", "MIN", "P50", "P90", "P99", "MAX"];
  const rows = result.distributions.map((d) => [
    d.metric,
    String(d.n),
    ...[d.min, d.p50, d.p90, d.p99, d.max].map((v) => show(d, v)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("   ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

function verdict(result: SweepResult): string {
  const n = result.failedSeeds.length;
  if (n === 0) return `All ${result.runs} runs kept every expectation.`;
  const some = result.failedSeeds.slice(0, 10).join(", ");
  return `${n} of ${result.runs} runs broke an expectation (seeds ${some}${n > 10 ? ", ..." : ""}); replay one with kubesim check FILE --seed N.`;
}

function report(result: SweepResult, opts: SweepOptions, io: Io): number {
  if (opts.json) io.out(`${JSON.stringify(result)}\n`);
  else {
    io.out(
      `sweep ${result.scenario}: seeds ${result.seeds.from}..${result.seeds.to} (${result.runs} runs)\n`,
    );
    if (result.distributions.length === 0) io.out("No metric was reached in any run.\n");
    else for (const line of sweepTable(result)) io.out(`${line}\n`);
    io.out(`${verdict(result)}\n`);
  }
  return EXIT.ok;
}

/** Runs the sweep (on worker threads for 32 seeds or more); exits 0 unless the input is bad. */
export function sweepCommand(files: string[], opts: SweepOptions, io: Io): number | Promise<number> {
  const scenario = loadRun(files);
  if (opts.seeds === undefined)
    throw new UsageError("sweep: --seeds FROM..TO is required, like --seeds 1..1000");
  const seeds = parseSeedRange(opts.seeds);
  const metrics = parseMetrics(opts.metric);
  const list = Array.from({ length: seeds.to - seeds.from + 1 }, (_, i) => seeds.from + i);
  const threads = opts.workers ?? (list.length >= 32 ? Math.min(availableParallelism(), 8) : 1);
  const progress = new Progress(io.err, list.length, opts.progress ?? process.stderr.isTTY === true);
  const finish = (runs: SweepRun[]): number => {
    progress.searchDone(runs.length, threads);
    const result: SweepResult = {
      kind: "kubesim-sweep-result",
      version: 1,
      scenario: scenario.name,
      files,
      seeds,
      metrics,
      runs: runs.length,
      failedSeeds: runs.filter((r) => r.failures > 0).map((r) => r.seed),
      distributions: distributions(runs.map((r) => r.metrics)),
    };
    return report(result, opts, io);
  };
  if (threads <= 1) {
    const set = new Set(metrics);
    return finish(
      list.map((seed, i) => {
        const run = sweepRun(scenario, seed, set);
        progress.update(i + 1);
        return run;
      }),
    );
  }
  return sweepOnThreads(files, list, metrics, threads, (done) => progress.update(done)).then(finish);
}

const SWEEP_HELP = `
Metrics: rollout-duration (each Deployment's last rollout, from leaving to regaining
NewReplicaSetAvailable), min-available (the fewest available replicas of each Deployment, ready
of each StatefulSet, once first complete), recovery-time (each node fault to all its pods serving
again). Percentiles are nearest-rank over the runs that reached the metric (RUNS).`;

/** Adds `kubesim sweep` to the program. */
export function defineSweep(
  program: Command,
  io: Io,
  setExit: (code: number | Promise<number>) => void,
): void {
  program
    .command("sweep")
    .description("run the scenario over many seeds; print each metric's distribution (p50/p90/p99)")
    .argument("<file...>", "scenario and/or manifest files")
    .option("--seeds <from..to>", "the seeds, e.g. 1..1000")
    .option("--metric <names>", `metrics, comma-separated (default ${SWEEP_METRICS.join(",")})`)
    .option("--json", "print the result as JSON instead of the table")
    .addOption(
      new Option("--workers <n>", "worker threads (default: the cores, for 32 seeds or more)").argParser(
        positiveInt,
      ),
    )
    .addHelpText("after", SWEEP_HELP)
    .action((files: string[], o) => setExit(sweepCommand(files, o as SweepOptions, io)));
}
