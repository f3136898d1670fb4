/** Resource quantities (`100m`, `1.5Gi`, `1e3`): parsing, comparison and canonical formatting, as resource.Quantity. */

/** How a quantity was written, which decides how it is printed back (resource.Format). */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/**
 * A parsed quantity. Kubernetes keeps quantities as exact decimals rounded up to nano precision;
 * `nano` is that exact amount. `milli` and `units` are precomputed for hot paths.
 */
export interface Quantity {
  /** Exact amount in nano-units (1 = 1e-9), rounded away from zero at parse as Kubernetes does. */
  readonly nano: bigint;
  readonly format: QuantityFormat;
  /** MilliValue(): milli-units rounded up (CPU: "100m" → 100, "2" → 2000). */
  readonly milli: number;
  /** Value(): whole units rounded up (memory: bytes). */
  readonly units: number;
}

/** The message Kubernetes returns for a malformed quantity (resource.ErrFormatWrong). */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** The message Kubernetes returns for an unknown suffix (resource.ErrSuffix). */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const NANO_PER_UNIT = 1_000_000_000n;
const NANO_PER_MILLI = 1_000_000n;
// BinarySI amounts are capped at the largest int64 (the apiserver's "maxAllowed").
const MAX_INT64 = 9_223_372_036_854_775_807n;
// Simplification: decimal exponents beyond ±1000 are rejected; Kubernetes accepts any int32.
const MAX_ABS_EXPONENT = 1000;
const CACHE_LIMIT = 8192;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map<number, string>(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map<number, string>(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));
const SUFFIX_CHARS = "eEinumkKMGTP";

type ParseResult = Quantity | string;
// Quantities repeat endlessly across pods (requests of one template), so parses are memoised.
// Cleared wholesale when full: simple, bounded, and deterministic.
const cache = new Map<string, ParseResult>();

interface Scanned {
  negative: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

// Splits `[+-]digits[.digits]suffix` the way resource.parseQuantityString does; returns the
// error message when the string cannot be split.
function scan(str: string): Scanned | string {
  let pos = 0;
  const end = str.length;
  let negative = false;
  if (str[0] === "-" || str[0] === "+") {
    negative = str[0] === "-";
    pos++;
  }
  while (pos < end && str[pos] === "0") pos++;
  const numStart = pos;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  const num = str.slice(numStart, pos) || "0";
  let denom = "";
  if (pos < end && str[pos] === ".") {
    const denomStart = ++pos;
    while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos < end && (str[pos] === "-" || str[pos] === "+")) pos++;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  if (pos < end) return QUANTITY_FORMAT_ERROR;
  return { negative, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, suffix))
    return { base: 10, exponent: dec, format: "DecimalSI" };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined && Object.hasOwn(BINARY_SUFFIXES, suffix))
    return { base: 2, exponent: bin, format: "BinarySI" };
  if (
    suffix.length > 1 &&
    (suffix[0] === "e" || suffix[0] === "E") &&
    /^[+-]?[0-9]+$/.test(suffix.slice(1))
  ) {
    const exponent = Number.parseInt(suffix.slice(1), 10);
    if (Math.abs(exponent) > MAX_ABS_EXPONENT) return undefined;
    return { base: 10, exponent, format: "DecimalExponent" };
  }
  return undefined;
}

const pow10 = (n: number) => 10n ** BigInt(n);

// Ceiling division for non-negative operands.
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

function makeQuantity(nano: bigint, format: QuantityFormat): Quantity {
  const abs = nano < 0n ? -nano : nano;
  const sign = nano < 0n ? -1 : 1;
  // Value()/MilliValue() round up (away from zero), so 1 byte and 0.1m never read as 0.
  const milli = sign * Number(ceilDiv(abs, NANO_PER_MILLI));
  const units = sign * Number(ceilDiv(abs, NANO_PER_UNIT));
  return Object.freeze({ nano, format, milli: milli || 0, units: units || 0 });
}

function parseUncached(str: string): ParseResult {
  if (str.length === 0) return QUANTITY_FORMAT_ERROR;
  const s = scan(str);
  if (typeof s === "string") return s;
  const suffix = interpretSuffix(s.suffix);
  if (!suffix) return QUANTITY_SUFFIX_ERROR;
  let amount = BigInt(s.num + s.denom);
  if (suffix.base === 2) amount <<= BigInt(suffix.exponent);
  const e10 = (suffix.base === 10 ? suffix.exponent : 0) - s.denom.length + 9;
  let nano = e10 >= 0 ? amount * pow10(e10) : ceilDiv(amount, pow10(-e10));
  let format = suffix.format;
  if (format === "BinarySI") {
    if (nano > MAX_INT64 * NANO_PER_UNIT) nano = MAX_INT64 * NANO_PER_UNIT;
    // A binary amount below one unit cannot be printed in binary form.
    if (nano > 0n && nano < NANO_PER_UNIT) format = "DecimalSI";
  }
  return makeQuantity(s.negative ? -nano : nano, format);
}

function parseCached(v: string | number): ParseResult {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return QUANTITY_FORMAT_ERROR;
    v = String(v);
  } else if (typeof v !== "string") {
    return QUANTITY_FORMAT_ERROR;
  }
  let r = cache.get(v);
  if (r === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    r = parseUncached(v);
    cache.set(v, r);
  }
  return r;
}

/**
 * Parses a quantity as resource.ParseQuantity does: decimal SI (`m`, ``, `k`, `M`, `G`, `T`, `P`,
 * `E`, also `n` and `u`), binary SI (`Ki` … `Ei`) and exponents (`1e3`). A YAML number is read
 * as its decimal text. Returns undefined when Kubernetes would reject the value.
 */
export function parseQuantity(v: string | number): Quantity | undefined {
  const r = parseCached(v);
  return typeof r === "string" ? undefined : r;
}

/** Kubernetes' error message for a value that is not a quantity; undefined if it parses. */
export function quantityError(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return QUANTITY_FORMAT_ERROR;
  const r = parseCached(v);
  return typeof r === "string" ? r : undefined;
}

/** Integer milli-units, rounded up (Quantity.MilliValue): "100m" → 100, "2" → 2000. */
export function quantityToMilli(q: Quantity): number {
  return q.milli;
}

/** Whole units, rounded up (Quantity.Value): "1.5Gi" → 1610612736, "100m" → 1. */
export function quantityToUnits(q: Quantity): number {
  return q.units;
}

/** Milli-units of a raw value, 0 when absent or malformed (for summing requests on hot paths). */
export function milliValue(v: string | number | undefined): number {
  if (v === undefined) return 0;
  const r = parseCached(v);
  return typeof r === "string" ? 0 : r.milli;
}

/** Whole units of a raw value, 0 when absent or malformed. */
export function unitsValue(v: string | number | undefined): number {
  if (v === undefined) return 0;
  const r = parseCached(v);
  return typeof r === "string" ? 0 : r.units;
}

/** Orders two quantities by amount (Quantity.Cmp): -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** A quantity of `units` whole units in the given format, e.g. `quantityFromUnits(3, "DecimalSI")`. */
export function quantityFromUnits(units: number, format: QuantityFormat = "DecimalSI"): Quantity {
  return makeQuantity(BigInt(Math.trunc(units)) * NANO_PER_UNIT, format);
}

/** A quantity of `milli` milli-units, e.g. CPU `quantityFromMilli(250)` prints as `250m`. */
export function quantityFromMilli(milli: number): Quantity {
  return makeQuantity(BigInt(Math.trunc(milli)) * NANO_PER_MILLI, "DecimalSI");
}

/** The quantity rounded up to milli precision (Quantity.RoundUp(-3), as SetDefaults_ResourceList does). */
export function roundUpToMilli(q: Quantity): Quantity {
  const rem = q.nano % NANO_PER_MILLI;
  if (rem === 0n) return q;
  const up = q.nano > 0n ? q.nano - rem + NANO_PER_MILLI : q.nano - rem - NANO_PER_MILLI;
  return makeQuantity(up, q.format);
}

function formatDecimal(nano: bigint, format: QuantityFormat): string {
  let mantissa = nano;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // Canonical form puts the exponent on a multiple of 3 (so 1500m, not 15e2m).
  const r = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(r);
  exponent -= r;
  if (format === "DecimalSI") {
    const suffix = DECIMAL_BY_EXPONENT.get(exponent);
    if (suffix !== undefined) return `${mantissa}${suffix}`;
  }
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

function formatBinary(nano: bigint): string | undefined {
  const abs = nano < 0n ? -nano : nano;
  // Small or fractional binary amounts print as decimal, as CanonicalizeBytes does.
  if (abs < 1024n * NANO_PER_UNIT || abs % NANO_PER_UNIT !== 0n) return undefined;
  let units = nano / NANO_PER_UNIT;
  let exponent = 0;
  while (units % 1024n === 0n && exponent < 60) {
    units /= 1024n;
    exponent += 10;
  }
  return `${units}${BINARY_BY_EXPONENT.get(exponent) ?? ""}`;
}

/** The canonical text of a quantity (Quantity.String): "1.5" → "1500m", "1.5Gi" → "1536Mi", "1000" → "1k". */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return "0";
  if (q.format === "BinarySI") return formatBinary(q.nano) ?? formatDecimal(q.nano, "DecimalSI");
  return formatDecimal(q.nano, q.format);
}

/**
 * The text the apiserver stores for a resource-list value: parsed, rounded up to milli
 * precision and printed canonically (`0.5` → `500m`, `1000m` → `1`). Undefined if malformed.
 */
export function canonicalQuantity(v: string | number): string | undefined {
  const q = parseQuantity(v);
  return q ? formatQuantity(roundUpToMilli(q)) : undefined;
}
