// Durations and duration ranges of scenario files, as the schema DSL reads them.
import { describe, expect, it } from "vitest";
import { duration, durationRange, SchemaIssue } from "../../src/scenario/schema.js";

function issue(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SchemaIssue) return e.message;
    throw e;
  }
  throw new Error("expected a SchemaIssue");
}

describe("duration()", () => {
  const good: [unknown, number][] = [
    ["500ms", 500],
    ["10s", 10_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
    ["2h", 7_200_000],
    ["0", 0],
    [0, 0],
  ];
  it.each(good)("reads %j as %d ms", (text, ms) => {
    expect(duration().parse(text, ["at"])).toBe(ms);
  });

  const bad: [unknown, string][] = [
    ["5 minutes", 'invalid duration "5 minutes" (expected a duration like 500ms, 10s, 5m, 1h30m)'],
    ["10", 'invalid duration "10" (expected a duration like 500ms, 10s, 5m, 1h30m)'],
    ["-5s", 'invalid duration "-5s" (expected a duration like 500ms, 10s, 5m, 1h30m)'],
    ["5d", 'invalid duration "5d" (expected a duration like 500ms, 10s, 5m, 1h30m)'],
    ["", 'invalid duration "" (expected a duration like 500ms, 10s, 5m, 1h30m)'],
    [30, "expected a duration like 500ms, 10s, 5m, 1h30m, got 30 (add a unit, e.g. 30s)"],
    [true, "expected a duration like 500ms, 10s, 5m, 1h30m, got true"],
    [["1s"], "expected a duration like 500ms, 10s, 5m, 1h30m, got a list"],
  ];
  it.each(bad)("rejects %j", (value, message) => {
    expect(issue(() => duration().parse(value, ["at"]))).toBe(message);
  });

  it("enforces its bounds", () => {
    expect(issue(() => duration({ minMs: 1 }).parse("0", []))).toBe('must be at least 1ms, got "0"');
    expect(issue(() => duration({ maxMs: 3_600_000 }).parse("2h", []))).toBe('must be at most 1h, got "2h"');
  });
});

describe("durationRange()", () => {
  const good: [unknown, number, number][] = [
    ["2s", 2000, 2000],
    ["1s..3s", 1000, 3000],
    ["500ms..1.5s", 500, 1500],
    ["1s .. 3s", 1000, 3000],
    ["2s..2s", 2000, 2000],
    [0, 0, 0],
  ];
  it.each(good)("reads %j as [%d, %d] ms", (text, minMs, maxMs) => {
    expect(durationRange().parse(text, [])).toEqual({ minMs, maxMs });
  });

  const bad: [unknown, string][] = [
    ["3s..1s", 'invalid duration range "3s..1s": the minimum is greater than the maximum'],
    ["1s..", 'invalid duration range "1s.." (expected a duration like 2s, or a range like 1s..3s)'],
    [
      "1s..2s..3s",
      'invalid duration range "1s..2s..3s" (expected a duration like 2s, or a range like 1s..3s)',
    ],
    ["fast", 'invalid duration "fast" (expected a duration like 2s, or a range like 1s..3s)'],
    [{ min: "1s" }, "expected a duration like 2s, or a range like 1s..3s, got a mapping"],
  ];
  it.each(bad)("rejects %j", (value, message) => {
    expect(issue(() => durationRange().parse(value, []))).toBe(message);
  });
});
