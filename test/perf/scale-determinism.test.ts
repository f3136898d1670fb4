/** The scale benchmark's scenario, shrunk: two runs with one seed give the same timeline, record for record. */
import { describe, expect, it } from "vitest";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";
import { scaleScenarioYaml } from "../bench/scenarios.js";
import { readRepoFile } from "../support/files.js";

const SIZE = { nodes: 12, deployments: 6, replicasEach: 10, crashes: 2 };

function run(): { lines: string[]; ok: boolean } {
  const text = scaleScenarioYaml(SIZE, "scale-small");
  const scenario = loadScenario(["scale-small.yaml"], (p) =>
    p === "scale-small.yaml" ? text : readRepoFile(p),
  );
  const lines: string[] = [];
  const summary = new Cluster(scenario, {
    sink: (r: TimelineRecord) => lines.push(JSON.stringify(r)),
  }).run();
  return { lines, ok: summary.expectations.every((e) => e.ok) };
}

describe("scale scenario (B2 shape, small)", () => {
  it("runs its rollout and crashes to the end, and a second run gives the same timeline", () => {
    const a = run();
    const b = run();
    expect(a.ok).toBe(true);
    expect(a.lines.length).toBeGreaterThan(1000);
    expect(b.lines).toEqual(a.lines);
  });
});
