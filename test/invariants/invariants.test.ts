// Each built-in invariant holds where Kubernetes keeps its promise, and reports a planted breach
// with the time, seed, objects and a causal chain that names what led there.
import { describe, expect, test } from "vitest";
import type { Mutable, Pod } from "../../src/api/types.js";
import { ScenarioError } from "../../src/scenario/errors.js";
import { clusterOf, DB, load, scenarioText, WEB } from "./helpers.js";

describe("rollout-bounds", () => {
  test("a rolling update of a healthy image keeps both bounds", () => {
    const text = scenarioText(
      "until: 3m\nactions:\n  - {at: 1m, kubectl: set image deployment/web app=app:v2}",
      WEB,
    );
    const { c } = clusterOf(text, ["rollout-bounds"]);
    expect(c.run().violations).toEqual([]);
  });

  test("an image that turns unready after passing readiness breaks the lower bound, with the pod in the chain", () => {
    const text = scenarioText(
      `until: 3m
images:
  "app:bad": {crash: {after: 20s}}
actions:
  - {at: 1m, kubectl: set image deployment/web app=app:bad}`,
      WEB,
    );
    const { c, records } = clusterOf(text, ["rollout-bounds"]);
    const { violations, seed } = c.run();
    expect(violations).toHaveLength(1);
    const v = violations[0]!;
    expect(v).toMatchObject({ invariant: "rollout-bounds", seed });
    expect(v.message).toMatch(
      /^deployment web has 2 available pods, below replicas − maxUnavailable = 4 − 1 = 3/,
    );
    expect(v.objects[0]).toBe("Deployment/default/web");
    expect(v.chain.some((l) => l.includes("kubectl set image deployment/web app=app:bad"))).toBe(true);
    expect(v.chain.some((l) => l.includes(v.objects[1]!))).toBe(true);
    expect(records.filter((r) => r.type === "violation")).toHaveLength(1);
  });

  test("pods added beyond replicas + maxSurge break the upper bound", () => {
    const { c } = clusterOf(scenarioText("until: 1m", WEB), ["rollout-bounds"]);
    c.engine.at(30_000, () => {
      const rs = c.api.list("ReplicaSet")[0]!;
      const pod = c.api.list<Pod>("Pod", { ownerUid: rs.metadata.uid })[0]!;
      const ref = {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        name: rs.metadata.name,
        uid: rs.metadata.uid,
        controller: true,
      };
      for (const name of ["extra-1", "extra-2"])
        c.api.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name, namespace: "default", labels: { app: "web" }, ownerReferences: [ref] },
          spec: pod.spec,
        } as Pod);
    });
    const [v] = c.run().violations;
    expect(v?.message).toBe(
      "deployment web has 6 live pods, above replicas + maxSurge = 4 + 1 = 5, after pod extra-2 was created",
    );
  });

  test("a crash of a node excuses the bounds until the Deployment meets them again", () => {
    const text = scenarioText(
      "until: 10m\nactions:\n  - {at: 1m, fault: {node: node-1, type: crash, for: 3m}}",
      WEB,
    );
    expect(clusterOf(text).c.run().violations).toEqual([]);
  });
});

describe("statefulset-identity", () => {
  // web-0 starts on node-1 (node-2 joins at 30s); node-1 is cut off and db-0 force-deleted, so the
  // controller starts a new db-0 on node-2 while the old containers still run on node-1.
  const text = scenarioText(
    `until: 3m
nodes:
  - {names: [node-1]}
  - {names: [node-2], joinAt: 30s}
actions:
  - {at: 1m, fault: {node: node-1, type: partition}}`,
    DB,
  );

  test("a force delete on a partitioned node lets two pods run one identity", () => {
    const { c } = clusterOf(text, ["statefulset-identity"]);
    c.engine.at(90_000, () => c.api.delete("Pod", "default", "db-0", { gracePeriodSeconds: 0 }));
    const [v, more] = c.run().violations;
    expect(more).toBeUndefined();
    expect(v?.invariant).toBe("statefulset-identity");
    expect(v?.message).toMatch(
      /^two pods run StatefulSet identity default\/db-0: the one on node-1 .* runs on node-2$/,
    );
    expect(v?.objects).toEqual(["Pod/default/db-0", "Node/node-1", "Node/node-2"]);
  });

  test("without the force delete the old pod stays Terminating and no second pod starts", () => {
    const { c } = clusterOf(text, ["statefulset-identity"]);
    c.engine.at(90_000, () => c.api.delete("Pod", "default", "db-0"));
    expect(c.run().violations).toEqual([]);
  });
});

describe("node-capacity", () => {
  test("pods the scheduler places never exceed a node's allocatable", () => {
    const text = scenarioText("until: 1m\nnodes: [{count: 1, capacity: {cpu: 350m}}]", WEB);
    const { c } = clusterOf(text, ["node-capacity"]);
    c.run();
    expect(c.monitor?.violations).toEqual([]);
    expect(c.api.list<Pod>("Pod").filter((p) => p.status?.phase === "Running")).toHaveLength(3);
  });

  test("a pod that runs on a node beyond its allocatable is reported", () => {
    const { c } = clusterOf(scenarioText("until: 1m\nnodes: [{count: 1}]", WEB), ["node-capacity"]);
    // As a kubelet that skipped admission would: the pod's status says it started.
    c.engine.at(20_000, () => {
      const big = { name: "big", image: "big:1", resources: { requests: { cpu: "3800m" } } };
      c.api.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "big", namespace: "default" },
        spec: { nodeName: "node-1", containers: [big] },
      } as Pod);
      c.api.mutate(
        "Pod",
        "default",
        "big",
        (d) => {
          (d as Mutable<Pod>).status = { phase: "Running", startTime: c.clock.time(20_000) };
        },
        { subresource: "status" },
      );
    });
    const [v] = c.run().violations;
    expect(v?.message).toBe(
      "node node-1 is over-committed: its admitted pods request cpu 4200m, allocatable is 4000m (after pod default/big started)",
    );
  });
});

describe("pod-node-exists", () => {
  test("pods of a deleted node are gone within pod GC's bound", () => {
    const text = scenarioText(
      "until: 5m\nactions:\n  - {at: 1m, fault: {node: node-1, type: crash}}\n  - {at: 2m, kubectl: delete node node-1}",
      WEB,
    );
    expect(clusterOf(text, ["pod-node-exists"]).c.run().violations).toEqual([]);
  });

  test("binding a pod to a node that does not exist is reported at once", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: lost}\nspec: {schedulerName: none, containers: [{name: a, image: a}]}";
    const { c } = clusterOf(scenarioText("until: 1m", pod), ["pod-node-exists"]);
    c.engine.at(10_000, () => c.api.bind("default", "lost", "node-9"));
    const [v] = c.run().violations;
    expect(v).toMatchObject({ atMs: 10_000, objects: ["Pod/default/lost", "Node/node-9"] });
  });
});

describe("pvc-binding", () => {
  const STORAGE = `
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-1}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], storageClassName: manual, hostPath: {path: /d}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: a}
spec: {accessModes: [ReadWriteOnce], storageClassName: manual, resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: b}
spec: {accessModes: [ReadWriteOnce], storageClassName: manual, resources: {requests: {storage: 1Gi}}}
`;

  test("the controller binds one claim to the volume, the other stays Pending", () => {
    const { c } = clusterOf(scenarioText("until: 1m", STORAGE), ["pvc-binding"]);
    expect(c.run().violations).toEqual([]);
  });

  test("a second claim marked Bound to the same volume is reported", () => {
    const { c } = clusterOf(scenarioText("until: 1m", STORAGE), ["pvc-binding"]);
    c.engine.at(30_000, () => {
      const pending = c.api
        .list("PersistentVolumeClaim")
        .find((p) => (p.status as { phase?: string } | undefined)?.phase !== "Bound")!;
      c.api.patch("PersistentVolumeClaim", "default", pending.metadata.name, {
        spec: { volumeName: "pv-1" },
      });
      c.api.mutate(
        "PersistentVolumeClaim",
        "default",
        pending.metadata.name,
        (d) => {
          (d as { status?: unknown }).status = { phase: "Bound" };
        },
        { subresource: "status" },
      );
    });
    const messages = c.run().violations.map((v) => v.message);
    expect(messages[0]).toMatch(
      /^persistentvolume pv-1 is bound to two claims: default\/[ab] and default\/[ab]$/,
    );
    expect(messages[1]).toMatch(
      /^claim default\/[ab] is Bound to persistentvolume pv-1, but its claimRef names default\/[ab]$/,
    );
  });
});

describe("convergence", () => {
  test("after a crash heals, the Deployment and the node recover within the bound", () => {
    const text = scenarioText(
      "until: 10m\nconvergeWithin: 2m\nactions:\n  - {at: 1m, fault: {node: node-1, type: crash, for: 2m}}",
      WEB,
    );
    expect(clusterOf(text, ["convergence"]).c.run().violations).toEqual([]);
  });

  test("a Deployment that cannot become available again is reported when the bound passes", () => {
    const text = scenarioText(
      `until: 6m
invariants: [convergence]
convergeWithin: 1m
images:
  "app:bad": {ready: never}
actions:
  - {at: 30s, kubectl: set image deployment/web app=app:bad}
  - {at: 1m, fault: {node: node-1, type: crash, for: 1m}}`,
      WEB,
    );
    const { c } = clusterOf(text, undefined as never);
    const [v] = c.run().violations;
    expect(v?.atMs).toBe(3 * 60_000);
    expect(v?.message).toMatch(
      /^the cluster did not converge within 1m0s after every fault healed at 2m0s: Deployment\/default\/web \(replicas \d, updated \d, available \d of 4\)$/,
    );
  });
});

describe("spec.invariants", () => {
  test("all expands to every built-in invariant; unknown names are errors with the position", () => {
    expect(load(scenarioText("invariants: [all]", WEB)).invariants).toHaveLength(6);
    expect(() => load(scenarioText("invariants: [rollout-bound]", WEB))).toThrow(ScenarioError);
  });

  test("runs without invariants check none and add no records", () => {
    const { c, records } = clusterOf(scenarioText("until: 1m", WEB), false);
    expect(c.monitor).toBeUndefined();
    expect(c.run().violations).toEqual([]);
    expect(records.some((r) => r.type === "violation")).toBe(false);
  });
});
