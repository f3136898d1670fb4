import { describe, expect, test } from "vitest";
import {
  getScaledValueFromIntOrPercent,
  intOrPercentValue,
  isValidIntOrPercent,
} from "../../src/api/intstr.js";

describe("getScaledValueFromIntOrPercent scales like intstr.GetScaledValueFromIntOrPercent", () => {
  test.each([
    // [value, total, roundUp, expected]
    [3, 10, true, 3],
    [3, 10, false, 3],
    ["25%", 10, true, 3],
    ["25%", 10, false, 2],
    ["25%", 4, true, 1],
    ["25%", 4, false, 1],
    ["25%", 1, true, 1],
    ["25%", 1, false, 0],
    ["0%", 10, true, 0],
    ["100%", 7, false, 7],
    ["150%", 2, true, 3],
    ["33%", 3, true, 1],
    ["33%", 3, false, 0],
  ] as const)("%j of %d (roundUp=%s) → %d", (v, total, roundUp, expected) => {
    expect(getScaledValueFromIntOrPercent(v, total, roundUp)).toBe(expected);
  });

  test("an unset value counts as 0", () => {
    expect(getScaledValueFromIntOrPercent(undefined, 10, true)).toBe(0);
  });

  test("a string that is not a percentage throws Kubernetes' error", () => {
    expect(() => getScaledValueFromIntOrPercent("3", 10, true)).toThrow(
      "invalid value for IntOrString: invalid type: string is not a percentage",
    );
    expect(() => intOrPercentValue("2.5%")).toThrow('invalid value "2.5%"');
  });
});

test("isValidIntOrPercent accepts integers and digit-percent strings only", () => {
  expect(isValidIntOrPercent(1)).toBe(true);
  expect(isValidIntOrPercent("25%")).toBe(true);
  expect(isValidIntOrPercent("25")).toBe(false);
  expect(isValidIntOrPercent("2.5%")).toBe(false);
  expect(isValidIntOrPercent("-5%")).toBe(false);
  expect(isValidIntOrPercent(1.5)).toBe(false);
  expect(isValidIntOrPercent(undefined)).toBe(false);
});
