import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { nanosHex } from "../../src/api/events.js";

describe("Event names' unix nanoseconds in hex", () => {
  test("are what BigInt gives, over every ms up to 2^44 and every sequence number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 44 }), fc.integer({ min: 0, max: 999_999 }), (ms, extra) => {
        expect(nanosHex(ms, extra)).toBe((BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16));
      }),
      { numRuns: 20_000 },
    );
  });

  test("at the carries and edges", () => {
    for (const ms of [0, 1, 2 ** 21 - 1, 2 ** 21, 2 ** 32, 2 ** 42 - 1, 2 ** 42, 1_700_000_000_000])
      for (const extra of [0, 1, 999_999])
        expect(nanosHex(ms, extra)).toBe((BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16));
  });
});
