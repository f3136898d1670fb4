/** canonicalEqual (the Deployment status check) agrees with comparing canonical JSON strings, which it replaces. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { canonicalEqual, canonicalJson } from "../../src/controllers/deployment/hash.js";

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, undefined, 0, 1, "a", "b", true),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("x", "y", "z"), tie("v"), { maxKeys: 3 }),
  ),
})).v;

describe("canonicalEqual", () => {
  it.each([
    [{ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [[1, 2], [2, 1], false],
    [{ a: null }, { a: undefined }, false],
  ])("%j vs %j → %s", (a, b, want) => {
    expect(canonicalEqual(a, b)).toBe(want);
    expect(canonicalJson(a) === canonicalJson(b)).toBe(want);
  });

  test.prop([value, value])("equals the comparison of canonical JSON", (a, b) => {
    expect(canonicalEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
    expect(canonicalEqual(a, structuredClone(a))).toBe(true);
  });
});
