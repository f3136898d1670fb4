// The taint eviction controller (§4.3) and the pod garbage collector (§4.4), each on its own rules:
// NoExecute taints a pod does not tolerate, tolerates for a while, or forever; orphaned pods of a
// deleted node, terminating pods on an out-of-service node, terminated pods over the threshold.
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { PodGCController } from "../../src/controllers/podgc.js";
import { boundPod, cluster, deployment, events, fault, WATCH_LATENCY_MS as LAT, pods } from "./helpers.js";

const MAINTENANCE = { key: "example.com/maintenance", effect: "NoExecute" as const };

describe("taint eviction", () => {
  test("not tolerated: deleted at once; tolerated 30 s: deleted 30 s later; tolerated forever: kept", () => {
    const { c, records } = cluster({
      objects: [
        boundPod("a", "node-1"),
        boundPod("b", "node-1", {
          tolerations: [
            { key: MAINTENANCE.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
          ],
        }),
        boundPod("c", "node-1", {
          tolerations: [{ key: MAINTENANCE.key, operator: "Exists", effect: "NoExecute" }],
        }),
      ],
      untilMs: 120_000,
    });
    const deletedAt: Record<string, number> = {};
    c.api.observe((ev) => {
      const p = ev.object as Pod;
      if (ev.object.kind === "Pod" && p.metadata?.deletionTimestamp && !ev.old?.metadata.deletionTimestamp)
        deletedAt[p.metadata.name!] = c.engine.nowMs;
    });
    c.engine.at(20_000, () => c.api.patch("Node", undefined, "node-1", { spec: { taints: [MAINTENANCE] } }));
    c.run();
    // The taint manager acts one watch latency after the taint is written.
    expect(deletedAt).toEqual({ a: 20_000 + LAT, b: 20_000 + LAT + 30_000 });
    const marking = events(records, "TaintManagerEviction").map((e) => [e.t, e.message]);
    expect(marking).toEqual([
      [20_000 + LAT, "Marking for deletion Pod default/a"],
      [50_000 + LAT, "Marking for deletion Pod default/b"],
    ]);
    expect(c.api.get("Pod", "default", "c")).toBeDefined();
  });

  test("the taint removed before the time runs out: the deletion is cancelled", () => {
    const { c, records } = cluster({
      objects: [
        boundPod("b", "node-1", {
          tolerations: [
            { key: MAINTENANCE.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 },
          ],
        }),
      ],
      untilMs: 120_000,
    });
    c.engine.at(20_000, () => c.api.patch("Node", undefined, "node-1", { spec: { taints: [MAINTENANCE] } }));
    c.engine.at(50_000, () => c.api.patch("Node", undefined, "node-1", { spec: { taints: null } }));
    c.run();
    expect(events(records, "TaintManagerEviction").map((e) => [e.t, e.source, e.message])).toEqual([
      [50_000 + LAT, "taint-eviction-controller", "Cancelling deletion of Pod default/b"],
    ]);
    expect(c.api.get<Pod>("Pod", "default", "b")?.metadata.deletionTimestamp).toBeUndefined();
  });

  test("an evicted pod carries DisruptionTarget (DeletionByTaintManager) and is deleted gracefully", () => {
    const { c } = cluster({ objects: [boundPod("a", "node-1")], untilMs: 60_000 });
    let seen: Pod | undefined;
    c.api.observe((ev) => {
      if (ev.object.kind === "Pod" && ev.object.metadata.deletionTimestamp && !seen) seen = ev.object as Pod;
    });
    c.engine.at(20_000, () => c.api.patch("Node", undefined, "node-1", { spec: { taints: [MAINTENANCE] } }));
    c.run();
    expect(seen!.status!.conditions!.find((x) => x.type === "DisruptionTarget")).toMatchObject({
      status: "True",
      reason: "DeletionByTaintManager",
      message: "Taint manager: deleting due to NoExecute taint",
    });
    expect(seen!.metadata!.deletionGracePeriodSeconds).toBe(30);
  });
});

describe("pod garbage collection", () => {
  test("a deleted Node's pods are force-deleted after the 40 s quarantine (checked every 20 s), marked Failed first", () => {
    const { c } = cluster({ objects: [deployment("web", 3)], untilMs: 3 * 60_000 });
    const last = new Map<string, Pod>();
    const gone: Record<string, number> = {};
    c.api.observe((ev) => {
      if (ev.object.kind !== "Pod") return;
      const p = ev.object as Pod;
      if (ev.type === "DELETED") gone[p.metadata!.name!] = c.engine.nowMs;
      else last.set(p.metadata!.name!, p);
    });
    let victim = "";
    c.engine.at(60_000, () => {
      victim = pods(c).find((p) => p.spec?.nodeName === "node-2")!.metadata.name;
      c.api.delete("Node", undefined, "node-2");
    });
    c.run();
    // The first pass after the deletion quarantines the node; the pass 40 s later deletes.
    expect(gone[victim]).toBeGreaterThanOrEqual(60_000 + 40_000);
    expect(gone[victim]).toBeLessThanOrEqual(60_000 + 20_000 + 40_000 + LAT);
    const final = last.get(victim)!;
    expect(final.status!.phase).toBe("Failed");
    expect(final.status!.conditions!.find((x) => x.type === "DisruptionTarget")).toMatchObject({
      status: "True",
      reason: "DeletionByPodGC",
      message: "PodGC: node no longer exists",
    });
    // The ReplicaSet replaced it only then, on a node that exists.
    expect(
      pods(c)
        .map((p) => p.spec?.nodeName)
        .filter((n) => n === "node-2"),
    ).toEqual([]);
    expect(pods(c)).toHaveLength(3);
  });

  test("terminating pods on a NotReady node with the out-of-service taint are force-deleted at the next pass", () => {
    const { c } = cluster({
      objects: [boundPod("stuck", "node-2")],
      actions: [fault(30_000, { type: "crash", node: "node-2" })],
      untilMs: 5 * 60_000,
    });
    let goneAt = 0;
    c.api.observe((ev) => {
      if (ev.object.kind === "Pod" && ev.type === "DELETED") goneAt = c.engine.nowMs;
    });
    c.engine.at(40_000, () => c.api.delete("Pod", "default", "stuck"));
    const taint = { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" };
    c.engine.at(150_000, () =>
      c.api.patch("Node", undefined, "node-2", {
        spec: {
          taints: [
            ...(c.api.get<{ spec: { taints?: unknown[] } }>("Node", undefined, "node-2")!.spec.taints ?? []),
            taint,
          ],
        },
      }),
    );
    c.run();
    expect(goneAt).toBeGreaterThan(150_000);
    expect(goneAt).toBeLessThanOrEqual(150_000 + 20_000 + LAT);
  });

  test("terminated pods over the threshold: the oldest go first", () => {
    const done = (name: string) =>
      boundPod(name, "node-1", { restartPolicy: "Never", containers: [{ name: "job", image: "app:done" }] });
    const { c } = cluster({
      objects: [done("p1"), done("p2")],
      images: [{ pattern: "app:done", exit: { after: { minMs: 1000, maxMs: 1000 }, exitCode: 0 } }],
      untilMs: 120_000,
    });
    c.engine.at(5_000, () => {
      c.api.create(done("p3"));
      c.api.create(done("p4"));
    });
    new PodGCController(c, 2);
    c.run();
    expect(
      pods(c)
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(["p3", "p4"]);
  });
});
