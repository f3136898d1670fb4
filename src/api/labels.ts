/** Label selectors: compiling metav1.LabelSelector, parsing kubectl's `-l` syntax, matching and printing. */
import { isQualifiedName, isValidLabelValue } from "./names.js";
import type { LabelSelector } from "./types.js";

/** A requirement operator, spelled as Kubernetes' selection.Operator. */
export type Operator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

/** One requirement of a selector: `key op values`. */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** For In/NotIn: the value set; for `=`, `==`, `!=`, `gt`, `lt`: one value; else empty. */
  readonly values: readonly string[];
}

/** A compiled selector; `matches` allocates nothing. */
export interface Selector {
  /** Whether a set of labels satisfies every requirement. */
  matches(labels: Readonly<Record<string, string>> | null | undefined): boolean;
  /** True for the selector that matches everything (`{}` or an empty `-l`). */
  readonly empty: boolean;
  /** True for the selector that matches nothing (a nil selector, or an invalid one). */
  readonly nothing: boolean;
  /** Requirements sorted by key, as Kubernetes keeps them. */
  readonly requirements: readonly Requirement[];
  /** Why the selector could not be built (it then matches nothing), worded as Kubernetes. */
  readonly error?: string;
}

// Op codes keep the match loop a switch over small integers.
const OP_EQ = 0;
const OP_IN = 1;
const OP_NOT_IN = 2;
const OP_EXISTS = 3;
const OP_NOT_EXISTS = 4;
const OP_GT = 5;
const OP_LT = 6;

function opCode(op: Operator, valueCount: number): number {
  switch (op) {
    case "=":
    case "==":
      return OP_EQ;
    case "in":
      return valueCount === 1 ? OP_EQ : OP_IN;
    case "!=":
    case "notin":
      return OP_NOT_IN;
    case "exists":
      return OP_EXISTS;
    case "!":
      return OP_NOT_EXISTS;
    case "gt":
      return OP_GT;
    case "lt":
      return OP_LT;
  }
}

const INT64_RE = /^[+-]?[0-9]+$/;

// Requirement.Matches for one requirement; `v` is the label's value or undefined when absent.
function matchOne(code: number, values: readonly string[], v: string | undefined): boolean {
  switch (code) {
    case OP_EQ:
      return v !== undefined && v === values[0];
    case OP_IN:
      return v !== undefined && values.includes(v);
    case OP_NOT_IN:
      return v === undefined || !values.includes(v);
    case OP_EXISTS:
      return v !== undefined;
    case OP_NOT_EXISTS:
      return v === undefined;
    default: {
      // Gt/Lt compare as integers; a non-integer label value never matches (Kubernetes logs and skips).
      if (v === undefined || !INT64_RE.test(v)) return false;
      const lhs = Number.parseInt(v, 10);
      const rhs = Number.parseInt(values[0]!, 10);
      return code === OP_GT ? lhs > rhs : lhs < rhs;
    }
  }
}

class CompiledSelector implements Selector {
  readonly requirements: readonly Requirement[];
  readonly empty: boolean;
  readonly nothing: boolean;
  readonly error?: string;
  private readonly keys: string[];
  private readonly codes: number[];
  private readonly valueSets: (readonly string[])[];
  // The single value of each `=` requirement, so the commonest test needs no call.
  private readonly firsts: (string | undefined)[];

  constructor(reqs: readonly Requirement[], nothing: boolean, error?: string) {
    this.requirements = Object.freeze(reqs);
    this.nothing = nothing;
    this.empty = !nothing && reqs.length === 0;
    if (error !== undefined) this.error = error;
    this.keys = reqs.map((r) => r.key);
    this.codes = reqs.map((r) => opCode(r.operator, r.values.length));
    this.valueSets = reqs.map((r) => r.values);
    this.firsts = reqs.map((r) => r.values[0]);
  }

  matches(labels: Readonly<Record<string, string>> | null | undefined): boolean {
    if (this.nothing) return false;
    const n = this.keys.length;
    for (let i = 0; i < n; i++) {
      const raw = labels ? labels[this.keys[i]!] : undefined;
      // typeof guards against inherited members such as `constructor` on plain objects.
      const v = typeof raw === "string" ? raw : undefined;
      const code = this.codes[i]!;
      if (code === OP_EQ) {
        if (v === undefined || v !== this.firsts[i]) return false;
      } else if (!matchOne(code, this.valueSets[i]!, v)) return false;
    }
    return true;
  }
}

const NOTHING: Selector = new CompiledSelector([], true);
const EVERYTHING: Selector = new CompiledSelector([], false);

/** The selector that matches nothing (labels.Nothing()). */
export function nothingSelector(): Selector {
  return NOTHING;
}

/** The selector that matches everything (labels.Everything()). */
export function everythingSelector(): Selector {
  return EVERYTHING;
}

// Kubernetes sorts requirements by key; a stable sort keeps same-key requirements in input order.
function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * labels.NewRequirement's checks: a valid key, the right number of values for the operator,
 * valid values. Returns the error text (as the aggregated field errors print) or undefined.
 */
export function requirementError(
  key: string,
  op: Operator,
  values: readonly string[],
  path = "",
): string | undefined {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0)
    errs.push(`${path ? `${path}.` : ""}key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join("; ")}`);
  const vp = `${path ? `${path}.` : ""}values`;
  const quoted = () => `[]string{${values.map((v) => JSON.stringify(v)).join(", ")}}`;
  if ((op === "in" || op === "notin") && values.length === 0) {
    errs.push(`${vp}: Invalid value: ${quoted()}: for 'in', 'notin' operators, values set can't be empty`);
  } else if ((op === "=" || op === "==" || op === "!=") && values.length !== 1) {
    errs.push(`${vp}: Invalid value: ${quoted()}: exact-match compatibility requires one single value`);
  } else if ((op === "exists" || op === "!") && values.length !== 0) {
    errs.push(`${vp}: Invalid value: ${quoted()}: values set must be empty for exists and does not exist`);
  } else if (op === "gt" || op === "lt") {
    if (values.length !== 1)
      errs.push(`${vp}: Invalid value: ${quoted()}: for 'Gt', 'Lt' operators, exactly one value is required`);
    values.forEach((v, i) => {
      if (!INT64_RE.test(v))
        errs.push(
          `${vp}[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
    });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0)
      errs.push(`${vp}[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join("; ")}`);
  });
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
}

const EXPR_OPS: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

function compileUncached(sel: LabelSelector): Selector {
  const matchLabels = sel.matchLabels ?? {};
  const exprs = sel.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels);
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const key of labelKeys) {
    const values = [String(matchLabels[key])];
    const err = requirementError(key, "=", values);
    if (err) return new CompiledSelector([], true, err);
    reqs.push({ key, operator: "=", values });
  }
  for (const e of exprs) {
    const op = Object.hasOwn(EXPR_OPS, e.operator) ? EXPR_OPS[e.operator] : undefined;
    if (!op)
      return new CompiledSelector(
        [],
        true,
        `${JSON.stringify(e.operator)} is not a valid label selector operator`,
      );
    const values = [...(e.values ?? [])];
    const err = requirementError(e.key, op, values);
    if (err) return new CompiledSelector([], true, err);
    reqs.push({ key: e.key, operator: op, values });
  }
  return new CompiledSelector(sortByKey(reqs), false);
}

// Stored objects are frozen, so a frozen selector compiles once for its lifetime.
const compiled = new WeakMap<object, Selector>();

/**
 * metav1.LabelSelectorAsSelector: a nil selector matches nothing, `{}` matches everything,
 * otherwise every matchLabels entry and matchExpressions requirement must hold. An invalid
 * selector compiles to one that matches nothing and carries `error`.
 */
export function compileSelector(sel: LabelSelector | null | undefined): Selector {
  if (sel === null || sel === undefined) return NOTHING;
  const hit = compiled.get(sel);
  if (hit) return hit;
  const s = compileUncached(sel);
  if (Object.isFrozen(sel)) compiled.set(sel, s);
  return s;
}

/** labels.SelectorFromSet: equality on every entry; an empty or absent map matches everything. */
export function matchLabelsSelector(map: Readonly<Record<string, string>> | null | undefined): Selector {
  if (!map) return EVERYTHING;
  const keys = Object.keys(map);
  if (keys.length === 0) return EVERYTHING;
  const reqs: Requirement[] = keys.map((key) => ({ key, operator: "=", values: [String(map[key])] }));
  return new CompiledSelector(sortByKey(reqs), false);
}

/** Builds a selector from requirements (validated), e.g. for field-built queries. Throws on an invalid one. */
export function selectorFromRequirements(reqs: readonly Requirement[]): Selector {
  for (const r of reqs) {
    const err = requirementError(r.key, r.operator, r.values);
    if (err) throw new Error(err);
  }
  return reqs.length === 0 ? EVERYTHING : new CompiledSelector(sortByKey([...reqs]), false);
}

/**
 * The first requirement (in key order) that pins a key to one value (`=`, `==`, or `in` with one
 * value), so a store can answer a selector from a label index and check the rest with `matches`.
 */
export function firstEqualityRequirement(sel: Selector): { key: string; value: string } | undefined {
  if (sel.nothing) return undefined;
  for (const r of sel.requirements) {
    if ((r.operator === "=" || r.operator === "==" || r.operator === "in") && r.values.length === 1) {
      return { key: r.key, value: r.values[0]! };
    }
  }
  return undefined;
}

/** Whether the selector requires `key` to have exactly one value, and which (Selector.RequiresExactMatch). */
export function requiresExactMatch(sel: Selector, key: string): string | undefined {
  for (const r of sel.requirements) {
    if (r.key !== key) continue;
    const single =
      (r.operator === "=" || r.operator === "==" || r.operator === "in") && r.values.length === 1;
    return single ? r.values[0] : undefined;
  }
  return undefined;
}

function requirementToString(r: Requirement): string {
  if (r.operator === "exists") return r.key;
  if (r.operator === "!") return `!${r.key}`;
  // Value sets print sorted, without changing the requirement (Requirement.String's safeSort).
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(",");
  switch (r.operator) {
    case "in":
      return `${r.key} in (${values})`;
    case "notin":
      return `${r.key} notin (${values})`;
    case "gt":
      return `${r.key}>${values}`;
    case "lt":
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

function isCompiled(sel: Selector | LabelSelector): sel is Selector {
  return typeof (sel as Selector).matches === "function";
}

/**
 * Selector.String(): requirements in key order joined by `,` — `app=web,tier in (a,b),!legacy`.
 * A selector that matches nothing or everything prints as "" (as in Kubernetes).
 */
export function selectorToString(sel: Selector | LabelSelector | null | undefined): string {
  if (sel === null || sel === undefined) return "";
  const s = isCompiled(sel) ? sel : compileSelector(sel);
  return s.requirements.map(requirementToString).join(",");
}

/** metav1.FormatLabelSelector, for kubectl's SELECTOR column: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = compileSelector(sel);
  if (s.error !== undefined) return "<error>";
  return selectorToString(s) || "<none>";
}

// ---- kubectl `-l` syntax (labels.Parse) ----

// Token kinds of labels.Lexer.
const Tok = {
  Error: 0,
  End: 1,
  ClosedPar: 2,
  Comma: 3,
  DoesNotExist: 4,
  DoubleEquals: 5,
  Equals: 6,
  GreaterThan: 7,
  Identifier: 8,
  In: 9,
  LessThan: 10,
  NotEquals: 11,
  NotIn: 12,
  OpenPar: 13,
} as const;
type Tok = (typeof Tok)[keyof typeof Tok];

const LITERALS: Record<string, Tok> = {
  ")": Tok.ClosedPar,
  ",": Tok.Comma,
  "!": Tok.DoesNotExist,
  "==": Tok.DoubleEquals,
  "=": Tok.Equals,
  ">": Tok.GreaterThan,
  in: Tok.In,
  "<": Tok.LessThan,
  "!=": Tok.NotEquals,
  notin: Tok.NotIn,
  "(": Tok.OpenPar,
};

const literalTok = (s: string): Tok | undefined => (Object.hasOwn(LITERALS, s) ? LITERALS[s] : undefined);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isSpecial = (c: string) => "=!(),><".includes(c);

interface Item {
  tok: Tok;
  lit: string;
}

// The lexer of labels.Lexer: identifiers run until whitespace or a special symbol; special
// symbols take the longest operator they form.
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.End, lit: "" });
      return items;
    }
    const start = pos;
    if (isSpecial(s[pos]!)) {
      let best: Item | undefined;
      let bestEnd = pos;
      while (pos < s.length && isSpecial(s[pos]!)) {
        const t = literalTok(s.slice(start, pos + 1));
        if (t !== undefined) {
          best = { tok: t, lit: s.slice(start, pos + 1) };
          bestEnd = pos + 1;
        } else if (best) break;
        pos++;
      }
      if (!best) {
        // Unreachable with today's symbols (each one alone is a token), kept as Kubernetes has it.
        items.push({ tok: Tok.Error, lit: `error expected: keyword found '${s.slice(start, pos)}'` });
        continue;
      }
      pos = bestEnd;
      items.push(best);
    } else {
      while (pos < s.length && !isSpace(s[pos]!) && !isSpecial(s[pos]!)) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: literalTok(lit) ?? Tok.Identifier, lit });
    }
  }
}

class Parser {
  private pos = 0;
  private readonly items: Item[];

  constructor(items: Item[]) {
    this.items = items;
  }

  // In a value position, `in` and `notin` are ordinary identifiers.
  private asValue(t: Tok): Tok {
    return t === Tok.In || t === Tok.NotIn ? Tok.Identifier : t;
  }

  peek(values: boolean): Item {
    const it = this.items[this.pos]!;
    return values ? { tok: this.asValue(it.tok), lit: it.lit } : it;
  }

  next(values: boolean): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }
}

function parseValues(p: Parser): string[] {
  const open = p.next(true);
  if (open.tok !== Tok.OpenPar) throw new Error(`found '${open.lit}' expected: '('`);
  const first = p.peek(true);
  if (first.tok === Tok.ClosedPar) {
    p.next(true);
    return [""];
  }
  if (first.tok !== Tok.Identifier && first.tok !== Tok.Comma) {
    throw new Error(`found '${first.lit}', expected: ',', ')' or identifier`);
  }
  const set = new Set<string>();
  for (;;) {
    const it = p.next(true);
    if (it.tok === Tok.Identifier) {
      set.add(it.lit);
      const after = p.peek(true);
      if (after.tok === Tok.ClosedPar) break;
      if (after.tok !== Tok.Comma) throw new Error(`found '${after.lit}', expected: ',' or ')'`);
    } else if (it.tok === Tok.Comma) {
      // `(,a)`, `(a,,b)` and `(a,)` each contribute the empty value.
      if (set.size === 0) set.add("");
      const after = p.peek(true);
      if (after.tok === Tok.ClosedPar) {
        set.add("");
        break;
      }
      if (after.tok === Tok.Comma) set.add("");
    } else {
      throw new Error(`found '${it.lit}', expected: ',', or identifier`);
    }
  }
  if (p.next(true).tok !== Tok.ClosedPar) throw new Error(`found '${first.lit}', expected: ')'`);
  return [...set].sort();
}

const BINARY_OPS: Partial<Record<number, Operator>> = {
  [Tok.In]: "in",
  [Tok.Equals]: "=",
  [Tok.DoubleEquals]: "==",
  [Tok.GreaterThan]: "gt",
  [Tok.LessThan]: "lt",
  [Tok.NotIn]: "notin",
  [Tok.NotEquals]: "!=",
};

function checkedRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const err = requirementError(key, operator, values);
  if (err) throw new Error(err);
  return { key, operator, values };
}

function parseRequirement(p: Parser): Requirement {
  let it = p.next(true);
  const negated = it.tok === Tok.DoesNotExist;
  if (negated) it = p.next(true);
  if (it.tok !== Tok.Identifier) throw new Error(`found '${it.lit}', expected: identifier`);
  const key = it.lit;
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0)
    throw new Error(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join("; ")}`);
  // `!key` ends the requirement whatever follows, as in Kubernetes (`!a=b` then fails at `=`).
  if (negated) return checkedRequirement(key, "!", []);
  const after = p.peek(true).tok;
  if (after === Tok.End || after === Tok.Comma) return checkedRequirement(key, "exists", []);
  const opItem = p.next(false);
  const op = BINARY_OPS[opItem.tok];
  if (!op) throw new Error(`found '${opItem.lit}', expected: in, notin, =, ==, !=, gt, lt`);
  if (op === "in" || op === "notin") return checkedRequirement(key, op, parseValues(p));
  const v = p.peek(true);
  if (v.tok === Tok.End || v.tok === Tok.Comma) return checkedRequirement(key, op, [""]);
  const val = p.next(true);
  if (val.tok !== Tok.Identifier) throw new Error(`found '${val.lit}', expected: identifier`);
  return checkedRequirement(key, op, [val.lit]);
}

/**
 * labels.Parse, the syntax of `kubectl get -l`: `app=web,tier!=db,env in (a,b),env notin (c),
 * !legacy,key`. Throws an Error with Kubernetes' message on bad input; "" matches everything.
 */
export function parseSelector(text: string): Selector {
  const p = new Parser(lex(text));
  const reqs: Requirement[] = [];
  for (;;) {
    const it = p.peek(true);
    if (it.tok === Tok.End) break;
    if (it.tok !== Tok.Identifier && it.tok !== Tok.DoesNotExist) {
      throw new Error(`found '${it.lit}', expected: !, identifier, or 'end of string'`);
    }
    try {
      reqs.push(parseRequirement(p));
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`);
    }
    const sep = p.next(true);
    if (sep.tok === Tok.End) break;
    if (sep.tok !== Tok.Comma) throw new Error(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const nxt = p.peek(true);
    if (nxt.tok !== Tok.Identifier && nxt.tok !== Tok.DoesNotExist) {
      throw new Error(`found '${nxt.lit}', expected: identifier after ','`);
    }
  }
  return reqs.length === 0 ? EVERYTHING : new CompiledSelector(sortByKey(reqs), false);
}
