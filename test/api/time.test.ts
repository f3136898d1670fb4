import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { SimClock } from "../../src/api/time.js";

describe("SimClock", () => {
  test("formats metav1.Time and MicroTime at the epoch and parses them back", () => {
    const clock = new SimClock();
    expect(clock.time(0)).toBe("2025-01-01T00:00:00Z");
    expect(clock.time(61_999)).toBe("2025-01-01T00:01:01Z");
    expect(clock.microTime(1_234)).toBe("2025-01-01T00:00:01.234000Z");
    expect(clock.parse("2025-03-01T12:30:05Z")).toBe(
      (31 + 28) * 86_400_000 + 12 * 3_600_000 + 30 * 60_000 + 5_000,
    );
  });

  test("the memo of formatted seconds gives what a fresh clock gives, in any order of calls", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10_000_000, max: 400_000_000 }), { maxLength: 300 }),
        (times) => {
          const clock = new SimClock();
          for (const ms of times) {
            const fresh = new SimClock();
            expect(clock.time(ms)).toBe(fresh.time(ms));
            expect(clock.parse(clock.time(ms))).toBe(Math.floor(ms / 1000) * 1000);
          }
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });
});
