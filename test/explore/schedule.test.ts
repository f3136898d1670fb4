// Fault schedules: run i's schedule depends on (seed, i) alone, stays inside the space it was
// drawn from, and fast-check's shrinkers reduce a schedule given from outside to a minimal one.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  type ExploreSpace,
  type FaultSchedule,
  runSeed,
  scheduleArbitrary,
  scheduleForRun,
  sortedSchedule,
  withFaults,
} from "../../src/explore/schedule.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile } from "../support/files.js";

const SPACE: ExploreSpace = {
  types: ["crash", "partition", "kubelet-stop"],
  nodes: ["node-1", "node-2", "node-3", "node-4"],
  maxFaults: 3,
  windowFromMs: 60_000,
  windowToMs: 300_000,
};

describe("the schedule of run i", () => {
  const arb = scheduleArbitrary(SPACE);

  test("is the same whenever it is drawn, in any order (shards and workers draw alone)", () => {
    const forward = [0, 1, 2, 3, 4, 5].map((i) => scheduleForRun(arb, 7, i));
    const backward = [5, 4, 3, 2, 1, 0].map((i) => scheduleForRun(arb, 7, i)).reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward.map((s) => JSON.stringify(s))).size).toBeGreaterThan(3);
  });

  test("depends on the seed", () => {
    const a = [0, 1, 2, 3].map((i) => scheduleForRun(arb, 1, i));
    const b = [0, 1, 2, 3].map((i) => scheduleForRun(arb, 2, i));
    expect(b).not.toEqual(a);
  });

  test("keeps to the space: count, types, nodes, whole seconds within the window", () => {
    for (let i = 0; i < 200; i++) {
      const s = scheduleForRun(arb, 11, i);
      expect(s.length).toBeLessThanOrEqual(SPACE.maxFaults);
      for (const f of s) {
        expect(SPACE.types).toContain(f.type);
        expect(SPACE.nodes).toContain(f.node);
        expect(f.atMs % 1000).toBe(0);
        expect(f.atMs).toBeGreaterThanOrEqual(SPACE.windowFromMs);
        expect(f.atMs).toBeLessThanOrEqual(SPACE.windowToMs);
        if (f.forMs !== undefined) expect(f.forMs).toBeGreaterThanOrEqual(1000);
      }
    }
  });

  test("run seeds are 31-bit and differ between neighbours, also for seeds past 2^32", () => {
    const seeds = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1].flatMap((s) =>
      [0, 1].map((i) => runSeed(s, i)),
    );
    for (const s of seeds) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of seeds) expect(s).toBeLessThan(2 ** 31);
    expect(new Set(seeds).size).toBe(seeds.length);
  });
});

describe("shrinking a schedule given from outside", () => {
  test("reaches exactly the faults that matter, at the window's start, never healed, of the first type", () => {
    const failing: FaultSchedule = [
      { atMs: 200_000, type: "kubelet-stop", node: "node-2", forMs: 30_000 },
      { atMs: 90_000, type: "partition", node: "node-4" },
      { atMs: 120_000, type: "partition", node: "node-1", forMs: 100_000 },
    ];
    const breaks = (s: FaultSchedule) =>
      s.some((f) => f.node === "node-1") && s.some((f) => f.node === "node-2");
    const out = fc.check(
      fc.property(scheduleArbitrary(SPACE), (s) => !breaks(s)),
      { examples: [[failing]], numRuns: 1 },
    );
    expect(out.failed).toBe(true);
    expect(sortedSchedule(out.counterexample![0]!)).toEqual([
      { atMs: 60_000, type: "crash", node: "node-1" },
      { atMs: 60_000, type: "crash", node: "node-2" },
    ]);
  });
});

describe("withFaults", () => {
  test("adds the faults after the scenario's own actions, in time order", () => {
    const scenario = loadScenario(["scenarios/hello.yaml"], readRepoFile);
    const out = withFaults(scenario, [
      { atMs: 90_000, type: "crash", node: "node-2" },
      { atMs: 30_000, type: "partition", node: "node-1", forMs: 5000 },
    ]);
    expect(out.actions.slice(0, scenario.actions.length)).toEqual(scenario.actions);
    expect(out.actions.slice(scenario.actions.length).map((a) => [a.kind, a.atMs])).toEqual([
      ["fault", 30_000],
      ["fault", 90_000],
    ]);
    expect(out.actions.at(-2)).toMatchObject({ fault: { type: "partition", node: "node-1", forMs: 5000 } });
    expect(scenario.actions.length).toBe(1);
  });
});
