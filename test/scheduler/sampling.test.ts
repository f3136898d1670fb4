import { describe, expect, test } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { numFeasibleNodesToFind, selectHost } from "../../src/scheduler/sampling.js";

describe("numFeasibleNodesToFind (adaptive percentage 50 − nodes/125, at least 5 %, at least 100 nodes)", () => {
  test.each([
    [0, 0],
    [1, 1],
    [50, 50],
    [99, 99],
    [100, 100], // 50 % of 100 = 50, raised to the minimum of 100
    [200, 100], // 49 % → 98 → 100
    [250, 120], // 48 %
    [500, 230], // 46 %
    [1_000, 420], // 42 %
    [2_000, 680], // 34 %
    [3_000, 780], // 26 %
    [5_000, 500], // 10 %
    [5_625, 281], // 5 %
    [6_000, 300], // 50 − 48 = 2 → raised to 5 %
    [15_000, 750], // 5 %
  ])("%i nodes → %i", (nodes, want) => {
    expect(numFeasibleNodesToFind(nodes)).toBe(want);
  });

  test("an explicit percentageOfNodesToScore replaces the adaptive one, still at least 100", () => {
    expect(numFeasibleNodesToFind(1_000, 30)).toBe(300);
    expect(numFeasibleNodesToFind(1_000, 5)).toBe(100);
  });
});

describe("selectHost", () => {
  test("picks the highest total", () => {
    expect(selectHost([10, 30, 20], new Rng(1))).toBe(1);
  });

  test("is the same for the same seed", () => {
    const totals = [5, 9, 9, 1, 9, 9];
    const a = Array.from({ length: 20 }, (_, i) => selectHost(totals, new Rng(i)));
    const b = Array.from({ length: 20 }, (_, i) => selectHost(totals, new Rng(i)));
    expect(a).toEqual(b);
  });

  test("picks each of the tied top nodes with equal probability (reservoir sampling)", () => {
    const totals = [9, 1, 9, 9, 3, 9];
    const rng = new Rng(7);
    const hits = new Map<number, number>();
    const runs = 40_000;
    for (let i = 0; i < runs; i++) {
      const k = selectHost(totals, rng);
      hits.set(k, (hits.get(k) ?? 0) + 1);
    }
    expect([...hits.keys()].sort()).toEqual([0, 2, 3, 5]);
    for (const n of hits.values()) expect(Math.abs(n / runs - 0.25)).toBeLessThan(0.015);
  });
});
