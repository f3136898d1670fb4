/** kubectl command lines: shell-like word splitting, pflag-style flags and resource arguments. */
import { KINDS, type KindInfo, resolveResource } from "../api/kinds.js";
import { parseDurationMs } from "../engine/duration.js";
import { TextError } from "./errors.js";
import { didYouMean } from "./suggest.js";

/** A word of the command line and where it starts (its first character, or its opening quote). */
export interface Word {
  text: string;
  offset: number;
}

/** Splits like a POSIX shell without expansions: quotes group, backslash escapes outside '...'. */
export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let cur: Word | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = undefined;
      i++;
      continue;
    }
    cur ??= { text: "", offset: i };
    if (c === "'" || c === '"') {
      const end = closingQuote(line, i);
      const body = line.slice(i + 1, end);
      cur.text += c === "'" ? body : body.replace(/\\(["\\$`])/g, "$1");
      i = end + 1;
    } else if (c === "\\" && i + 1 < line.length) {
      cur.text += line[i + 1];
      i += 2;
    } else if ("|;&<>`".includes(c) || (c === "$" && line[i + 1] === "(")) {
      throw new TextError(
        `shell syntax is not supported here: "${c}" (quote it if it is part of a value)`,
        i,
      );
    } else {
      cur.text += c;
      i++;
    }
  }
  if (cur) words.push(cur);
  return words;
}

function closingQuote(line: string, open: number): number {
  const q = line[open];
  for (let j = open + 1; j < line.length; j++) {
    if (q === '"' && line[j] === "\\") j++;
    else if (line[j] === q) return j;
  }
  throw new TextError(`unterminated ${q === "'" ? "single" : "double"} quote`, open);
}

/** A flag a verb accepts. `key` is its name in KubectlCommand.flags (default: the long name). */
export interface FlagSpec {
  long: string;
  short?: string;
  type: "bool" | "string" | "int" | "duration" | "enum";
  values?: readonly string[];
  min?: number;
  max?: number;
  key?: string;
  /** May be given several times (`-f a -f b`); values are joined with ",". */
  multi?: boolean;
}

/** Positional words and flags (by key), with the offset of each flag's value for messages. */
export interface ParsedArgs {
  positionals: Word[];
  flags: Record<string, string>;
  flagOffsets: Record<string, number>;
}

function checkFlagValue(spec: FlagSpec, value: string, offset: number): string {
  const bad = (why: string): TextError =>
    new TextError(`invalid argument "${value}" for "--${spec.long}" flag: ${why}`, offset);
  if (spec.type === "bool" && value !== "true" && value !== "false") throw bad("expected true or false");
  if (spec.type === "int") {
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw bad("expected an integer");
    if (spec.min !== undefined && Number(value) < spec.min) throw bad(`must be >= ${spec.min}`);
    if (spec.max !== undefined && Number(value) > spec.max) throw bad(`must be <= ${spec.max}`);
  }
  if (spec.type === "duration" && parseDurationMs(value) === undefined)
    throw bad("expected a duration like 30s, 5m");
  if (spec.type === "enum" && !spec.values!.includes(value)) {
    throw bad(
      `must be one of ${spec.values!.map((v) => `"${v}"`).join(", ")}${didYouMean(value, spec.values!)}`,
    );
  }
  return value;
}

function findSpec(
  word: Word,
  specs: readonly FlagSpec[],
): { spec: FlagSpec; inline?: string; inlineAt: number; label: string } {
  const long = word.text.startsWith("--");
  const body = word.text.slice(long ? 2 : 1);
  const eq = body.indexOf("=");
  const name = long ? (eq < 0 ? body : body.slice(0, eq)) : body.slice(0, 1);
  const spec = specs.find((s) => (long ? s.long === name : s.short === name));
  if (!spec && long) {
    const hint = didYouMean(
      name,
      specs.map((s) => s.long),
    );
    throw new TextError(`unknown flag: --${name}${hint.replace('"', '"--')}`, word.offset);
  }
  if (!spec) throw new TextError(`unknown shorthand flag: '${name}' in ${word.text}`, word.offset);
  let inline: string | undefined;
  let inlineAt = word.offset;
  if (long && eq >= 0) {
    inline = body.slice(eq + 1);
    inlineAt = word.offset + 2 + eq + 1;
  }
  if (!long && body.length > 1) {
    inline = body.slice(body[1] === "=" ? 2 : 1);
    inlineAt = word.offset + word.text.length - inline.length;
  }
  return { spec, inline, inlineAt, label: long ? `--${name}` : `'${name}' in -${name}` };
}

/** Parses flags (`--x=v`, `--x v`, `-x v`, `-xv`, `--bool`), leaving positionals; `--` ends flags. */
export function parseArgs(words: readonly Word[], specs: readonly FlagSpec[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {}, flagOffsets: {} };
  let onlyPositionals = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (onlyPositionals || !w.text.startsWith("-") || w.text === "-") {
      out.positionals.push(w);
      continue;
    }
    if (w.text === "--") {
      onlyPositionals = true;
      continue;
    }
    const { spec, inline, inlineAt, label } = findSpec(w, specs);
    let value = inline;
    let offset = inlineAt;
    if (value === undefined && spec.type === "bool") value = "true";
    if (value === undefined) {
      const next = words[++i];
      if (!next) throw new TextError(`flag needs an argument: ${label}`, w.offset);
      value = next.text;
      offset = next.offset;
    }
    const key = spec.key ?? spec.long;
    const checked = checkFlagValue(spec, value, offset);
    out.flags[key] = spec.multi && out.flags[key] !== undefined ? `${out.flags[key]},${checked}` : checked;
    out.flagOffsets[key] ??= offset;
  }
  return out;
}

/** Every resource name a user may type, for suggestions. */
const RESOURCE_NAMES = KINDS.flatMap((k) => [k.singular, k.plural, ...k.shortNames]);
export const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** One object named on the command line. */
export interface TargetArg {
  info: KindInfo;
  name: string;
  offset: number;
}

function resolveKind(word: string, offset: number): KindInfo {
  const info = resolveResource(word);
  if (!info) {
    throw new TextError(
      `the server doesn't have a resource type "${word}"${didYouMean(word, RESOURCE_NAMES)}`,
      offset,
    );
  }
  return info;
}

function checkName(name: string, offset: number): string {
  if (!NAME_RE.test(name) || name.length > 253) {
    throw new TextError(
      `invalid resource name "${name}" (expected lower-case letters, digits, "-" and ".")`,
      offset,
    );
  }
  return name;
}

/**
 * `KIND/NAME ...` or `KIND NAME ...` (kubectl's two forms; they may not be mixed). Returns the kind
 * alone (no names) for `delete pods -l app=web`.
 */
export function parseResourceArgs(words: readonly Word[]): { kind?: KindInfo; targets: TargetArg[] } {
  if (words.length === 0) return { targets: [] };
  const first = words[0]!;
  if (!first.text.includes("/")) {
    const kind = resolveKind(first.text, first.offset);
    const targets = words.slice(1).map((w) => {
      if (w.text.includes("/")) {
        throw new TextError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form`,
          w.offset,
        );
      }
      return { info: kind, name: checkName(w.text, w.offset), offset: w.offset };
    });
    return { kind, targets };
  }
  const targets = words.map((w) => {
    const parts = w.text.split("/");
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new TextError(
        `arguments in resource/name form must have a single resource and name, got "${w.text}"`,
        w.offset,
      );
    }
    const info = resolveKind(parts[0], w.offset);
    return { info, name: checkName(parts[1], w.offset + parts[0].length + 1), offset: w.offset };
  });
  return { targets };
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether a label/annotation key is valid: `[prefix/]name`, name <= 63 characters (IsQualifiedName). */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Whether a label value is valid: empty, or <= 63 characters of [-A-Za-z0-9_.] starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}
