// The rollout scenarios of scenarios/rollouts/ run, their expectations hold, and each shows the
// steps Kubernetes' Deployment controller takes (rolling.go, recreate.go, sync.go, progress.go):
// the ScalingReplicaSet events in order, the ReplicaSets that exist, revisions and conditions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { WatchEvent } from "../../src/api/apiserver.js";
import type { Deployment, KubeObject, Pod, ReplicaSet, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { EventRecord, ObjectRecord, TimelineRecord } from "../../src/cluster/records.js";
import { deploymentRolloutStatus } from "../../src/cluster/rollout-status.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const REVISION = "deployment.kubernetes.io/revision";

function diskRead(path: string): string | undefined {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
}

interface Run {
  cluster: Cluster;
  records: TimelineRecord[];
  /** Every change the apiserver made, in order, with its time (the synchronous observer). */
  changes: { t: number; ev: WatchEvent }[];
  failed: string[];
}

/** Runs a scenario file (or YAML text under a made-up name) through the library, keeping everything. */
function run(file: string, text?: string): Run {
  const read = text === undefined ? diskRead : (p: string) => (p === file ? text : undefined);
  const records: TimelineRecord[] = [];
  const cluster = new Cluster(loadScenario([file], read), { sink: (r) => records.push(r) });
  const changes: Run["changes"] = [];
  cluster.api.observe((ev) => changes.push({ t: cluster.engine.nowMs, ev }));
  const summary = cluster.run();
  const failed = summary.expectations.filter((e) => !e.ok).map((e) => `${e.expect}: ${e.detail}`);
  return { cluster, records, changes, failed };
}

const scenario = (name: string) => run(`scenarios/rollouts/${name}.yaml`);

/** The Deployment controller's ScalingReplicaSet event messages from `fromMs` on, in order. */
function scalingEvents(r: Run, fromMs = 0): string[] {
  return (
    r.records
      .filter(
        (x): x is EventRecord => x.type === "event" && x.reason === "ScalingReplicaSet" && x.t >= fromMs,
      )
      // From the 10th distinct message, client-go combines similar events; the decision is the same.
      .map((e) => e.message.replace("(combined from similar events): ", ""))
  );
}

function objectRecords(r: Run, kind: string, verb?: ObjectRecord["verb"]): ObjectRecord[] {
  return r.records.filter(
    (x): x is ObjectRecord => x.type === "object" && x.kind === kind && (!verb || x.verb === verb),
  );
}

function replicaSets(r: Run): Stored<ReplicaSet>[] {
  return r.cluster.api.list<ReplicaSet>("ReplicaSet", { namespace: "default" });
}

function rs(r: Run, name: string): Stored<ReplicaSet> {
  const found = r.cluster.api.get<ReplicaSet>("ReplicaSet", "default", name);
  if (!found) throw new Error(`ReplicaSet ${name} does not exist`);
  return found;
}

function deployment(r: Run, name: string): Stored<Deployment> {
  const d = r.cluster.api.get<Deployment>("Deployment", "default", name);
  if (!d) throw new Error(`Deployment ${name} does not exist`);
  return d;
}

const ownerUid = (o: KubeObject) => o.metadata?.ownerReferences?.find((x) => x.controller)?.uid;

/**
 * Replays the observed changes, calling `check` after every change with the pods and
 * ReplicaSets as they are then (by uid).
 */
function replay(
  r: Run,
  check: (t: number, pods: Map<string, Stored<Pod>>, rss: Map<string, Stored<ReplicaSet>>) => void,
): void {
  const pods = new Map<string, Stored<Pod>>();
  const rss = new Map<string, Stored<ReplicaSet>>();
  for (const { t, ev } of r.changes) {
    const o = ev.object;
    const map = o.kind === "Pod" ? pods : o.kind === "ReplicaSet" ? rss : undefined;
    if (!map) continue;
    if (ev.type === "DELETED") map.delete(o.metadata.uid);
    else map.set(o.metadata.uid, o as never);
    check(t, pods, rss);
  }
}

describe("rollout scenarios", () => {
  test("rolling-defaults: 4 replicas at 25%/25% step by 1 up and 1 down, in Kubernetes' order", () => {
    const r = scenario("rolling-defaults");
    expect(r.failed).toEqual([]);
    // ResolveFenceposts(25%, 25%, 4) = surge 1, unavailable 1. The first sync creates the new
    // ReplicaSet at 1 (4 + 1 = 5 pods) and, finding it unscaled, goes on to scale the old one
    // down by 4 available − minAvailable 3 = 1; each later sync does one of the two.
    expect(scalingEvents(r, 60_000)).toEqual([
      "Scaled up replica set web-5b56b4dbbf from 0 to 1",
      "Scaled down replica set web-59f956848d from 4 to 3",
      "Scaled up replica set web-5b56b4dbbf from 1 to 2",
      "Scaled down replica set web-59f956848d from 3 to 2",
      "Scaled up replica set web-5b56b4dbbf from 2 to 3",
      "Scaled down replica set web-59f956848d from 2 to 1",
      "Scaled up replica set web-5b56b4dbbf from 3 to 4",
      "Scaled down replica set web-59f956848d from 1 to 0",
    ]);
    const added = objectRecords(r, "ReplicaSet", "ADDED").filter((x) => x.t >= 60_000);
    expect(added.map((x) => [x.name, x.state.replicas, x.state.revision])).toEqual([
      ["web-5b56b4dbbf", 1, "2"],
    ]);
    const firstTwo = r.records.filter(
      (x) => x.type === "event" && x.reason === "ScalingReplicaSet" && x.t >= 60_000,
    );
    expect(firstTwo[0]!.t).toBe(firstTwo[1]!.t); // one sync: create at 1, then old 4 → 3
    // At every change: ReplicaSet sizes sum to at most 5, and (from the update on) the
    // ReplicaSets report at least 3 available.
    replay(r, (t, _pods, rss) => {
      const sets = [...rss.values()];
      expect(sets.reduce((n, x) => n + (x.spec?.replicas ?? 0), 0)).toBeLessThanOrEqual(5);
      if (t > 60_000) {
        expect(sets.reduce((n, x) => n + (x.status?.availableReplicas ?? 0), 0)).toBeGreaterThanOrEqual(3);
      }
    });
    const d = deployment(r, "web");
    expect(d.metadata.annotations?.[REVISION]).toBe("2");
    expect(deploymentRolloutStatus(d).message).toBe('deployment "web" successfully rolled out');
  });

  test("no-surge: the new ReplicaSet starts at 0 replicas and grows only after the old one shrinks", () => {
    const r = scenario("no-surge");
    expect(r.failed).toEqual([]);
    // maxSurge 0: NewRSNewReplicas = 0 at creation (3 pods ≥ 3 + 0), so no "Scaled up ... from 0".
    const added = objectRecords(r, "ReplicaSet", "ADDED").filter((x) => x.t >= 60_000);
    expect(added.map((x) => [x.name, x.state.replicas])).toEqual([["indexer-7949987976", 0]]);
    expect(scalingEvents(r, 60_000)).toEqual([
      "Scaled down replica set indexer-59bdb8b58f from 3 to 2",
      "Scaled up replica set indexer-7949987976 from 0 to 1",
      "Scaled down replica set indexer-59bdb8b58f from 2 to 1",
      "Scaled up replica set indexer-7949987976 from 1 to 2",
      "Scaled down replica set indexer-59bdb8b58f from 1 to 0",
      "Scaled up replica set indexer-7949987976 from 2 to 3",
    ]);
    // Pods holding a node's CPU (bound and not yet gone) never number more than 3: each new pod
    // is scheduled only after an old one has finished terminating.
    replay(r, (_t, pods) => {
      const bound = [...pods.values()].filter((p) => p.spec?.nodeName && p.status?.phase !== "Failed");
      expect(bound.length).toBeLessThanOrEqual(3);
    });
    // ... and until then the new pod waits: "0/3 nodes are available: 3 Insufficient cpu."
    const waited = r.records.filter(
      (x): x is EventRecord => x.type === "event" && x.reason === "FailedScheduling" && x.t >= 60_000,
    );
    expect(waited.length).toBeGreaterThan(0);
  });

  test("recreate: no pod of the new ReplicaSet exists while any old pod exists", () => {
    const r = scenario("recreate");
    expect(r.failed).toEqual([]);
    const newRS = rs(r, "billing-74b94478b7");
    const oldRS = rs(r, "billing-5b867d875f");
    expect(scalingEvents(r, 60_000)).toEqual([
      "Scaled down replica set billing-5b867d875f from 3 to 0",
      "Scaled up replica set billing-74b94478b7 from 0 to 3",
    ]);
    let overlaps = 0;
    replay(r, (_t, pods) => {
      const owners = [...pods.values()].map(ownerUid);
      if (owners.includes(newRS.metadata.uid) && owners.includes(oldRS.metadata.uid)) overlaps++;
    });
    expect(overlaps).toBe(0);
    // The new ReplicaSet is created only after the last old pod is deleted (terminating included).
    const lastOldGone = Math.max(
      ...objectRecords(r, "Pod", "DELETED")
        .filter((x) => x.state.owner === `ReplicaSet/${oldRS.metadata.name}`)
        .map((x) => x.t),
    );
    const created = objectRecords(r, "ReplicaSet", "ADDED").find((x) => x.name === newRS.metadata.name)!;
    expect(created.t).toBeGreaterThan(lastOldGone);
    expect(created.state.replicas).toBe(3);
  });

  test("pause-resume: three edits while paused make exactly one new ReplicaSet, after resume", () => {
    const r = scenario("pause-resume");
    expect(r.failed).toEqual([]);
    const added = objectRecords(r, "ReplicaSet", "ADDED");
    expect(added.map((x) => [x.name, x.state.revision])).toEqual([
      ["api-bcc46dd7", "1"],
      ["api-74b9b7d97", "2"],
    ]);
    expect(added[1]!.t).toBeGreaterThanOrEqual(120_000); // only after `rollout resume` at 2m
    // The one new ReplicaSet carries all three edits.
    const t = rs(r, "api-74b9b7d97").spec!.template!;
    const c = t.spec!.containers[0]!;
    expect(c.image).toBe("shop/api:2.1.0");
    expect(c.resources?.requests?.memory).toBe("512Mi");
    expect(t.metadata?.annotations?.["checksum/config"]).toBe("9f2c1e");
    // Progressing: Unknown/DeploymentPaused while paused; DeploymentResumed on resume, then the
    // new ReplicaSet's NewReplicaSetCreated.
    const reasons = objectRecords(r, "Deployment")
      .map((x) => (x.state.conditions as string[]).find((s) => s.startsWith("Progressing=")))
      .filter((s, i, all) => s !== all[i - 1]);
    expect(reasons).toEqual([
      "Progressing=True(NewReplicaSetCreated)",
      "Progressing=True(ReplicaSetUpdated)",
      "Progressing=True(NewReplicaSetAvailable)",
      "Progressing=Unknown(DeploymentPaused)",
      "Progressing=Unknown(DeploymentResumed)",
      "Progressing=True(NewReplicaSetCreated)",
      "Progressing=True(ReplicaSetUpdated)",
      "Progressing=True(NewReplicaSetAvailable)",
    ]);
  });

  test("undo: rollbacks reuse ReplicaSets, renumbering them 4 and 5 with their old numbers in revision-history", () => {
    const r = scenario("undo");
    expect(r.failed).toEqual([]);
    const actions = r.records.filter((x) => x.type === "action" && x.args.startsWith("rollout undo"));
    expect(actions.map((x) => (x.type === "action" ? x.output : ""))).toEqual([
      "deployment.apps/cart rolled back",
      "deployment.apps/cart rolled back",
    ]);
    // Three ReplicaSets were ever created (revisions 1-3); the rollbacks created none.
    expect(objectRecords(r, "ReplicaSet", "ADDED").map((x) => x.name)).toEqual([
      "cart-74766fd848",
      "cart-76999476f7",
      "cart-748d47cb98",
    ]);
    const v10 = rs(r, "cart-74766fd848").metadata.annotations!;
    const v11 = rs(r, "cart-76999476f7").metadata.annotations!;
    const v12 = rs(r, "cart-748d47cb98").metadata.annotations!;
    expect([v10[REVISION], v10["deployment.kubernetes.io/revision-history"]]).toEqual(["5", "1"]);
    expect([v11[REVISION], v11["deployment.kubernetes.io/revision-history"]]).toEqual(["4", "2"]);
    expect([v12[REVISION], v12["deployment.kubernetes.io/revision-history"]]).toEqual(["3", undefined]);
    expect(deployment(r, "cart").metadata.annotations?.[REVISION]).toBe("5");
    // The first sync after `rollout undo` finds 1.1's ReplicaSet new again; nothing can be added
    // (5 pods), but 1.2's 2 pods are unavailable, so cleanupUnhealthyReplicas removes both.
    expect(scalingEvents(r, 180_000).slice(0, 2)).toEqual([
      "Scaled down replica set cart-748d47cb98 from 2 to 0",
      "Scaled up replica set cart-76999476f7 from 3 to 4",
    ]);
    // The second rollback is an ordinary rolling update onto revision 1's ReplicaSet (at 0).
    expect(scalingEvents(r, 240_000)).toEqual([
      "Scaled up replica set cart-74766fd848 from 0 to 1",
      "Scaled down replica set cart-76999476f7 from 4 to 3",
      "Scaled up replica set cart-74766fd848 from 1 to 2",
      "Scaled down replica set cart-76999476f7 from 3 to 2",
      "Scaled up replica set cart-74766fd848 from 2 to 3",
      "Scaled down replica set cart-76999476f7 from 2 to 1",
      "Scaled up replica set cart-74766fd848 from 3 to 4",
      "Scaled down replica set cart-76999476f7 from 1 to 0",
    ]);
  });

  test("progress-deadline: Progressing turns False/ProgressDeadlineExceeded 60 s after the last progress, and rollout status fails", () => {
    const r = scenario("progress-deadline");
    expect(r.failed).toEqual([]);
    let lastProgressMs: number | undefined;
    let timedOutAtMs: number | undefined;
    let message: string | undefined;
    for (const { t, ev } of r.changes) {
      if (ev.object.kind !== "Deployment" || ev.type === "DELETED") continue;
      const d = ev.object as Stored<Deployment>;
      const p = d.status?.conditions?.find((c) => c.type === "Progressing");
      if (!p || t < 60_000) continue;
      if (p.reason === "ProgressDeadlineExceeded") {
        timedOutAtMs ??= t;
        message ??= p.message;
        expect(p.status).toBe("False");
      } else if (timedOutAtMs === undefined) {
        lastProgressMs = r.cluster.clock.parse(p.lastUpdateTime!);
      }
    }
    expect(lastProgressMs).toBe(60_000); // lastUpdateTime has whole seconds: 1:00.015 → 1:00
    expect(timedOutAtMs).toBeDefined();
    // DeploymentTimedOut: lastUpdateTime + 60 s < now; the requeue comes 1 s after the deadline.
    expect(timedOutAtMs!).toBeGreaterThan(lastProgressMs! + 60_000);
    expect(timedOutAtMs!).toBeLessThanOrEqual(lastProgressMs! + 61_000);
    expect(message).toBe('ReplicaSet "web-6f7bd5678f" has timed out progressing.');
    expect(deploymentRolloutStatus(deployment(r, "web")).message).toBe(
      'error: deployment "web" exceeded its progress deadline',
    );
    const status = r.records.filter((x) => x.type === "action" && x.args === "rollout status deployment/web");
    expect(status.map((x) => (x.type === "action" ? x.output : ""))).toEqual([
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      'error: deployment "web" exceeded its progress deadline',
    ]);
    // The timeout stops nothing and undoes nothing: 3 old pods and 1 new pod remain.
    expect(rs(r, "web-669d8dbf5f").spec?.replicas).toBe(3);
    expect(rs(r, "web-6f7bd5678f").spec?.replicas).toBe(1);
  });

  test("proportional-scaling: 10 → 15 mid-rollout adds 3 to the old ReplicaSet (8 → 11) and 2 to the new (5 → 7)", () => {
    const r = scenario("proportional-scaling");
    expect(r.failed).toEqual([]);
    expect(scalingEvents(r, 60_000)).toEqual([
      "Scaled up replica set nginx-deployment-77fc64f4cf from 0 to 3",
      "Scaled down replica set nginx-deployment-784dfbb77c from 10 to 8",
      "Scaled up replica set nginx-deployment-77fc64f4cf from 3 to 5",
      "Scaled up replica set nginx-deployment-784dfbb77c from 8 to 11",
      "Scaled up replica set nginx-deployment-77fc64f4cf from 5 to 7",
    ]);
    for (const [name, size] of [
      ["nginx-deployment-784dfbb77c", 11],
      ["nginx-deployment-77fc64f4cf", 7],
    ] as const) {
      const x = rs(r, name);
      expect(x.spec?.replicas).toBe(size);
      // Every ReplicaSet scaled proportionally carries the new desired and max sizes.
      expect(x.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"]).toBe("15");
      expect(x.metadata.annotations?.["deployment.kubernetes.io/max-replicas"]).toBe("18");
    }
  });

  test("revision-history-limit: after five updates 3 ReplicaSets remain, the oldest deleted first", () => {
    const r = scenario("revision-history-limit");
    expect(r.failed).toEqual([]);
    const revisionOf = new Map(
      objectRecords(r, "ReplicaSet", "ADDED").map((x) => [x.name, x.state.revision as string]),
    );
    const deleted = objectRecords(r, "ReplicaSet", "DELETED");
    expect(deleted.map((x) => revisionOf.get(x.name))).toEqual(["1", "2", "3"]);
    // Each deletion follows the completion of the rollout that made one ReplicaSet too many.
    expect(deleted.map((x) => Math.floor(x.t / 60_000))).toEqual([3, 4, 5]);
    const left = replicaSets(r)
      .map((x) => x.metadata.annotations?.[REVISION])
      .sort();
    expect(left).toEqual(["4", "5", "6"]);
  });
});

describe("rollout behaviour once at odds with Kubernetes (regression tests for fixed bugs)", () => {
  // Fixed Bug (src/controllers/replicaset.ts): the ReplicaSet controller's pod update handler does not
  // re-queue the ReplicaSet minReadySeconds + 1 s after a pod becomes Ready (replica_set.go
  // updatePod: enqueueRSAfter(rs, MinReadySeconds + 1s)). kubesim only re-queues when all
  // replicas are Ready, so a pod whose siblings are not all Ready is never counted available.
  // Here pod 1 is Ready at 7.056 s and the other pod cannot be scheduled (3 CPUs each, 4 on the
  // node): Kubernetes re-syncs the ReplicaSet at ~18.06 s and reports availableReplicas 1;
  // kubesim never re-syncs it and stays at 0 for good.
  test("minReadySeconds: a Ready pod is counted available while its sibling is still Pending", () => {
    const text = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: min-ready}
spec:
  seed: 1
  until: 2m
  nodes: [{count: 1, capacity: {cpu: "4", memory: 8Gi, pods: "110"}}]
  images: {"app:*": {pull: 2s, start: 1s, ready: 1s}}
  expect:
    - by: 20s
      that: deployment/web available == 1
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  minReadySeconds: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: app:1
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
          resources: {requests: {cpu: "3"}}
`;
    const r = run("min-ready.yaml", text);
    expect(r.failed).toEqual([]);
  });

  // Fixed Bug (src/controllers/deployment/rolling.ts, cleanupUnhealthyReplicas): when an old
  // ReplicaSet's status still reports more available pods than its (just reduced) spec.replicas,
  // kubesim computes a negative clean-up and scales the ReplicaSet UP. Kubernetes refuses
  // ("when cleaning up unhealthy replicas, got invalid request to scale down ns/rs 5 -> 8"),
  // scales nothing in that sync and waits for a fresh status. Scaling the stalled
  // proportional-scaling Deployment down to 5 at 2m: proportional scaling makes the old
  // ReplicaSet 5 (and the new one 3); at 2:00.010 kubesim records "Scaled up replica set
  // nginx-deployment-784dfbb77c from 5 to 8" then "from 8 to 3", where Kubernetes records only
  // "Scaled down ... from 5 to 3" once the status has caught up.
  test("scaling down mid-rollout never scales an old ReplicaSet up", () => {
    const file = "scenarios/rollouts/proportional-scaling.yaml";
    const text = diskRead(file)!.replace("--replicas=15", "--replicas=5");
    const r = run(file, text);
    expect(
      scalingEvents(r, 120_000).filter((m) =>
        m.startsWith("Scaled up replica set nginx-deployment-784dfbb77c"),
      ),
    ).toEqual([]);
  });

  // Fixed Bug (src/cluster/kubectl.ts, undo): kubectl's rollback replaces the Deployment's annotations
  // (a JSON patch `replace /metadata/annotations`: the skip-listed ones kept, the rest taken from
  // the ReplicaSet). kubesim merges them, so the Deployment keeps change-cause "release 1.1" after
  // `rollout undo --to-revision=1` (revision 1 had none) and the controller copies it onto the
  // ReplicaSet that becomes revision 5: `rollout history` shows "5  release 1.1" instead of
  // "5  <none>".
  test("rollout undo --to-revision=1 drops a change-cause that revision 1 never had", () => {
    const r = scenario("undo");
    const history = r.records.find(
      (x) => x.type === "action" && x.args === "rollout history deployment/cart",
    );
    const out = history?.type === "action" ? (history.output ?? "") : "";
    expect(out.split("\n").at(-1)).toBe("5         <none>");
  });

  // Fixed Bug (src/api/events.ts, EventRecorder): client-go's EventCorrelator also aggregates *similar*
  // events (events_cache.go EventAggregator: same source, object, type and reason; 10 distinct
  // messages within 600 s): from the 10th distinct message on, the event is recorded as
  // "(combined from similar events): <message>" on one aggregate Event whose count grows. The
  // Deployment controller records through that correlator (record.NewBroadcaster). Here the
  // 10th distinct ScalingReplicaSet message for Deployment/gateway comes at 3:00.005; kubesim
  // records it plainly, as it does every later one.
  test("revision-history-limit: the 10th distinct ScalingReplicaSet message is combined from similar events", () => {
    const r = scenario("revision-history-limit");
    const tenth = r.records.filter((x) => x.type === "event" && x.reason === "ScalingReplicaSet")[9];
    expect(tenth?.type === "event" ? [tenth.t, tenth.message] : []).toEqual([
      180_005,
      "(combined from similar events): Scaled up replica set gateway-9dd88b8c4 from 0 to 1",
    ]);
  });

  // Fixed Inconsistency (src/controllers/deployment/sync.ts, createNewRS): the creation of the new
  // ReplicaSet with its first replicas is a scale-up in Kubernetes' terms ("Scaled up replica set
  // web-5b56b4dbbf from 0 to 1") but leaves no `rollout` step record, unlike every later scale.
  test("rolling-defaults: the first rollout step of the update is the new ReplicaSet 0 → 1", () => {
    const r = scenario("rolling-defaults");
    const steps = r.records.filter((x) => x.type === "step" && x.step === "rollout" && x.t >= 60_000);
    expect(steps[0]?.type === "step" ? steps[0].message : "").toMatch(/^web-5b56b4dbbf 0 → 1 /);
  });
});
