// The Eviction API against a running cluster: a granted eviction decrements disruptionsAllowed,
// notes the pod in disruptedPods and marks it DisruptionTarget; the controller then confirms it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { evictPod } from "../../src/api/eviction.js";
import type { Pod, PodDisruptionBudget } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    const text = readFileSync(join(ROOT, path), "utf8");
    // The same cluster without the drain: this test makes the evictions itself.
    return text.replace(/ {4}- at: 1m\n {6}kubectl: drain[^\n]*\n/, "    - at: 1m\n");
  } catch {
    return undefined;
  }
};

describe("the eviction subresource", () => {
  test("grants one eviction, refuses the next with 429, and the controller confirms the first", () => {
    const c = new Cluster(loadScenario(["scenarios/failures/drain-pdb.yaml"], read), { sink: () => {} });
    c.runTo(50_000);
    const budget = () => c.api.get<PodDisruptionBudget>("PodDisruptionBudget", "default", "web")!;
    expect(budget().status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    const pods = c.api
      .list<Pod>("Pod", { namespace: "default" })
      .map((p) => p.metadata.name)
      .sort();
    const [first, second] = pods as [string, string];

    expect(evictPod(c.api, "default", first)).toEqual({ ok: true });
    const evicted = c.api.get<Pod>("Pod", "default", first)!;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.status?.conditions).toContainEqual(
      expect.objectContaining({ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }),
    );
    expect(budget().status?.disruptionsAllowed).toBe(0);
    expect(Object.keys(budget().status?.disruptedPods ?? {})).toEqual([first]);
    expect(budget().status?.conditions?.[0]).toMatchObject({ status: "False", reason: "InsufficientPods" });

    const refused = evictPod(c.api, "default", second);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect([refused.error.code, refused.error.message]).toEqual([
        429,
        "Cannot evict pod as it would violate the pod's disruption budget.",
      ]);
    }

    // A moment later the controller has seen the pod terminating: it leaves disruptedPods.
    c.runTo(51_000);
    expect(budget().status?.disruptedPods).toBeUndefined();
    expect(budget().status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });

    expect(evictPod(c.api, "default", "nope")).toMatchObject({ ok: false, error: { code: 404 } });
  });
});
