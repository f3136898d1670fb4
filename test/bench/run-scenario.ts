/**
 * One benchmark run in its own process (so peak RSS is the run's own): loads a scenario file,
 * runs it with a sink that counts records without formatting them, prints one JSON line.
 * Usage: node dist/test/bench/run-scenario.js FILE [--hash] [--repeat-until-ms N]
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { tuneHeap } from "../../sim/heap.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";

/** What one run measured. */
export interface RunFigures {
  file: string;
  loadMs: number;
  wallMs: number;
  /** CPU time of this process during the runs (user + system): steadier than wall on a shared machine. */
  cpuMs: number;
  simMs: number;
  eventsRun: number;
  records: number;
  runs: number;
  peakRssMiB: number;
  expectationsOk: boolean;
  /** FNV-1a over the JSON of every record (only with --hash: it formats every record). */
  hash?: string;
}

function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Runs `file` once (or, after `warmupRuns` unmeasured runs, again and again until `minWallMs` of
 * wall time and at least `minRuns` runs), counting records.
 */
export function runScenarioFile(
  file: string,
  withHash: boolean,
  minWallMs = 0,
  warmupRuns = 0,
  minRuns = 1,
): RunFigures {
  const l0 = performance.now();
  const scenario = loadScenario([file], (p) => {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return undefined;
    }
  });
  const loadMs = performance.now() - l0;
  let records = 0;
  let h = 2166136261;
  const sink = withHash
    ? (rec: TimelineRecord) => {
        records++;
        h = fnv1a(h, JSON.stringify(rec));
      }
    : () => {
        records++;
      };
  // Warm-up runs let the JIT settle; their records are not counted.
  for (let i = 0; i < warmupRuns; i++) new Cluster(scenario, { sink: () => {} }).run();
  let runs = 0;
  let eventsRun = 0;
  let ok = true;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  do {
    const summary = new Cluster(scenario, { sink }).run();
    eventsRun += summary.eventsRun;
    ok &&= summary.expectations.every((e) => e.ok);
    runs++;
  } while (performance.now() - t0 < minWallMs || runs < minRuns);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return {
    file,
    loadMs: Math.round(loadMs),
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    simMs: scenario.untilMs * runs,
    eventsRun,
    records,
    runs,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    expectationsOk: ok,
    ...(withHash ? { hash: h.toString(16).padStart(8, "0") } : {}),
  };
}

if (process.argv[1]?.endsWith("run-scenario.js")) {
  // Runs as the kubesim program runs, with its heap settings.
  tuneHeap();
  const args = process.argv.slice(2);
  const file = args[0];
  if (!file) throw new Error("usage: run-scenario.js FILE [--hash] [--min-wall-ms N]");
  const i = args.indexOf("--min-wall-ms");
  const minWallMs = i >= 0 ? Number(args[i + 1]) : 0;
  console.log(JSON.stringify(runScenarioFile(file, args.includes("--hash"), minWallMs)));
}
