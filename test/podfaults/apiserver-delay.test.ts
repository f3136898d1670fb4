// Apiserver watch-delay spikes (`fault: {type: apiserver-delay, delay, for}`): while active, every
// watch delivery comes `delay` after the usual latency; deliveries never reorder, so those written
// after the spike wait behind the ones still in flight; every controller hop adds the delay.
import { describe, expect, test } from "vitest";
import type { Deployment, Pod } from "../../src/api/types.js";
import { cluster, deployment, fault, healAt, steps } from "./helpers.js";

const LAT = 5; // FIXED_TIMING.watchLatency
const DELAY = 2_000;

describe("apiserver-delay", () => {
  test("deliveries during the spike come `delay` late, in write order; after it, none overtakes them", () => {
    const { c, records } = cluster({
      nodes: [],
      actions: [fault(10_000, { type: "apiserver-delay", delayMs: DELAY, forMs: 5_000 })],
      untilMs: 30_000,
    });
    const written = new Map<string, number>();
    const delivered: { name: string; writtenMs: number; atMs: number; rv: number }[] = [];
    c.api.observe((ev) => {
      if (ev.object.kind === "ConfigMap") written.set(ev.object.metadata.name, c.engine.nowMs);
    });
    c.api.watch("ConfigMap", (ev) => {
      const name = ev.object.metadata.name;
      // Each namespace's kube-root-ca.crt (root-ca-cert-publisher) is not one of the test's writes.
      if (!name.startsWith("cm-")) return;
      delivered.push({
        name,
        writtenMs: written.get(name)!,
        atMs: c.engine.nowMs,
        rv: Number(ev.object.metadata.resourceVersion),
      });
    });
    const writeAt = [9_000, 10_000, 12_000, 14_999, 15_001, 15_500, 17_004, 18_000];
    for (const [i, t] of writeAt.entries())
      c.engine.at(t, () =>
        c.api.create({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `cm-${i}`, namespace: "default" },
        }),
      );
    c.run();
    expect(delivered.map((d) => d.atMs - d.writtenMs)).toEqual([
      LAT,
      LAT + DELAY,
      LAT + DELAY,
      LAT + DELAY,
      // The spike is over at 15 s: these wait for the delivery of 14.999 s (at 17.004 s).
      17_004 - 15_001,
      17_004 - 15_500,
      LAT,
      LAT,
    ]);
    const rvs = delivered.map((d) => d.rv);
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(steps(records).map((s) => [s.t, s.step])).toEqual([
      [10_000, "ApiserverDelay"],
      [15_000, "ApiserverDelayHealed"],
    ]);
  });

  test("a scale-up during the spike: the ReplicaSet hears of it one hop late, the pods one more", () => {
    const run = (withDelay: boolean) => {
      const { c } = cluster({
        objects: [deployment("web", 2)],
        actions: withDelay
          ? [
              fault(60_000, { type: "apiserver-delay", delayMs: DELAY }),
              healAt(90_000, { type: "apiserver-delay" }),
            ]
          : [],
        untilMs: 120_000,
      });
      c.engine.at(70_000, () =>
        c.api.mutate<Deployment>("Deployment", "default", "web", (d) => {
          d.spec!.replicas = 4;
        }),
      );
      const created: number[] = [];
      const bound: number[] = [];
      c.api.observe((ev) => {
        if (ev.object.kind !== "Pod" || c.engine.nowMs < 70_000) return;
        const p = ev.object as Pod;
        if (ev.type === "ADDED") created.push(c.engine.nowMs);
        else if (p.spec?.nodeName && !(ev.old as Pod | undefined)?.spec?.nodeName) bound.push(c.engine.nowMs);
      });
      c.run();
      return {
        created,
        bound,
        ready: c.api.get<Deployment>("Deployment", "default", "web")?.status?.readyReplicas,
      };
    };
    const fast = run(false);
    const slow = run(true);
    expect(fast.created).toHaveLength(2);
    expect(slow.created).toHaveLength(2);
    // Deployment → deployment controller → ReplicaSet → ReplicaSet controller: two watch hops.
    for (const [i, t] of slow.created.entries())
      expect(t - fast.created[i]!).toBeGreaterThanOrEqual(2 * DELAY);
    // … and the scheduler hears of each new pod one hop later still.
    for (const [i, t] of slow.bound.entries()) expect(t - fast.bound[i]!).toBeGreaterThanOrEqual(3 * DELAY);
    expect(slow.ready).toBe(4);
  });

  test("errors: a second spike, healing none", () => {
    const { c, records } = cluster({
      nodes: [],
      actions: [
        fault(1_000, { type: "apiserver-delay", delayMs: DELAY }),
        fault(2_000, { type: "apiserver-delay", delayMs: 500 }),
        healAt(3_000, { type: "apiserver-delay" }),
        healAt(4_000, { type: "apiserver-delay" }),
      ],
      untilMs: 5_000,
    });
    c.run();
    expect(c.api.watchDelayMs).toBe(0);
    expect(
      records.filter((r) => r.type === "action").map((r) => (r as { error?: string }).error ?? null),
    ).toEqual([
      null,
      "error: an apiserver-delay of 2s is already active (heal it first)",
      null,
      "error: no apiserver-delay fault is active",
    ]);
  });
});
