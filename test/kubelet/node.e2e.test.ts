/** The node side of the kubelet end to end: registration, Lease renewals, status reports, and the fault hooks. */
import { describe, expect, test } from "vitest";
import type { Lease, Node } from "../../src/api/types.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { cluster, createPodAt, events, getPod, node, pod } from "./helpers.js";

describe("registration", () => {
  test("at its join time the kubelet creates a Ready Node and records its start-up events", () => {
    const { c, records } = cluster({ nodes: [node("node-1", {}, { joinAtMs: 5_000 })] });
    c.runTo(4_999);
    expect(c.api.get("Node", undefined, "node-1")).toBeUndefined();
    c.runTo(5_000);
    const n = c.api.get<Node>("Node", undefined, "node-1");
    expect(n?.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message])).toEqual([
      ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
      ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
    ]);
    expect(n?.spec?.podCIDR).toBe("10.244.0.0/24");
    // The kubelet's own events (the node controller adds RegisteredNode on its first look).
    const kubeletEvents = events(records, "Node/node-1").filter((e) => e.source === "kubelet");
    expect(kubeletEvents.map((e) => [e.t, e.reason, e.message])).toEqual([
      [5_000, "Starting", "Starting kubelet."],
      [5_000, "NodeHasSufficientMemory", "Node node-1 status is now: NodeHasSufficientMemory"],
      [5_000, "NodeHasNoDiskPressure", "Node node-1 status is now: NodeHasNoDiskPressure"],
      [5_000, "NodeHasSufficientPID", "Node node-1 status is now: NodeHasSufficientPID"],
      [5_000, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"],
    ]);
    const lease = c.api.get<Lease>("Lease", "kube-node-lease", "node-1");
    expect(lease?.spec).toEqual({
      holderIdentity: "node-1",
      leaseDurationSeconds: 40,
      renewTime: "2025-01-01T00:00:05.000000Z",
    });
    expect(lease?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "Node",
      name: "node-1",
      uid: n?.metadata?.uid,
    });
  });
});

/** Times of writes of one kind for one name. */
function writeTimes(c: ReturnType<typeof cluster>["c"], kind: string, name: string): number[] {
  const times: number[] = [];
  c.api.observe((ev) => {
    if (ev.object.kind === kind && ev.object.metadata.name === name) times.push(c.engine.nowMs);
  });
  return times;
}

describe("heartbeats", () => {
  test("the Lease is renewed every 10 s, with a per-node phase", () => {
    const { c } = cluster({ nodes: [node("node-1"), node("node-2")] });
    const one = writeTimes(c, "Lease", "node-1");
    const two = writeTimes(c, "Lease", "node-2");
    c.run(120_000);
    const gaps = one.slice(2).map((t, i) => t - one[i + 1]!);
    expect(new Set(gaps)).toEqual(new Set([10_000]));
    expect(one.length).toBeGreaterThanOrEqual(12);
    expect(one[1]! % 10_000).not.toBe(two[1]! % 10_000);
  });

  test("an unchanged node status is reported every 5 minutes; a new image is reported at the next 10 s tick", () => {
    const { c } = cluster();
    const writes = writeTimes(c, "Node", "node-1");
    c.run(11 * 60_000);
    expect(writes[0]).toBe(0);
    // The report comes at the first 10 s status tick once 5 minutes have passed.
    const gaps = writes.slice(1).map((t, i) => t - writes[i]!);
    expect(gaps).toHaveLength(2);
    for (const g of gaps) expect(g >= 300_000 && g < 310_000).toBe(true);
    const heartbeat = c.api.get<Node>("Node", undefined, "node-1")?.status?.conditions?.[3];
    expect(heartbeat?.lastTransitionTime).toBe("2025-01-01T00:00:00Z");
    expect(heartbeat?.lastHeartbeatTime).not.toBe("2025-01-01T00:00:00Z");

    const b = cluster();
    const w = writeTimes(b.c, "Node", "node-1");
    createPodAt(b.c, 20_000, pod("web", {}));
    b.c.run(60_000);
    expect(w).toHaveLength(2);
    const images = b.c.api
      .get<Node>("Node", undefined, "node-1")
      ?.status?.images?.flatMap((i) => i.names ?? []);
    expect(images).toContain("docker.io/library/nginx:1.25");
  });
});

describe("fault hooks", () => {
  test("kubelet stop: no more renewals, containers keep running; restart resumes both", () => {
    const { c } = cluster();
    const renewals = writeTimes(c, "Lease", "node-1");
    createPodAt(c, 20_000, pod("web", {}));
    const k = kubeletFor(c, "node-1")!;
    c.engine.at(60_000, () => k.stop());
    c.engine.at(120_000, () => k.restart());
    c.run(180_000);
    expect(renewals.filter((t) => t > 60_000 && t < 120_000)).toEqual([]);
    expect(renewals.filter((t) => t >= 120_000).length).toBeGreaterThanOrEqual(6);
    const p = getPod(c, "web");
    expect(p?.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, ready: true });
    expect(p?.status?.phase).toBe("Running");
  });

  test("node crash: containers are gone; after restart they start again with lastState Unknown (255)", () => {
    const { c, records } = cluster();
    createPodAt(c, 20_000, pod("web", {}));
    const k = kubeletFor(c, "node-1")!;
    c.engine.at(60_000, () => k.crash());
    c.engine.at(90_000, () => k.restart());
    c.run(150_000);
    const cs = getPod(c, "web")?.status?.containerStatuses?.[0];
    expect(cs?.restartCount).toBe(1);
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 255, reason: "Unknown" });
    expect(cs?.state?.running).toBeDefined();
    expect(events(records, "Pod/default/web").filter((e) => e.reason === "Started")).toHaveLength(2);
  });

  test("partition: nothing is written while the apiserver is unreachable; on heal the status catches up", () => {
    const { c } = cluster({
      images: [{ pattern: "app:crash", exit: { after: { minMs: 30_000, maxMs: 30_000 }, exitCode: 1 } }],
    });
    const podWrites = writeTimes(c, "Pod", "crash");
    const leases = writeTimes(c, "Lease", "node-1");
    createPodAt(c, 20_000, pod("crash", { containers: [{ name: "app", image: "app:crash" }] }));
    const k = kubeletFor(c, "node-1")!;
    // Healed before the node controller's grace period (50 s) runs out, so every write to the pod
    // in the window would be the kubelet's.
    c.engine.at(40_000, () => k.setApiReachable(false));
    c.engine.at(75_000, () => k.setApiReachable(true));
    c.run(76_000);
    expect(podWrites.filter((t) => t > 40_000 && t < 75_000)).toEqual([]);
    expect(leases.filter((t) => t > 40_000 && t < 75_000)).toEqual([]);
    expect(leases).toContain(75_000);
    expect(getPod(c, "crash")?.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
  });
});

test("the same scenario and seed give the same timeline, byte for byte", () => {
  const run = () => {
    const { c, records } = cluster({
      nodes: [node("node-1"), node("node-2")],
      images: [{ pattern: "app:crash", exit: { after: { minMs: 500, maxMs: 3_000 }, exitCode: 1 } }],
      timing: { imagePull: { minMs: 1_000, maxMs: 3_000 }, sandboxCreate: { minMs: 300, maxMs: 1_000 } },
    });
    for (let i = 0; i < 6; i++) {
      const probe = { httpGet: { path: "/", port: 80 }, periodSeconds: 3 };
      createPodAt(
        c,
        1_000 * i,
        pod(
          `p${i}`,
          { containers: [{ name: "app", image: i % 2 ? "app:crash" : "nginx:1.25", readinessProbe: probe }] },
          `node-${1 + (i % 2)}`,
        ),
      );
    }
    c.run(5 * 60_000);
    return JSON.stringify(records);
  };
  expect(run()).toBe(run());
});

test("a pod deleted while its kubelet was stopped is stopped once, when the kubelet is back", () => {
  const { c, records } = cluster();
  createPodAt(c, 20_000, pod("web", {}));
  const k = kubeletFor(c, "node-1")!;
  c.engine.at(60_000, () => k.stop());
  c.engine.at(70_000, () => {
    c.api.delete("Pod", "default", "web");
  });
  c.engine.at(90_000, () => k.restart());
  c.run(120_000);
  const killing = events(records, "Pod/default/web").filter((e) => e.reason === "Killing");
  expect(killing.map((e) => [e.t, e.count ?? 1])).toEqual([[90_000, 1]]);
  expect(getPod(c, "web")).toBeUndefined();
});
