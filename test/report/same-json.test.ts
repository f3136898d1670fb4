/** The timeline's summary comparison agrees with comparing the summaries' JSON text. */
import { describe, expect, test } from "vitest";
import { sameJson } from "../../src/api/same-json.js";
import { Rng } from "../../src/engine/rng.js";

const byText = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const LEAVES: unknown[] = [
  0,
  1,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "",
  "0",
  "a",
  true,
  false,
  null,
  undefined,
];

/** A small random plain-data value: leaves, arrays and objects over a few keys, in random order. */
function gen(rng: Rng, depth: number): unknown {
  const pick = rng.int(depth > 1 ? 3 : 5);
  if (pick >= 2) return LEAVES[rng.int(LEAVES.length)];
  const n = rng.int(3);
  if (pick === 0) return Array.from({ length: n }, () => gen(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) o[["phase", "node", "ready"][rng.int(3)]!] = gen(rng, depth + 1);
  return o;
}

describe("sameJson (the timeline's unchanged-state check)", () => {
  test.each([
    [{ a: 1, b: "x" }, { a: 1, b: "x" }, true],
    [{ a: 1, b: "x" }, { b: "x", a: 1 }, false],
    [{ a: 1, d: undefined }, { a: 1 }, true],
    [{ a: [undefined] }, { a: [null] }, true],
    [{ a: Number.NaN }, { a: null }, true],
    [{ a: ["x", "y"] }, { a: ["x"] }, false],
    [{ a: {} }, { a: [] }, false],
    [{ a: "1" }, { a: 1 }, false],
    [{ deleting: true, a: 1 }, { a: 1 }, false],
  ])("%j vs %j: %s", (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(byText(a, b)).toBe(same);
  });

  test("agrees with JSON.stringify on random plain data", () => {
    const rng = new Rng(7);
    let equalPairs = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = gen(rng, 0);
      const b = rng.int(4) === 0 ? structuredClone(a) : gen(rng, 0);
      const expected = byText(a, b);
      if (expected) equalPairs++;
      expect(sameJson(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(expected);
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(equalPairs).toBeGreaterThan(2_000);
  });
});
