/** A tiny schema DSL whose combinators both validate plain data and describe it as JSON Schema (draft-07). */
import { parseDurationMs } from "../engine/duration.js";
import type { Path } from "./fieldpath.js";
import { didYouMean } from "./suggest.js";
import type { DurationRange } from "./types.js";

/** A problem found by a schema: the path of the offending value, and whether its key is to blame. */
export class SchemaIssue extends Error {
  readonly path: Path;
  readonly where: "value" | "key";
  /** Offset into a one-line string value, when the problem is inside it. */
  readonly offset: number;

  constructor(path: Path, message: string, where: "value" | "key" = "value", offset = 0) {
    super(message);
    this.name = "SchemaIssue";
    this.path = path;
    this.where = where;
    this.offset = offset;
  }
}

/** A JSON Schema fragment. */
export type JsonSchema = { [key: string]: unknown };

/** Named sub-schemas collected while generating JSON Schema (`#/definitions/NAME`). */
export type JsonDefs = Record<string, JsonSchema>;

/**
 * A validator of plain data that produces a `T` (strictly, with precise messages and field paths),
 * and its JSON Schema: both come from one declaration, so they cannot disagree.
 */
export interface Schema<T> {
  /** What a valid value looks like, in words: `a duration like 500ms, 10s, 5m, 1h30m`. */
  readonly expected: string;
  /** Whether the value has a JSON type this schema could accept (picks whom to blame in oneOf). */
  accepts(value: unknown): boolean;
  /** Validates and converts; throws SchemaIssue. */
  parse(value: unknown, path: Path): T;
  json(defs: JsonDefs): JsonSchema;
}

/** The output type of a schema. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** `"text"`, `1.5`, `a list`, `a mapping`, `null` — how a wrong value is shown in messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  return String(v);
}

/** True for a YAML mapping turned into data (not a list, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeError(path: Path, expected: string, v: unknown): SchemaIssue {
  const hint = typeof v === "number" || typeof v === "boolean" ? ` (a string? quote it: "${v}")` : "";
  return new SchemaIssue(
    path,
    `expected ${expected}, got ${describeValue(v)}${expected.startsWith("a string") ? hint : ""}`,
  );
}

/** A leaf schema from its parts. */
export function custom<T>(
  expected: string,
  json: JsonSchema | ((defs: JsonDefs) => JsonSchema),
  accepts: (v: unknown) => boolean,
  parse: (v: unknown, path: Path) => T,
): Schema<T> {
  return {
    expected,
    accepts,
    parse(v, path) {
      if (!accepts(v)) throw typeError(path, expected, v);
      return parse(v, path);
    },
    json: (defs) => (typeof json === "function" ? json(defs) : { ...json }),
  };
}

/** Adds a description (shown by editors) to a schema's JSON Schema. */
export function doc<T>(schema: Schema<T>, description: string): Schema<T> {
  return { ...schema, json: (defs) => ({ description, ...schema.json(defs) }) };
}

/** Emits the schema once under `#/definitions/NAME` and refers to it. */
export function named<T>(name: string, schema: Schema<T>): Schema<T> {
  return {
    ...schema,
    json(defs) {
      if (!(name in defs)) {
        defs[name] = {};
        defs[name] = schema.json(defs);
      }
      return { $ref: `#/definitions/${name}` };
    },
  };
}

/** Converts the output of a schema; `fn` may throw SchemaIssue for cross-field rules. */
export function map<A, B>(schema: Schema<A>, fn: (value: A, path: Path) => B): Schema<B> {
  return { ...schema, parse: (v, path) => fn(schema.parse(v, path), path) };
}

export interface StrOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Words for messages, e.g. `a node name (lower-case letters, digits, "-" and ".")`. */
  expected?: string;
}

/** A string, optionally bounded in length and matched against a pattern. */
export function str(opts: StrOptions = {}): Schema<string> {
  const expected = opts.expected ?? "a string";
  const json: JsonSchema = { type: "string" };
  if (opts.min !== undefined) json.minLength = opts.min;
  if (opts.max !== undefined) json.maxLength = opts.max;
  if (opts.pattern) json.pattern = opts.pattern.source;
  return custom(
    expected,
    json,
    (v) => typeof v === "string",
    (v, path) => {
      const s = v as string;
      if (opts.min !== undefined && s.length < opts.min) {
        throw new SchemaIssue(
          path,
          opts.min === 1
            ? `must not be empty (expected ${expected})`
            : `must be at least ${opts.min} characters`,
        );
      }
      if (opts.max !== undefined && s.length > opts.max) {
        throw new SchemaIssue(path, `must be no more than ${opts.max} characters, got ${s.length}`);
      }
      if (opts.pattern && !opts.pattern.test(s))
        throw new SchemaIssue(path, `invalid value ${describeValue(s)} (expected ${expected})`);
      return s;
    },
  );
}

/** An integer within [min, max]; floats such as 1.5 or 1e400 are errors. */
export function int(opts: { min?: number; max?: number } = {}): Schema<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const bounds =
    opts.min !== undefined && opts.max !== undefined
      ? ` from ${min} to ${max}`
      : opts.min !== undefined
        ? ` >= ${min}`
        : "";
  const expected = `an integer${bounds}`;
  const json: JsonSchema = { type: "integer" };
  if (opts.min !== undefined) json.minimum = opts.min;
  if (opts.max !== undefined) json.maximum = opts.max;
  return custom(
    expected,
    json,
    (v) => typeof v === "number",
    (v, path) => {
      const n = v as number;
      if (!Number.isInteger(n)) throw new SchemaIssue(path, `expected ${expected}, got ${describeValue(n)}`);
      if (n < min || n > max) throw new SchemaIssue(path, `must be${bounds}, got ${n}`);
      return n;
    },
  );
}

/** `true` or `false` (YAML 1.2: `yes`/`no` are strings, and errors here). */
export function bool(): Schema<boolean> {
  return custom(
    "true or false",
    { type: "boolean" },
    (v) => typeof v === "boolean",
    (v) => v as boolean,
  );
}

/** One of a fixed set of strings; a near miss gets a suggestion. */
export function enumOf<const T extends string>(values: readonly T[], expected?: string): Schema<T> {
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  const words = expected ?? (values.length === 1 ? JSON.stringify(values[0]) : `one of ${list}`);
  const json: JsonSchema = values.length === 1 ? { const: values[0] } : { enum: [...values] };
  return custom(
    words,
    json,
    (v) => typeof v === "string",
    (v, path) => {
      if ((values as readonly string[]).includes(v as string)) return v as T;
      const hint = didYouMean(v as string, values);
      throw new SchemaIssue(path, `unsupported value ${describeValue(v)}${hint} (expected ${words})`);
    },
  );
}

export const DURATION_EXPECTED = "a duration like 500ms, 10s, 5m, 1h30m";
const DURATION_RE = "(0|([0-9]+(\\.[0-9]+)?(ms|h|m|s))+)";

function parseDurationText(text: string, path: Path): number {
  const ms = /^\s*-/.test(text) ? undefined : parseDurationMs(text);
  if (ms === undefined || !Number.isSafeInteger(ms)) {
    throw new SchemaIssue(path, `invalid duration ${describeValue(text)} (expected ${DURATION_EXPECTED})`);
  }
  return ms;
}

function durationValue(v: unknown, path: Path): number {
  if (v === 0) return 0;
  if (typeof v === "number") {
    throw new SchemaIssue(path, `expected ${DURATION_EXPECTED}, got ${v} (add a unit, e.g. ${v}s)`);
  }
  return parseDurationText(v as string, path);
}

/** A Go-style duration (`500ms`, `10s`, `5m`, `1h30m`, or `0`) → milliseconds, within [minMs, maxMs]. */
export function duration(opts: { minMs?: number; maxMs?: number; expected?: string } = {}): Schema<number> {
  const expected = opts.expected ?? DURATION_EXPECTED;
  const json: JsonSchema = { anyOf: [{ type: "string", pattern: `^${DURATION_RE}$` }, { const: 0 }] };
  return custom(
    expected,
    json,
    (v) => typeof v === "string" || typeof v === "number",
    (v, path) => {
      const ms = durationValue(v, path);
      if (opts.minMs !== undefined && ms < opts.minMs)
        throw new SchemaIssue(path, `must be at least ${opts.minMs}ms, got ${describeValue(v)}`);
      if (opts.maxMs !== undefined && ms > opts.maxMs)
        throw new SchemaIssue(path, `must be at most ${opts.maxMs / 3_600_000}h, got ${describeValue(v)}`);
      return ms;
    },
  );
}

export const RANGE_EXPECTED = "a duration like 2s, or a range like 1s..3s";

/** `2s` (fixed) or `1s..3s` (uniform between the two, min <= max) → {minMs, maxMs}. */
export function durationRange(): Schema<DurationRange> {
  const json: JsonSchema = {
    anyOf: [
      { type: "string", pattern: `^\\s*${DURATION_RE}\\s*(\\.\\.\\s*${DURATION_RE}\\s*)?$` },
      { const: 0 },
    ],
  };
  return custom(
    RANGE_EXPECTED,
    json,
    (v) => typeof v === "string" || typeof v === "number",
    (v, path) => {
      if (typeof v !== "string" || !v.includes("..")) {
        if (typeof v === "string" && parseDurationMs(v) === undefined) {
          throw new SchemaIssue(path, `invalid duration ${describeValue(v)} (expected ${RANGE_EXPECTED})`);
        }
        const ms = durationValue(v, path);
        return { minMs: ms, maxMs: ms };
      }
      const parts = v.split("..");
      const [lo, hi] = parts.map((p) => (parts.length === 2 ? parseDurationMs(p) : undefined));
      if (lo === undefined || hi === undefined || /-/.test(v)) {
        throw new SchemaIssue(
          path,
          `invalid duration range ${describeValue(v)} (expected ${RANGE_EXPECTED})`,
        );
      }
      if (lo > hi)
        throw new SchemaIssue(
          path,
          `invalid duration range ${describeValue(v)}: the minimum is greater than the maximum`,
        );
      return { minMs: lo, maxMs: hi };
    },
  );
}

/** A list of items, with a bound on its length. */
export function arr<T>(
  item: Schema<T>,
  opts: { min?: number; max?: number; expected?: string } = {},
): Schema<T[]> {
  const expected = opts.expected ?? `a list of ${item.expected}`;
  return custom(
    expected,
    (defs) => {
      const json: JsonSchema = { type: "array", items: item.json(defs) };
      if (opts.min !== undefined) json.minItems = opts.min;
      if (opts.max !== undefined) json.maxItems = opts.max;
      return json;
    },
    Array.isArray,
    (v, path) => {
      const list = v as unknown[];
      if (opts.max !== undefined && list.length > opts.max) {
        throw new SchemaIssue(path, `too many items: ${list.length} (the limit is ${opts.max})`);
      }
      if (opts.min !== undefined && list.length < opts.min) {
        throw new SchemaIssue(path, `expected at least ${opts.min} item${opts.min === 1 ? "" : "s"}`);
      }
      return list.map((x, i) => item.parse(x, [...path, i]));
    },
  );
}

/** A mapping with free keys (checked by `key`) and values of one schema; key order is kept. */
export function record<T>(
  value: Schema<T>,
  opts: { key?: Schema<string>; max?: number; expected?: string } = {},
): Schema<Record<string, T>> {
  const expected = opts.expected ?? `a mapping of ${value.expected}`;
  return custom(
    expected,
    (defs) => {
      const json: JsonSchema = { type: "object", additionalProperties: value.json(defs) };
      const keyJson = opts.key?.json(defs);
      if (keyJson && typeof keyJson.pattern === "string") json.propertyNames = { pattern: keyJson.pattern };
      if (opts.max !== undefined) json.maxProperties = opts.max;
      return json;
    },
    isRecord,
    (v, path) => {
      const entries = Object.entries(v as Record<string, unknown>);
      if (opts.max !== undefined && entries.length > opts.max) {
        throw new SchemaIssue(path, `too many entries: ${entries.length} (the limit is ${opts.max})`);
      }
      const out: [string, T][] = entries.map(([k, x]) => {
        if (opts.key) opts.key.parse(k, [...path, k]);
        return [k, value.parse(x, [...path, k])];
      });
      return Object.fromEntries(out);
    },
  );
}

/** The first alternative whose type matches; when all fail, the error of the best-matching one. */
export function oneOf<T>(alternatives: readonly Schema<T>[], expected?: string): Schema<T> {
  const words = expected ?? alternatives.map((a) => a.expected).join(", or ");
  return custom(
    words,
    (defs) => ({ anyOf: alternatives.map((a) => a.json(defs)) }),
    (v) => alternatives.some((a) => a.accepts(v)),
    (v, path) => {
      let first: unknown;
      for (const alt of alternatives.filter((a) => a.accepts(v))) {
        try {
          return alt.parse(v, path);
        } catch (e) {
          first ??= e;
        }
      }
      throw first;
    },
  );
}

type Props = Record<string, Schema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The output of obj(): required keys present, the others optional. */
export type ObjOut<P extends Props, R extends keyof P> = Simplify<
  { [K in R]: Infer<P[K]> } & { [K in Exclude<keyof P, R>]?: Infer<P[K]> }
>;

/** Unknown keys are errors that name the key and suggest the closest known one. */
function checkKeys(v: Record<string, unknown>, known: readonly string[], path: Path): void {
  for (const key of Object.keys(v)) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known);
    const rest = hint || ` (known fields: ${known.join(", ")})`;
    throw new SchemaIssue([...path, key], `unknown field ${JSON.stringify(key)}${rest}`, "key");
  }
}

/**
 * A mapping with a fixed set of keys, strictly: unknown keys are errors. A key whose value is
 * YAML null counts as absent, so that `expect:` with every item commented out is an empty list.
 */
export function obj<P extends Props, R extends keyof P & string = never>(
  props: P,
  opts: { required?: readonly R[]; expected?: string } = {},
): Schema<ObjOut<P, R>> {
  const known = Object.keys(props);
  const required: readonly string[] = opts.required ?? [];
  const expected = opts.expected ?? `a mapping (a YAML object) with fields ${known.join(", ")}`;
  return custom(
    expected,
    (defs) => {
      const properties = Object.fromEntries(known.map((k) => [k, props[k]!.json(defs)]));
      const json: JsonSchema = { type: "object", properties, additionalProperties: false };
      if (required.length > 0) json.required = [...required];
      return json;
    },
    isRecord,
    (v, path) => {
      const input = v as Record<string, unknown>;
      checkKeys(input, known, path);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(input)) {
        if (input[key] === null || input[key] === undefined) continue;
        out[key] = props[key]!.parse(input[key], [...path, key]);
      }
      for (const key of required) {
        if (out[key] !== undefined) continue;
        const detail = `required field is missing (expected ${props[key]!.expected})`;
        throw new SchemaIssue([...path, key], detail);
      }
      return out as ObjOut<P, R>;
    },
  );
}

/**
 * A mapping that is one of several shapes, told apart by which discriminating key it has (an action
 * has `kubectl`, `fault` or `heal`). With none present, `fallback` applies if given.
 */
export function byKey<V extends Record<string, Schema<unknown>>, F = never>(
  variants: V,
  opts: { expected: string; fallback?: Schema<F> },
): Schema<Infer<V[keyof V]> | F> {
  const keys = Object.keys(variants);
  const quoted = keys.map((k) => JSON.stringify(k)).join(", ");
  return custom(
    `a mapping with ${opts.expected}`,
    (defs) => ({
      oneOf: [
        ...keys.map((k) => variants[k]!.json(defs)),
        ...(opts.fallback ? [opts.fallback.json(defs)] : []),
      ],
    }),
    isRecord,
    (v, path) => {
      const input = v as Record<string, unknown>;
      const present = Object.keys(input).filter((k) => keys.includes(k) && input[k] !== null);
      if (present.length > 1) {
        const detail = `only one of ${quoted} may be given, but this also has ${JSON.stringify(present[0])} (expected ${opts.expected})`;
        throw new SchemaIssue([...path, present[1]!], detail, "key");
      }
      if (present.length === 1) return variants[present[0]!]!.parse(v, path) as Infer<V[keyof V]>;
      if (opts.fallback) return opts.fallback.parse(v, path);
      throw new SchemaIssue(path, `expected ${opts.expected}, got none of ${quoted}`);
    },
  );
}
