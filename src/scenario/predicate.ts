/** Expectation predicates: `KIND/NAME FIELD OP VALUE`, e.g. `deployment/web available == 6`. */
import { KINDS, type KindInfo, resolveResource } from "../api/kinds.js";
import { containerArg } from "../kubelet/projected.js";
import { TextError } from "./errors.js";
import { didYouMean } from "./suggest.js";
import type { CompareOp, Predicate } from "./types.js";

/**
 * "nodeName": an object name or none/null (a pod's node, a claim's volume); "text": a "quoted
 * string" (JSON escapes), a bare word, or none/null (nothing there).
 */
type FieldType = "count" | "bool" | "nodeName" | "text" | readonly string[];

const POD_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

/** Fields per kind for one object; any other modeled kind has only `exists`. */
const OBJECT_FIELDS: Record<string, Record<string, FieldType>> = {
  Deployment: {
    replicas: "count",
    ready: "count",
    available: "count",
    updated: "count",
    unavailable: "count",
    desired: "count",
    /** deployment.kubernetes.io/revision: the revision of the current template. */
    revision: "count",
    /** How many ReplicaSets the Deployment owns (the rollout history kept). */
    replicasets: "count",
    /** The Progressing condition's reason. */
    progressing: [
      "NewReplicaSetCreated",
      "FoundNewReplicaSet",
      "ReplicaSetUpdated",
      "NewReplicaSetAvailable",
      "ProgressDeadlineExceeded",
      "ReplicaSetCreateError",
      "DeploymentPaused",
      "DeploymentResumed",
    ],
  },
  ReplicaSet: { replicas: "count", ready: "count", available: "count", desired: "count", revision: "count" },
  StatefulSet: {
    replicas: "count",
    ready: "count",
    available: "count",
    updated: "count",
    current: "count",
    desired: "count",
  },
  Pod: { phase: POD_PHASES, node: "nodeName", ready: "bool", restarts: "count", deleting: "bool" },
  Node: { ready: "bool", unschedulable: "bool" },
  PersistentVolumeClaim: { phase: ["Pending", "Bound", "Lost"], volume: "nodeName" },
  PersistentVolume: { phase: ["Pending", "Available", "Bound", "Released", "Failed"] },
  /** The budget's status as the disruption controller last wrote it. */
  PodDisruptionBudget: {
    allowed: "count",
    healthy: "count",
    desired: "count",
    expected: "count",
  },
  /** Addresses listed ready (`subsets[].addresses`) and not ready (`notReadyAddresses`). */
  Endpoints: { ready: "count", notready: "count" },
};

/** Fields of the selector form: how many match, how many of those are Ready. */
const SELECTOR_FIELDS: Record<string, Record<string, FieldType>> = {
  Pod: { count: "count", ready: "count" },
  Node: { count: "count", ready: "count" },
};

/** An argument field, `FIELD(ARG)`: its example and the argument's check (the problem, if any). */
interface ArgField {
  form: string;
  example: string;
  check: (arg: string) => string | undefined;
}

const CONTAINER_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * What a pod's containers see now, from the kubelet running it (text values):
 *   file([CONTAINER:]PATH)  the content of the file at the absolute PATH, through the container's
 *                           mounts (default: the first container mounting something there)
 *   env([CONTAINER.]NAME)   the variable as the container's process got it at its last start
 *                           (default: the pod's first container)
 */
const ARG_FIELDS: Record<string, Record<string, ArgField>> = {
  Pod: {
    file: {
      form: "file(PATH)",
      example: "file(/etc/creds/password) or file(app:/etc/creds/password)",
      check: (arg) => {
        const { container, rest: path } = containerArg(arg, ":");
        if (container !== undefined && !CONTAINER_RE.test(container))
          return `"${container}" is not a container name`;
        if (!path.startsWith("/") || /\s/.test(path)) return "expected an absolute path without spaces";
        return undefined;
      },
    },
    env: {
      form: "env(CONTAINER.NAME)",
      example: "env(app.PASSWORD) or env(PASSWORD)",
      check: (arg) => {
        const { container, rest: name } = containerArg(arg, ".");
        if (container !== undefined && !CONTAINER_RE.test(container))
          return `"${container}" is not a container name`;
        if (!ENV_NAME_RE.test(name)) return `"${name}" is not an environment variable name`;
        return undefined;
      },
    },
  },
};

const OPS: readonly CompareOp[] = ["==", "!=", ">=", "<=", ">", "<"];
/** Operators from other languages, and their spelling here. */
const OP_TYPOS: Record<string, CompareOp> = {
  "=": "==",
  "===": "==",
  "=>": ">=",
  "=<": "<=",
  "<>": "!=",
  "!==": "!=",
};
export const PREDICATE_EXAMPLE = "KIND/NAME FIELD OP VALUE, e.g. deployment/web available == 6";
const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SELECTOR_TERM =
  /^(!?[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?|[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?\s*(=|==|!=)\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?)$/;

/** Every resource name a user may type for a kind, for suggestions. */
const RESOURCE_NAMES = KINDS.flatMap((k) => [k.singular, k.plural, ...k.shortNames]);

interface Token {
  text: string;
  offset: number;
  op: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const isOp = /[=!<>]/.test(text[i]!);
    if (isOp) while (i < text.length && /[=!<>]/.test(text[i]!)) i++;
    else if (text[i] === '"') i = closingQuote(text, i);
    while (!isOp && i < text.length && !/[\s=!<>]/.test(text[i]!)) {
      // A selector's braces and a field's parentheses hold what would otherwise end the token.
      const close = text[i] === "{" ? "}" : text[i] === "(" ? ")" : undefined;
      if (close) {
        const at = text.indexOf(close, i);
        i = at < 0 ? text.length : at + 1;
      } else i++;
    }
    out.push({ text: text.slice(start, i), offset: start, op: isOp });
  }
  return out;
}

// The index just past the string that opens at `i` (a JSON string: `\"` and `\\` escapes).
function closingQuote(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return Math.min(j + 1, text.length);
}

/** Fields allowed for a kind, in the object or the selector form. */
export function predicateFields(kind: string, selector: boolean): Record<string, FieldType> {
  if (selector) return SELECTOR_FIELDS[kind] ?? {};
  return { ...(OBJECT_FIELDS[kind] ?? {}), exists: "bool" };
}

/**
 * Parses a predicate; throws TextError naming the bad token (with its offset) and what is allowed.
 *
 * Grammar (one line, tokens separated by spaces; spaces around OP are optional):
 *   TARGET FIELD OP VALUE
 *   TARGET := KIND/NAME | KIND/NAMESPACE/NAME          one object; NAMESPACE defaults to "default"
 *           | KIND{SELECTOR} | KIND/NAMESPACE{SELECTOR}  a count over pods or nodes, e.g. pods{app=web}
 * The namespaced form KIND/NAMESPACE/NAME is the order of the timeline's `involved` field
 * (`Pod/default/web-0`). KIND is any kubectl resource name (`deploy`, `deployments`, `sts`, `po`).
 * SELECTOR is an equality-based label selector: `app=web,tier!=db,canary,!legacy` (`{}` = all).
 * FIELD may take an argument, `FIELD(ARG)`: a pod's `file(PATH)` and `env(CONTAINER.NAME)`.
 * VALUE is a whole number, true/false, none/null (for `node`, `volume`, `file`, `env`), a bare
 * word, or (for `file`, `env`) a "quoted string" with JSON escapes.
 */
export function parsePredicate(text: string): Predicate {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new TextError(`empty predicate (expected ${PREDICATE_EXAMPLE})`, 0);
  const [target, field, op, value, extra] = tokens;
  const target0 = parseTarget(target!);
  const fieldTok = field && !field.op ? field : undefined;
  if (!fieldTok)
    throw new TextError(
      `missing FIELD after "${target!.text}" (expected ${PREDICATE_EXAMPLE})`,
      field?.offset ?? text.length,
    );
  const { name: fieldName, arg, type } = parseField(fieldTok, target0.info, target0.selector !== undefined);
  if (!op?.op)
    throw new TextError(
      `missing operator after "${fieldTok.text}" (expected one of ${OPS.join(" ")})`,
      op?.offset ?? text.length,
    );
  const cmp = parseOp(op, type, fieldTok.text);
  if (!value || value.op)
    throw new TextError(
      `missing VALUE after "${op.text}" (expected ${PREDICATE_EXAMPLE})`,
      value?.offset ?? text.length,
    );
  if (extra)
    throw new TextError(
      `unexpected "${extra.text}" after the value (expected ${PREDICATE_EXAMPLE})`,
      extra.offset,
    );
  const pred: Predicate = {
    text: text.trim(),
    kind: target0.info.kind,
    namespace: target0.namespace,
    name: target0.name,
    field: fieldName,
    op: cmp,
    value: parseValue(value, type, fieldTok.text),
  };
  if (arg !== undefined) pred.arg = arg;
  if (target0.selector !== undefined) pred.selector = target0.selector;
  return pred;
}

// FIELD or FIELD(ARG), checked against the kind's fields.
function parseField(
  tok: Token,
  info: KindInfo,
  selector: boolean,
): { name: string; arg?: string; type: FieldType } {
  const fields = predicateFields(info.kind, selector);
  const argFields = selector ? {} : (ARG_FIELDS[info.kind] ?? {});
  const call = /^([A-Za-z]+)\((.*)\)$/s.exec(tok.text);
  if (call) {
    const [, name, arg] = call as unknown as [string, string, string];
    const f = argFields[name];
    if (!f) throw unknownField({ ...tok, text: name }, info, fields, selector, argFields);
    const why = f.check(arg);
    if (why) {
      const msg = `invalid argument "${arg}" for ${name}: ${why} (e.g. ${f.example})`;
      throw new TextError(msg, tok.offset + name.length + 1);
    }
    return { name, arg, type: "text" };
  }
  const bare = argFields[tok.text];
  if (bare)
    throw new TextError(`"${tok.text}" needs an argument in parentheses, e.g. ${bare.example}`, tok.offset);
  const type = fields[tok.text];
  if (type === undefined) throw unknownField(tok, info, fields, selector, argFields);
  return { name: tok.text, type };
}

function unknownField(
  tok: Token,
  info: KindInfo,
  fields: Record<string, FieldType>,
  selector: boolean,
  argFields: Record<string, ArgField> = {},
): TextError {
  const names = [...Object.keys(fields), ...Object.values(argFields).map((f) => f.form)];
  if (names.length === 0) {
    return new TextError(`a label selector works with pods and nodes only, not ${info.plural}`, tok.offset);
  }
  const form = selector ? `${info.plural}{...}` : info.kind;
  const msg = `unknown field "${tok.text}" for ${form}${didYouMean(tok.text, names)} (expected one of: ${names.join(", ")})`;
  return new TextError(msg, tok.offset);
}

interface Target {
  info: KindInfo;
  namespace: string;
  name: string;
  selector?: string;
}

function parseTarget(tok: Token): Target {
  const brace = tok.text.indexOf("{");
  const head = brace < 0 ? tok.text : tok.text.slice(0, brace);
  const parts = head.split("/");
  const info = resolveResource(parts[0]!);
  if (!info) {
    const msg = `unknown kind "${parts[0]}"${didYouMean(parts[0]!, RESOURCE_NAMES)} (expected a resource such as deployment, statefulset, pod, node)`;
    throw new TextError(msg, tok.offset);
  }
  const nsOf = (given: string | undefined): string => {
    if (given !== undefined && !info.namespaced)
      throw new TextError(`${info.plural} are not namespaced: write ${info.singular}/NAME`, tok.offset);
    const ns = given ?? (info.namespaced ? "default" : "");
    if (given !== undefined && !NAME_RE.test(given))
      throw new TextError(`invalid namespace "${given}"`, tok.offset + parts[0]!.length + 1);
    return ns;
  };
  if (brace >= 0) {
    if (parts.length > 2 || !tok.text.endsWith("}")) {
      throw new TextError(
        `expected KIND{SELECTOR} or KIND/NAMESPACE{SELECTOR}, got "${tok.text}"`,
        tok.offset,
      );
    }
    const selector = tok.text.slice(brace + 1, -1).trim();
    checkSelector(selector, tok.offset + brace + 1);
    return { info, namespace: nsOf(parts[1]), name: "", selector };
  }
  if (parts.length < 2 || parts.length > 3) {
    const msg = `expected KIND/NAME or KIND/NAMESPACE/NAME (e.g. deployment/web, pod/prod/db-0), got "${tok.text}"`;
    throw new TextError(msg, tok.offset);
  }
  const name = parts[parts.length - 1]!;
  if (!NAME_RE.test(name)) {
    const msg = `invalid name "${name}" (expected lower-case letters, digits, "-" and ".")`;
    throw new TextError(msg, tok.offset + head.length - name.length);
  }
  return { info, namespace: nsOf(parts.length === 3 ? parts[1] : undefined), name };
}

function checkSelector(selector: string, offset: number): void {
  if (selector === "") return;
  let at = offset;
  for (const term of selector.split(",")) {
    if (!SELECTOR_TERM.test(term.trim())) {
      throw new TextError(
        `invalid label selector term "${term.trim()}" (expected key=value, key!=value, key or !key)`,
        at,
      );
    }
    at += term.length + 1;
  }
}

function parseOp(tok: Token, type: FieldType, field: string): CompareOp {
  const op = OPS.find((o) => o === tok.text);
  if (!op) {
    const fix = OP_TYPOS[tok.text];
    const hint = fix ? ` (did you mean "${fix}"?)` : didYouMean(tok.text, OPS);
    throw new TextError(
      `unknown operator "${tok.text}"${hint} (expected one of ${OPS.join(" ")})`,
      tok.offset,
    );
  }
  if (type !== "count" && op !== "==" && op !== "!=") {
    throw new TextError(
      `operator "${op}" needs a numeric field, and "${field}" is not one: use == or !=`,
      tok.offset,
    );
  }
  return op;
}

function parseValue(tok: Token, type: FieldType, field: string): Predicate["value"] {
  const v = tok.text;
  const bad = (expected: string, hint = ""): TextError =>
    new TextError(`invalid value "${v}" for "${field}"${hint} (expected ${expected})`, tok.offset);
  if (type === "count") {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw bad("a whole number");
    return Number(v);
  }
  if (type === "bool") {
    if (v !== "true" && v !== "false") throw bad("true or false");
    return v === "true";
  }
  if (type === "text") {
    if (v === "none" || v === "null") return null;
    if (!v.startsWith('"')) return v;
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === "string") return parsed;
    } catch {
      // reported below
    }
    throw bad('a "quoted string" (JSON escapes), a bare word, or none');
  }
  if (type === "nodeName") {
    if (v === "null" || v === "none") return null;
    if (!NAME_RE.test(v)) throw bad("a name, or none");
    return v;
  }
  if (!type.includes(v)) throw bad(`one of ${type.join(", ")}`, didYouMean(v, type));
  return v;
}
