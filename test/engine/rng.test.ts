import { fc, test } from "@fast-check/vitest";
import seedrandom from "seedrandom";
import { describe, expect } from "vitest";
import { formatDurationMs, parseDurationMs } from "../../src/engine/duration.js";
import { Rng } from "../../src/engine/rng.js";

describe("Rng", () => {
  test.prop([fc.integer(), fc.nat({ max: 50 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })])(
    "a forked stream's draws do not depend on how many draws its sibling made",
    (seed, drawsInSibling, a, b) => {
      fc.pre(a !== b);
      const r1 = new Rng(seed);
      const s1 = r1.fork(a);
      const t1 = r1.fork(b);
      for (let i = 0; i < drawsInSibling; i++) s1.next();
      const r2 = new Rng(seed);
      r2.fork(a);
      const t2 = r2.fork(b);
      expect([t1.next(), t1.next(), t1.int(1000)]).toEqual([t2.next(), t2.next(), t2.int(1000)]);
    },
  );

  test("same seed and name give the same stream; different names give different streams", () => {
    const a = new Rng(7).fork("kubelet/node-1");
    const b = new Rng(7).fork("kubelet/node-1");
    const c = new Rng(7).fork("kubelet/node-2");
    const xs = [a.next(), a.next()];
    expect([b.next(), b.next()]).toEqual(xs);
    expect([c.next(), c.next()]).not.toEqual(xs);
  });

  test.prop([fc.oneof(fc.integer(), fc.string(), fc.string({ minLength: 120, maxLength: 300 }))])(
    "draws the same numbers as seedrandom's xor4096 with the same seed (the compact state changes nothing)",
    (seed) => {
      const ours = new Rng(seed);
      const theirs = seedrandom.xor4096(String(seed));
      for (let i = 0; i < 300; i++) expect(ours.next()).toBe(theirs.double());
    },
  );

  test.prop([fc.integer(), fc.integer({ min: 1, max: 1000 })])("int(n) stays in [0, n)", (seed, n) => {
    const r = new Rng(seed);
    for (let i = 0; i < 20; i++) {
      const v = r.int(n);
      expect(v >= 0 && v < n && Number.isInteger(v)).toBe(true);
    }
  });
});

describe("durations", () => {
  test.each([
    ["500ms", 500],
    ["10s", 10_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
    ["0", 0],
    ["2m30s", 150_000],
  ])("parses %s as %d ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  test.each(["", "5", "5 minutes", "1d", "-5s", "s", "1h 30m"])("rejects %j", (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  test.each([
    [0, "0s"],
    [500, "500ms"],
    [1500, "1.5s"],
    [90_000, "1m30s"],
    [3_600_000, "1h0m0s"],
    [350_000, "5m50s"],
  ])("formats %d ms as Go does: %s", (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});
