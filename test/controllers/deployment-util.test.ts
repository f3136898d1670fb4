import { describe, expect, test } from "vitest";
import { deepFreeze } from "../../src/api/copy.js";
import type { Deployment, ReplicaSet } from "../../src/api/types.js";
import { computeHash, safeEncodeString } from "../../src/controllers/deployment/hash.js";
import * as u from "../../src/controllers/deployment/util.js";

function dep(
  replicas: number,
  maxSurge?: number | string,
  maxUnavailable?: number | string,
  status?: Deployment["status"],
): Deployment {
  return {
    metadata: { name: "web" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {},
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
    },
    status,
  };
}

function rs(replicas: number, maxReplicas?: number): ReplicaSet {
  return {
    metadata: {
      name: `rs-${replicas}`,
      annotations: maxReplicas !== undefined ? { [u.MAX_REPLICAS]: String(maxReplicas) } : {},
    },
    spec: { replicas, selector: {} },
  };
}

describe("ResolveFenceposts with the defaults 25%/25% (k8s-semantics §1.2)", () => {
  test.each([
    [1, 1, 0],
    [2, 1, 0],
    [3, 1, 0],
    [4, 1, 1],
    [10, 3, 2],
  ])("replicas %d → surge %d, unavailable %d", (replicas, surge, unavailable) => {
    expect(u.resolveFenceposts("25%", "25%", replicas)).toEqual({ surge, unavailable });
  });

  test("0%/0% resolves to unavailable 1, but MaxUnavailable is 0 for 0 replicas", () => {
    expect(u.resolveFenceposts("0%", "0%", 0)).toEqual({ surge: 0, unavailable: 1 });
    expect(u.maxUnavailable(dep(0, "0%", "0%"))).toBe(0);
  });

  test("MaxUnavailable never exceeds replicas; Recreate has no surge or unavailability", () => {
    expect(u.maxUnavailable(dep(3, 0, 5))).toBe(3);
    const recreate: Deployment = {
      ...dep(3, 1, 1),
      spec: { ...dep(3).spec!, strategy: { type: "Recreate" } },
    };
    expect(u.maxSurge(recreate)).toBe(0);
    expect(u.maxUnavailable(recreate)).toBe(0);
    expect(u.minAvailable(recreate)).toBe(0);
  });
});

describe("NewRSNewReplicas", () => {
  test("10 replicas, maxSurge 3: a new RS starts at 3 beside an old RS of 10", () => {
    const d = dep(10, 3, 2);
    const newRS = rs(0);
    expect(u.newRSNewReplicas(d, [rs(10), newRS], newRS)).toBe(3);
  });

  test("no room above replicas + surge: the new RS keeps its size", () => {
    const d = dep(10, 3, 2);
    const newRS = rs(3);
    expect(u.newRSNewReplicas(d, [rs(10), newRS], newRS)).toBe(3);
  });

  test("never more than replicas in the new RS", () => {
    const d = dep(4, 10, 0);
    const newRS = rs(2);
    expect(u.newRSNewReplicas(d, [rs(0), newRS], newRS)).toBe(4);
  });
});

describe("proportional scaling (the Kubernetes documentation's example)", () => {
  test("scaling 10 → 15 mid-rollout adds 3 to the old RS (8) and 2 to the new (5)", () => {
    const d = dep(15, 3, 2, { replicas: 13 });
    const toAdd = 15 + 3 - 13;
    const old = rs(8, 13);
    const neu = rs(5, 13);
    const pOld = u.replicaSetProportion(old, d, toAdd, 0);
    const pNew = u.replicaSetProportion(neu, d, toAdd, pOld);
    expect([pOld, pNew]).toEqual([3, 2]);
  });

  test("a missing max-replicas annotation falls back to status.replicas; zero of those gives 0", () => {
    expect(u.replicaSetFraction(rs(4), dep(8, 0, 1, { replicas: 4 }))).toBe(4);
    expect(u.replicaSetFraction(rs(4), dep(8, 0, 1, { replicas: 0 }))).toBe(0);
  });

  test("scaling to zero takes every replica away", () => {
    expect(u.replicaSetFraction(rs(4, 5), dep(0, 1, 1))).toBe(-4);
  });

  test("rounding is half away from zero", () => {
    // 3 × 5 / 2 = 7.5 → 8, so the fraction is 5.
    expect(u.replicaSetFraction(rs(3, 2), dep(5, 0, 1))).toBe(5);
  });
});

describe("pod-template-hash", () => {
  test("uses only Kubernetes' digit alphabet {4..9, b, c, d, f}", () => {
    for (const n of [0, 1, 7, 42])
      expect(computeHash({ metadata: { labels: { n: String(n) } } })).toMatch(/^[456789bcdf]{1,10}$/);
    expect(safeEncodeString("0123456789")).toBe("456789bcdf");
  });

  test("is stable under key order and changes with the template and the collision count", () => {
    const a = computeHash({
      metadata: { labels: { a: "1", b: "2" } },
      spec: { containers: [{ name: "c", image: "x" }] },
    });
    const b = computeHash({
      spec: { containers: [{ image: "x", name: "c" }] },
      metadata: { labels: { b: "2", a: "1" } },
    });
    expect(a).toBe(b);
    expect(computeHash({ metadata: { labels: { a: "1" } } })).not.toBe(a);
    expect(computeHash({ metadata: { labels: { a: "1" } } }, 1)).not.toBe(
      computeHash({ metadata: { labels: { a: "1" } } }),
    );
  });
});

describe("fenceposts of stored (frozen) Deployments are remembered per spec", () => {
  const cases: [number, number | string | undefined, number | string | undefined][] = [
    [10, "25%", "25%"],
    [3, 1, 0],
    [7, "50%", undefined],
    [0, "0%", "0%"],
    [4, 0, 0],
  ];
  test.each(cases)("replicas %s, maxSurge %s, maxUnavailable %s: the same as computed afresh", (n, s, un) => {
    const frozen = deepFreeze(dep(n, s, un));
    for (let i = 0; i < 2; i++) {
      expect(u.maxSurge(frozen)).toBe(u.maxSurge(dep(n, s, un)));
      expect(u.maxUnavailable(frozen)).toBe(u.maxUnavailable(dep(n, s, un)));
      expect(u.minAvailable(frozen)).toBe(u.minAvailable(dep(n, s, un)));
    }
  });

  test("a new spec (another replica count) gets its own fenceposts", () => {
    const a = deepFreeze(dep(4, "25%", "25%"));
    const b = deepFreeze({ ...a, spec: { ...a.spec!, replicas: 40 } });
    expect([u.maxSurge(a), u.maxUnavailable(a)]).toEqual([1, 1]);
    expect([u.maxSurge(b), u.maxUnavailable(b)]).toEqual([10, 10]);
    const r = rs(0);
    expect(u.newRSNewReplicas(b, [r], r)).toBe(40);
  });
});
