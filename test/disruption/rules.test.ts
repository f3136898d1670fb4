// The PDB status arithmetic of disruption.go and the eviction rules of eviction.go, as tables.
import { describe, expect, test } from "vitest";
import { ApiError } from "../../src/api/errors.js";
import { budgetCause, canIgnorePdb, evictionDecision } from "../../src/api/eviction.js";
import type { Pod, PodDisruptionBudget } from "../../src/api/types.js";
import { podsForDeletion } from "../../src/cluster/drain.js";
import {
  countHealthyPods,
  disruptionsAllowed,
  expectedPodCount,
  pdbSelectsPod,
} from "../../src/controllers/disruption.js";

type Spec = NonNullable<PodDisruptionBudget["spec"]>;

function pod(
  name: string,
  opts: {
    ready?: boolean;
    owner?: string;
    phase?: string;
    deleting?: boolean;
    labels?: Record<string, string>;
  } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: "default",
      labels: opts.labels ?? { app: "web" },
      ...(opts.owner
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: opts.owner,
                uid: opts.owner,
                controller: true,
              },
            ],
          }
        : {}),
      ...(opts.deleting ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}),
    },
    status: {
      phase: opts.phase ?? "Running",
      conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }],
    },
  };
}

const pdb = (
  spec: Spec,
  status?: Partial<NonNullable<PodDisruptionBudget["status"]>>,
  generation = 1,
): PodDisruptionBudget => ({
  metadata: { name: "web", namespace: "default", generation },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  ...(status
    ? {
        status: {
          currentHealthy: 0,
          desiredHealthy: 0,
          disruptionsAllowed: 0,
          expectedPods: 0,
          observedGeneration: generation,
          ...status,
        },
      }
    : {}),
});

describe("getExpectedPodCount", () => {
  const three = [pod("a", { owner: "rs" }), pod("b", { owner: "rs" }), pod("c", { owner: "rs" })];
  const scaleOf = () => ({ uid: "dep", scale: 3 });
  test.each<[string, Spec, number, number]>([
    ["integer minAvailable counts the matching pods", { minAvailable: 2 }, 3, 2],
    ["percentage minAvailable rounds up: 50% of 3 → 2", { minAvailable: "50%" }, 3, 2],
    ["percentage minAvailable rounds up: 34% of 3 → 2", { minAvailable: "34%" }, 3, 2],
    ["integer maxUnavailable: 3 - 1", { maxUnavailable: 1 }, 3, 2],
    ["percentage maxUnavailable rounds up: 3 - ceil(34% × 3) = 1", { maxUnavailable: "34%" }, 3, 1],
    ["maxUnavailable larger than the scale: desiredHealthy is never negative", { maxUnavailable: 5 }, 3, 0],
    ["neither set: nothing expected", {}, 0, 0],
  ])("%s", (_, spec, expectedCount, desiredHealthy) => {
    const r = expectedPodCount(pdb(spec), three, scaleOf);
    expect([r.expectedCount, r.desiredHealthy]).toEqual([expectedCount, desiredHealthy]);
  });

  test("the scale is the controllers' replicas, not the pod count (a pod short of 3)", () => {
    const r = expectedPodCount(pdb({ maxUnavailable: 1 }), three.slice(0, 2), scaleOf);
    expect([r.expectedCount, r.desiredHealthy]).toEqual([3, 2]);
  });

  test("pods without a controller are reported as unmanaged for percentages and maxUnavailable", () => {
    const r = expectedPodCount(pdb({ maxUnavailable: 1 }), [...three, pod("bare")], scaleOf);
    expect(r.unmanagedPods).toEqual(["bare"]);
  });

  test("a controller that cannot be found fails the sync", () => {
    expect(() => expectedPodCount(pdb({ minAvailable: "50%" }), three, () => undefined)).toThrow(
      'found no controllers for pod "a"',
    );
  });
});

describe("PDB status arithmetic", () => {
  test.each([
    [3, 2, 3, 1],
    [2, 2, 3, 0],
    [1, 2, 3, 0],
    [3, 0, 0, 0], // no expected pods: no disruption allowed
  ])(
    "currentHealthy %i, desiredHealthy %i, expectedPods %i → disruptionsAllowed %i",
    (cur, want, exp, allowed) => {
      expect(disruptionsAllowed(cur, want, exp)).toBe(allowed);
    },
  );

  test("healthy pods are Ready, not being deleted and not recently evicted", () => {
    const pods = [pod("a"), pod("b", { ready: false }), pod("c", { deleting: true }), pod("d")];
    expect(countHealthyPods(pods, new Set())).toBe(2);
    expect(countHealthyPods(pods, new Set(["d"]))).toBe(1);
  });

  test("policy/v1: an empty selector matches every pod; a nil one matches none", () => {
    const p = pod("a");
    expect(pdbSelectsPod({ spec: { selector: {} } }, p)).toBe(true);
    expect(pdbSelectsPod({ spec: {} }, p)).toBe(false);
    expect(pdbSelectsPod(pdb({}), pod("x", { labels: { app: "db" } }))).toBe(false);
  });
});

describe("eviction rules", () => {
  const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
  type Want = "delete" | "decrement" | [string, number, string];
  test.each<[string, Pod, PodDisruptionBudget, Want]>([
    [
      "a Ready pod with a disruption allowed decrements the budget",
      pod("a"),
      pdb({ minAvailable: 2 }, { disruptionsAllowed: 1 }),
      "decrement",
    ],
    [
      "a Ready pod with none allowed is refused with 429",
      pod("a"),
      pdb({ minAvailable: 2 }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }),
      ["TooManyRequests", 429, VIOLATION],
    ],
    [
      "a budget the controller has not observed yet is refused",
      pod("a"),
      pdb({ minAvailable: 2 }, { disruptionsAllowed: 1, observedGeneration: 1 }, 2),
      ["TooManyRequests", 429, VIOLATION],
    ],
    [
      "a budget without status is still being processed",
      pod("a"),
      pdb({ minAvailable: 2 }),
      ["TooManyRequests", 429, VIOLATION],
    ],
    [
      "a negative disruptionsAllowed is forbidden",
      pod("a"),
      pdb({ minAvailable: 2 }, { disruptionsAllowed: -1 }),
      [
        "Forbidden",
        403,
        'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative',
      ],
    ],
    [
      "an unready pod goes without a decrement while the budget is healthy (IfHealthyBudget)",
      pod("a", { ready: false }),
      pdb({ minAvailable: 2 }, { currentHealthy: 2, desiredHealthy: 2 }),
      "delete",
    ],
    [
      "an unready pod is refused while the budget is not healthy",
      pod("a", { ready: false }),
      pdb({ minAvailable: 2 }, { currentHealthy: 1, desiredHealthy: 2 }),
      ["TooManyRequests", 429, VIOLATION],
    ],
    [
      "AlwaysAllow lets an unready pod go even when the budget is not healthy",
      pod("a", { ready: false }),
      pdb(
        { minAvailable: 2, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        { currentHealthy: 1, desiredHealthy: 2 },
      ),
      "delete",
    ],
  ])("%s", (_, p, budget, want) => {
    const got = evictionDecision(p, budget);
    if (typeof want === "string") expect(got).toBe(want);
    else {
      expect(got).toBeInstanceOf(ApiError);
      const e = got as ApiError;
      expect([e.reason, e.code, e.message]).toEqual(want);
    }
  });

  test.each([
    ["Succeeded", false, true],
    ["Failed", false, true],
    ["Pending", false, true],
    ["Running", true, true],
    ["Running", false, false],
  ])("phase %s, terminating %s: the budget is ignored: %s", (phase, deleting, ignore) => {
    expect(canIgnorePdb(pod("a", { phase, deleting }))).toBe(ignore);
  });
});

describe("the 429's DisruptionBudget cause", () => {
  test.each<[string, PodDisruptionBudget, string]>([
    [
      "not observed yet",
      pdb({ minAvailable: 2 }, { disruptionsAllowed: 1, observedGeneration: 1 }, 2),
      "The disruption budget web is still being processed by the server.",
    ],
    [
      "no status yet",
      pdb({ minAvailable: 2 }),
      "The disruption budget web is still being processed by the server.",
    ],
    [
      "observed",
      pdb({ minAvailable: 2 }, { currentHealthy: 2, desiredHealthy: 2 }),
      "The disruption budget web needs 2 healthy pods and has 2 currently",
    ],
  ])("%s", (_, budget, cause) => {
    expect(budgetCause(budget)).toBe(cause);
  });
});

describe("drain's pod filters", () => {
  const stored = (p: Pod, extra: Partial<Pod["metadata"]> = {}, spec?: Pod["spec"]) =>
    ({
      ...p,
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        ...p.metadata,
        uid: p.metadata!.name,
        resourceVersion: "1",
        creationTimestamp: "",
        ...extra,
      },
      ...(spec ? { spec } : {}),
    }) as never;
  const ds = stored(pod("ds"), {
    ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "d", uid: "d", controller: true }],
  });
  const bare = stored(pod("bare"));
  const managed = stored(pod("web", { owner: "rs" }));
  const scratch = stored(
    pod("scratch", { owner: "rs" }),
    {},
    { containers: [], volumes: [{ name: "tmp", emptyDir: {} }] },
  );

  test("refuses DaemonSet pods, unmanaged pods and local storage without their flags", () => {
    const r = podsForDeletion([ds, bare, managed, scratch], {});
    expect(r.errors).toEqual([
      "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds",
      "cannot delete Pods that declare no controller (use --force to override): default/bare",
      "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch",
    ]);
  });

  test("with the flags: DaemonSet pods are skipped, the rest evicted, each with a warning", () => {
    const r = podsForDeletion([ds, bare, managed, scratch], {
      "ignore-daemonsets": "true",
      force: "true",
      "delete-emptydir-data": "true",
    });
    expect(r.errors).toEqual([]);
    expect(r.evict.map((p) => p.metadata.name)).toEqual(["bare", "web", "scratch"]);
    expect(r.warnings).toBe(
      "deleting Pods that declare no controller: default/bare; deleting Pods with local storage: default/scratch; ignoring DaemonSet-managed Pods: default/ds",
    );
  });

  test("finished pods need no controller", () => {
    const done = stored(pod("job", { phase: "Succeeded" }));
    expect(podsForDeletion([done], {}).evict).toHaveLength(1);
  });
});
