// The README's example, as a real test: a property over random node-fault schedules against a
// user's manifest (web.yaml, plain Kubernetes YAML), through the library API only.
import { readFileSync } from "node:fs";
import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { faults, simulate } from "../../src/index.js";

const manifest = readFileSync(new URL("./web.yaml", import.meta.url), "utf8");

test.prop([faults.schedule({ nodes: ["node-1", "node-2", "node-3"], maxFaults: 2, windowMs: 5 * 60_000 })], {
  numRuns: 8,
  seed: 42,
})("web recovers from any two node faults and keeps its rollout bounds", (schedule) => {
  const sim = simulate(manifest, { seed: 1, until: "20m", faults: schedule });
  expect(sim.violations).toEqual([]);
  expect(sim.stateAt("deployment", "web")?.availableReplicas).toBe(3);
});
