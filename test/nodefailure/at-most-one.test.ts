// §3.5: a pod on an unreachable node stays Terminating, since no kubelet finishes it, so a
// StatefulSet (which waits for the old pod object to go) never runs two pods of one identity.
// The pod object goes only when the Node is deleted, the node is marked out-of-service, or the
// node comes back.
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import type { Action } from "../../src/scenario/types.js";
import { boundPod, cluster, fault, heal, WATCH_LATENCY_MS as LAT } from "./helpers.js";

const CRASH_MS = 30_000;
const DELETE_MS = 60_000;
const ACT_MS = 10 * 60_000;

/** Two plain pods on node-2, which crashes; both are deleted (gracefully) while it is down. */
function stuckPods(actions: Action[] = []) {
  const { c } = cluster({
    objects: [boundPod("db-0", "node-2"), boundPod("db-1", "node-2", { terminationGracePeriodSeconds: 5 })],
    actions: [fault(CRASH_MS, { type: "crash", node: "node-2" }), ...actions],
    untilMs: 15 * 60_000,
  });
  const goneAt: Record<string, number> = {};
  c.api.observe((ev) => {
    if (ev.object.kind === "Pod" && ev.type === "DELETED") goneAt[ev.object.metadata.name] = c.engine.nowMs;
  });
  c.engine.at(DELETE_MS, () => {
    c.api.delete("Pod", "default", "db-0");
    c.api.delete("Pod", "default", "db-1");
  });
  return { c, goneAt };
}

describe("pods with a deletionTimestamp on a crashed node", () => {
  test("stay Terminating as long as nothing else happens, long past their grace period", () => {
    const { c, goneAt } = stuckPods();
    c.run();
    expect(goneAt).toEqual({});
    for (const name of ["db-0", "db-1"]) {
      const p = c.api.get<Pod>("Pod", "default", name)!;
      expect(p.metadata.deletionTimestamp).toBeDefined();
      expect(p.status?.phase).toBe("Running");
    }
  });

  test("go when the Node object is deleted: PodGC, after its quarantine", () => {
    const { c, goneAt } = stuckPods();
    c.engine.at(ACT_MS, () => c.api.delete("Node", undefined, "node-2"));
    c.run();
    for (const name of ["db-0", "db-1"]) {
      expect(goneAt[name]).toBeGreaterThanOrEqual(ACT_MS + 40_000);
      expect(goneAt[name]).toBeLessThanOrEqual(ACT_MS + 60_000 + LAT);
    }
  });

  test("go when the NotReady node gets the out-of-service taint: PodGC's next pass", () => {
    const { c, goneAt } = stuckPods();
    c.engine.at(ACT_MS, () => {
      const taints =
        c.api.get<Pod & { spec: { taints?: unknown[] } }>("Node", undefined, "node-2")!.spec.taints ?? [];
      const oos = { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" };
      c.api.patch("Node", undefined, "node-2", { spec: { taints: [...taints, oos] } });
    });
    c.run();
    for (const name of ["db-0", "db-1"]) {
      expect(goneAt[name]).toBeGreaterThan(ACT_MS);
      expect(goneAt[name]).toBeLessThanOrEqual(ACT_MS + 20_000 + LAT);
    }
  });

  test("go when the node comes back: the kubelet finds them deleted and finishes at once", () => {
    const { c, goneAt } = stuckPods([heal(ACT_MS, { node: "node-2" })]);
    c.run();
    for (const name of ["db-0", "db-1"]) {
      expect(goneAt[name]).toBeGreaterThanOrEqual(ACT_MS);
      expect(goneAt[name]).toBeLessThanOrEqual(ACT_MS + 1_000);
    }
  });
});
