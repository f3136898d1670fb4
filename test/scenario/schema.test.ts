// The schema DSL (one declaration → validator and JSON Schema) and the checked-in JSON Schema file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  arr,
  byKey,
  enumOf,
  int,
  type JsonDefs,
  obj,
  oneOf,
  record,
  SchemaIssue,
  str,
} from "../../src/scenario/schema.js";
import { scenarioJsonSchema } from "../../src/scenario/spec.js";

const SCHEMA_FILE = new URL("../../schema/scenario.schema.json", import.meta.url);

function issue(fn: () => unknown): { path: string; message: string; where: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof SchemaIssue) return { path: e.path.join("."), message: e.message, where: e.where };
    throw e;
  }
  throw new Error("expected a SchemaIssue");
}

describe("schema DSL: validation", () => {
  const pool = obj({ count: int({ min: 1 }), names: arr(str()) }, { required: ["count"] });

  it("rejects an unknown key, naming it and suggesting the closest known key", () => {
    expect(issue(() => pool.parse({ count: 1, nmes: [] }, ["spec"]))).toEqual({
      path: "spec.nmes",
      message: 'unknown field "nmes" (did you mean "names"?)',
      where: "key",
    });
  });

  it("names a missing required key and what it expects", () => {
    expect(issue(() => pool.parse({ names: [] }, []))).toEqual({
      path: "count",
      message: "required field is missing (expected an integer >= 1)",
      where: "value",
    });
  });

  it("treats a null value as an absent key", () => {
    expect(obj({ a: int() }).parse({ a: null }, [])).toEqual({});
  });

  it("rejects floats where an integer is needed", () => {
    expect(issue(() => int({ min: 0 }).parse(2.5, ["n"])).message).toBe("expected an integer >= 0, got 2.5");
  });

  it("suggests the closest value of an enum", () => {
    expect(issue(() => enumOf(["crash", "partition"]).parse("crsh", [])).message).toBe(
      'unsupported value "crsh" (did you mean "crash"?) (expected one of "crash", "partition")',
    );
  });

  it("hints at quoting when a string is expected but YAML read a number", () => {
    expect(issue(() => str().parse(1.25, [])).message).toBe(
      'expected a string, got 1.25 (a string? quote it: "1.25")',
    );
  });

  it("checks record keys with the key schema and keeps key order", () => {
    const labels = record(str(), { key: str({ pattern: /^[a-z]+$/, expected: "a lower-case key" }) });
    expect(Object.keys(labels.parse({ b: "1", a: "2" }, []))).toEqual(["b", "a"]);
    expect(issue(() => labels.parse({ B: "1" }, ["labels"])).message).toBe(
      'invalid value "B" (expected a lower-case key)',
    );
  });

  it("blames the alternative of oneOf whose type matches", () => {
    const either = oneOf<unknown>([int({ min: 0 }), obj({ en: str() })]);
    expect(issue(() => either.parse(-1, [])).message).toBe("must be >= 0, got -1");
    expect(issue(() => either.parse({ em: "x" }, [])).message).toBe(
      'unknown field "em" (did you mean "en"?)',
    );
    expect(issue(() => either.parse("x", [])).message).toBe(
      'expected an integer >= 0, or a mapping (a YAML object) with fields en, got "x"',
    );
  });

  it("picks a byKey variant by its key, and rejects two keys at the second one", () => {
    const v = byKey({ a: obj({ a: int() }), b: obj({ b: int() }) }, { expected: "a or b" });
    expect(v.parse({ b: 2 }, [])).toEqual({ b: 2 });
    expect(issue(() => v.parse({ a: 1, b: 2 }, ["x"]))).toEqual({
      path: "x.b",
      message: 'only one of "a", "b" may be given, but this also has "a" (expected a or b)',
      where: "key",
    });
    expect(issue(() => v.parse({}, ["x"])).message).toBe('expected a or b, got none of "a", "b"');
  });
});

describe("schema DSL: JSON Schema", () => {
  it("describes strict objects, required keys and bounds", () => {
    const defs: JsonDefs = {};
    const json = obj({ n: int({ min: 1, max: 5 }), tags: arr(str(), { max: 3 }) }, { required: ["n"] }).json(
      defs,
    );
    expect(json).toEqual({
      type: "object",
      properties: {
        n: { type: "integer", minimum: 1, maximum: 5 },
        tags: { type: "array", items: { type: "string" }, maxItems: 3 },
      },
      additionalProperties: false,
      required: ["n"],
    });
  });

  it("applies to a whole multi-document file: the Scenario strictly, other documents as Kubernetes objects", () => {
    const schema = scenarioJsonSchema() as Record<string, any>;
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.if).toEqual({
      type: "object",
      properties: { kind: { const: "Scenario" } },
      required: ["kind"],
    });
    const scenario = schema.definitions.Scenario;
    expect(scenario.additionalProperties).toBe(false);
    expect(Object.keys(scenario.properties.spec.properties)).toEqual([
      "seed",
      "until",
      "nodes",
      "timing",
      "manifests",
      "images",
      "actions",
      "expect",
      "invariants",
      "convergeWithin",
    ]);
    expect(schema.definitions.KubernetesObject.required).toEqual(["apiVersion", "kind"]);
    expect(schema.definitions.Expectation.oneOf).toHaveLength(4);
  });

  it("matches the checked-in schema/scenario.schema.json (UPDATE_SCHEMA=1 rewrites it)", () => {
    const generated = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(SCHEMA_FILE, generated);
    const checkedIn = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, "utf8") : "";
    const hint =
      "schema/scenario.schema.json is out of date: regenerate it with `UPDATE_SCHEMA=1 npx vitest run test/scenario/schema.test.ts`";
    expect(checkedIn === generated, hint).toBe(true);
  });
});
