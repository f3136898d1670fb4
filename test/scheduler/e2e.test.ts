import { describe, expect, test } from "vitest";
import type { Event, Pod } from "../../src/api/types.js";
import type { ExplainData } from "../../src/scheduler/explain.js";
import { cluster, events, getPod, nodeOf, pod, pool, scenario } from "./helpers.js";

const SMALL = { cpu: "2", memory: "4Gi", pods: "110" };

describe("scheduling in a cluster", () => {
  test("pods are bound with PodScheduled=True and a Scheduled event from default-scheduler", () => {
    const { cluster: c, records } = cluster(scenario([pool(3, SMALL)]));
    c.engine.at(1_000, () => {
      for (let i = 0; i < 5; i++) c.api.create(pod(`web-${i}`, { cpu: "500m", memory: "1Gi" }));
    });
    c.run(5_000);
    for (let i = 0; i < 5; i++) {
      const p = getPod(c, `web-${i}`);
      expect(p.spec?.nodeName).toMatch(/^node-[123]$/);
      expect(p.status?.conditions?.find((x) => x.type === "PodScheduled")?.status).toBe("True");
    }
    const scheduled = events(records, "Scheduled");
    expect(scheduled).toHaveLength(5);
    const first = scheduled[0]!;
    expect(first.source).toBe("default-scheduler");
    expect(first.eventType).toBe("Normal");
    const name = first.involved.split("/")[2]!;
    expect(first.message).toBe(`Successfully assigned default/${name} to ${nodeOf(c, name)}`);
    // One at a time: each cycle takes 1–5 ms after the pod is seen (watch latency 5 ms).
    expect(first.t).toBeGreaterThanOrEqual(1_006);
    expect(first.t).toBeLessThanOrEqual(1_010);
  });

  test("a pod that fits nowhere stays Pending with Unschedulable and FailedScheduling; retries aggregate", () => {
    const { cluster: c, records } = cluster(scenario([pool(3, SMALL)], { untilMs: 400_000 }));
    c.engine.at(0, () => c.api.create(pod("big", { cpu: "3" })));
    c.run(400_000);
    const p = getPod(c, "big");
    expect(p.spec?.nodeName).toBeUndefined();
    const cond = p.status?.conditions?.find((x) => x.type === "PodScheduled");
    const message =
      "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    expect(cond).toMatchObject({ status: "False", reason: "Unschedulable", message });
    const failed = events(records, "FailedScheduling");
    expect(failed[0]).toMatchObject({ eventType: "Warning", source: "default-scheduler", message });
    // Nothing changes, so the pod is retried only by the 5-minute leftover flush (at the 30 s tick after 5 min).
    expect(failed.map((e) => e.count ?? 1)).toEqual([1, 2]);
    expect(failed[1]!.t).toBeGreaterThanOrEqual(300_000);
    expect(failed[1]!.t).toBeLessThanOrEqual(331_000);
    const stored = c.api
      .list<Event>("Event", { namespace: "default" })
      .filter((e) => e.reason === "FailedScheduling");
    expect(stored.map((e) => e.count)).toEqual([2]);
  });

  test("uncordoning a node makes a waiting pod schedulable at once", () => {
    const nodes = pool(2, SMALL, { unschedulable: true });
    const { cluster: c, records } = cluster(scenario([nodes], { untilMs: 60_000 }));
    c.engine.at(0, () => c.api.create(pod("web", { cpu: "1" })));
    c.engine.at(30_000, () => c.api.patch("Node", undefined, "node-2", { spec: { unschedulable: null } }));
    c.run(60_000);
    const failed = events(records, "FailedScheduling");
    expect(failed[0]!.message).toBe(
      "0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    const scheduled = events(records, "Scheduled");
    expect(scheduled).toHaveLength(1);
    expect(nodeOf(c, "web")).toBe("node-2");
    // Watch latency, then one cycle.
    expect(scheduled[0]!.t).toBeGreaterThan(30_000);
    expect(scheduled[0]!.t).toBeLessThanOrEqual(30_020);
  });

  test("a gated pod shows SchedulingGated and is scheduled once its gates are removed", () => {
    const { cluster: c } = cluster(scenario([pool(1, SMALL)]));
    c.engine.at(0, () =>
      c.api.create(pod("gated", { spec: { schedulingGates: [{ name: "example.com/wait" }] } })),
    );
    c.engine.at(10_000, () =>
      c.api.mutate<Pod>("Pod", "default", "gated", (d) => {
        d.spec!.schedulingGates = [];
      }),
    );
    c.run(9_000);
    expect(getPod(c, "gated").status?.conditions?.find((x) => x.type === "PodScheduled")).toMatchObject({
      status: "False",
      reason: "SchedulingGated",
      message: "Scheduling is blocked due to non-empty scheduling gates",
    });
    c.run(11_000);
    expect(nodeOf(c, "gated")).toBe("node-1");
  });

  test("pods with spec.nodeName or another schedulerName are not scheduled by default-scheduler", () => {
    const { cluster: c, records } = cluster(scenario([pool(2, SMALL)]));
    c.engine.at(0, () => {
      c.api.create(pod("pinned", { spec: { nodeName: "node-2" } }));
      c.api.create(pod("custom", { spec: { schedulerName: "my-scheduler" } }));
    });
    c.run(5_000);
    expect(events(records, "Scheduled")).toHaveLength(0);
    expect(events(records, "FailedScheduling")).toHaveLength(0);
    expect(nodeOf(c, "pinned")).toBe("node-2");
    expect(nodeOf(c, "custom")).toBe("");
  });

  test("a ReplicaSet's pods spread over identical nodes (default topology spreading, least allocated)", () => {
    const { cluster: c } = cluster(scenario([pool(3, SMALL)]));
    c.engine.at(0, () =>
      c.api.create({
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name: "web", namespace: "default" },
        spec: {
          replicas: 6,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: "100m" } } }] },
          },
        },
      }),
    );
    c.run(5_000);
    const perNode = new Map<string, number>();
    for (const p of c.api.list<Pod>("Pod", { namespace: "default" })) {
      const n = p.spec?.nodeName ?? "";
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    expect([...perNode.entries()].sort()).toEqual([
      ["node-1", 2],
      ["node-2", 2],
      ["node-3", 2],
    ]);
  });

  test("the same seed gives the same placements and timeline", () => {
    const run = (seed: number) => {
      const { cluster: c, records } = cluster(scenario([pool(5, SMALL)], { seed }));
      c.engine.at(0, () => {
        for (let i = 0; i < 12; i++) c.api.create(pod(`p-${i}`, { cpu: "100m" }));
      });
      c.run(5_000);
      return JSON.stringify(records.filter((r) => r.type === "event" && r.source === "default-scheduler"));
    };
    expect(run(7)).toBe(run(7));
  });
});

describe("explain mode", () => {
  test("records each attempt's per-node filter verdicts and scores only when asked", () => {
    const setup = (explain: boolean) => {
      const nodes = [pool(2, SMALL), pool(1, { cpu: "1", memory: "1Gi", pods: "110" }, { prefix: "tiny" })];
      const { cluster: c, records } = cluster(scenario(nodes), explain);
      c.engine.at(0, () => c.api.create(pod("web", { cpu: "1500m" })));
      c.run(2_000);
      return records.filter((r) => r.type === "step" && r.component === "default-scheduler");
    };
    expect(setup(false)).toHaveLength(0);
    const steps = setup(true);
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    expect(step.type === "step" && step.object).toBe("Pod/default/web");
    const data = (step as { data: ExplainData }).data;
    expect(data.numAllNodes).toBe(3);
    expect(data.evaluated).toBe(3);
    expect(data.feasible).toBe(2);
    const tiny = data.nodes.find((n) => n.node === "tiny-1")!;
    expect(tiny.filter).toEqual({ plugin: "NodeResourcesFit", reasons: ["Insufficient cpu"] });
    for (const n of data.nodes.filter((x) => x.filter === "passed")) {
      const total = Object.entries(n.scores!).reduce((s, [p, v]) => s + data.weights[p]! * v, 0);
      expect(n.total).toBe(total);
      expect(Object.keys(n.scores!)).toContain("NodeResourcesFit");
    }
    expect(data.selected).toMatch(/^node-[12]$/);
  });
});
