import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  compileSelector,
  firstEqualityRequirement,
  formatLabelSelector,
  matchLabelsSelector,
  parseSelector,
  type Requirement,
  requiresExactMatch,
  selectorFromRequirements,
  selectorToString,
} from "../../src/api/labels.js";
import type { LabelSelector } from "../../src/api/types.js";

describe("compileSelector follows metav1.LabelSelectorAsSelector", () => {
  test("a nil selector matches nothing", () => {
    const s = compileSelector(undefined);
    expect(s.nothing).toBe(true);
    expect(s.matches({ app: "web" })).toBe(false);
    expect(s.matches({})).toBe(false);
    expect(compileSelector(null).nothing).toBe(true);
  });

  test("an empty selector matches everything, including no labels", () => {
    const s = compileSelector({});
    expect(s.empty).toBe(true);
    expect(s.matches(undefined)).toBe(true);
    expect(s.matches({ any: "thing" })).toBe(true);
    expect(compileSelector({ matchLabels: {}, matchExpressions: [] }).empty).toBe(true);
  });

  const sel: LabelSelector = {
    matchLabels: { app: "web" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["frontend", "edge"] },
      { key: "env", operator: "NotIn", values: ["dev"] },
      { key: "track", operator: "Exists" },
      { key: "legacy", operator: "DoesNotExist" },
    ],
  };

  test.each([
    [{ app: "web", tier: "edge", track: "stable" }, true],
    [{ app: "web", tier: "frontend", env: "prod", track: "x" }, true],
    [{ app: "web", tier: "frontend", env: "dev", track: "x" }, false],
    [{ app: "web", tier: "backend", track: "x" }, false],
    [{ app: "api", tier: "edge", track: "x" }, false],
    [{ app: "web", tier: "edge" }, false],
    [{ app: "web", tier: "edge", track: "x", legacy: "" }, false],
    [undefined, false],
  ])("labels %j → %s", (labels, expected) => {
    expect(compileSelector(sel).matches(labels)).toBe(expected);
  });

  test("NotIn and DoesNotExist match when the key is absent", () => {
    const s = compileSelector({ matchExpressions: [{ key: "env", operator: "NotIn", values: ["dev"] }] });
    expect(s.matches({})).toBe(true);
  });

  test("inherited object members are never taken for labels", () => {
    const s = compileSelector({ matchExpressions: [{ key: "constructor", operator: "Exists" }] });
    expect(s.matches({})).toBe(false);
    expect(
      compileSelector({ matchExpressions: [{ key: "toString", operator: "DoesNotExist" }] }).matches({}),
    ).toBe(true);
  });

  test("requirements are sorted by key", () => {
    expect(compileSelector(sel).requirements.map((r) => r.key)).toEqual([
      "app",
      "env",
      "legacy",
      "tier",
      "track",
    ]);
  });

  test("an unknown operator compiles to a selector that matches nothing and says why", () => {
    const s = compileSelector({ matchExpressions: [{ key: "a", operator: "Equals", values: ["b"] }] });
    expect(s.nothing).toBe(true);
    expect(s.error).toBe('"Equals" is not a valid label selector operator');
    expect(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Equals" }] })).toBe("<error>");
  });

  test("In without values is invalid, with NewRequirement's message", () => {
    const s = compileSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] });
    expect(s.error).toBe(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
  });

  test("a frozen selector is compiled once", () => {
    const frozen = Object.freeze({ matchLabels: Object.freeze({ app: "web" }) });
    expect(compileSelector(frozen)).toBe(compileSelector(frozen));
  });
});

describe("selectorToString prints Selector.String()", () => {
  test("requirements print in key order with sorted value sets", () => {
    const s: LabelSelector = {
      matchLabels: { tier: "db", app: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["b", "a"] },
        { key: "zone", operator: "NotIn", values: ["x"] },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "track", operator: "Exists" },
      ],
    };
    expect(selectorToString(s)).toBe("app=web,env in (a,b),!legacy,tier=db,track,zone notin (x)");
  });

  test("empty and nil selectors print as empty; FormatLabelSelector prints <none>", () => {
    expect(selectorToString({})).toBe("");
    expect(selectorToString(undefined)).toBe("");
    expect(formatLabelSelector({})).toBe("<none>");
    expect(formatLabelSelector({ matchLabels: { app: "web" } })).toBe("app=web");
  });
});

describe("parseSelector reads kubectl's -l syntax", () => {
  test.each([
    ["app=web", { app: "web" }, true],
    ["app==web", { app: "web" }, true],
    ["app!=web", { app: "api" }, true],
    ["app!=web", {}, true],
    ["app!=web", { app: "web" }, false],
    ["env in (a,b)", { env: "b" }, true],
    ["env notin (a,b)", { env: "b" }, false],
    ["!legacy", { legacy: "1" }, false],
    ["key", { key: "" }, true],
    ["key", {}, false],
    ["app=web,tier!=db,env in (a,b),!legacy,key", { app: "web", tier: "fe", env: "a", key: "v" }, true],
    ["replicas>2", { replicas: "3" }, true],
    ["replicas<2", { replicas: "3" }, false],
    ["replicas>2", { replicas: "x" }, false],
    ["  app = web ", { app: "web" }, true],
    ["app=", { app: "" }, true],
    ["in=notin", { in: "notin" }, true],
    ["x in (in)", { x: "in" }, true],
    ["x in ()", { x: "" }, true],
    ["x in (a,)", { x: "" }, true],
  ])("%j on %j → %s", (text, labels, expected) => {
    expect(parseSelector(text).matches(labels)).toBe(expected);
  });

  test("an empty string selects everything", () => {
    expect(parseSelector("").empty).toBe(true);
    expect(parseSelector("   ").empty).toBe(true);
  });

  test.each([
    ["a in b", "unable to parse requirement: found 'b' expected: '('"],
    ["a in (b", "unable to parse requirement: found '', expected: ',' or ')'"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["a (b)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    [
      "a>b",
      "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
  ])("%j fails with %j", (text, message) => {
    expect(() => parseSelector(text)).toThrow(message);
  });

  test("Gt and Lt values must be valid label values too, so negative numbers are refused", () => {
    expect(() => parseSelector("a>-1")).toThrow('values[0][a]: Invalid value: "-1"');
  });

  test("an invalid key or value reports the label rules", () => {
    expect(() => parseSelector("a/b/c=x")).toThrow(
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name',
    );
    expect(() => parseSelector("app=-x")).toThrow(
      'unable to parse requirement: values[0][app]: Invalid value: "-x": a valid label must be an empty string',
    );
  });

  test("parsed value sets are sorted and deduplicated", () => {
    expect(selectorToString(parseSelector("env in (c, a, b, a)"))).toBe("env in (a,b,c)");
  });
});

describe("helpers for label indexes", () => {
  test("firstEqualityRequirement picks the first single-valued requirement by key", () => {
    expect(firstEqualityRequirement(parseSelector("zone=a,app in (web),tier!=db"))).toEqual({
      key: "app",
      value: "web",
    });
    expect(firstEqualityRequirement(parseSelector("app in (a,b),!x"))).toBeUndefined();
    expect(firstEqualityRequirement(compileSelector(undefined))).toBeUndefined();
  });

  test("requiresExactMatch reports the pinned value of a key", () => {
    const s = parseSelector("app=web,env in (a,b)");
    expect(requiresExactMatch(s, "app")).toBe("web");
    expect(requiresExactMatch(s, "env")).toBeUndefined();
  });

  test("matchLabelsSelector matches a map exactly; an empty map matches everything", () => {
    expect(matchLabelsSelector({ app: "web" }).matches({ app: "web", x: "y" })).toBe(true);
    expect(matchLabelsSelector({ app: "web" }).matches({ app: "api" })).toBe(false);
    expect(matchLabelsSelector({}).empty).toBe(true);
  });

  test("selectorFromRequirements validates its input", () => {
    expect(() => selectorFromRequirements([{ key: "a", operator: "in", values: [] }])).toThrow(
      "values set can't be empty",
    );
  });
});

// ---- property: String() then Parse() is the identity on valid selectors ----

const segment = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?$/);
const labelKey = fc
  .tuple(
    fc.option(segment, { nil: undefined }),
    fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/),
  )
  .map(([prefix, name]) => (prefix ? `${prefix}.io/${name}` : name))
  .filter((k) => k !== "in" && k !== "notin");
const labelValue = fc.oneof(
  fc.constant(""),
  fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/),
);
const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("=", "==", "!=") as fc.Arbitrary<Requirement["operator"]>,
    values: fc.tuple(labelValue),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("in", "notin") as fc.Arbitrary<Requirement["operator"]>,
    values: fc.uniqueArray(labelValue, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("exists", "!") as fc.Arbitrary<Requirement["operator"]>,
    values: fc.constant([]),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("gt", "lt") as fc.Arbitrary<Requirement["operator"]>,
    values: fc.tuple(fc.integer({ min: 0, max: 1000 }).map(String)),
  }),
);
const labelSet = fc.dictionary(labelKey, labelValue, { maxKeys: 6 });

fcTest.prop([fc.array(requirement, { minLength: 1, maxLength: 6 }), fc.array(labelSet, { maxLength: 8 })])(
  "parseSelector(selectorToString(s)) prints the same and matches the same labels",
  (reqs, labelSets) => {
    const s = selectorFromRequirements(reqs);
    const text = selectorToString(s);
    const back = parseSelector(text);
    expect(selectorToString(back)).toBe(text);
    for (const labels of labelSets) expect(back.matches(labels)).toBe(s.matches(labels));
  },
);

fcTest.prop([fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 6 }), labelSet])(
  "a matchLabels selector survives printing and parsing",
  (matchLabels, labels) => {
    const s = compileSelector({ matchLabels });
    const back = parseSelector(selectorToString(s));
    expect(back.matches(labels)).toBe(s.matches(labels));
    expect(back.matches(matchLabels)).toBe(true);
  },
);
