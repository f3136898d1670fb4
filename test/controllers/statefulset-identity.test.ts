// StatefulSet identity helpers (stateful_set_utils.go), revision hashing (controller_history.go)
// and `kubectl rollout status` for StatefulSets, as tables.
import { describe, expect, test } from "vitest";
import type { ControllerRevision, Pod, StatefulSet, Stored } from "../../src/api/types.js";
import { statefulSetRolloutStatus } from "../../src/cluster/rollout-status.js";
import {
  claimName,
  endOrdinal,
  identityMatches,
  inOrdinalRange,
  isMemberOf,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  parentNameAndOrdinal,
  podName,
  startOrdinal,
  storageMatches,
} from "../../src/controllers/statefulset/identity.js";
import {
  fnv32,
  hashRevisionData,
  nextRevision,
  revisionName,
  sortRevisions,
} from "../../src/controllers/statefulset/revisions.js";
import { statefulSetMaxUnavailable } from "../../src/controllers/statefulset/rolling.js";

function set(
  spec: Partial<NonNullable<StatefulSet["spec"]>> = {},
  status: StatefulSet["status"] = undefined,
) {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "set-uid",
      resourceVersion: "1",
      creationTimestamp: "",
    },
    spec: {
      serviceName: "nginx",
      replicas: 3,
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: { containers: [{ name: "nginx", image: "nginx:1.26" }] },
      },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"] } }],
      ...spec,
    },
    ...(status ? { status } : {}),
  } as Stored<StatefulSet>;
}

const pod = (name: string, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: "default" },
  ...extra,
});

describe("ordinals", () => {
  test.each([
    ["web-0", "web", 0],
    ["web-12", "web", 12],
    ["my-db-3", "my-db", 3],
    ["web-01", "web", 1],
    ["web", "", -1],
    ["web-", "", -1],
    ["web-x", "", -1],
    ["web-2147483647", "web", 2147483647],
    ["web-2147483648", "web", -1], // beyond int32: ParseInt fails, the parent still parses
  ])("getParentNameAndOrdinal(%s) = (%s, %i)", (name, parent, ordinal) => {
    const got = parentNameAndOrdinal(name);
    expect(got.ordinal).toBe(ordinal);
    if (ordinal >= 0 || parent === "web") expect(got.parent).toBe(parent);
  });

  test.each([
    [undefined, 3, 0, 2, ["web-0", "web-1", "web-2"], ["web-3", "web-10"]],
    [5, 3, 5, 7, ["web-5", "web-6", "web-7"], ["web-4", "web-8", "web-0"]],
    [0, 0, 0, -1, [], ["web-0"]],
  ])(
    "ordinals.start %s with %i replicas: range [%i, %i]",
    (start, replicas, first, last, inside, outside) => {
      const s = set({ replicas, ...(start !== undefined ? { ordinals: { start } } : {}) });
      expect(startOrdinal(s)).toBe(first);
      expect(endOrdinal(s)).toBe(last);
      for (const n of inside) expect(inOrdinalRange(pod(n), s)).toBe(true);
      for (const n of outside) expect(inOrdinalRange(pod(n), s)).toBe(false);
    },
  );

  test("names: pod <set>-<ordinal>, claim <template>-<set>-<ordinal>", () => {
    const s = set();
    expect(podName(s, 4)).toBe("web-4");
    expect(claimName(s, { metadata: { name: "data" } }, 4)).toBe("data-web-4");
  });

  test("isMemberOf goes by the name's parent, not by labels", () => {
    const s = set();
    expect(isMemberOf(s, pod("web-1"))).toBe(true);
    expect(isMemberOf(s, pod("web-db-1"))).toBe(false);
    expect(isMemberOf(s, pod("webx-1"))).toBe(false);
  });
});

describe("a new pod's identity", () => {
  const s = set();
  const p = newStatefulSetPod(s, s.spec!.template, 1);

  test("name, hostname = name, subdomain = serviceName, generateName <set>-", () => {
    expect(p.metadata!.name).toBe("web-1");
    expect(p.metadata!.generateName).toBe("web-");
    expect(p.spec!.hostname).toBe("web-1");
    expect(p.spec!.subdomain).toBe("nginx");
  });

  test("labels: the template's, pod-name and pod-index", () => {
    expect(p.metadata!.labels).toEqual({
      app: "nginx",
      "statefulset.kubernetes.io/pod-name": "web-1",
      "apps.kubernetes.io/pod-index": "1",
    });
  });

  test("the set is its controller, blocking owner deletion", () => {
    expect(p.metadata!.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        name: "web",
        uid: "set-uid",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  test("a volume named as the claim template points at this ordinal's claim", () => {
    expect(p.spec!.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-web-1" } }]);
    expect(identityMatches(s, p)).toBe(true);
    expect(storageMatches(s, p)).toBe(true);
  });

  test("a template volume with the claim template's name is replaced; others are kept", () => {
    const t = {
      ...s.spec!.template,
      spec: {
        containers: [],
        volumes: [
          { name: "data", emptyDir: {} },
          { name: "cache", emptyDir: {} },
        ],
      },
    };
    const q = newStatefulSetPod(s, t, 0);
    expect(q.spec!.volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "data-web-0" } },
      { name: "cache", emptyDir: {} },
    ]);
  });

  test("identity and storage mismatches are detected", () => {
    expect(identityMatches(s, { ...p, metadata: { ...p.metadata, labels: {} } })).toBe(false);
    expect(storageMatches(s, { ...p, spec: { containers: [], volumes: [] } })).toBe(false);
  });
});

describe("newVersionedStatefulSetPod picks the revision by ordinal", () => {
  const cur = { name: "web-old", template: undefined };
  const upd = { name: "web-new", template: undefined };
  test.each([
    [
      "RollingUpdate partition 2",
      { type: "RollingUpdate", rollingUpdate: { partition: 2 } },
      0,
      ["web-old", "web-old", "web-new"],
    ],
    [
      "RollingUpdate partition 0",
      { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      0,
      ["web-new", "web-new", "web-new"],
    ],
    [
      "RollingUpdate without rollingUpdate: currentReplicas",
      { type: "RollingUpdate" },
      2,
      ["web-old", "web-old", "web-new"],
    ],
    ["OnDelete: always the update revision", { type: "OnDelete" }, 3, ["web-new", "web-new", "web-new"]],
  ] as const)("%s", (_, updateStrategy, currentReplicas, want) => {
    const s = set({ updateStrategy: updateStrategy as never }, { replicas: 3, currentReplicas });
    const got = [0, 1, 2].map(
      (o) => newVersionedStatefulSetPod(s, cur, upd, o).metadata!.labels!["controller-revision-hash"],
    );
    expect(got).toEqual(want);
  });

  test("with ordinals.start the partition counts from the start ordinal", () => {
    const s = set({
      ordinals: { start: 5 },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } },
    });
    const got = [5, 6, 7].map(
      (o) => newVersionedStatefulSetPod(s, cur, upd, o).metadata!.labels!["controller-revision-hash"],
    );
    expect(got).toEqual(["web-old", "web-new", "web-new"]);
  });
});

describe("revision hashing", () => {
  test.each([
    ["", 0x811c9dc5],
    ["a", 0x050c5d7e],
    ["foobar", 0x31f0b262],
  ])("FNV-1 (not 1a) of %j", (s, h) => {
    expect(fnv32(s)).toBe(h);
  });

  test("the collision count is hashed as decimal text after the data", () => {
    expect(hashRevisionData("x", 12)).toBe(hashRevisionData("x12"));
    expect(hashRevisionData("x", 0)).not.toBe(hashRevisionData("x"));
  });

  test("hash characters come from SafeEncodeString's alphabet", () => {
    expect(hashRevisionData('{"spec":{}}')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  test("ControllerRevisionName cuts a long prefix to 223 characters", () => {
    expect(revisionName("web", "abc")).toBe("web-abc");
    expect(revisionName("x".repeat(300), "h")).toBe(`${"x".repeat(223)}-h`);
  });

  test("revisions sort by number, then creation time, then name; the next number follows the last", () => {
    const r = (name: string, revision: number, ts = "2025-01-01T00:00:00Z") =>
      ({ metadata: { name, creationTimestamp: ts }, revision }) as ControllerRevision;
    const sorted = sortRevisions([
      r("c", 2),
      r("b", 1, "2025-01-01T00:00:05Z"),
      r("a", 1, "2025-01-01T00:00:05Z"),
      r("d", 1),
    ]);
    expect(sorted.map((x) => x.metadata!.name)).toEqual(["d", "a", "b", "c"]);
    expect(nextRevision(sorted)).toBe(3);
    expect(nextRevision([])).toBe(1);
  });
});

describe("maxUnavailable (getStatefulSetMaxUnavailable)", () => {
  test.each([
    [undefined, 5, 1],
    [2, 5, 2],
    ["50%", 5, 2], // rounded down
    ["10%", 5, 1], // at least 1
    ["100%", 3, 3],
  ])("%s of %i replicas → %i", (v, replicas, want) => {
    expect(statefulSetMaxUnavailable(v, replicas)).toBe(want);
  });
});

describe("kubectl rollout status statefulset (StatefulSetStatusViewer)", () => {
  const at = (
    spec: Partial<NonNullable<StatefulSet["spec"]>>,
    status: StatefulSet["status"],
    generation = 1,
  ) => {
    const s = set(spec, status);
    return statefulSetRolloutStatus({ ...s, metadata: { ...s.metadata, generation } });
  };
  const rolling = { type: "RollingUpdate" as const, rollingUpdate: { partition: 0 } };
  test.each([
    [
      "OnDelete",
      { updateStrategy: { type: "OnDelete" } },
      { replicas: 3 },
      1,
      "error: rollout status is only available for RollingUpdate strategy type",
      true,
    ],
    [
      "not observed yet",
      { updateStrategy: rolling },
      { replicas: 3, observedGeneration: 1 },
      2,
      "Waiting for statefulset spec update to be observed...",
      false,
    ],
    [
      "never observed",
      { updateStrategy: rolling },
      { replicas: 0 },
      1,
      "Waiting for statefulset spec update to be observed...",
      false,
    ],
    [
      "pods not ready",
      { updateStrategy: rolling },
      { replicas: 3, readyReplicas: 1, observedGeneration: 1 },
      1,
      "Waiting for 2 pods to be ready...",
      false,
    ],
    [
      "partition 2, nothing updated",
      { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } },
      { replicas: 3, readyReplicas: 3, updatedReplicas: 0, observedGeneration: 1 },
      1,
      "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...",
      false,
    ],
    [
      "partition 2, web-2 updated",
      { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } },
      { replicas: 3, readyReplicas: 3, updatedReplicas: 1, observedGeneration: 1 },
      1,
      "partitioned roll out complete: 1 new pods have been updated...",
      true,
    ],
    [
      "no rollingUpdate, revisions differ",
      { updateStrategy: { type: "RollingUpdate" } },
      {
        replicas: 3,
        readyReplicas: 3,
        updatedReplicas: 1,
        currentReplicas: 2,
        currentRevision: "web-a",
        updateRevision: "web-b",
        observedGeneration: 1,
      },
      1,
      "waiting for statefulset rolling update to complete 1 pods at revision web-b...",
      false,
    ],
    [
      "no rollingUpdate, complete",
      { updateStrategy: { type: "RollingUpdate" } },
      {
        replicas: 3,
        readyReplicas: 3,
        updatedReplicas: 3,
        currentReplicas: 3,
        currentRevision: "web-b",
        updateRevision: "web-b",
        observedGeneration: 1,
      },
      1,
      "statefulset rolling update complete 3 pods at revision web-b...",
      true,
    ],
  ] as const)("%s", (_, spec, status, generation, message, done) => {
    const got = at(spec as never, status as never, generation);
    expect(got.message).toBe(message);
    expect(got.done).toBe(done);
  });
});
