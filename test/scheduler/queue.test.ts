import { describe, expect, test } from "vitest";
import type { Pod, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { ASSIGNED_POD_DELETE, NODE_ADD, NODE_TAINT } from "../../src/scheduler/events.js";
import { backoffDurationMs, SchedulingQueue } from "../../src/scheduler/queue.js";

let uid = 0;
function pod(name: string, priority = 0): Stored<Pod> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}-${uid++}`,
      resourceVersion: "1",
      creationTimestamp: "",
    },
    spec: { containers: [], priority },
  };
}

function setup() {
  const engine = new Engine();
  let wakeups = 0;
  const q = new SchedulingQueue(engine, () => wakeups++);
  return { engine, q, wakeups: () => wakeups };
}

describe("backoff", () => {
  test("doubles from 1 s per attempt and stops at 10 s: 1, 2, 4, 8, 10, 10", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDurationMs(a))).toEqual([
      1000, 2000, 4000, 8000, 10000, 10000,
    ]);
  });

  test("is zero before the first attempt", () => {
    expect(backoffDurationMs(0)).toBe(0);
  });
});

describe("SchedulingQueue", () => {
  test("activeQ pops higher priority first, then the earlier queued (FIFO at equal times)", () => {
    const { engine, q } = setup();
    q.add(pod("b"), false);
    q.add(pod("a"), false);
    q.add(pod("urgent", 1000), false);
    engine.at(5, () => q.add(pod("late", 2000), false));
    engine.run();
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((p) => p?.pod.metadata.name)).toEqual([
      "late",
      "urgent",
      "b",
      "a",
    ]);
    expect(q.pop()).toBeUndefined();
  });

  test("an unschedulable pod waits for an event its rejecting plugins registered", () => {
    const { engine, q } = setup();
    const p = pod("p");
    q.add(p, false);
    const qp = q.pop()!;
    q.requeue(qp, NODE_ADD | NODE_TAINT, false);
    expect(q.where(p.metadata.uid)).toBe("unschedulable");
    q.onEvent(ASSIGNED_POD_DELETE);
    expect(q.where(p.metadata.uid)).toBe("unschedulable");
    // Within the 1 s backoff of its first attempt, an event sends it to backoffQ ...
    q.onEvent(NODE_TAINT);
    expect(q.where(p.metadata.uid)).toBe("backoff");
    // ... which is flushed on the next whole second.
    engine.run({ untilMs: 999 });
    expect(q.where(p.metadata.uid)).toBe("backoff");
    engine.run({ untilMs: 1000 });
    expect(q.where(p.metadata.uid)).toBe("active");
  });

  test("an event after the backoff has passed sends the pod straight to activeQ", () => {
    const { engine, q } = setup();
    const p = pod("p");
    q.add(p, false);
    q.requeue(q.pop()!, NODE_ADD, false);
    engine.at(5_000, () => q.onEvent(NODE_ADD));
    engine.run({ untilMs: 5_000 });
    expect(q.where(p.metadata.uid)).toBe("active");
  });

  test("errors back off at once: 1 s, then 2 s, 4 s ... after each attempt", () => {
    const { engine, q } = setup();
    const p = pod("p");
    q.add(p, false);
    const activeAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      const qp = q.pop()!;
      q.requeue(qp, 0, true);
      while (q.where(p.metadata.uid) !== "active") engine.run({ untilMs: engine.nowMs + 1 });
      activeAt.push(engine.nowMs);
    }
    expect(activeAt).toEqual([1000, 3000, 7000, 15000]);
  });

  test("unschedulable pods are retried after at most 5 minutes, on the 30 s flush", () => {
    const { engine, q } = setup();
    const p = pod("p");
    q.add(p, false);
    q.requeue(q.pop()!, NODE_ADD, false);
    engine.run({ untilMs: 300_000 });
    expect(q.where(p.metadata.uid)).toBe("unschedulable");
    engine.run({ untilMs: 330_000 });
    expect(q.where(p.metadata.uid)).toBe("active");
  });

  test("gated pods wait until an update removes their gates", () => {
    const { q } = setup();
    const p = pod("p");
    q.add(p, true);
    expect(q.where(p.metadata.uid)).toBe("gated");
    expect(q.pop()).toBeUndefined();
    q.update({ ...p, spec: { ...p.spec!, schedulingGates: [] } } as Stored<Pod>, false);
    expect(q.pop()?.pod.metadata.name).toBe("p");
  });

  test("a spec update moves an unschedulable pod; a status-only update does not", () => {
    const { q } = setup();
    const p = pod("p");
    q.add(p, false);
    q.requeue(q.pop()!, NODE_ADD, false);
    q.update({ ...p, status: { phase: "Pending" } }, false);
    expect(q.where(p.metadata.uid)).toBe("unschedulable");
    q.update({ ...p, spec: { ...p.spec!, tolerations: [{ operator: "Exists" }] } }, false);
    expect(q.where(p.metadata.uid)).not.toBe("unschedulable");
  });

  test("a deleted pod leaves every sub-queue", () => {
    const { q } = setup();
    const p = pod("p");
    q.add(p, false);
    q.delete(p.metadata.uid);
    expect(q.where(p.metadata.uid)).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });
});
