/**
 * `kubesim explore`: random fault schedules on top of a scenario, the first failing run shrunk and
 * written as a replayable scenario; `--shard`, `--json`, `explore-merge` and `--emit-indexed-job`
 * split the runs across processes and machines.
 */

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { formatDurationMs, parseDurationMs } from "../../src/engine/duration.js";
import { counterexampleYaml } from "../../src/explore/counterexample.js";
import { type ExploreConfig, Explorer, shardIndices } from "../../src/explore/explore.js";
import { indexedJobYaml } from "../../src/explore/job.js";
import { headline, verdictLines } from "../../src/explore/report.js";
import { type ExploreResult, MergeError, mergeResults, parseResults } from "../../src/explore/result.js";
import { EXPLORE_FAULT_TYPES, type ExploreFaultType, type ExploreSpace } from "../../src/explore/schedule.js";
import { INVARIANT_NAMES, isInvariantName } from "../../src/invariants/names.js";
import type { Scenario } from "../../src/scenario/types.js";
import { EXIT, systemErrorText, UsageError } from "../errors.js";
import { type Io, readInputFile } from "../io.js";
import { loadRun, parseSeed } from "../options.js";
import { exploreOnThreads } from "../workers/pool.js";
import { Progress } from "./progress.js";

/** The flags of `kubesim explore`, as commander gives them. */
export interface ExploreOptions {
  runs?: number;
  seed?: number;
  faults?: string;
  maxFaults?: number;
  window?: string;
  nodes?: string;
  jitter?: boolean;
  /** `--invariants all|a,b`: checked besides the scenario's own `spec.invariants`. */
  invariants?: string;
  shard?: string;
  json?: string;
  out?: string;
  workers?: number;
  emitIndexedJob?: number;
  image?: string;
  parallelism?: number;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
}

const LIMITS = { runs: 10_000_000, maxFaults: 50, shards: 100_000 };
const DEFAULT_RUNS = 100;
const DEFAULT_MAX_FAULTS = 3;

/** Every node the scenario has: its node pools and the Node objects among its manifests. */
function scenarioNodes(scenario: Scenario): string[] {
  const names = scenario.nodes.flatMap((n) => n.names);
  for (const { object } of scenario.objects) {
    if (object.kind === "Node" && typeof object.metadata?.name === "string") names.push(object.metadata.name);
  }
  return names;
}

function parseList(text: string, flag: string): string[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`${flag} ${text}: expected a comma-separated list`);
  return [...new Set(items)];
}

function parseTypes(text: string | undefined): ExploreFaultType[] {
  if (text === undefined) return [...EXPLORE_FAULT_TYPES];
  return parseList(text, "--faults").map((t) => {
    if (!(EXPLORE_FAULT_TYPES as readonly string[]).includes(t)) {
      throw new UsageError(
        `--faults: explore cannot inject "${t}" faults yet; the fault types it draws are ${EXPLORE_FAULT_TYPES.join(", ")}`,
      );
    }
    return t as ExploreFaultType;
  });
}

function parseNodes(text: string | undefined, scenario: Scenario): string[] {
  const known = scenarioNodes(scenario);
  if (text === undefined) return known;
  const nodes = parseList(text, "--nodes");
  for (const n of nodes) {
    if (!known.includes(n))
      throw new UsageError(`--nodes: no node named "${n}" (the nodes are ${known.join(", ")})`);
  }
  return nodes;
}

/** `--window 1m..10m` (default: the whole run). */
function parseWindow(text: string | undefined, untilMs: number): [number, number] {
  if (text === undefined) return [0, untilMs];
  const parts = text.split("..");
  const ms = parts.map((p) => parseDurationMs(p));
  if (parts.length !== 2 || ms[0] === undefined || ms[1] === undefined) {
    throw new UsageError(`--window ${text}: expected FROM..TO durations, like 1m..10m`);
  }
  const [from, to] = ms as [number, number];
  if (from > to) throw new UsageError(`--window ${text}: the window ends before it starts`);
  if (to > untilMs) {
    throw new UsageError(`--window ${text}: the run ends at ${formatDurationMs(untilMs)} (spec.until)`);
  }
  return [from, to];
}

/** `--shard i/N`: the i-th (from 0) of N slices of the run indices. */
export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > LIMITS.shards || index >= count) {
    throw new UsageError(`--shard ${text}: expected I/N with 0 <= I < N, like 0/4`);
  }
  return { index, count };
}

function intInRange(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  flag: string,
): number {
  const v = value ?? fallback;
  if (v < min || v > max) throw new UsageError(`${flag} ${v}: expected ${min} to ${max}`);
  return v;
}

/** The scenario's own invariants plus `--invariants` (all, or names), in the built-in order. */
function parseInvariants(text: string | undefined, scenario: Scenario): string[] {
  const chosen = new Set(scenario.invariants ?? []);
  if (text !== undefined) {
    for (const name of parseList(text, "--invariants")) {
      if (name === "all") for (const n of INVARIANT_NAMES) chosen.add(n);
      else if (isInvariantName(name)) chosen.add(name);
      else {
        throw new UsageError(
          `--invariants: unknown invariant "${name}"; known: ${INVARIANT_NAMES.join(", ")}, all`,
        );
      }
    }
  }
  return INVARIANT_NAMES.filter((n) => chosen.has(n));
}

/** The exploration the flags ask for (exit 2 on a bad flag). */
export function exploreConfig(scenario: Scenario, opts: ExploreOptions): ExploreConfig {
  const [windowFromMs, windowToMs] = parseWindow(opts.window, scenario.untilMs);
  const nodes = parseNodes(opts.nodes, scenario);
  if (nodes.length === 0) throw new UsageError("explore: the scenario has no nodes to fault");
  const space: ExploreSpace = {
    types: parseTypes(opts.faults),
    nodes,
    maxFaults: intInRange(opts.maxFaults, DEFAULT_MAX_FAULTS, 1, LIMITS.maxFaults, "--max-faults"),
    windowFromMs,
    windowToMs,
  };
  return {
    seed: opts.seed ?? scenario.seed,
    runs: intInRange(opts.runs, DEFAULT_RUNS, 1, LIMITS.runs, "--runs"),
    space,
    jitter: opts.jitter === true,
    invariants: parseInvariants(opts.invariants, scenario),
    shard: parseShard(opts.shard),
  };
}

/** Threads to run on: `--workers`, else the cores when there are enough runs to share. */
function threadsFor(opts: ExploreOptions, runs: number): number {
  if (opts.workers !== undefined) return opts.workers;
  return runs >= 32 ? Math.min(availableParallelism(), 8) : 1;
}

/** Writes a file whole or not at all (a temporary name, renamed when complete). */
export function writeWhole(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw new UsageError(`${path}: cannot write: ${systemErrorText(e) ?? String(e)}`);
  }
}

/** Writes the counterexample of a complete result; returns its path (undefined when none is due). */
function writeCounterexample(result: ExploreResult, scenario: Scenario, outDir: string): string | undefined {
  const f = result.failure;
  if (!f || result.shard) return undefined;
  const path = join(outDir, "counterexample.yaml");
  const text = counterexampleYaml({
    files: result.files,
    read: readInputFile,
    scenario,
    clusterSeed: f.clusterSeed,
    invariants: result.invariants,
    schedule: f.schedule,
    relocate: (p) => (isAbsolute(p) ? p : relative(outDir, p) || "."),
    header: [
      `Counterexample found by kubesim explore: run ${f.index} of ${result.runs} from seed ${result.seed},`,
      `shrunk to ${f.schedule.length} fault(s). Its fault actions are at the end of spec.actions.`,
      `Replay: kubesim check ${path}`,
    ],
  });
  writeWhole(path, text);
  return path;
}

/** Prints the result, writes the counterexample and `--json`; returns the exit code. */
export function reportResult(
  result: ExploreResult,
  scenario: Scenario,
  opts: { out?: string; json?: string },
  io: Io,
): number {
  // With `--json -` the result owns stdout (one JSON line); the report goes to stderr.
  const say = opts.json === "-" ? io.err : io.out;
  const outDir = opts.out ?? join("reports", scenario.name);
  const path = writeCounterexample(result, scenario, outDir);
  say(`${headline(result)}\n`);
  for (const line of verdictLines(result, path)) say(`${line}\n`);
  const json = `${JSON.stringify(result)}\n`;
  if (opts.json === "-") io.out(json);
  else if (opts.json !== undefined) writeWhole(opts.json, json);
  return result.failure ? EXIT.failed : EXIT.ok;
}

function emitJob(
  files: readonly string[],
  config: ExploreConfig,
  scenario: Scenario,
  opts: ExploreOptions,
  io: Io,
): number {
  const names = files.map((f) => basename(f));
  if (new Set(names).size !== names.length) {
    throw new UsageError(
      "--emit-indexed-job: two of the files have the same name; the ConfigMap keys them by name",
    );
  }
  const completions = opts.emitIndexedJob!;
  if (scenario.objects.some((o) => !files.includes(o.pos.file))) {
    io.err(
      "note: the scenario reads other manifest files (spec.manifests): put them in the ConfigMap or the image too\n",
    );
  }
  io.out(
    indexedJobYaml({
      result: { ...config, scenario: scenario.name },
      files: files.map((f, i) => ({ name: names[i]!, text: readInputFile(f) ?? "" })),
      completions,
      parallelism: opts.parallelism ?? Math.min(completions, 10),
      image: opts.image ?? "kubesim:latest",
    }),
  );
  return EXIT.ok;
}

/** Runs the exploration; a promise when it runs on worker threads. */
export function exploreCommand(files: string[], opts: ExploreOptions, io: Io): number | Promise<number> {
  const scenario = loadRun(files);
  const config = exploreConfig(scenario, opts);
  if (scenario.expect.length === 0 && config.invariants.length === 0) {
    throw new UsageError(
      `explore: ${scenario.name} promises nothing, so no run can fail: add \`expect:\` entries to its Scenario, or check invariants (--invariants all)`,
    );
  }
  if (opts.emitIndexedJob !== undefined) return emitJob(files, config, scenario, opts, io);
  const explorer = new Explorer(scenario, files, config);
  const indices = shardIndices(config.runs, config.shard);
  const progress = new Progress(io.err, indices.length, opts.progress ?? process.stderr.isTTY === true);
  const threads = threadsFor(opts, indices.length);
  const finish = (failingIndex: number | undefined, runsHeld: number, ran: number): number => {
    progress.searchDone(ran, threads, failingIndex !== undefined);
    const result = explorer.result(failingIndex, runsHeld);
    progress.end();
    return reportResult(result, scenario, opts, io);
  };
  if (threads <= 1) {
    let done = 0;
    let failing: number | undefined;
    for (const index of indices) {
      const check = explorer.check(index);
      progress.update(++done);
      if (check.failures.length > 0) {
        failing = index;
        break;
      }
    }
    return finish(failing, failing === undefined ? done : done - 1, done);
  }
  return exploreOnThreads(files, config, indices, threads, (done) => progress.update(done)).then((r) =>
    finish(r.failingIndex, r.runsHeld, r.ran),
  );
}

/** `kubesim explore-merge RESULT.json...`: the shards' results as one, reported as a single run's. */
export function exploreMergeCommand(
  resultFiles: string[],
  opts: { files?: string[]; out?: string; json?: string },
  io: Io,
): number {
  const results = resultFiles.flatMap((f) => {
    const text = readInputFile(f);
    if (text === undefined) throw new UsageError(`${f}: no such file`);
    try {
      return parseResults(text, f);
    } catch (e) {
      if (e instanceof MergeError) throw new UsageError(e.message);
      throw e;
    }
  });
  let merged: ExploreResult;
  try {
    merged = mergeResults(results);
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`explore-merge: ${e.message}`);
    throw e;
  }
  if (opts.files && opts.files.length > 0) merged = { ...merged, files: opts.files };
  return reportResult(merged, loadRun(merged.files), opts, io);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A flag's non-negative integer (`--runs 100`). */
export function positiveInt(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError("expected a non-negative integer, like 100.");
  }
  return Number(text);
}

const EXPLORE_HELP = `
Each run adds up to --max-faults node faults (type, node, start time in --window, and an optional
heal after "for") to the scenario and runs it on a fresh cluster. Run i's schedule comes from
(--seed, i) alone, so --shard I/N (runs i with i % N == I) gives the same runs on any machine. A
run fails when an expectation of the scenario fails or an invariant breaks (the scenario's
spec.invariants and --invariants; the counterexample lists them so check tests them too). The first failing run is shrunk (fast-check)
to a minimal schedule and written to OUT/counterexample.yaml (default reports/<scenario>/), which
\`kubesim check\` replays. Exits 1 when a run failed, 0 when all held, 2 on bad input.`;

/** Adds `kubesim explore` and `kubesim explore-merge` to the program. */
export function defineExplore(
  program: Command,
  io: Io,
  setExit: (code: number | Promise<number>) => void,
): void {
  program
    .command("explore")
    .description(
      "run the scenario under random node-fault schedules; shrink and write the first that breaks it",
    )
    .argument("<file...>", "scenario and/or manifest files")
    .addOption(new Option("--runs <n>", `how many runs (default ${DEFAULT_RUNS})`).argParser(positiveInt))
    .addOption(new Option("--seed <n>", "exploration seed (default: the scenario's)").argParser(parseSeed))
    .option("--faults <types>", `fault types to draw from (default ${EXPLORE_FAULT_TYPES.join(",")})`)
    .addOption(
      new Option("--max-faults <k>", `at most K faults a run (default ${DEFAULT_MAX_FAULTS})`).argParser(
        positiveInt,
      ),
    )
    .option("--window <from..to>", "when faults may start, e.g. 1m..10m (default: the whole run)")
    .option("--nodes <names>", "nodes to fault, e.g. node-1,node-2 (default: all)")
    .option("--jitter", "draw each run's cluster seed too (timing within the scenario's ranges)")
    .option(
      "--invariants <names>",
      `also check invariants: all, or a comma-separated list of ${INVARIANT_NAMES.join(", ")}`,
    )
    .option("--shard <i/n>", "run only the i-th (from 0) of n slices of the runs")
    .option("--json <file>", "write the result as JSON (- for stdout; the report then goes to stderr)")
    .option("--out <dir>", "where to write counterexample.yaml (default reports/<scenario>)")
    .addOption(
      new Option("--workers <n>", "worker threads (default: the cores, for 32 runs or more)").argParser(
        positiveInt,
      ),
    )
    .addOption(
      new Option(
        "--emit-indexed-job <n>",
        "print an Indexed Job running n shards on a Kubernetes cluster",
      ).argParser(positiveInt),
    )
    .option(
      "--image <image>",
      "with --emit-indexed-job: the container image with kubesim (default kubesim:latest)",
    )
    .addOption(
      new Option("--parallelism <n>", "with --emit-indexed-job: pods at once").argParser(positiveInt),
    )
    .addHelpText("after", EXPLORE_HELP)
    .action((files: string[], o) => setExit(exploreCommand(files, o as ExploreOptions, io)));
  program
    .command("explore-merge")
    .description("merge the --json results of explore's shards and report them as one run")
    .argument("<result...>", "result files (JSON, or JSON lines as `kubectl logs` gathers them)")
    .option(
      "-f, --filename <file>",
      "the scenario files, when not where the shards read them (repeatable)",
      collect,
    )
    .option("--json <file>", "write the merged result as JSON (- for stdout)")
    .option("--out <dir>", "where to write counterexample.yaml (default reports/<scenario>)")
    .action((results: string[], o) =>
      setExit(exploreMergeCommand(results, { files: o.filename, out: o.out, json: o.json }, io)),
    );
}
