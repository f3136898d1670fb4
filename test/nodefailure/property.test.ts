// Random node-fault schedules on a small cluster (fast-check). Safety while faults come and go:
// no pod is bound to, or starts Running on, a node object that does not exist, and none stays
// Running on one longer than pod GC's quarantine allows. Liveness once every fault has healed:
// every Deployment has all its replicas available again within CONVERGE_MS.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Deployment, Pod } from "../../src/api/types.js";
import { actionsOf, type Episode, episodeArb, NODES, schedule, scheduleNodeDeletions } from "./episodes.js";
import { cluster, deployment, WATCH_LATENCY_MS as LAT, nodes } from "./helpers.js";

/**
 * Pod GC's worst case for a deleted node: the first pass after the deletion is seen (≤ 20 s, plus a
 * watch latency if the pass came first), then the 40 s quarantine.
 */
const ORPHAN_MS = 20_000 + 40_000 + LAT;

/**
 * After the last heal, the slowest path back to full availability, from the settings:
 *   - the node reports Ready at once (heal = reconnect or kubelet start), its NoExecute taint
 *     comes off at the next monitor pass: ≤ 5 s (+ 100 ms tainting grid); an eviction already
 *     due may still fire in that window;
 *   - the replacement waits in the scheduler's back-off: ≤ 10 s (podMaxBackoffSeconds) + 1 s flush;
 *   - it starts: sandbox 0.5 s + pull 2 s + start 0.3 s, PLEG ≤ 1 s, first readiness probe
 *     ≤ one period (5 s) after start, passing 1 s after start: ≤ 9 s;
 *   - the ReplicaSet and Deployment status follow within a few watch latencies.
 * Sum ≈ 26 s; CONVERGE_MS allows 30 s.
 */
const CONVERGE_MS = 30_000;

/**
 * The Deployments' progress deadline is pushed past the run: a Deployment that lost pods after
 * completing (Progressing reason NewRSAvailable) is re-queued rate-limited once its deadline has
 * passed, and kubesim's work queue (5 ms, forgotten after each sync, without client-go's overall
 * 10 qps bucket) turns that into a 5 ms loop that only slows the simulation down.
 */
function longDeadline(d: Deployment): Deployment {
  return { ...d, spec: { ...d.spec!, progressDeadlineSeconds: 3_600 } };
}

function runSchedule(eps: Episode[], seed: number) {
  const lastHealMs = Math.max(...eps.map((e) => e.atMs + e.forMs));
  const { c } = cluster({
    seed,
    nodes: [nodes(NODES.length)],
    objects: [longDeadline(deployment("web", 4)), longDeadline(deployment("api", 2))],
    actions: actionsOf(eps),
    untilMs: lastHealMs + CONVERGE_MS + 60_000,
  });
  scheduleNodeDeletions(c, eps);
  const problems: string[] = [];
  const missingSince = new Map<string, number>();
  c.api.observe((ev) => {
    const now = c.engine.nowMs;
    if (ev.object.kind === "Node") {
      if (ev.type === "DELETED") missingSince.set(ev.object.metadata.name, now);
      else missingSince.delete(ev.object.metadata.name);
      return;
    }
    if (ev.object.kind !== "Pod" || ev.type === "DELETED") return;
    const p = ev.object as Pod;
    const old = ev.old as Pod | undefined;
    const node = p.spec?.nodeName;
    if (!node || !missingSince.has(node)) return;
    if (old?.spec?.nodeName !== node) problems.push(`${now}: ${p.metadata!.name} bound to missing ${node}`);
    else if (p.status?.phase === "Running" && old?.status?.phase !== "Running")
      problems.push(`${now}: ${p.metadata!.name} started Running on missing ${node}`);
  });
  // Every second (reading only): no pod Running on a node missing for longer than pod GC allows.
  const check = () => {
    const now = c.engine.nowMs;
    for (const p of c.api.list<Pod>("Pod", { namespace: "default" })) {
      const since = p.spec?.nodeName ? missingSince.get(p.spec.nodeName) : undefined;
      if (since !== undefined && p.status?.phase === "Running" && now - since > ORPHAN_MS)
        problems.push(`${now}: ${p.metadata.name} Running on ${p.spec!.nodeName}, missing since ${since}`);
    }
    c.engine.atEndOf(now + 1_000, check);
  };
  c.engine.atEndOf(0, check);
  const converged: Record<string, number | undefined> = {};
  const unavailable = () =>
    c.api
      .list<Deployment>("Deployment", { namespace: "default" })
      .filter((d) => (d.status?.availableReplicas ?? 0) !== d.spec?.replicas)
      .map((d) => `${d.metadata.name} ${d.status?.availableReplicas ?? 0}/${d.spec?.replicas}`);
  // When the Deployments were last seen becoming fully available (measured from the last heal).
  let convergedAtMs = lastHealMs;
  let wasAvailable = true;
  c.api.observe((ev) => {
    if (ev.object.kind !== "Deployment" || c.engine.nowMs < lastHealMs) return;
    const now = unavailable().length === 0;
    if (now && !wasAvailable) convergedAtMs = c.engine.nowMs;
    wasAvailable = now;
  });
  c.engine.atEndOf(lastHealMs, () => {
    wasAvailable = unavailable().length === 0;
  });
  c.engine.atEndOf(lastHealMs + CONVERGE_MS, () => {
    converged.atBound = unavailable().length === 0 ? 1 : 0;
    if (!converged.atBound)
      problems.push(`not converged ${CONVERGE_MS} ms after the last heal: ${unavailable()}`);
  });
  c.run();
  if (unavailable().length > 0) problems.push(`not converged at the end: ${unavailable()}`);
  return { problems, convergeMs: convergedAtMs - lastHealMs };
}

describe("random node faults on a 4-node cluster", () => {
  test("safety (pods and missing nodes) and liveness (Deployments converge after the last heal)", () => {
    fc.assert(
      fc.property(
        fc.array(episodeArb(20_000), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        (raw, seed) => {
          const eps = schedule(raw);
          expect(runSchedule(eps, seed).problems).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 42 },
    );
  });
});
