import { describe, expect, test } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { Pod, Stored } from "../../src/api/types.js";
import { deleteBefore, type RankedPod } from "../../src/controllers/pod-utils.js";
import { slowStartBatch } from "../../src/controllers/replicaset.js";

const clock = new SimClock();
const NOW = 3_600_000;

interface Opts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readyAtMs?: number;
  cost?: number;
  restarts?: number;
  createdMs?: number;
  uid?: string;
  rank?: number;
}

function pod(name: string, o: Opts = {}): RankedPod {
  const p = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: o.uid ?? name,
      resourceVersion: "1",
      creationTimestamp: clock.time(o.createdMs ?? 0),
      ...(o.cost !== undefined
        ? { annotations: { "controller.kubernetes.io/pod-deletion-cost": String(o.cost) } }
        : {}),
    },
    spec: { containers: [], nodeName: o.node ?? "n1" },
    status: {
      phase: o.phase ?? "Running",
      conditions: [
        {
          type: "Ready",
          status: (o.ready ?? true) ? "True" : "False",
          lastTransitionTime: clock.time(o.readyAtMs ?? 0),
        },
      ],
      containerStatuses: [{ name: "c", restartCount: o.restarts ?? 0, ready: true, image: "", imageID: "" }],
    },
  } as unknown as Stored<Pod>;
  return { pod: p, rank: o.rank ?? 0 };
}

const first = (a: RankedPod, b: RankedPod) => deleteBefore(a, b, NOW, clock);

describe("which pod a ReplicaSet deletes first (ActivePodsWithRanks)", () => {
  test.each<[string, Opts, Opts]>([
    ["an unassigned pod before an assigned one", { node: "" }, {}],
    ["Pending before Running", { phase: "Pending" }, {}],
    ["Unknown before Running", { phase: "Unknown" }, {}],
    ["not ready before ready", { ready: false }, {}],
    ["lower pod-deletion-cost first", { cost: -5 }, { cost: 10 }],
    ["more co-located related pods first", { rank: 3 }, { rank: 1 }],
    ["ready more recently first (different log2 buckets)", { readyAtMs: 3_500_000 }, { readyAtMs: 1_000 }],
    ["more restarts first", { restarts: 4 }, { restarts: 1 }],
    ["created more recently first", { createdMs: 3_000_000 }, { createdMs: 10 }],
  ])("%s", (_name, a, b) => {
    expect(first(pod("a", a), pod("b", b))).toBe(true);
    expect(first(pod("b", b), pod("a", a))).toBe(false);
  });

  test("Pending < Unknown < Running", () => {
    expect(first(pod("a", { phase: "Pending" }), pod("b", { phase: "Unknown" }))).toBe(true);
  });

  test("ready times in the same power-of-two bucket tie and the UID decides", () => {
    // Ages 3,000 s and 3,100 s are both in bucket floor(log2(3.0e12 ns)) = 41.
    const a = pod("a", { readyAtMs: NOW - 3_000_000, uid: "zzz" });
    const b = pod("b", { readyAtMs: NOW - 3_100_000, uid: "aaa" });
    expect(first(b, a)).toBe(true);
    expect(first(a, b)).toBe(false);
  });

  test("rules apply in order: a not-ready pod goes before a ready one whatever its cost", () => {
    expect(first(pod("a", { ready: false, cost: 100 }), pod("b", { cost: -100 }))).toBe(true);
  });
});

describe("slowStartBatch", () => {
  test("calls in batches 1, 2, 4, 3 for ten successes", () => {
    const perBatch: number[] = [];
    const r = slowStartBatch(10, 1, (batch) => {
      perBatch[batch] = (perBatch[batch] ?? 0) + 1;
      return undefined;
    });
    expect(r).toEqual({ created: 10 });
    expect(perBatch).toEqual([1, 2, 4, 3]);
  });

  test("stops after the first batch with an error", () => {
    let calls = 0;
    const r = slowStartBatch(10, 1, () => (++calls === 2 ? "quota" : undefined));
    expect(calls).toBe(3);
    expect(r).toEqual({ created: 2, error: "quota" });
  });
});
