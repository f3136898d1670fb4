/** IntOrString values (`maxSurge: 25%`, `maxUnavailable: 1`): parsing and scaling, as apimachinery's intstr. */

const INT_RE = /^[+-]?[0-9]+$/;
const PERCENT_RE = /^[0-9]+%$/;

/** An int-or-percent resolved to its number and whether it was a percentage. */
export interface IntOrPercent {
  value: number;
  isPercent: boolean;
}

/**
 * Reads an int-or-percent the way intstr.getIntOrPercentValueSafely does: numbers as-is, strings
 * must end in `%` and parse as an integer before it (`+5%` and `-5%` are accepted, as by Go's
 * strconv.Atoi). Throws an Error with Kubernetes' message otherwise.
 */
export function intOrPercentValue(v: number | string): IntOrPercent {
  if (typeof v === "number") {
    if (!Number.isInteger(v))
      throw new Error(`invalid value for IntOrString: invalid type: neither int nor percentage`);
    return { value: v, isPercent: false };
  }
  if (!v.endsWith("%")) {
    throw new Error("invalid value for IntOrString: invalid type: string is not a percentage");
  }
  const digits = v.slice(0, -1);
  if (!INT_RE.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  return { value: Number.parseInt(digits, 10), isPercent: true };
}

/**
 * intstr.GetScaledValueFromIntOrPercent: ints are returned as-is; a percentage of `total` is
 * rounded up (`roundUp`, used for maxSurge) or down (maxUnavailable). An unset value counts as 0,
 * as the Deployment controller's `ValueOrDefault(..., 0)` does. Throws on a malformed value,
 * which validation rejects before any controller sees it.
 */
export function getScaledValueFromIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
): number {
  if (v === undefined || v === null) return 0;
  const { value, isPercent } = intOrPercentValue(v);
  if (!isPercent) return value;
  // Same float64 arithmetic and operation order as Go: value * total / 100.
  const scaled = (value * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * Whether `v` is a well-formed int-or-percent for API validation: an integer, or a string of
 * digits followed by `%` (apimachinery's IsValidPercent). Range checks (≥ 0, ≤ 100%) are separate.
 */
export function isValidIntOrPercent(v: unknown): boolean {
  if (typeof v === "number") return Number.isInteger(v);
  return typeof v === "string" && PERCENT_RE.test(v);
}
