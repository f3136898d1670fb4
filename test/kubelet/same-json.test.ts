import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { sameJson } from "../../src/api/same-json.js";

// Plain data with the members JSON drops or rewrites (undefined, NaN, -0) and few distinct keys,
// so that equal texts and reordered keys both come up.
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom(null, undefined, true, false, 0, -0, 1, Number.NaN, Number.POSITIVE_INFINITY, "", "a"),
    fc.integer({ min: -2, max: 2 }),
  ),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom("a", "b", "c"), tie("node"), { maxKeys: 3 }),
})).node;

describe("sameJson", () => {
  test.prop([value, value])("agrees with comparing JSON texts", (a, b) => {
    expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });

  test.prop([value])("agrees with comparing JSON texts on a copy with its keys reordered", (a) => {
    const reordered = JSON.parse(JSON.stringify(a ?? null), (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(sameJson(a, reordered)).toBe(JSON.stringify(a) === JSON.stringify(reordered));
  });
});
