// Random node-fault schedules under a StatefulSet (fast-check). Safety: an identity (db-N) never
// has two live pods, i.e. no two pods of one name have a running process at the same time, on any
// nodes (reference §3.5: the controller waits until the old pod object is gone, and it goes only
// once its kubelet stopped it, or its node was deleted). Liveness: once every fault has healed, the
// StatefulSet is fully Ready again within CONVERGE_MS.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Pod, StatefulSet } from "../../src/api/types.js";
import { kubelets } from "../../src/kubelet/index.js";
import { actionsOf, type Episode, episodeArb, NODES, schedule, scheduleNodeDeletions } from "./episodes.js";
import { cluster, nodes } from "./helpers.js";

const REPLICAS = 3;

/**
 * After the last heal, the slowest path back to a fully Ready StatefulSet, from the settings:
 *   - a pod deleted while its node was away is finished by the returning kubelet: its containers
 *     get SIGTERM and exit 100 ms later (timing.containerStop); the object goes at once: ≤ 2 s;
 *   - a pod on a Node object deleted before the heal goes by pod GC: ≤ 20 s pass + 40 s quarantine;
 *   - the NoExecute taint leaves at the next monitor pass (≤ 5.1 s) and an eviction already due
 *     may fire in that window, costing one more recreation;
 *   - then identities come back in order (OrderedReady), each: scheduler back-off ≤ 11 s, sandbox
 *     0.5 s, pull 2 s (a rebooted node has no images), start 0.3 s, PLEG ≤ 1 s, readiness ≤ 5 s,
 *     and the controller's watch hops: ≤ 20 s, for up to 3 identities: 60 s.
 * Sum ≈ 2 + 60 + 5.1 + 60 + (one more recreation, 20 s) ≈ 147 s; CONVERGE_MS allows 150 s.
 */
const CONVERGE_MS = 150_000;

const statefulSet: StatefulSet = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db", namespace: "default" },
  spec: {
    serviceName: "db",
    replicas: REPLICAS,
    selector: { matchLabels: { app: "db" } },
    template: {
      metadata: { labels: { app: "db" } },
      spec: {
        containers: [
          {
            name: "db",
            image: "nginx:1.26",
            readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 5 },
            resources: { requests: { cpu: "100m", memory: "64Mi" } },
          },
        ],
      },
    },
  },
};

function runSchedule(eps: Episode[], seed: number) {
  const lastHealMs = Math.max(...eps.map((e) => e.atMs + e.forMs));
  const { c } = cluster({
    seed,
    nodes: [nodes(NODES.length)],
    objects: [statefulSet],
    actions: actionsOf(eps),
    untilMs: lastHealMs + CONVERGE_MS + 30_000,
  });
  scheduleNodeDeletions(c, eps);
  const nameOf = new Map<string, string>();
  c.api.observe((ev) => {
    if (ev.object.kind === "Pod" && ev.type === "ADDED")
      nameOf.set(ev.object.metadata.uid, ev.object.metadata.name);
  });
  const problems: string[] = [];
  // After every instant: each identity runs in at most one pod.
  const check = () => {
    const now = c.engine.nowMs;
    const holders = new Map<string, string[]>();
    for (const [node, k] of kubelets(c)) {
      for (const uid of k.runtime.runningPods()) {
        const name = nameOf.get(uid) ?? uid;
        holders.set(name, [...(holders.get(name) ?? []), `${node}:${uid.slice(0, 8)}`]);
      }
    }
    for (const [name, where] of holders)
      if (where.length > 1) problems.push(`${now}: ${name} runs twice: ${where.join(", ")}`);
    c.engine.atEndOf(now + 500, check);
  };
  c.engine.atEndOf(0, check);
  const ready = () => c.api.get<StatefulSet>("StatefulSet", "default", "db")?.status?.readyReplicas ?? 0;
  let convergedAtMs: number | undefined;
  c.engine.atEndOf(lastHealMs, () => {
    if (ready() === REPLICAS) convergedAtMs = lastHealMs;
  });
  c.api.observe((ev) => {
    if (ev.object.kind !== "StatefulSet" || c.engine.nowMs < lastHealMs) return;
    if (ready() === REPLICAS) convergedAtMs ??= c.engine.nowMs;
    else convergedAtMs = undefined;
  });
  c.run();
  const pods = c.api.list<Pod>("Pod", { namespace: "default" }).map((p) => p.metadata.name);
  if (convergedAtMs === undefined || convergedAtMs - lastHealMs > CONVERGE_MS)
    problems.push(
      `not converged ${CONVERGE_MS} ms after the last heal (${ready()}/${REPLICAS} ready; pods ${pods})`,
    );
  return { problems, convergeMs: convergedAtMs === undefined ? undefined : convergedAtMs - lastHealMs };
}

describe("random node faults under a StatefulSet on a 4-node cluster", () => {
  test("safety (one live pod per identity) and liveness (fully Ready within the bound after the last heal)", () => {
    const seen: (number | undefined)[] = [];
    fc.assert(
      fc.property(
        fc.array(episodeArb(30_000), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        (raw, seed) => {
          const r = runSchedule(schedule(raw), seed);
          seen.push(r.convergeMs);
          expect(r.problems).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
    if (process.env.SHOW_CONVERGENCE) console.log(seen.join(" "));
  });
});
