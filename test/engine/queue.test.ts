import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { EventQueue } from "../../src/engine/queue.js";

describe("EventQueue", () => {
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 300 })])(
    "pops in (timeMs, seq) order for any interleaving of pushes and pops",
    (ops) => {
      const q = new EventQueue<number>(2);
      const model: { t: number; seq: number }[] = [];
      let seq = 0;
      for (const [t, isPop] of ops) {
        if (isPop && model.length > 0) {
          model.sort((a, b) => a.t - b.t || a.seq - b.seq);
          const want = model.shift()!;
          expect(q.peekTime()).toBe(want.t);
          expect(q.pop()).toBe(want.seq);
        } else {
          q.push(t, seq, seq);
          model.push({ t, seq });
          seq++;
        }
      }
      model.sort((a, b) => a.t - b.t || a.seq - b.seq);
      for (const want of model) expect(q.pop()).toBe(want.seq);
      expect(q.size).toBe(0);
    },
  );
});

describe("Engine", () => {
  test.prop([
    fc.array(fc.record({ delay: fc.integer({ min: 0, max: 100 }), cancel: fc.boolean() }), {
      maxLength: 200,
    }),
  ])("runs uncancelled callbacks in (time, schedule order) and never runs cancelled ones", (specs) => {
    const engine = new Engine();
    const ran: number[] = [];
    const ids = specs.map((s, i) => engine.after(s.delay, () => ran.push(i)));
    specs.forEach((s, i) => {
      if (s.cancel) engine.cancel(ids[i]!);
    });
    engine.run();
    const expected = specs
      .map((s, i) => ({ ...s, i }))
      .filter((s) => !s.cancel)
      .sort((a, b) => a.delay - b.delay || a.i - b.i)
      .map((s) => s.i);
    expect(ran).toEqual(expected);
  });

  test("callbacks scheduled while running at the same time run after those already queued", () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.at(10, () => {
      log.push("a");
      engine.after(0, () => log.push("c"));
    });
    engine.at(10, () => log.push("b"));
    engine.run();
    expect(log).toEqual(["a", "b", "c"]);
  });

  test("atEndOf runs after every event at its time, even ones scheduled later", () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.atEndOf(5, (t) => log.push(`end@${t}`));
    engine.at(5, () => {
      log.push("x");
      engine.after(0, () => log.push("y"));
    });
    engine.at(6, () => log.push("z"));
    engine.run();
    expect(log).toEqual(["x", "y", "end@5", "z"]);
  });

  test("run stops at untilMs, leaves the clock there, and resumes later events", () => {
    const engine = new Engine();
    const log: number[] = [];
    for (const t of [1, 5, 10, 20]) engine.at(t, (now) => log.push(now));
    expect(engine.run({ untilMs: 10 }).stoppedBy).toBe("until");
    expect(log).toEqual([1, 5, 10]);
    expect(engine.nowMs).toBe(10);
    engine.run();
    expect(log).toEqual([1, 5, 10, 20]);
  });

  test("run stops after maxEvents", () => {
    const engine = new Engine();
    for (let i = 0; i < 10; i++) engine.at(i, () => {});
    const r = engine.run({ maxEvents: 4 });
    expect(r).toEqual({ eventsRun: 4, stoppedBy: "maxEvents" });
    expect(engine.nowMs).toBe(3);
  });
});
