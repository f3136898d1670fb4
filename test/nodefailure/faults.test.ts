// Node faults as scenario actions: what each does to the kubelet, how it heals, what the action
// records say, and what the cluster makes of it (a partition healed before or after eviction,
// a stopped kubelet, a crash healed in time).
import { describe, expect, test } from "vitest";
import type { Deployment, Node } from "../../src/api/types.js";
import type { ActionRecord } from "../../src/cluster/records.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { cluster, deployment, events, fault, heal, leaseRenewals, pods, readyOf, steps } from "./helpers.js";

const actions = (records: { type: string }[]) =>
  records.filter((r): r is ActionRecord => r.type === "action");

function available(c: ReturnType<typeof cluster>["c"], name = "web"): number {
  return c.api.get<Deployment>("Deployment", "default", name)?.status?.availableReplicas ?? 0;
}

describe("fault and heal actions", () => {
  test("errors are recorded on the action: unknown node, a second fault, nothing to heal, a type mismatch, an unknown pod", () => {
    const { c, records } = cluster({
      actions: [
        fault(1_000, { type: "crash", node: "node-9" }),
        fault(2_000, { type: "partition", node: "node-1" }),
        fault(3_000, { type: "crash", node: "node-1" }),
        heal(4_000, { node: "node-2" }),
        heal(5_000, { node: "node-1", type: "crash" }),
        fault(6_000, { type: "oom", pod: "web" }),
        heal(7_000, { node: "node-1" }),
      ],
      untilMs: 10_000,
    });
    c.run();
    expect(actions(records).map((a) => [a.t, a.action, a.error ?? null])).toEqual([
      [1_000, "fault", 'error: node "node-9" is not a node of this scenario (nodes: node-1, node-2, node-3)'],
      [2_000, "fault", null],
      [3_000, "fault", "error: node node-1 already has an active partition fault (heal it first)"],
      [4_000, "heal", "error: node node-2 has no active fault to heal"],
      [5_000, "heal", "error: node node-1 has an active partition fault, not crash"],
      [6_000, "fault", 'error: pods "web" not found in namespace "default"'],
      [7_000, "heal", null],
    ]);
  });

  test("`for:` heals by itself, with an action record saying so", () => {
    const { c, records } = cluster({
      actions: [fault(10_000, { type: "kubelet-stop", node: "node-3", forMs: 90_000 })],
    });
    const renewals = leaseRenewals(c, "node-3");
    c.run(200_000);
    expect(renewals.filter((t) => t > 10_000 && t < 100_000)).toEqual([]);
    expect(renewals).toContain(100_000);
    const auto = actions(records).find((a) => a.t === 100_000)!;
    expect(auto).toMatchObject({
      action: "heal",
      args: '{"node":"node-3"}',
      output: "kubelet-stop of node-3 healed after 1m30s (for: 1m30s)",
    });
    expect(kubeletFor(c, "node-3")!.running).toBe(true);
  });

  test("heal by type alone heals every node with that fault", () => {
    const { c } = cluster({
      actions: [
        fault(1_000, { type: "partition", node: "node-1" }),
        fault(1_000, { type: "partition", node: "node-2" }),
        heal(5_000, { type: "partition" }),
      ],
      untilMs: 6_000,
    });
    c.run();
    expect(kubeletFor(c, "node-1")!.apiReachable).toBe(true);
    expect(kubeletFor(c, "node-2")!.apiReachable).toBe(true);
  });
});

describe("what the cluster makes of node faults", () => {
  test("partition healed before eviction: pods NotReady then Ready again, the eviction cancelled, nothing recreated", () => {
    const { c, records } = cluster({
      objects: [deployment("web", 3)],
      actions: [fault(60_000, { type: "partition", node: "node-2" }), heal(180_000, { node: "node-2" })],
    });
    const created: number[] = [];
    c.api.observe((ev) => {
      if (ev.object.kind === "Pod" && ev.type === "ADDED") created.push(c.engine.nowMs);
    });
    let lowest = 3;
    c.api.observe(() => {
      if (c.engine.nowMs > 30_000) lowest = Math.min(lowest, available(c));
    });
    c.run();
    expect(created.filter((t) => t > 60_000)).toEqual([]);
    expect(lowest).toBe(2);
    expect(available(c)).toBe(3);
    const onNode2 = pods(c).find((p) => p.spec?.nodeName === "node-2")!;
    expect(readyOf(onNode2)).toBe("True");
    expect(onNode2.metadata.deletionTimestamp).toBeUndefined();
    expect(events(records, "TaintManagerEviction").map((e) => e.message)).toEqual([
      `Cancelling deletion of Pod default/${onNode2.metadata.name}`,
    ]);
    const node = c.api.get<Node>("Node", undefined, "node-2")!;
    expect(readyOf(node)).toBe("True");
    expect(node.spec?.taints ?? []).toEqual([]);
    expect(steps(records, "PodReadyInPlace")).toHaveLength(1);
  });

  test("partition healed after eviction: the kubelet learns its pod was deleted and kills the old container", () => {
    const { c, records } = cluster({
      objects: [deployment("web", 3)],
      actions: [fault(60_000, { type: "partition", node: "node-2" }), heal(8 * 60_000, { node: "node-2" })],
    });
    const k = kubeletFor(c, "node-2")!;
    let oldPod = "";
    let runningDuringPartition = 0;
    c.engine.at(7 * 60_000, () => {
      const old = pods(c).find((p) => p.spec?.nodeName === "node-2")!;
      oldPod = old.metadata.name;
      expect(old.metadata.deletionTimestamp).toBeDefined();
      runningDuringPartition = k.runtime
        .containers(old.metadata.uid)
        .filter((x) => x.state === "running").length;
    });
    c.run();
    expect(runningDuringPartition).toBe(1);
    const killing = events(records, "Killing").filter((e) => e.involved === `Pod/default/${oldPod}`);
    expect(killing.map((e) => [e.t, e.source])).toEqual([[8 * 60_000, "kubelet"]]);
    expect(c.api.get("Pod", "default", oldPod)).toBeUndefined();
    expect(available(c)).toBe(3);
    expect(pods(c)).toHaveLength(3);
  });

  test("kubelet-stop: no heartbeats and the node goes Unknown, but the containers keep running; restart brings the pods back Ready", () => {
    const { c } = cluster({
      objects: [deployment("web", 3)],
      actions: [fault(60_000, { type: "kubelet-stop", node: "node-2" }), heal(150_000, { node: "node-2" })],
      untilMs: 170_000,
    });
    const k = kubeletFor(c, "node-2")!;
    const checks: [string, number][] = [];
    c.engine.at(140_000, () => {
      const p = pods(c).find((x) => x.spec?.nodeName === "node-2")!;
      checks.push([
        readyOf(c.api.get<Node>("Node", undefined, "node-2"))!,
        k.runtime.containers(p.metadata.uid).length,
      ]);
      checks.push([
        readyOf(p)!,
        k.runtime.containers(p.metadata.uid).filter((x) => x.state === "running").length,
      ]);
    });
    c.run();
    expect(checks).toEqual([
      ["Unknown", 1],
      ["False", 1],
    ]);
    const p = pods(c).find((x) => x.spec?.nodeName === "node-2")!;
    expect(readyOf(p)).toBe("True");
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(readyOf(c.api.get<Node>("Node", undefined, "node-2"))).toBe("True");
  });

  test("crash healed before eviction: the node reboots with an empty runtime and the pods start again in place", () => {
    const { c, records } = cluster({
      objects: [deployment("web", 3)],
      actions: [fault(60_000, { type: "crash", node: "node-2" }), heal(150_000, { node: "node-2" })],
      untilMs: 200_000,
    });
    c.run();
    const p = pods(c).find((x) => x.spec?.nodeName === "node-2")!;
    expect(readyOf(p)).toBe("True");
    expect(p.status?.containerStatuses?.[0]).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { exitCode: 255, reason: "Unknown" } },
    });
    expect(pods(c)).toHaveLength(3);
    const inPlace = steps(records, "PodReadyInPlace");
    expect(inPlace).toHaveLength(1);
    expect(inPlace[0]!.t).toBeGreaterThan(150_000);
  });

  test("the recovery summary gives each phase of a crash, per fault and per pod", () => {
    const { c, records } = cluster({
      objects: [deployment("web", 3)],
      actions: [fault(60_000, { type: "crash", node: "node-2" })],
    });
    c.run();
    const [summary] = steps(records, "RecoverySummary");
    expect(summary!.t).toBe(10 * 60_000);
    const data = summary!.data as {
      totalMs: number;
      phasesMs: Record<string, number>;
      pods: { outcome: string; evictedBy: string }[];
    };
    expect(Object.keys(data.phasesMs)).toEqual([
      "heartbeatToNotReady",
      "notReadyToTaint",
      "taintToEviction",
      "evictionToCreated",
      "createdToScheduled",
      "scheduledToRunning",
      "runningToReady",
    ]);
    const p = data.phasesMs;
    expect(p.heartbeatToNotReady).toBeGreaterThanOrEqual(50_000);
    expect(p.heartbeatToNotReady).toBeLessThanOrEqual(55_005);
    expect(p.taintToEviction).toBeGreaterThanOrEqual(300_000);
    expect(p.taintToEviction).toBeLessThanOrEqual(300_010);
    expect(data.pods).toHaveLength(1);
    expect(data.pods[0]).toMatchObject({ evictedBy: "DeletionByTaintManager" });
    expect(data.pods[0]!.outcome).toMatch(/^replaced by default\/web-/);
    expect(summary!.message).toMatch(
      /^crash of node-2 at 1m0s \(not healed\): 1 pod\(s\) affected, all serving again 5m5\d/,
    );
    const order = steps(records)
      .filter((s) => s.component === "kubesim/recovery")
      .map((s) => s.step);
    expect(order).toEqual([
      "NodeFault",
      "NodeNotReady",
      "NodeTainted",
      "PodEvicted",
      "ReplacementCreated",
      "ReplacementScheduled",
      "ReplacementRunning",
      "ReplacementReady",
      "Recovered",
      "RecoverySummary",
    ]);
  });
});
