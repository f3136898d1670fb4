// The StatefulSet controller end to end: the scenario files show what they claim, with the
// creation and deletion order and times the Kubernetes controller would give.
import { describe, expect, test } from "vitest";
import type {
  ControllerRevision,
  Mutable,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
} from "../../src/api/types.js";
import { statefulSetRolloutStatus } from "../../src/cluster/rollout-status.js";
import {
  createdAt,
  deletedAt,
  deletingAt,
  getPod,
  getSet,
  readyAt,
  runFile,
  runFileTo,
  statefulSet,
  stsCluster,
  stsEvents,
} from "./statefulset-helpers.js";

const WATCH_MS = 5;

describe("scenarios/statefulsets", () => {
  test("ordered-start: web-1 is created one watch latency after web-0 is Ready, web-2 after web-1", () => {
    const { records, summary } = runFile("scenarios/statefulsets/ordered-start.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const ready0 = readyAt(records, "web-0")!;
    const ready1 = readyAt(records, "web-1")!;
    expect(createdAt(records, "web-0")).toEqual([WATCH_MS]);
    expect(createdAt(records, "web-1")).toEqual([ready0 + WATCH_MS]);
    expect(createdAt(records, "web-2")).toEqual([ready1 + WATCH_MS]);
    // Claims first, then the pod, in the words of stateful_pod_control.go.
    expect(stsEvents(records).map((e) => `${e.reason}: ${e.message}`)).toEqual([
      "SuccessfulCreate: create Claim data-web-0 Pod web-0 in StatefulSet web success",
      "SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
      "SuccessfulCreate: create Claim data-web-1 Pod web-1 in StatefulSet web success",
      "SuccessfulCreate: create Pod web-1 in StatefulSet web successful",
      "SuccessfulCreate: create Claim data-web-2 Pod web-2 in StatefulSet web success",
      "SuccessfulCreate: create Pod web-2 in StatefulSet web successful",
    ]);
  });

  test("ordered-start: one ControllerRevision, status complete at the end", () => {
    const { c } = runFile("scenarios/statefulsets/ordered-start.yaml");
    const revs = c.api.list<ControllerRevision>("ControllerRevision", { namespace: "default" });
    expect(revs.map((r) => r.revision)).toEqual([1]);
    const st = getSet(c).status!;
    expect(st).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revs[0]!.metadata.name,
      updateRevision: revs[0]!.metadata.name,
      observedGeneration: 1,
      collisionCount: 0,
    });
    for (const i of [0, 1, 2])
      expect(getPod(c, `web-${i}`)!.metadata.labels!["controller-revision-hash"]).toBe(
        revs[0]!.metadata.name,
      );
  });

  test("delete-recreate: the new web-1 appears only after the old one is gone, with the same claim", () => {
    const { c, records, summary } = runFile("scenarios/statefulsets/delete-recreate.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const [gone] = deletedAt(records, "web-1");
    const created = createdAt(records, "web-1");
    expect(created).toHaveLength(2);
    expect(gone).toBeGreaterThan(65_000 - 1); // a 5 s preStop after the delete at 1m
    expect(created[1]).toBe(gone! + WATCH_MS);
    // The claim was made once, with the first web-1, and never replaced.
    const claimVerbs = records.filter(
      (r) =>
        r.type === "object" &&
        r.kind === "PersistentVolumeClaim" &&
        r.name === "data-web-1" &&
        r.verb !== "MODIFIED",
    );
    expect(claimVerbs.map((r) => [(r as { verb: string }).verb, r.t])).toEqual([["ADDED", created[0]]]);
    expect(c.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", "default", "data-web-1")).toBeDefined();
    const vol = getPod(c, "web-1")!.spec!.volumes!.find((v) => v.name === "data");
    expect(vol?.persistentVolumeClaim?.claimName).toBe("data-web-1");
  });

  test("scale-down: web-2 is deleted first; web-1 only once web-2 has disappeared", () => {
    const { c, records, summary } = runFile("scenarios/statefulsets/scale-down.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const del2 = deletingAt(records, "web-2")!;
    const [gone2] = deletedAt(records, "web-2");
    const del1 = deletingAt(records, "web-1")!;
    expect(del2).toBe(60_000 + WATCH_MS);
    expect(del1).toBe(gone2! + WATCH_MS);
    expect(
      stsEvents(records)
        .filter((e) => e.reason === "SuccessfulDelete")
        .map((e) => e.message),
    ).toEqual([
      "delete Pod web-2 in StatefulSet web successful",
      "delete Pod web-1 in StatefulSet web successful",
    ]);
    expect(c.api.list("PersistentVolumeClaim", { namespace: "default" }).map((p) => p.metadata.name)).toEqual(
      ["data-web-0", "data-web-1", "data-web-2"],
    );
  });

  test("partitioned-update: only web-2 is replaced until the partition is lowered, then web-1, then web-0", () => {
    const { c, records, summary } = runFile("scenarios/statefulsets/partitioned-update.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const deletes = stsEvents(records).filter((e) => e.reason === "SuccessfulDelete");
    expect(deletes.map((e) => [e.t < 120_000 ? "before" : "after", e.message])).toEqual([
      ["before", "delete Pod web-2 in StatefulSet web successful"],
      ["after", "delete Pod web-1 in StatefulSet web successful"],
      ["after", "delete Pod web-0 in StatefulSet web successful"],
    ]);
    // web-0 goes only once the new web-1 is Running and Ready.
    const new1Ready = readyAt(records, "web-1", createdAt(records, "web-1")[1]!)!;
    expect(deletes[2]!.t).toBe(new1Ready + WATCH_MS);
    for (const i of [0, 1, 2]) expect(getPod(c, `web-${i}`)!.spec!.containers[0]!.image).toBe("nginx:1.27");
    const revs = c.api.list<ControllerRevision>("ControllerRevision", { namespace: "default" });
    expect(revs.map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  test("partitioned-update: kubectl rollout status along the way", () => {
    const { c } = runFile("scenarios/statefulsets/partitioned-update.yaml");
    // At the end: partition 0, all updated.
    expect(statefulSetRolloutStatus(getSet(c)).message).toBe(
      "partitioned roll out complete: 3 new pods have been updated...",
    );
    const mid = getSet(runFileTo("scenarios/statefulsets/partitioned-update.yaml", 61_000));
    expect(statefulSetRolloutStatus(mid).message).toBe("Waiting for 1 pods to be ready...");
    const canary = getSet(runFileTo("scenarios/statefulsets/partitioned-update.yaml", 100_000));
    expect(statefulSetRolloutStatus(canary).message).toBe(
      "partitioned roll out complete: 1 new pods have been updated...",
    );
  });

  test("on-delete: the template change deletes nothing; the deleted web-1 comes back on the new revision", () => {
    const { c, records, summary } = runFile("scenarios/statefulsets/on-delete.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(stsEvents(records).filter((e) => e.reason === "SuccessfulDelete")).toEqual([]);
    const images = [0, 1, 2].map((i) => getPod(c, `web-${i}`)!.spec!.containers[0]!.image);
    expect(images).toEqual(["nginx:1.26", "nginx:1.27", "nginx:1.26"]);
    const st = getSet(c).status!;
    expect(st.currentRevision).not.toBe(st.updateRevision); // OnDelete never completes a rolling update
    expect(statefulSetRolloutStatus(getSet(c)).message).toBe(
      "error: rollout status is only available for RollingUpdate strategy type",
    );
  });

  test("parallel: the three pods are created in the same sync; the two condemned go together", () => {
    const { records, summary } = runFile("scenarios/statefulsets/parallel.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect([0, 1, 2].map((i) => createdAt(records, `web-${i}`))).toEqual([
      [WATCH_MS],
      [WATCH_MS],
      [WATCH_MS],
    ]);
    expect(deletingAt(records, "web-1")).toBe(60_000 + WATCH_MS);
    expect(deletingAt(records, "web-2")).toBe(60_000 + WATCH_MS);
  });

  test("claim-retention: whenScaled Delete gives the condemned pod its claim, the GC deletes both", () => {
    const { c, records, summary } = runFile("scenarios/statefulsets/claim-retention.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    const claimRecords = records.filter(
      (r) =>
        r.type === "object" &&
        r.kind === "PersistentVolumeClaim" &&
        r.name === "data-web-2" &&
        r.verb !== "MODIFIED",
    );
    expect(claimRecords.map((r) => (r as { verb: string }).verb)).toEqual(["ADDED", "DELETED", "ADDED"]);
    const [gonePod] = deletedAt(records, "web-2");
    expect(claimRecords[1]!.t).toBe(gonePod! + WATCH_MS); // the garbage collector, one watch later
    // The new claim is owned by no one (whenDeleted Retain, in range).
    const pvc = c.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", "default", "data-web-2")!;
    expect(pvc.metadata.ownerReferences).toBeUndefined();
  });
});

describe("controller behaviour", () => {
  test("minReadySeconds: web-1 waits until web-0 has been Ready for minReadySeconds", () => {
    const { c, records } = stsCluster(statefulSet({ minReadySeconds: 10, replicas: 2 }));
    c.run(60_000);
    const ready0 = readyAt(records, "web-0")!;
    const [created1] = createdAt(records, "web-1");
    expect(created1! - ready0).toBeGreaterThanOrEqual(10_000);
    // The first sync (at 5 ms) queued a re-check minReadySeconds later; the work queue keeps the
    // earliest pending time (as client-go's delaying queue), so the re-check queued at readiness
    // is dropped and web-0 is found available at the re-check after that one.
    expect(created1! % 10_000).toBe(WATCH_MS);
    expect(getSet(c).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });

  test("a Failed pod is deleted (no RecreatingFailedPod event) and recreated on a later sync", () => {
    // No nodes: pods stay Pending and unscheduled, so nothing but the test changes their phase.
    const { c, records } = stsCluster(statefulSet({ replicas: 1 }), { nodes: 0 });
    c.engine.at(10_000, () => {
      c.api.mutate<Mutable<Pod>>(
        "Pod",
        "default",
        "web-0",
        (d) => {
          d.status = { ...d.status, phase: "Failed" };
        },
        { subresource: "status" },
      );
    });
    c.run(20_000);
    expect(createdAt(records, "web-0")).toEqual([WATCH_MS, 10_000 + 2 * WATCH_MS]);
    expect(deletedAt(records, "web-0")).toEqual([10_000 + WATCH_MS]);
    const reasons = stsEvents(records).map((e) => e.reason);
    expect(reasons).not.toContain("RecreatingFailedPod");
    expect(reasons).toContain("SuccessfulDelete");
  });

  test("a terminating pod blocks its replacement, also under Parallel", () => {
    const { c, records } = stsCluster(statefulSet({ replicas: 2, podManagementPolicy: "Parallel" }));
    c.engine.at(60_000, () => c.api.delete("Pod", "default", "web-0", { gracePeriodSeconds: 10 }));
    c.run(90_000);
    const [gone] = deletedAt(records, "web-0");
    expect(createdAt(records, "web-0")).toEqual([WATCH_MS, gone! + WATCH_MS]);
  });

  test("OrderedReady scale-down waits while an in-range pod is not Ready", () => {
    // web-0 stops being Ready at 60 s, when the set is scaled 3 → 1: nothing may be deleted.
    const { c, records } = stsCluster(statefulSet({ replicas: 3 }), {
      images: [{ pattern: "nginx:*", ready: { minMs: 1000, maxMs: 1000 } }],
    });
    c.engine.at(60_000, () => {
      c.api.mutate<Mutable<Pod>>(
        "Pod",
        "default",
        "web-0",
        (d) => {
          d.status = {
            ...d.status,
            conditions: d.status!.conditions!.map((x) =>
              x.type === "Ready" ? { ...x, status: "False" } : x,
            ),
          };
        },
        { subresource: "status" },
      );
      c.api.patch("StatefulSet", "default", "web", { spec: { replicas: 1 } });
    });
    c.run(61_000);
    expect(getPod(c, "web-2")).toBeDefined();
    expect(deletingAt(records, "web-2", 60_000)).toBeUndefined();
    expect(
      records.some((r) => r.type === "step" && r.message === "waiting for Pod web-0 to be Running and Ready"),
    ).toBe(true);
  });

  test("an explicit maxUnavailable 2 replaces two pods at a time, from the top", () => {
    const { c, records } = stsCluster(
      statefulSet({
        replicas: 4,
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0, maxUnavailable: 2 } },
      }),
    );
    c.engine.at(90_000, () =>
      c.api.mutate<StatefulSet>("StatefulSet", "default", "web", (d) => {
        d.spec!.template.spec!.containers[0]!.image = "nginx:1.27";
      }),
    );
    c.run(180_000);
    const deletes = stsEvents(records).filter((e) => e.reason === "SuccessfulDelete");
    expect(deletes.map((e) => e.message.split(" ")[2])).toEqual(["web-3", "web-2", "web-1", "web-0"]);
    expect(deletes[0]!.t).toBe(deletes[1]!.t);
    expect(deletes[2]!.t).toBe(deletes[3]!.t);
    expect(deletes[2]!.t).toBeGreaterThan(deletes[1]!.t);
    expect(getSet(c).status).toMatchObject({ updatedReplicas: 4, readyReplicas: 4, currentReplicas: 4 });
  });

  test("ordinals.start: pods web-5..web-7 with claims data-web-5..7", () => {
    const { c } = stsCluster(statefulSet({ ordinals: { start: 5 } }));
    c.run(60_000);
    expect(c.api.list<Pod>("Pod", { namespace: "default" }).map((p) => p.metadata.name)).toEqual([
      "web-5",
      "web-6",
      "web-7",
    ]);
    expect(getPod(c, "web-6")!.metadata.labels!["apps.kubernetes.io/pod-index"]).toBe("6");
    expect(c.api.get("PersistentVolumeClaim", "default", "data-web-7")).toBeDefined();
  });

  test("revisionHistoryLimit: old revisions beyond the limit go; a return to an old template renumbers it", () => {
    const { c } = stsCluster(statefulSet({ replicas: 1, revisionHistoryLimit: 1 }));
    const setImage = (image: string) => () =>
      c.api.mutate<StatefulSet>("StatefulSet", "default", "web", (d) => {
        d.spec!.template.spec!.containers[0]!.image = image;
      });
    c.engine.at(20_000, setImage("nginx:1.27"));
    c.engine.at(40_000, setImage("nginx:1.28"));
    c.engine.at(60_000, setImage("nginx:1.27")); // back to revision 2's template
    c.run(80_000);
    const revs = c.api.list<ControllerRevision>("ControllerRevision", { namespace: "default" });
    const byRev = revs.map((r) => [r.revision, (r.data as any).spec.template.spec.containers[0].image]);
    // Revision 1 (1.26) was truncated; 1.27's revision was renumbered 2 → 4 instead of a copy.
    expect(byRev.sort()).toEqual([
      [3, "nginx:1.28"],
      [4, "nginx:1.27"],
    ]);
    expect(getSet(c).status!.currentRevision).toBe(revs.find((r) => r.revision === 4)!.metadata.name);
  });

  test("a hash collision bumps status.collisionCount and names the revision with the new count", () => {
    const { c } = stsCluster(undefined);
    // Occupy the name the first revision would take, with other data.
    const probe = stsCluster(statefulSet({ replicas: 0 }));
    probe.c.run(1_000);
    const taken = probe.c.api.list<ControllerRevision>("ControllerRevision", { namespace: "default" })[0]!;
    c.api.create({
      ...taken,
      metadata: { name: taken.metadata.name, namespace: "default" },
      data: { other: true },
      revision: 1,
    } as ControllerRevision);
    c.api.create(statefulSet({ replicas: 0 }));
    c.run(1_000);
    const set = getSet(c);
    expect(set.status!.collisionCount).toBe(1);
    expect(set.status!.updateRevision).not.toBe(taken.metadata.name);
  });
});
