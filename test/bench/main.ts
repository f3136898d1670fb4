/**
 * `npm run bench`: prints figures as one JSON object and a readable table. Never fails on
 * timing; these are measurements, not tests.
 */
import { benchEngine, benchStore } from "./engine.js";
import { benchScheduler } from "./scheduler.js";

const results: Record<string, number> = {};
const table: [string, string, string][] = [];

function add(key: string, label: string, value: number, target: string): void {
  results[key] = value;
  table.push([label, value.toLocaleString("en-US"), target]);
}

add("engineEventsPerSecond_1e3", "engine events/s, 1e3 pending", benchEngine(1_000).eventsPerSecond, "");
add(
  "engineEventsPerSecond_1e5",
  "engine events/s, 1e5 pending",
  benchEngine(100_000).eventsPerSecond,
  "≥ 1,000,000",
);
const store = benchStore();
add(
  "storePodUpdatesPerSecond_150k",
  "pod status updates/s, 150k pods stored",
  store.podUpdatesPerSecond,
  "≥ 80,000",
);
add("storeCreateMs_150k", "create 150k pods (ms)", store.createMs, "");
const s500 = benchScheduler(500, 20_000);
add("schedulerPodsPerSecond_500", "pods bound/s, 500 nodes", s500.podsPerSecond, "≥ 20,000");
add(
  "schedulerCyclesPerSecond_500",
  "scheduling decisions/s, 500 nodes (no writes)",
  s500.cyclesPerSecond,
  "",
);
const s5000 = benchScheduler(5_000, 20_000);
add(
  "schedulerPodsPerSecond_5000",
  "pods bound/s, 5,000 nodes",
  s5000.podsPerSecond,
  "within 2× of 500 nodes",
);
add(
  "schedulerCyclesPerSecond_5000",
  "scheduling decisions/s, 5,000 nodes (no writes)",
  s5000.cyclesPerSecond,
  "",
);

console.log(JSON.stringify(results));
const w0 = Math.max(...table.map((r) => r[0].length));
const w1 = Math.max(...table.map((r) => r[1].length));
for (const [label, value, target] of table)
  console.log(`${label.padEnd(w0)}  ${value.padStart(w1)}  ${target}`);
