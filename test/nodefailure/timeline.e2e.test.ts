// A dead node, end to end, against Kubernetes' defaults (reference §4.1–4.5): the bounds below come
// from the settings (lease renewal 10 s, grace 50 s, monitor period 5 s, tainting pass 100 ms,
// 0.1 node/s, tolerationSeconds 300, watch latency), not from this implementation's output.
import { describe, expect, test } from "vitest";
import type { Node, Pod } from "../../src/api/types.js";
import {
  cluster,
  deployment,
  events,
  fault,
  WATCH_LATENCY_MS as LAT,
  leaseRenewals,
  nodes,
  pods,
  readyOf,
  watchWrites,
} from "./helpers.js";

const LEASE_RENEW_MS = 10_000;
const GRACE_MS = 50_000;
const MONITOR_MS = 5_000;
const EVICTION_PASS_MS = 100;
const TOLERATION_MS = 300_000;

const hasTaint = (n: Node, key: string, effect: string) =>
  (n.spec?.taints ?? []).some((t) => t.key === key && t.effect === effect);

/** Crashes node-2 at `crashMs` under a 3-replica Deployment and measures each milestone. */
function crashRun(crashMs: number, seed: number) {
  const { c, records } = cluster({
    seed,
    objects: [deployment("web", 3)],
    actions: [fault(crashMs, { type: "crash", node: "node-2" })],
    untilMs: crashMs + 8 * 60_000,
  });
  const renewals = leaseRenewals(c, "node-2");
  const unknown = watchWrites<Node>(c, "Node", "node-2", (n) => readyOf(n) === "Unknown");
  const noSchedule = watchWrites<Node>(c, "Node", "node-2", (n) =>
    hasTaint(n, "node.kubernetes.io/unreachable", "NoSchedule"),
  );
  const noExecute = watchWrites<Node>(c, "Node", "node-2", (n) =>
    hasTaint(n, "node.kubernetes.io/unreachable", "NoExecute"),
  );
  const evicted: { t: number; pod: string }[] = [];
  const created: number[] = [];
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod") return;
    const p = ev.object as Pod;
    if (ev.type === "ADDED" && c.engine.nowMs > crashMs) created.push(c.engine.nowMs);
    if (p.spec?.nodeName === "node-2" && p.metadata?.deletionTimestamp && !ev.old?.metadata.deletionTimestamp)
      evicted.push({ t: c.engine.nowMs, pod: p.metadata.name! });
  });
  c.run();
  const lastRenew = Math.max(...renewals.filter((t) => t <= crashMs));
  return { c, records, lastRenew, unknown, noSchedule, noExecute, evicted, created };
}

describe("a node that crashes under a Deployment (v1.33 defaults)", () => {
  // Crash times spread over the 10 s lease phase, with different seeds (node phases).
  test.each([
    [60_000, 1],
    [63_333, 2],
    [67_777, 3],
    [71_000, 4],
    [75_500, 5],
  ])(
    "crash at %i ms (seed %i): Unknown, taints, eviction and replacement within the reference's bounds",
    (crashMs, seed) => {
      const r = crashRun(crashMs, seed);
      // The kubelet renewed its Lease at most one renew interval before the crash.
      expect(crashMs - r.lastRenew).toBeLessThan(LEASE_RENEW_MS);
      // Ready=Unknown: the grace period after the controller saw the last renewal, on a monitor tick.
      const unknownAt = r.unknown[0]!;
      expect(unknownAt).toBeGreaterThanOrEqual(r.lastRenew + GRACE_MS);
      expect(unknownAt).toBeLessThanOrEqual(r.lastRenew + GRACE_MS + MONITOR_MS + LAT);
      // Relative to the crash: the last renewal was up to 10 s earlier, hence t+40 s at the earliest.
      expect(unknownAt).toBeGreaterThanOrEqual(crashMs + GRACE_MS - LEASE_RENEW_MS);
      expect(unknownAt).toBeLessThanOrEqual(crashMs + GRACE_MS + MONITOR_MS + LEASE_RENEW_MS);
      // NoSchedule at once (the node update), NoExecute at the next monitor pass through the rate limiter.
      expect(r.noSchedule[0]! - unknownAt).toBeLessThanOrEqual(2 * LAT);
      const taintAt = r.noExecute[0]!;
      expect(taintAt).toBeGreaterThan(unknownAt);
      expect(taintAt - unknownAt).toBeLessThanOrEqual(MONITOR_MS + EVICTION_PASS_MS + LAT);
      // Eviction when the default 300 s toleration runs out, counted from when the taint manager saw the taint.
      expect(r.evicted).toHaveLength(1);
      const evictAt = r.evicted[0]!.t;
      expect(evictAt).toBeGreaterThanOrEqual(taintAt + TOLERATION_MS);
      expect(evictAt).toBeLessThanOrEqual(taintAt + TOLERATION_MS + 2 * LAT);
      // The ReplicaSet replaces the pod once it sees the deletionTimestamp.
      const createdAt = r.created.find((t) => t >= evictAt)!;
      expect(createdAt - evictAt).toBeGreaterThanOrEqual(LAT);
      expect(createdAt - evictAt).toBeLessThanOrEqual(2 * LAT);
      // §4.5: "Total ≈ 5 m 50 s–6 m" after the last renewal.
      expect(createdAt - r.lastRenew).toBeGreaterThanOrEqual(5 * 60_000 + 50_000);
      expect(createdAt - r.lastRenew).toBeLessThanOrEqual(6 * 60_000 + 2 * EVICTION_PASS_MS + 4 * LAT);
    },
  );

  test("events, conditions and the pod left Terminating on the dead node", () => {
    const r = crashRun(60_000, 1);
    const unknownAt = r.unknown[0]!;
    const node = r.c.api.get<Node>("Node", undefined, "node-2")!;
    const ready = node.status!.conditions!.find((c) => c.type === "Ready")!;
    expect(ready).toMatchObject({
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    for (const type of ["MemoryPressure", "DiskPressure", "PIDPressure"])
      expect(node.status!.conditions!.find((c) => c.type === type)!.status).toBe("Unknown");
    expect(node.spec!.taints!.every((t) => t.timeAdded !== undefined)).toBe(true);
    const notReady = events(r.records, "NodeNotReady");
    expect(notReady.map((e) => [e.t, e.involved, e.source, e.message])).toEqual([
      [unknownAt, "Node/node-2", "node-controller", "Node node-2 status is now: NodeNotReady"],
      [unknownAt, `Pod/default/${r.evicted[0]!.pod}`, "node-controller", "Node is not ready"],
    ]);
    expect(notReady[1]!.eventType).toBe("Warning");
    const eviction = events(r.records, "TaintManagerEviction");
    expect(eviction.map((e) => [e.source, e.message])).toEqual([
      ["taint-eviction-controller", `Marking for deletion Pod default/${r.evicted[0]!.pod}`],
    ]);
    const old = r.c.api.get<Pod>("Pod", "default", r.evicted[0]!.pod)!;
    expect(old.metadata.deletionTimestamp).toBeDefined();
    expect(old.status!.conditions!.find((c) => c.type === "DisruptionTarget")).toMatchObject({
      status: "True",
      reason: "DeletionByTaintManager",
      message: "Taint manager: deleting due to NoExecute taint",
    });
    expect(readyOf(old)).toBe("False");
    const registered = events(r.records, "RegisteredNode").map((e) => e.message);
    expect(registered).toContain("Node node-1 event: Registered Node node-1 in Controller");
    // Three Ready replicas again, on the two live nodes.
    const live = pods(r.c).filter((p) => !p.metadata.deletionTimestamp);
    expect(live.map((p) => [p.spec!.nodeName !== "node-2", readyOf(p)])).toEqual([
      [true, "True"],
      [true, "True"],
      [true, "True"],
    ]);
  });

  test("two nodes down in one zone of five: the second NoExecute taint waits for the rate limiter (0.1 node/s)", () => {
    const { c } = cluster({
      nodes: [nodes(5)],
      objects: [deployment("web", 5)],
      actions: [
        fault(60_000, { type: "crash", node: "node-2" }),
        fault(60_000, { type: "crash", node: "node-3" }),
      ],
    });
    const tainted: Record<string, number> = {};
    c.api.observe((ev) => {
      const n = ev.object as Node;
      const name = n.metadata!.name!;
      if (
        ev.object.kind === "Node" &&
        tainted[name] === undefined &&
        hasTaint(n, "node.kubernetes.io/unreachable", "NoExecute")
      )
        tainted[name] = c.engine.nowMs;
    });
    c.run(4 * 60_000);
    const [a, b] = [tainted["node-2"]!, tainted["node-3"]!].sort((x, y) => x - y);
    expect(b! - a!).toBeGreaterThanOrEqual(10_000);
    expect(b! - a!).toBeLessThanOrEqual(10_000 + EVICTION_PASS_MS);
  });

  test("every node of the only zone down (FullDisruption everywhere): no NoExecute taint stays, no pod is evicted", () => {
    const { c, records } = cluster({
      objects: [deployment("web", 3)],
      actions: ["node-1", "node-2", "node-3"].map((node) => fault(60_000, { type: "crash", node })),
    });
    c.run();
    expect(events(records, "TaintManagerEviction").filter((e) => e.message.startsWith("Marking"))).toEqual(
      [],
    );
    for (const n of c.api.list<Node>("Node")) {
      expect(readyOf(n)).toBe("Unknown");
      expect((n.spec?.taints ?? []).filter((t) => t.effect === "NoExecute")).toEqual([]);
    }
    expect(pods(c).filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
  });

  test("three of four nodes down (PartialDisruption, a small zone): tainting stops, the last to go is never tainted", () => {
    const { c } = cluster({
      nodes: [nodes(4)],
      objects: [deployment("web", 4)],
      actions: ["node-2", "node-3", "node-4"].map((node) => fault(60_000, { type: "crash", node })),
    });
    c.run();
    const noExec = c.api
      .list<Node>("Node")
      .filter((n) => hasTaint(n, "node.kubernetes.io/unreachable", "NoExecute"))
      .map((n) => n.metadata.name);
    expect(noExec.length).toBeLessThan(3);
    // Pods on untainted dead nodes are not evicted.
    for (const p of pods(c)) {
      if (p.spec?.nodeName && p.spec.nodeName !== "node-1" && !noExec.includes(p.spec.nodeName))
        expect(p.metadata.deletionTimestamp).toBeUndefined();
    }
  });
});
