// drain-pdb.yaml: drain evicts one pod, is refused the second until a replacement is Ready, retries
// every 5 s, and the PDB status follows the pods.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { PodDisruptionBudget } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};
const FILE = "scenarios/failures/drain-pdb.yaml";

type Rec = TimelineRecord & { type: string; action?: string; args?: string; output?: string; error?: string };

function run(seed?: number, patchText?: (s: string) => string) {
  const records: Rec[] = [];
  const reader = (p: string) => {
    const t = read(p);
    return t && patchText && p === FILE ? patchText(t) : t;
  };
  const c = new Cluster(loadScenario([FILE], reader), {
    sink: (r) => records.push(r as Rec),
    ...(seed ? { seed } : {}),
  });
  const summary = c.run();
  const drain = records.filter((r) => r.type === "action" && r.args?.startsWith("drain"));
  return { c, records, drain, summary };
}

describe("drain under a PodDisruptionBudget", () => {
  test("the second eviction is refused every 5 s until the first replacement is Ready", () => {
    const { drain, summary } = run();
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const first = drain[0]!;
    expect(first.t).toBe(60_000);
    const lines = first.output!.split("\n");
    expect(lines[0]).toBe("node/node-1 cordoned");
    expect(lines.filter((l) => l.startsWith("evicting pod default/web-"))).toHaveLength(2);
    expect(lines[3]).toMatch(
      /^error when evicting pods\/"web-[a-z0-9]+-[a-z0-9]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/,
    );
    // Retries at 5 s steps from the start; waitForDelete polls each 1 s after a successful eviction.
    const retries = drain.filter((r) => r.output?.includes("will retry after 5s"));
    for (const r of retries) expect((r.t - 60_000) % 5000).toBe(0);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    const last = drain.at(-1)!;
    expect(last.output!.split("\n").at(-1)).toBe("node/node-1 drained");
    expect(drain.filter((r) => r.output?.includes(" evicted"))).toHaveLength(2);
    expect(drain.every((r) => r.error === undefined)).toBe(true);
  });

  test("the timeline is the same for the same seed", () => {
    const a = run(2).drain.map((r) => [r.t, r.output]);
    const b = run(2).drain.map((r) => [r.t, r.output]);
    expect(a).toEqual(b);
  });

  test("the PDB status ends with 3 healthy of 2 desired, 1 disruption allowed, SufficientPods", () => {
    const { c } = run();
    const pdb = c.api.get<PodDisruptionBudget>("PodDisruptionBudget", "default", "web")!;
    expect(pdb.status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      disruptionsAllowed: 1,
      observedGeneration: 1,
    });
    expect(pdb.status?.disruptedPods).toBeUndefined();
    expect(pdb.status?.conditions).toEqual([
      expect.objectContaining({
        type: "DisruptionAllowed",
        status: "True",
        reason: "SufficientPods",
        message: "",
      }),
    ]);
  });

  test("with --timeout shorter than the wait, drain gives up with kubectl's error", () => {
    const { drain } = run(undefined, (s) => s.replace("--timeout=2m", "--timeout=12s"));
    const last = drain.at(-1)!;
    // The retry loop notices the timeout when it next wakes: at 15 s, the third retry.
    expect(last.t).toBe(75_000);
    expect(last.output).toMatch(/^evicting pod default\/web-/);
    const err = /error when evicting pods\/"web-[a-z0-9-]+" -n "default": global timeout reached: 12s/;
    const lines = last.error!.split("\n");
    expect(lines[0]).toMatch(/^error: unable to drain node "node-1" due to error: error when evicting pods/);
    expect(lines[0]).toMatch(err);
    expect(lines[0]!.endsWith(", continuing command...")).toBe(true);
    expect(lines.slice(1, 3)).toEqual(["There are pending nodes to be drained:", " node-1"]);
    expect(lines[3]).toMatch(err);
  });
});
