// The ReplicaSet controller's shortcuts give the answers of the plain computations they replace.
import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, test } from "vitest";
import { deepCopy, deepFreeze } from "../../src/api/copy.js";
import { compileSelector } from "../../src/api/labels.js";
import { SimClock } from "../../src/api/time.js";
import type { Pod, ReplicaSet, Stored } from "../../src/api/types.js";
import {
  controllerOf,
  isPodActive,
  type RankedPod,
  sortForDeletion,
} from "../../src/controllers/pod-utils.js";
import { type StatusCounts, withStatus } from "../../src/controllers/replicaset.js";
import { ReplicaSetTally } from "../../src/controllers/replicaset-tally.js";

const clock = new SimClock();
const NOW = 3_600_000;

interface PodShape {
  node: string;
  phase: string;
  ready: boolean;
  readyAtS: number;
  restarts: number;
  createdS: number;
  uid: number;
  rank: number;
}

const podShape: fc.Arbitrary<PodShape> = fc.record({
  node: fc.constantFrom("", "n1", "n2"),
  phase: fc.constantFrom("Pending", "Running", "Unknown"),
  ready: fc.boolean(),
  // Few distinct seconds, so that equal times and equal log2 buckets both happen.
  readyAtS: fc.integer({ min: 0, max: 8 }).map((i) => i * 450),
  restarts: fc.integer({ min: 0, max: 2 }),
  createdS: fc.integer({ min: 0, max: 8 }).map((i) => i * 400),
  uid: fc.integer({ min: 0, max: 99 }),
  rank: fc.integer({ min: 0, max: 2 }),
});

function podOf(name: string, s: PodShape): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: `uid-${s.uid}`,
      creationTimestamp: clock.time(s.createdS * 1000),
    },
    spec: { containers: [], nodeName: s.node || undefined },
    status: {
      phase: s.phase,
      conditions: [
        {
          type: "Ready",
          status: s.ready ? "True" : "False",
          lastTransitionTime: clock.time(s.readyAtS * 1000),
        },
      ],
      containerStatuses: [{ name: "c", restartCount: s.restarts, ready: s.ready, image: "", imageID: "" }],
    },
  } as Pod;
}

const names = (rs: readonly RankedPod[]) => rs.map((r) => r.pod.metadata.name);

describe("deletion order with the per-pod facts cache", () => {
  test("frozen (cached) pods sort exactly as fresh unfrozen copies (never cached)", () => {
    fc.assert(
      fc.property(fc.array(podShape, { minLength: 1, maxLength: 40 }), (shapes) => {
        const frozen = shapes.map((s, i) => ({
          pod: deepFreeze(podOf(`p${i}`, s)) as Stored<Pod>,
          rank: s.rank,
        }));
        const fresh = () => frozen.map((r) => ({ pod: deepCopy(r.pod) as Stored<Pod>, rank: r.rank }));
        const expected = names(sortForDeletion(fresh(), NOW, clock));
        // Twice: the second time every frozen pod's facts come from the cache.
        expect(names(sortForDeletion(frozen, NOW, clock))).toEqual(expected);
        expect(names(sortForDeletion(frozen, NOW, clock))).toEqual(expected);
        expect(names(sortForDeletion(fresh(), NOW + 500_000, clock))).toEqual(
          names(sortForDeletion(frozen, NOW + 500_000, clock)),
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  test("a new version of a pod is ranked by its own facts, not its predecessor's", () => {
    const base: PodShape = {
      node: "n1",
      phase: "Running",
      ready: true,
      readyAtS: 0,
      restarts: 0,
      createdS: 0,
      uid: 1,
      rank: 0,
    };
    const a = deepFreeze(podOf("a", base)) as Stored<Pod>;
    const b = deepFreeze(podOf("b", { ...base, uid: 2 })) as Stored<Pod>;
    const order = (...pods: Stored<Pod>[]) =>
      names(
        sortForDeletion(
          pods.map((pod) => ({ pod, rank: 0 })),
          NOW,
          clock,
        ),
      );
    expect(order(a, b)).toEqual(["a", "b"]);
    // b's next version is not ready: it now goes first.
    const b2 = deepFreeze(podOf("b", { ...base, uid: 2, ready: false })) as Stored<Pod>;
    expect(order(a, b2)).toEqual(["b", "a"]);
  });
});

type Failure = { reason: string; message: string } | undefined;

/** The immer recipe withStatus replaced, kept here as the reference. */
function byRecipe(rs: Stored<ReplicaSet>, c: StatusCounts, gen: number, failure: Failure, ts: string) {
  return produce(rs, (d) => {
    const st = ((d as any).status ??= {}) as any;
    st.replicas = c.replicas;
    st.fullyLabeledReplicas = c.fullyLabeled;
    st.readyReplicas = c.ready;
    st.availableReplicas = c.available;
    st.terminatingReplicas = c.terminating;
    st.observedGeneration = gen;
    const others = (st.conditions ?? []).filter((x: any) => x.type !== "ReplicaFailure");
    const cur = st.conditions?.find((x: any) => x.type === "ReplicaFailure");
    if (failure) {
      others.push(
        cur && cur.reason === failure.reason && cur.message === failure.message
          ? cur
          : { type: "ReplicaFailure", status: "True", ...failure, lastTransitionTime: ts },
      );
    }
    if (others.length > 0 || st.conditions) st.conditions = others.length > 0 ? others : undefined;
    if (st.conditions === undefined) delete st.conditions;
  });
}

const quota = { reason: "FailedCreate", message: "exceeded quota" };
const otherCondition = { type: "Other", status: "True" };
const failureCondition = { type: "ReplicaFailure", status: "True", ...quota, lastTransitionTime: "t0" };
const full = { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2 };

describe("withStatus writes what the immer recipe wrote", () => {
  const counts: StatusCounts = { replicas: 3, fullyLabeled: 3, ready: 2, available: 2, terminating: 0 };
  test.each<[string, Record<string, unknown> | undefined, Failure]>([
    ["no status yet", undefined, undefined],
    ["empty status", {}, undefined],
    ["the same counts", { ...full, terminatingReplicas: 0, observedGeneration: 1 }, undefined],
    ["a new count", { ...full, readyReplicas: 1, terminatingReplicas: 0, observedGeneration: 1 }, undefined],
    ["fields in another order", { observedGeneration: 1, ...full }, undefined],
    ["a failure appears", { ...full, terminatingReplicas: 0, observedGeneration: 1 }, quota],
    [
      "the same failure again",
      { ...full, terminatingReplicas: 0, observedGeneration: 1, conditions: [failureCondition] },
      quota,
    ],
    [
      "another failure",
      { ...full, terminatingReplicas: 0, observedGeneration: 1, conditions: [failureCondition] },
      { reason: "FailedCreate", message: "forbidden" },
    ],
    [
      "the failure clears",
      { ...full, terminatingReplicas: 0, observedGeneration: 1, conditions: [failureCondition] },
      undefined,
    ],
    [
      "another condition stays",
      {
        ...full,
        terminatingReplicas: 0,
        observedGeneration: 1,
        conditions: [otherCondition, failureCondition],
      },
      undefined,
    ],
    [
      "an empty condition list",
      { ...full, terminatingReplicas: 0, observedGeneration: 1, conditions: [] },
      undefined,
    ],
    [
      "a conditions key without a value",
      { ...full, terminatingReplicas: 0, observedGeneration: 1, conditions: undefined },
      undefined,
    ],
  ])("%s", (_name, status, failure) => {
    const rs = deepFreeze({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "web", namespace: "default", generation: 1 },
      spec: { replicas: 3 },
      ...(status === undefined ? {} : { status }),
    }) as unknown as Stored<ReplicaSet>;
    const want = byRecipe(rs, counts, 1, failure, "t1");
    const got = withStatus(rs, counts, 1, failure, "t1");
    expect(got === rs).toBe(want === rs);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    expect(Object.keys(got.status ?? {})).toEqual(Object.keys(want.status ?? {}));
    // Unchanged conditions are the same objects, as immer keeps them.
    const before: readonly unknown[] = rs.status?.conditions ?? [];
    const wantConds = want.status?.conditions ?? [];
    got.status?.conditions?.forEach((c, i) => {
      expect(before.includes(c)).toBe(before.includes(wantConds[i]));
    });
  });
});

describe("the tally kept from pod events", () => {
  const UID = "rs-a";
  interface Version {
    pod: number;
    refs: ("ctl-a" | "ctl-b" | "owner-a")[];
    node: string;
    phase: string;
    deleting: boolean;
    gone: boolean;
    labels: number;
  }
  // Shared label objects, so that a pod's next version often keeps the same one (as status writes do).
  const LABELS: Record<string, string>[] = [{ app: "a" }, { app: "a", tier: "web" }, { app: "b" }];
  const version: fc.Arbitrary<Version> = fc.record({
    pod: fc.integer({ min: 0, max: 5 }),
    refs: fc.subarray(["ctl-a", "ctl-b", "owner-a"] as const),
    node: fc.constantFrom("", "n1", "n2"),
    phase: fc.constantFrom("Pending", "Running", "Succeeded"),
    deleting: fc.boolean(),
    gone: fc.boolean(),
    labels: fc.integer({ min: 0, max: 2 }),
  });
  const refOf = (r: Version["refs"][number]) => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    name: r === "ctl-b" ? "b" : "a",
    uid: r === "ctl-b" ? "rs-b" : UID,
    controller: r !== "owner-a",
  });
  const podOfVersion = (v: Version) =>
    deepFreeze({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `p${v.pod}`,
        namespace: "default",
        uid: `u${v.pod}`,
        labels: LABELS[v.labels],
        ...(v.refs.length ? { ownerReferences: v.refs.map(refOf) } : {}),
        ...(v.deleting ? { deletionTimestamp: "t" } : {}),
      },
      spec: { containers: [], ...(v.node ? { nodeName: v.node } : {}) },
      status: { phase: v.phase },
    }) as unknown as Stored<Pod>;

  test("match counts over the pods as they are now (per node: any ownerReference, as the owner index lists them)", () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 30 }), (versions) => {
        const tally = new ReplicaSetTally(UID, compileSelector({ matchLabels: { app: "a" } }), LABELS[1]);
        const now = new Map<string, Stored<Pod>>();
        for (const v of versions) {
          const pod = podOfVersion(v);
          const k = `default/${pod.metadata.name}`;
          if (v.gone) now.delete(k);
          else now.set(k, pod);
          tally.set(k, v.gone ? undefined : pod);
        }
        const ours = [...now.values()].filter((p) => controllerOf(p)?.uid === UID);
        const counted = ours.filter((p) => isPodActive(p) && p.metadata.labels?.app === "a");
        expect(tally.replicas).toBe(counted.length);
        expect(tally.fullyLabeled).toBe(counted.filter((p) => p.metadata.labels?.tier === "web").length);
        expect(tally.ready).toBe(0);
        expect(tally.strays).toBe(
          ours.filter((p) => isPodActive(p) && p.metadata.labels?.app !== "a").length,
        );
        expect(tally.terminating).toBe(
          ours.filter((p) => p.metadata.labels?.app === "a" && p.metadata.deletionTimestamp).length,
        );
        for (const node of ["", "n1", "n2"]) {
          let want = 0;
          for (const p of now.values())
            if (isPodActive(p) && p.metadata.ownerReferences?.some((r) => r.uid === UID))
              if ((p.spec?.nodeName ?? "") === node) want++;
          expect(tally.activeOnNode(node)).toBe(want);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
