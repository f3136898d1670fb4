// The scheduler's scenario files run, their expectations hold, and they show what they claim.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";
import { events } from "./helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};

function runFile(file: string) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(loadScenario([file], read), { sink: (r) => records.push(r) });
  const summary = c.run();
  return { c, records, summary };
}

describe("scheduler scenarios", () => {
  test("unschedulable-until-uncordon: FailedScheduling while cordoned, Scheduled on node-1 right after uncordon", () => {
    const { records, summary } = runFile("scenarios/unschedulable-until-uncordon.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const failed = events(records, "FailedScheduling");
    expect(failed[0]!.message).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. " +
        "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
    );
    const scheduled = events(records, "Scheduled");
    expect(scheduled.map((e) => e.message)).toEqual(["Successfully assigned default/web to node-1"]);
    expect(scheduled[0]!.t).toBeGreaterThan(120_000);
    expect(scheduled[0]!.t).toBeLessThan(120_100);
  });

  test("scheduling-spread: two replicas on each untainted node, none on the tainted one", () => {
    const { c, summary } = runFile("scenarios/scheduling-spread.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const perNode: Record<string, number> = {};
    for (const p of c.api.list<Pod>("Pod", { namespace: "default" })) {
      const n = p.spec?.nodeName ?? "";
      perNode[n] = (perNode[n] ?? 0) + 1;
    }
    expect(perNode).toEqual({ "node-1": 2, "node-2": 2, "node-3": 2 });
  });
});
