/** The timeline's comparisons of two versions say what comparing their built summaries' JSON says. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { sameJson } from "../../src/api/same-json.js";
import type { Stored } from "../../src/api/types.js";
import { samePodSummary, sameSummary, summarize } from "../../src/cluster/summary.js";

// One controller reference object shared by several pods, as replicas share theirs.
const rsRef = Object.freeze({ kind: "ReplicaSet", name: "web-1", uid: "u1", controller: true });

// Pods that differ only in what a pod's summary shows (and a probe time it does not show).
const pod = fc
  .record({
    phase: fc.constantFrom(undefined, "Pending", "Running", "Failed"),
    node: fc.constantFrom(undefined, "node-1", "node-2"),
    ready: fc.constantFrom(undefined, "True", "False"),
    owner: fc.constantFrom("none", "shared", "copy", "other", "notController"),
    restarts: fc.array(fc.constantFrom(undefined, 0, 1, 2), { maxLength: 2 }),
    deleting: fc.boolean(),
    probeTime: fc.constantFrom("t1", "t2"),
  })
  .map((p) => {
    const ownerReferences = {
      none: undefined,
      shared: [rsRef],
      copy: [{ ...rsRef }],
      other: [{ ...rsRef, name: "web-2" }],
      notController: [{ ...rsRef, controller: false }],
    }[p.owner];
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        namespace: "default",
        uid: "p-uid",
        ...(ownerReferences ? { ownerReferences } : {}),
        ...(p.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
      },
      spec: { ...(p.node ? { nodeName: p.node } : {}) },
      status: {
        ...(p.phase ? { phase: p.phase } : {}),
        conditions: [
          { type: "PodScheduled", status: "True" },
          ...(p.ready ? [{ type: "Ready", status: p.ready, lastProbeTime: p.probeTime }] : []),
        ],
        containerStatuses: p.restarts.map((n) => (n === undefined ? {} : { restartCount: n })),
      },
    } as unknown as Stored;
  });

describe("samePodSummary", () => {
  test.prop([pod, pod])("agrees with comparing the JSON of the two pods' summaries", (a, b) => {
    const same = JSON.stringify(summarize(a)) === JSON.stringify(summarize(b));
    expect(samePodSummary(a, b)).toBe(same);
    expect(sameJson(summarize(a), summarize(b))).toBe(same);
  });

  test.prop([pod])("agrees on versions that share their unchanged parts", (a) => {
    const b = { ...a, metadata: { ...a.metadata, resourceVersion: "2" } } as Stored;
    expect(samePodSummary(a, b)).toBe(true);
    const moved = { ...b, spec: { ...(b.spec as object), nodeName: "node-3" } } as Stored;
    expect(samePodSummary(a, moved)).toBe(false);
  });
});

// Versions of a Node, a ReplicaSet and a Deployment whose spec, annotations and conditions are
// shared, copied or changed, so that both the fast answers and the fallback come up.
const sharedSpec = Object.freeze({ replicas: 2, taints: [{ key: "k", effect: "NoSchedule" }] });
const sharedAnnotations = Object.freeze({ "deployment.kubernetes.io/revision": "1" });
const otherKinds = fc
  .record({
    kind: fc.constantFrom("Node", "ReplicaSet", "Deployment", "Service"),
    spec: fc.constantFrom("shared", "copy", "changed"),
    annotations: fc.constantFrom("shared", "copy", "none"),
    ready: fc.constantFrom(undefined, "True", "False"),
    count: fc.constantFrom(undefined, 0, 1),
    reason: fc.constantFrom(undefined, "", "NewReplicaSetAvailable"),
    time: fc.constantFrom("t1", "t2"),
  })
  .map((v) => {
    const spec = { shared: sharedSpec, copy: { ...sharedSpec }, changed: { ...sharedSpec, replicas: 3 } }[
      v.spec
    ];
    const annotations = { shared: sharedAnnotations, copy: { ...sharedAnnotations }, none: undefined }[
      v.annotations
    ];
    return {
      apiVersion: "v1",
      kind: v.kind,
      metadata: { name: "o", uid: "o-uid", ...(annotations ? { annotations } : {}) },
      spec,
      status: {
        readyReplicas: v.count,
        availableReplicas: v.count,
        conditions: [
          { type: "Ready", status: v.ready ?? "Unknown", lastHeartbeatTime: v.time },
          ...(v.ready
            ? [{ type: "Available", status: v.ready, reason: v.reason, lastUpdateTime: v.time }]
            : []),
        ],
      },
    } as unknown as Stored;
  });

describe("sameSummary", () => {
  test.prop([otherKinds, otherKinds])("agrees with comparing the JSON of two versions' summaries", (a, b) => {
    const v = { ...b, kind: a.kind } as Stored;
    expect(sameSummary(a, v)).toBe(JSON.stringify(summarize(a)) === JSON.stringify(summarize(v)));
  });

  test.prop([pod, pod])("compares pods as samePodSummary does", (a, b) => {
    expect(sameSummary(a, b)).toBe(samePodSummary(a, b));
  });
});
