// Properties of the StatefulSet controller under random scaling, template updates, pod deletions
// and partition changes, checked at every write (synchronous observers): at most one pod per
// identity, ordered creation and removal under OrderedReady, one claim per ordinal kept across
// pod re-creation, and convergence once the changes stop.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { WatchEvent } from "../../src/api/apiserver.js";
import type { PersistentVolumeClaim, Pod, StatefulSet, Stored } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import { isPodReady } from "../../src/controllers/pod-utils.js";
import { parentNameAndOrdinal } from "../../src/controllers/statefulset/identity.js";
import { statefulSet, stsCluster } from "./statefulset-helpers.js";

type Op =
  | { kind: "scale"; replicas: number }
  | { kind: "image"; version: number }
  | { kind: "delete"; ordinal: number }
  | { kind: "partition"; partition: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("image" as const), version: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("delete" as const), ordinal: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("partition" as const), partition: fc.integer({ min: 0, max: 4 }) }),
);
const stepArb = fc.record({ op: opArb, gapMs: fc.integer({ min: 0, max: 12_000 }) });

const NS = "default";
const healthy = (p: Pod | undefined) =>
  p !== undefined && p.status?.phase === "Running" && isPodReady(p) && !p.metadata?.deletionTimestamp;

/** Checks every write to the apiserver; the first violation is kept. */
class Invariants {
  violation: string | undefined;
  /** The uid each claim had when first created: it must never change (Retain policy). */
  private readonly claimUids = new Map<string, string>();
  /** True while the test itself (not the controller) is writing. */
  external = false;

  constructor(
    private readonly c: Cluster,
    private readonly ordered: boolean,
  ) {
    c.api.observe((ev) => this.onWrite(ev));
  }

  private fail(msg: string): void {
    this.violation ??= `${this.c.engine.nowMs} ms: ${msg}`;
  }

  private set(): Stored<StatefulSet> | undefined {
    return this.c.api.get<StatefulSet>("StatefulSet", NS, "web");
  }

  private onWrite(ev: WatchEvent): void {
    if (ev.object.kind === "PersistentVolumeClaim") {
      if (ev.type === "DELETED")
        this.fail(`claim ${ev.object.metadata.name} deleted under whenScaled Retain`);
      return;
    }
    if (ev.object.kind !== "Pod") return;
    const pod = ev.object as Stored<Pod>;
    if (ev.type === "ADDED") this.onCreate(pod);
    const newlyDeleting =
      (ev.type === "MODIFIED" && pod.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp) ||
      (ev.type === "DELETED" && !ev.old?.metadata.deletionTimestamp);
    if (newlyDeleting && !this.external) this.onControllerDelete(pod);
  }

  private onCreate(pod: Stored<Pod>): void {
    const name = pod.metadata.name;
    // At most one pod per identity: no other pod carries this pod-name label.
    const same = this.c.api
      .list<Pod>("Pod", { namespace: NS })
      .filter((p) => p.metadata.labels?.["statefulset.kubernetes.io/pod-name"] === name);
    if (same.length !== 1) this.fail(`${same.length} pods hold the identity ${name}`);
    if (pod.spec?.hostname !== name || pod.spec?.subdomain !== "nginx")
      this.fail(`${name}: wrong hostname/subdomain`);
    // Its own claim exists already, and is the one that ordinal has always had.
    const claim = `data-${name}`;
    const vol = pod.spec?.volumes?.find((v) => v.name === "data");
    if (vol?.persistentVolumeClaim?.claimName !== claim)
      this.fail(`${name} mounts ${vol?.persistentVolumeClaim?.claimName}`);
    const pvc = this.c.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", NS, claim);
    if (!pvc) this.fail(`${name} created before its claim ${claim}`);
    else if ((this.claimUids.get(claim) ?? pvc.metadata.uid) !== pvc.metadata.uid)
      this.fail(`${claim} was replaced`);
    else this.claimUids.set(claim, pvc.metadata.uid);
    if (!this.ordered) return;
    // OrderedReady: every lower ordinal is Running, Ready and not terminating.
    const k = parentNameAndOrdinal(name).ordinal;
    for (let j = 0; j < k; j++)
      if (!healthy(this.c.api.get<Pod>("Pod", NS, `web-${j}`)))
        this.fail(`web-${k} created while web-${j} not ready`);
  }

  private onControllerDelete(pod: Stored<Pod>): void {
    if (!this.ordered) return;
    const set = this.set()!;
    const replicas = set.spec?.replicas ?? 1;
    const k = parentNameAndOrdinal(pod.metadata.name).ordinal;
    const pods = this.c.api.list<Pod>("Pod", { namespace: NS });
    for (const p of pods) {
      const o = parentNameAndOrdinal(p.metadata.name).ordinal;
      // Scale-down goes highest ordinal first, each pod completely gone before the next; an
      // update (k in range) comes only after scale-down has finished.
      if (k >= replicas && o > k) this.fail(`web-${k} scaled down while web-${o} still exists`);
      if (k < replicas && o >= replicas) this.fail(`web-${k} updated while web-${o} awaits scale-down`);
    }
    // Scale-down and updates only happen while every other in-range pod is healthy.
    for (let j = 0; j < replicas; j++) {
      if (j !== k && !healthy(this.c.api.get<Pod>("Pod", NS, `web-${j}`)))
        this.fail(`web-${k} deleted while web-${j} is not Running and Ready`);
    }
  }
}

function apply(c: Cluster, inv: Invariants, op: Op): void {
  inv.external = true;
  try {
    switch (op.kind) {
      case "scale":
        c.api.patch("StatefulSet", NS, "web", { spec: { replicas: op.replicas } });
        break;
      case "image":
        c.api.mutate<StatefulSet>("StatefulSet", NS, "web", (d) => {
          d.spec!.template.spec!.containers[0]!.image = `nginx:1.${25 + op.version}`;
        });
        break;
      case "partition":
        c.api.patch("StatefulSet", NS, "web", {
          spec: { updateStrategy: { rollingUpdate: { partition: op.partition } } },
        });
        break;
      case "delete":
        if (c.api.get("Pod", NS, `web-${op.ordinal}`)) c.api.delete("Pod", NS, `web-${op.ordinal}`);
        break;
    }
  } finally {
    inv.external = false;
  }
}

function runCase(policy: "OrderedReady" | "Parallel", steps: { op: Op; gapMs: number }[], seed: number) {
  const { c } = stsCluster(
    statefulSet({
      replicas: 3,
      podManagementPolicy: policy,
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    }),
    { seed },
  );
  const inv = new Invariants(c, policy === "OrderedReady");
  let t = 30_000;
  for (const s of steps) {
    t += s.gapMs;
    c.engine.at(t, () => apply(c, inv, s.op));
  }
  // Liveness: with the changes over, every in-range pod comes back Running and Ready.
  const endMs = t + 150_000;
  c.run(endMs);
  const set = c.api.get<StatefulSet>("StatefulSet", NS, "web")!;
  const want = set.spec!.replicas!;
  const pods = c.api.list<Pod>("Pod", { namespace: NS });
  return {
    violation: inv.violation,
    converged: pods.length === want && pods.every(healthy) && set.status?.readyReplicas === want,
  };
}

describe("StatefulSet properties (fast-check)", () => {
  test("OrderedReady: one pod per identity, ordered creation and removal, one claim per ordinal, convergence", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), (steps, seed) => {
        const r = runCase("OrderedReady", steps, seed);
        expect(r.violation).toBeUndefined();
        expect(r.converged).toBe(true);
      }),
      { numRuns: 30, seed: 4242 },
    );
  });

  test("Parallel: one pod per identity, one claim per ordinal, convergence", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), (steps, seed) => {
        const r = runCase("Parallel", steps, seed);
        expect(r.violation).toBeUndefined();
        expect(r.converged).toBe(true);
      }),
      { numRuns: 15, seed: 4243 },
    );
  });
});
