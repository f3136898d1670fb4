import { describe, expect, it } from "vitest";
import type { Resources } from "../../src/api/resources.js";
import { Engine } from "../../src/engine/engine.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { TimerSet } from "../../src/kubelet/timers.js";
import { cluster, node } from "./helpers.js";

describe("Kubelet.sharedRequests", () => {
  const requests = (milliCpu: number, memory: number, ephemeralStorage = 0, pods = 1): Resources => ({
    milliCpu,
    memory,
    ephemeralStorage,
    pods,
  });

  it("gives each pod the same values it computed, one frozen object per distinct set", () => {
    const { c } = cluster({ nodes: [node("node-1")] });
    c.run(1);
    const k = kubeletFor(c, "node-1")!;
    const asked = [
      requests(100, 2 ** 27),
      requests(100, 2 ** 27),
      requests(250, 2 ** 27),
      requests(100, 2 ** 27, 5),
    ];
    const kept = asked.map((r) => k.sharedRequests({ ...r }));
    for (let i = 0; i < asked.length; i++) {
      expect(kept[i]).toEqual(asked[i]);
      expect(Object.isFrozen(kept[i])).toBe(true);
    }
    expect(kept[1]).toBe(kept[0]);
    expect(kept[2]).not.toBe(kept[0]);
    expect(kept[3]).not.toBe(kept[0]);
  });
});

describe("TimerSet", () => {
  it("runs what is pending, cancels one or all, and counts what is left", () => {
    const engine = new Engine();
    const timers = new TimerSet(engine);
    const ran: string[] = [];
    timers.at(10, () => ran.push("a"));
    const b = timers.at(20, () => ran.push("b"));
    timers.at(30, () => ran.push("c"));
    expect(timers.size).toBe(3);
    timers.cancel(b);
    timers.cancel(b);
    expect(timers.size).toBe(2);
    engine.run({ untilMs: 15 });
    expect(ran).toEqual(["a"]);
    expect(timers.size).toBe(1);
    engine.run({ untilMs: 40 });
    expect(ran).toEqual(["a", "c"]);
    expect(timers.size).toBe(0);
    // Empty again, then used again: the set works as before it emptied.
    timers.at(50, () => ran.push("d"));
    timers.at(60, () => ran.push("e"));
    timers.cancelAll();
    expect(timers.size).toBe(0);
    timers.after(5, () => ran.push("f"));
    engine.run();
    expect(ran).toEqual(["a", "c", "f"]);
  });
});
