/**
 * `npm run bench`: prints figures as one JSON object and a readable table. Never fails on
 * timing; these are measurements, not tests.
 */
import { benchEngine, benchStore } from "./engine.js";

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

console.log(JSON.stringify(results));
const w0 = Math.max(...table.map((r) => r[0].length));
const w1 = Math.max(...table.map((r) => r[1].length));
for (const [label, value, target] of table)
  console.log(`${label.padEnd(w0)}  ${value.padStart(w1)}  ${target}`);
