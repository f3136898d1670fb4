// The node lifecycle controller's fast path for settled nodes (a node whose Node object is the one a
// quiet pass saw, its Lease possibly renewed) gives the same answers as the full health check on
// every pass: the same timeline, and the same health of every node and the same per-zone Ready
// counts after every monitor pass.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Cluster } from "../../src/cluster/cluster.js";
import { nodeLifecycleControllerOf } from "../../src/controllers/nodelifecycle/index.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The timeline and, after each monitor pass, every node's health; `full`: no fast path. */
function run(file: string, full: boolean, seed?: number) {
  const records: string[] = [];
  const c = new Cluster(loadScenario([file], read), {
    sink: (r) => records.push(JSON.stringify(r)),
    ...(seed ? { seed } : {}),
  });
  const nlc = nodeLifecycleControllerOf(c)!;
  const internals = nlc as unknown as {
    steady: Map<string, unknown>;
    counts: Map<string, unknown>;
    monitorNodeHealth(): void;
  };
  // Without its entries every node takes the full check on every pass.
  if (full) internals.steady.get = () => undefined;
  const passes: string[] = [];
  const pass = internals.monitorNodeHealth.bind(nlc);
  internals.monitorNodeHealth = () => {
    pass();
    const names = [...c.api.cache("Node").values()].map((n) => n.metadata.name).sort();
    const health = names.map((n) => [n, nlc.nodeHealth(n)]);
    passes.push(JSON.stringify({ health, zoneCounts: [...internals.counts] }));
  };
  c.run();
  return { records, passes };
}

describe("the monitor's fast path for settled nodes matches the full check", () => {
  const cases: [string, number | undefined][] = [
    ["scenarios/bench/b1-small.yaml", undefined],
    ["scenarios/failures/node-crash.yaml", undefined],
    ["scenarios/failures/partition-heals-early.yaml", undefined],
    ["scenarios/failures/partition-heals-late.yaml", undefined],
    ["scenarios/failures/invariants-under-faults.yaml", undefined],
    ["scenarios/failures/invariants-under-faults.yaml", 7],
  ];
  test.each(cases)("%s (seed %s): same timeline, same health after every pass", (file, seed) => {
    const fast = run(file, false, seed);
    const full = run(file, true, seed);
    expect(fast.passes.length).toBeGreaterThan(40);
    expect(fast.passes).toEqual(full.passes);
    expect(fast.records).toEqual(full.records);
  });
});
