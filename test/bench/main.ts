/**
 * `npm run bench [-- --only B1,B2,B3,B4,micro,heap,replay] [--scale F] [--write-scenarios]`: prints the
 * figures as one JSON object and a readable table. Never fails on timing; these are
 * measurements, not tests. Scenario runs (B2, B3) each get their own process, so peak RSS is theirs.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tuneHeap } from "../../sim/heap.js";
import { benchEngine, benchStore } from "./engine.js";
import type { HeapFigures } from "./heap.js";
import { type RunFigures, runScenarioFile } from "./run-scenario.js";
import { scaleScenarioYaml, scaleSize } from "./scenarios.js";
import { benchScheduler } from "./scheduler.js";

// B1 runs in this process: with the kubesim program's heap settings, as B2 and B3 get in theirs.
tuneHeap();

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const B1_FILE = join(repo, "scenarios", "bench", "b1-small.yaml");
const B2_FILE = join(repo, "scenarios", "bench", "b2-scale.yaml");

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = new Set((option("--only") ?? "B1,B2,B3,B4,micro").split(",").map((s) => s.trim()));
const scale = Number(option("--scale") ?? "1");
const results: Record<string, unknown> = { scale };
const table: [string, string, string][] = [];
const fmt = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 });

function add(key: string, label: string, value: number | string, target = ""): void {
  results[key] = value;
  table.push([label, typeof value === "string" ? value : fmt(value), target]);
}

if (process.argv.includes("--write-scenarios")) {
  writeFileSync(B2_FILE, scaleScenarioYaml(scaleSize(1), "b2-scale"));
  console.error(`wrote ${B2_FILE}`);
}

const tmp = mkdtempSync(join(tmpdir(), "kubesim-bench-"));
/** The scale scenario file at `fraction` of B2 (the checked-in file at 100 %). */
function scaleFile(fraction: number): string {
  if (fraction === 1) return B2_FILE;
  const file = join(tmp, `b2-${fraction}.yaml`);
  writeFileSync(file, scaleScenarioYaml(scaleSize(fraction), `b2-at-${fraction}`));
  // On stderr: the scaled scenario is an ordinary file, to run or compare again (ab.js).
  console.error(`wrote ${file}`);
  return file;
}

/** Runs a scenario file in a child process (with room for a large heap); its last line of JSON. */
function runChild<T = RunFigures>(file: string, script = "run-scenario.js"): T {
  const r = spawnSync(process.execPath, ["--max-old-space-size=12288", join(here, script), file], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench run of ${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

/** Runs a scenario file in a child process without waiting for it (as `runChild`). */
function runChildAsync(file: string, args: string[]): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      "--max-old-space-size=12288",
      join(here, "run-scenario.js"),
      file,
      ...args,
    ]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench run of ${file} failed:\n${err}`));
      else resolve(JSON.parse(out.trim().split("\n").pop()!) as RunFigures);
    });
  });
}

/** Least-squares slope of log(y) against log(x), to two decimals. */
function fittedExponent(x: number[], y: number[]): number {
  const xs = x.map((v) => Math.log(v));
  const ys = y.map((v) => Math.log(Math.max(1, v)));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return Math.round((num / den) * 100) / 100;
}

const pods = (f: number) => {
  const s = scaleSize(f);
  return s.deployments * s.replicasEach;
};

if (only.has("B1")) {
  // Two warm-up runs, then at least 3 s and 10 runs.
  const b1 = runScenarioFile(B1_FILE, false, 3000, 2, 10);
  results.B1 = b1;
  add("B1_speedup", "B1 small: simulated time ÷ wall time", Math.round(b1.simMs / b1.wallMs), "≥ 100,000");
  add("B1_speedupCpu", "B1 small: simulated time ÷ CPU time", Math.round(b1.simMs / b1.cpuMs));
}

let b2: RunFigures | undefined;
if (only.has("B2") || only.has("B4")) {
  b2 = runChild<RunFigures>(scaleFile(scale));
  results.B2 = b2;
  const s = scaleSize(scale);
  const label = `B2 scale ×${scale} (${s.nodes} nodes, ${pods(scale)} pods)`;
  add("B2_wallS", `${label}: wall s`, b2.wallMs / 1000, scale === 1 ? "≤ 30" : "");
  add("B2_cpuS", `${label}: CPU s`, b2.cpuMs / 1000);
  add("B2_eventsPerSecond", `${label}: events/s`, Math.round(b2.eventsRun / (b2.wallMs / 1000)));
  add("B2_peakRssMiB", `${label}: peak RSS MiB`, b2.peakRssMiB, scale === 1 ? "≤ 3,072" : "");
  add("B2_speedup", `${label}: speed-up over real time`, Math.round(b2.simMs / b2.wallMs), "≥ 120");
}

if (only.has("B3")) {
  const fractions = [0.1, 0.25, 0.5, 1];
  const runs = fractions.map((f) => (f === 1 && b2 ? b2 : runChild(scaleFile(f * scale))));
  const sizes = fractions.map((f) => pods(f * scale));
  results.B3 = fractions.map((f, i) => ({ fraction: f * scale, pods: sizes[i], ...runs[i] }));
  for (const [i, f] of fractions.entries()) {
    const at = `B3 at ${Math.round(f * scale * 1000) / 10} %`;
    add(`B3_wallS_${f * scale}`, `${at}: wall s`, runs[i]!.wallMs / 1000);
    add(`B3_cpuS_${f * scale}`, `${at}: CPU s`, runs[i]!.cpuMs / 1000);
  }
  const wall = fittedExponent(
    sizes,
    runs.map((r) => r.wallMs),
  );
  add("B3_exponent", "B3 fitted exponent of wall time vs size", wall, "≤ 1.15");
  const cpu = fittedExponent(
    sizes,
    runs.map((r) => r.cpuMs),
  );
  add("B3_exponentCpu", "B3 fitted exponent of CPU time vs size", cpu);
}

if (only.has("B4")) {
  const engine = benchEngine(100_000).eventsPerSecond;
  add("B4_engineEventsPerSecond", "B4 engine alone: events/s (1e5 pending)", engine);
  const sim = b2 ? b2.eventsRun / (b2.wallMs / 1000) : 0;
  add("B4_ratio", "B4 full simulation's events/s ÷ engine's", Math.round((sim / engine) * 1000) / 1000);
}

if (only.has("micro")) {
  add("engineEventsPerSecond_1e3", "engine events/s, 1e3 pending", benchEngine(1_000).eventsPerSecond);
  const store = benchStore();
  add("storePodUpdatesPerSecond_150k", "pod status updates/s, 150k pods stored", store.podUpdatesPerSecond);
  add("storeCreateMs_150k", "create 150k pods (ms)", store.createMs);
  const s500 = benchScheduler(500, 20_000);
  add("schedulerPodsPerSecond_500", "pods bound/s, 500 nodes", s500.podsPerSecond, "≥ 20,000");
  add("schedulerCyclesPerSecond_500", "scheduling decisions/s, 500 nodes (no writes)", s500.cyclesPerSecond);
  const s5000 = benchScheduler(5_000, 20_000);
  add("schedulerPodsPerSecond_5000", "pods bound/s, 5,000 nodes", s5000.podsPerSecond, "within 2× of 500");
  add("schedulerCyclesPerSecond_5000", "scheduling decisions/s, 5,000 nodes", s5000.cyclesPerSecond);
}

if (only.has("replay")) {
  // Determinism at scale: B2 (at --scale) run twice side by side, each hashing every record's JSON.
  const file = scaleFile(scale);
  const [a, b] = await Promise.all([runChildAsync(file, ["--hash"]), runChildAsync(file, ["--hash"])]);
  results.replay = { file, hashes: [a!.hash, b!.hash], records: [a!.records, b!.records] };
  add("replay_hash", `B2 ×${scale} timeline hash, first run (${a!.records} records)`, a!.hash!);
  add("replay_same", `B2 ×${scale} run twice: same timeline`, String(a!.hash === b!.hash), "true");
}

if (only.has("heap")) {
  // A heap snapshot after the run (B2 at --scale; it needs ~10× its heap to read back: keep it small).
  const h = runChild<HeapFigures>(scaleFile(scale), "heap.js");
  results.heap = h;
  const at = `heap after B2 ×${scale}`;
  add("heap_liveMiB", `${at}: live MiB`, h.liveMiB);
  add("heap_bytesPerPod", `${at}: bytes per stored pod (all included)`, h.bytesPerPod);
  for (const [kind, k] of Object.entries(h.kinds).slice(0, 4))
    add(`heap_bytesEach_${kind}`, `${at}: bytes each ${kind} retains (×${k.count})`, k.bytesEach);
  for (const [cls, c] of Object.entries(h.components))
    if (c.count > 0) add(`heap_bytes_${cls}`, `${at}: bytes held by ${cls} (×${c.count})`, c.bytes);
}

console.log(JSON.stringify(results));
const w0 = Math.max(...table.map((r) => r[0].length));
const w1 = Math.max(...table.map((r) => r[1].length));
for (const [label, value, target] of table)
  console.log(`${label.padEnd(w0)}  ${value.padStart(w1)}  ${target}`);
