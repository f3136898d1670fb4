import { describe, expect, test } from "vitest";
import {
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  quantityError,
  quantityToMilli,
  quantityToUnits,
  unitsValue,
} from "../../src/api/quantity.js";

const q = (v: string | number) => {
  const r = parseQuantity(v);
  if (!r) throw new Error(`${v} did not parse`);
  return r;
};

describe("parseQuantity reads Kubernetes quantities into milli-units and units", () => {
  test.each([
    // [input, milli, units]
    ["100m", 100, 1],
    ["2", 2000, 2],
    ["0.5", 500, 1],
    ["1.5Gi", 1610612736000, 1610612736],
    ["1e3", 1_000_000, 1000],
    ["1E3", 1_000_000, 1000],
    ["1e-3", 1, 1],
    ["128Mi", 134217728000, 134217728],
    ["1k", 1_000_000, 1000],
    ["1M", 1e9, 1e6],
    ["1Ki", 1_024_000, 1024],
    ["1E", 1e21, 1e18],
    ["0.1m", 1, 1],
    ["250n", 1, 1],
    ["5u", 1, 1],
    ["+3", 3000, 3],
    [".5", 500, 1],
    ["5.", 5000, 5],
    ["0", 0, 0],
    [2, 2000, 2],
    [0.25, 250, 1],
  ] as const)("%s → %d milli, %d units", (input, milli, units) => {
    const parsed = q(input);
    expect(quantityToMilli(parsed)).toBe(milli);
    expect(quantityToUnits(parsed)).toBe(units);
  });

  test("a negative quantity parses, rounding away from zero", () => {
    expect(quantityToMilli(q("-100m"))).toBe(-100);
    expect(quantityToUnits(q("-1.5"))).toBe(-2);
  });

  test.each([
    ["", QUANTITY_FORMAT_ERROR],
    ["1 Gi", QUANTITY_FORMAT_ERROR],
    ["abc", QUANTITY_FORMAT_ERROR],
    ["1.2.3", QUANTITY_FORMAT_ERROR],
    ["1e", QUANTITY_SUFFIX_ERROR],
    ["1ki", QUANTITY_SUFFIX_ERROR],
    ["1K", QUANTITY_SUFFIX_ERROR],
    ["1Gb", QUANTITY_FORMAT_ERROR],
    ["1mi", QUANTITY_SUFFIX_ERROR],
  ])("%j is rejected with Kubernetes' message", (input, message) => {
    expect(parseQuantity(input)).toBeUndefined();
    expect(quantityError(input)).toBe(message);
  });

  test("non-finite numbers and non-scalars are not quantities", () => {
    expect(parseQuantity(Number.NaN)).toBeUndefined();
    expect(quantityError({})).toBe(QUANTITY_FORMAT_ERROR);
  });

  test("the same text parses to the same frozen object (the parse cache)", () => {
    expect(q("300m")).toBe(q("300m"));
    expect(Object.isFrozen(q("300m"))).toBe(true);
  });

  test("milliValue and unitsValue treat absent and malformed values as 0", () => {
    expect(milliValue(undefined)).toBe(0);
    expect(milliValue("bogus")).toBe(0);
    expect(unitsValue("64Mi")).toBe(67108864);
  });
});

describe("formatQuantity prints Quantity.String()'s canonical form", () => {
  test.each([
    ["1.5", "1500m"],
    ["1.5Gi", "1536Mi"],
    ["1000", "1k"],
    ["1024", "1024"],
    ["2048Ki", "2Mi"],
    ["0.5Gi", "512Mi"],
    ["0.5Ki", "512"],
    ["1000m", "1"],
    ["100m", "100m"],
    ["1e3", "1e3"],
    ["1.5e3", "1500"],
    ["12e6", "12e6"],
    ["0", "0"],
    ["0.000000001", "1n"],
    ["1.1Ki", "1126400m"],
    ["-100m", "-100m"],
    ["3Ei", "3Ei"],
  ])("%s → %s", (input, canonical) => {
    expect(formatQuantity(q(input))).toBe(canonical);
  });

  test("canonicalQuantity rounds up to milli precision, as SetDefaults_ResourceList does", () => {
    expect(canonicalQuantity("0.0001")).toBe("1m");
    expect(canonicalQuantity(0.5)).toBe("500m");
    expect(canonicalQuantity("1Gi")).toBe("1Gi");
    expect(canonicalQuantity("nope")).toBeUndefined();
  });
});

test("compareQuantities orders by amount regardless of notation", () => {
  expect(compareQuantities(q("1"), q("1000m"))).toBe(0);
  expect(compareQuantities(q("1Gi"), q("1G"))).toBe(1);
  expect(compareQuantities(q("500m"), q("1"))).toBe(-1);
});
