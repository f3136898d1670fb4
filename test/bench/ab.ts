/**
 * In-process A/B of two builds: `node dist/test/bench/ab.js DIR_A DIR_B SCENARIO [ROUNDS]` loads
 * both (each DIR a checkout with its dist/ built), alternates their runs of the scenario (REPS
 * runs per round, the order flipped every round, WARM warm-up runs each) and prints the median ms
 * per run of each and the median of the paired ratios B/A (below 1: B is faster). The host's
 * speed drifts by up to 2× over minutes; paired runs in one process cancel most of it. Run it in
 * both orders: the second build loaded tends to be a few per cent slower.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

type Runner = () => number;

async function load(dir: string, scenarioFile: string): Promise<Runner> {
  const dist = (p: string) => pathToFileURL(resolve(dir, "dist", p)).href;
  const { Cluster } = (await import(
    dist("src/cluster/cluster.js")
  )) as typeof import("../../src/cluster/cluster.js");
  const { loadScenario } = (await import(
    dist("src/scenario/load.js")
  )) as typeof import("../../src/scenario/load.js");
  const scenario = loadScenario([scenarioFile], (p) => readFileSync(p, "utf8"));
  const reps = Number(process.env.REPS ?? 1);
  return () => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) new Cluster(scenario, { sink: () => {} }).run();
    return (performance.now() - t0) / reps;
  };
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;

if (process.argv[1]?.endsWith("ab.js")) {
  const [dirA, dirB, scenarioFile, roundsArg] = process.argv.slice(2);
  if (!dirA || !dirB || !scenarioFile) throw new Error("usage: ab.js DIR_A DIR_B SCENARIO [ROUNDS]");
  const a = await load(dirA, scenarioFile);
  const b = await load(dirB, scenarioFile);
  for (let i = 0; i < Number(process.env.WARM ?? 1); i++) {
    a();
    b();
  }
  const rounds = Number(roundsArg ?? 10);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      ta.push(a());
      tb.push(b());
    } else {
      tb.push(b());
      ta.push(a());
    }
  }
  const ratio = median(ta.map((x, i) => tb[i]! / x));
  console.log(
    JSON.stringify({
      msA: +median(ta).toFixed(2),
      msB: +median(tb).toFixed(2),
      ratioBA: +ratio.toFixed(3),
      rounds,
    }),
  );
}
