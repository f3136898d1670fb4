// Table tests of the node-failure rules of the reference (§4.2–4.4): default tolerations, the
// tainting rate limiter, zone states, toleration times, and the node controller's health check.
import { describe, expect, test } from "vitest";
import { admitDefaultTolerations } from "../../src/api/default-tolerations.js";
import type { Node, Pod, Toleration } from "../../src/api/types.js";
import { NODE_MONITOR_GRACE_PERIOD_MS, resolveConfig } from "../../src/controllers/nodelifecycle/config.js";
import { tryUpdateNodeHealth } from "../../src/controllers/nodelifecycle/health.js";
import { RateLimitedTimedQueue, TokenBucket } from "../../src/controllers/nodelifecycle/taint-queue.js";
import { computeZoneState, zoneKey, zoneQps } from "../../src/controllers/nodelifecycle/zones.js";
import { matchingTolerations, minTolerationMs } from "../../src/controllers/tainteviction.js";
import { Rng } from "../../src/engine/rng.js";

const NR = "node.kubernetes.io/not-ready";
const UR = "node.kubernetes.io/unreachable";
const def = (key: string): Toleration => ({
  key,
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds: 300,
});

describe("DefaultTolerationSeconds admission", () => {
  test.each<[string, Toleration[], Toleration[]]>([
    ["no tolerations: both defaults, 300 s", [], [def(NR), def(UR)]],
    [
      "a not-ready NoExecute toleration is kept; only unreachable is added",
      [{ key: NR, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }],
      [{ key: NR, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }, def(UR)],
    ],
    [
      "a toleration without effect covers its key",
      [{ key: UR, operator: "Exists" }],
      [{ key: UR, operator: "Exists" }, def(NR)],
    ],
    [
      "an empty key with Exists tolerates everything: nothing added",
      [{ operator: "Exists" }],
      [{ operator: "Exists" }],
    ],
    [
      "a NoSchedule toleration of the same key does not count",
      [{ key: UR, operator: "Exists", effect: "NoSchedule" }],
      [{ key: UR, operator: "Exists", effect: "NoSchedule" }, def(NR), def(UR)],
    ],
    [
      "an empty key with effect NoExecute covers both",
      [{ operator: "Exists", effect: "NoExecute" }],
      [{ operator: "Exists", effect: "NoExecute" }],
    ],
  ])("%s", (_, given, want) => {
    const pod: Pod = { kind: "Pod", metadata: { name: "p" }, spec: { containers: [], tolerations: given } };
    admitDefaultTolerations(pod);
    expect(pod.spec!.tolerations).toEqual(want);
  });

  test("objects other than pods are left alone", () => {
    const node = { kind: "Node", metadata: { name: "n" }, spec: {} };
    admitDefaultTolerations(node);
    expect(node.spec).toEqual({});
  });
});

describe("the NoExecute tainting queue (0.1 node/s per zone, burst 1)", () => {
  test("a full bucket lets the first node through at once, the next one 10 s later", () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1));
    const done: [string, number][] = [];
    q.add("node-1", "u1", 0);
    q.add("node-2", "u2", 0);
    for (let t = 0; t <= 25_000; t += 100)
      q.try(t, (v) => {
        done.push([v.value, t]);
        return { ok: true };
      });
    expect(done).toEqual([
      ["node-1", 0],
      ["node-2", 10_000],
    ]);
  });

  test("a value is processed once until removed; removed, it may be added again", () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(100));
    expect(q.add("n", "u", 0)).toBe(true);
    q.try(0, () => ({ ok: true }));
    expect(q.add("n", "u", 1)).toBe(false);
    expect(q.remove("n")).toBe(true);
    expect(q.add("n", "u", 2)).toBe(true);
  });

  test("rate 0 never lets anything through; swapping to 0.1 with an empty old bucket drains the new one", () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1));
    q.add("a", "u", 0);
    q.try(0, () => ({ ok: true })); // spends the token
    q.swapLimiter(0, 1_000);
    q.add("b", "u", 1_000);
    let seen = false;
    const see = () => {
      seen = true;
      return { ok: true } as const;
    };
    q.try(60_000, see);
    expect(seen).toBe(false);
    q.swapLimiter(0.1, 60_000); // the "never" limiter has no token: the new bucket starts empty
    q.try(60_000, see);
    expect(seen).toBe(false);
    q.try(70_000, see);
    expect(seen).toBe(true);
  });
});

describe("zones (ComputeZoneState, GetZoneKey, the rate of a zone)", () => {
  test.each<[number, number, string]>([
    [0, 1, "FullDisruption"],
    [0, 0, "Normal"],
    [3, 0, "Normal"],
    [1, 2, "Normal"], // 2 not ready is never partial
    [2, 3, "PartialDisruption"], // 3 of 5 = 60 % ≥ 55 %
    [3, 3, "Normal"], // 50 %
    [9, 11, "PartialDisruption"], // 55 % exactly
  ])("%i ready, %i not ready → %s", (ready, notReady, state) => {
    expect(computeZoneState({ ready, notReady }, 0.55)).toBe(state);
  });

  test("rates: Normal and Full 0.1/s; Partial 0.01/s above 50 nodes, else 0", () => {
    const cfg = resolveConfig({}, new Rng(1));
    expect(zoneQps("Normal", 10, cfg)).toBe(0.1);
    expect(zoneQps("FullDisruption", 10, cfg)).toBe(0.1);
    expect(zoneQps("PartialDisruption", 50, cfg)).toBe(0);
    expect(zoneQps("PartialDisruption", 51, cfg)).toBe(0.01);
  });

  test("zone keys: none, topology labels, beta labels first", () => {
    expect(zoneKey({})).toBe("");
    expect(zoneKey({ "topology.kubernetes.io/zone": "a" })).toBe(":\u0000:a");
    expect(zoneKey({ "topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "a" })).toBe(
      "r:\u0000:a",
    );
    expect(
      zoneKey({ "failure-domain.beta.kubernetes.io/zone": "b", "topology.kubernetes.io/zone": "a" }),
    ).toBe(":\u0000:b");
  });
});

describe("taint manager toleration times (getMinTolerationTime, GetMatchingTolerations)", () => {
  const taint = { key: UR, effect: "NoExecute" as const };
  test.each<[string, Toleration[], boolean, number]>([
    ["the default toleration: 300 s", [def(UR)], true, 300_000],
    ["no toleration: not tolerated", [], false, 0],
    ["tolerated forever (no tolerationSeconds): −1", [{ key: UR, operator: "Exists" }], true, -1],
    ["tolerationSeconds 0: at once", [{ ...def(UR), tolerationSeconds: 0 }], true, 0],
    ["a shorter one wins", [{ ...def(UR), tolerationSeconds: 30 }], true, 30_000],
  ])("%s", (_, tols, tolerated, ms) => {
    const m = matchingTolerations([taint], tols);
    expect(m.allTolerated).toBe(tolerated);
    if (tolerated) expect(minTolerationMs(m.used)).toBe(ms);
  });

  test("the smallest of the tolerations used for several taints", () => {
    const m = matchingTolerations(
      [taint, { key: NR, effect: "NoExecute" }],
      [
        { ...def(UR), tolerationSeconds: 120 },
        { ...def(NR), tolerationSeconds: 60 },
      ],
    );
    expect(minTolerationMs(m.used)).toBe(60_000);
  });
});

describe("tryUpdateNodeHealth", () => {
  const grace = { monitorMs: NODE_MONITOR_GRACE_PERIOD_MS, startupMs: 60_000 };
  const node = (ready?: { status: string; hb: string }): Node => ({
    kind: "Node",
    metadata: { name: "n", creationTimestamp: "2025-01-01T00:00:00Z" },
    status: {
      conditions: ready
        ? [
            { type: "MemoryPressure", status: "False", lastHeartbeatTime: ready.hb },
            {
              type: "Ready",
              status: ready.status,
              lastHeartbeatTime: ready.hb,
              lastTransitionTime: ready.hb,
            },
          ]
        : [],
    },
  });
  const at = (nowMs: number) => ({ nowMs, nowTs: `t${nowMs}`, createdMs: () => 0 });

  test("the probe time is the controller's clock when it sees a renewed Lease, not the renewTime", () => {
    const n = node({ status: "True", hb: "h0" });
    let h = tryUpdateNodeHealth(undefined, n, "2025-01-01T00:00:01.000000Z", at(5_000), grace).health;
    expect(h.probeMs).toBe(5_000);
    h = tryUpdateNodeHealth(h, n, "2025-01-01T00:00:01.000000Z", at(10_000), grace).health;
    expect(h.probeMs).toBe(5_000);
    h = tryUpdateNodeHealth(h, n, "2025-01-01T00:00:11.000000Z", at(15_000), grace).health;
    expect(h.probeMs).toBe(15_000);
  });

  test("past probe + 50 s every monitored condition goes Unknown (NodeStatusUnknown), once", () => {
    const n = node({ status: "True", hb: "h0" });
    const h = tryUpdateNodeHealth(undefined, n, undefined, at(0), grace).health;
    expect(tryUpdateNodeHealth(h, n, undefined, at(49_999), grace).write).toBeUndefined();
    const r = tryUpdateNodeHealth(h, n, undefined, at(50_000), grace);
    expect(r.observed).toBe("True");
    expect(r.current).toBe("Unknown");
    const byType = Object.fromEntries(r.write!.map((c) => [c.type, c]));
    expect(byType.Ready).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastHeartbeatTime: "h0",
      lastTransitionTime: "t50000",
    });
    expect(byType.MemoryPressure!.status).toBe("Unknown");
    expect(byType.DiskPressure).toMatchObject({ status: "Unknown", reason: "NodeStatusNeverUpdated" });
    expect(byType.PIDPressure!.message).toBe("Kubelet never posted node status.");
    const unknown: Node = { ...n, status: { conditions: r.write! } };
    expect(tryUpdateNodeHealth(r.health, unknown, undefined, at(55_000), grace).write).toBeUndefined();
  });

  test("a node that never posted Ready gets the 60 s startup grace, counted from its creation", () => {
    const n = node();
    const h = tryUpdateNodeHealth(undefined, n, undefined, at(0), grace);
    expect(h.graceMs).toBe(60_000);
    expect(tryUpdateNodeHealth(h.health, n, undefined, at(59_999), grace).write).toBeUndefined();
    const r = tryUpdateNodeHealth(h.health, n, undefined, at(60_000), grace);
    expect(r.write!.find((c) => c.type === "Ready")).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusNeverUpdated",
    });
  });
});
