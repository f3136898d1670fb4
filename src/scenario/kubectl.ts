/** The `kubectl:` lines of scenario actions → KubectlCommand, with kubectl's flags and error wording. */
import { kindInfo } from "../api/kinds.js";
import type { KubeObject } from "../api/types.js";
import { ScenarioError, TextError } from "./errors.js";
import {
  type FlagSpec,
  isLabelValue,
  isQualifiedName,
  NAME_RE,
  type ParsedArgs,
  parseArgs,
  parseResourceArgs,
  splitWords,
  type TargetArg,
  type Word,
} from "./kubectl-args.js";
import { isRecord } from "./schema.js";
import { parseYamlFile } from "./source.js";
import { didYouMean } from "./suggest.js";
import type { KubectlCommand } from "./types.js";

/** What the parser needs from its surroundings; every hook is optional (then it only parses). */
export interface KubectlContext {
  /** Reads and validates the objects of `-f PATH` (resolved by the caller); TextError at `offset` if missing. */
  loadManifests?: (path: string, offset: number) => KubeObject[];
  /** Validates an object the command generates (`create deployment`); TextError at `offset`. */
  validate?: (obj: KubeObject, offset: number) => void;
  /** Node names of the scenario, to catch typos in cordon/uncordon/drain. */
  nodes?: readonly string[];
}

interface Call {
  cmd: KubectlCommand;
  args: ParsedArgs;
  ctx: KubectlContext;
  /** Offset of the verb, for errors about the command as a whole. */
  at: number;
}

interface Verb {
  flags: readonly FlagSpec[];
  run: (call: Call) => void;
}

const NAMESPACE: FlagSpec = { long: "namespace", short: "n", type: "string" };
const FILENAME: FlagSpec = { long: "filename", short: "f", type: "string", key: "f", multi: true };
const GRACE: FlagSpec = { long: "grace-period", type: "int", min: -1 };
const FORCE: FlagSpec = { long: "force", type: "bool" };
const TIMEOUT: FlagSpec = { long: "timeout", type: "duration" };
const WORKLOADS = ["Deployment", "ReplicaSet", "StatefulSet"];

const VERBS: Record<string, Verb> = {
  apply: { flags: [FILENAME], run: (c) => runFiles(c, "apply") },
  create: { flags: [FILENAME], run: (c) => runFiles(c, "create") },
  "create deployment": {
    flags: [
      { long: "image", type: "string", multi: true },
      { long: "replicas", short: "r", type: "int", min: 0 },
      { long: "port", type: "int", min: 1, max: 65535 },
    ],
    run: runCreateDeployment,
  },
  "create namespace": { flags: [], run: runCreateNamespace },
  delete: {
    flags: [
      FILENAME,
      GRACE,
      FORCE,
      { long: "cascade", type: "enum", values: ["background", "foreground", "orphan"] },
      { long: "selector", short: "l", type: "string" },
      { long: "now", type: "bool" },
      { long: "wait", type: "bool" },
      { long: "ignore-not-found", type: "bool" },
    ],
    run: runDelete,
  },
  scale: { flags: [{ long: "replicas", type: "int", min: 0 }], run: runScale },
  "set image": { flags: [], run: runSetImage },
  patch: {
    flags: [
      { long: "patch", short: "p", type: "string" },
      { long: "type", type: "enum", values: ["merge", "json", "strategic"] },
    ],
    run: runPatch,
  },
  "rollout status": {
    flags: [TIMEOUT, { long: "watch", short: "w", type: "bool" }, { long: "revision", type: "int", min: 0 }],
    run: runRollout,
  },
  "rollout history": { flags: [{ long: "revision", type: "int", min: 0 }], run: runRollout },
  "rollout undo": { flags: [{ long: "to-revision", type: "int", min: 0 }], run: runRollout },
  "rollout pause": { flags: [], run: runRollout },
  "rollout resume": { flags: [], run: runRollout },
  "rollout restart": { flags: [], run: runRollout },
  cordon: { flags: [], run: runNode },
  uncordon: { flags: [], run: runNode },
  drain: {
    flags: [
      { long: "ignore-daemonsets", type: "bool" },
      { long: "delete-emptydir-data", type: "bool" },
      FORCE,
      GRACE,
      TIMEOUT,
      { long: "disable-eviction", type: "bool" },
    ],
    run: runNode,
  },
  label: { flags: [{ long: "overwrite", type: "bool" }], run: runLabel },
  annotate: { flags: [{ long: "overwrite", type: "bool" }], run: runLabel },
};

const SUBVERBS: Record<string, Record<string, string>> = {
  set: { image: "image" },
  rollout: {
    status: "status",
    history: "history",
    undo: "undo",
    pause: "pause",
    resume: "resume",
    restart: "restart",
  },
  create: { deployment: "deployment", deploy: "deployment", namespace: "namespace", ns: "namespace" },
};

const TOP_VERBS = [
  "apply",
  "create",
  "delete",
  "scale",
  "set",
  "edit",
  "patch",
  "rollout",
  "cordon",
  "uncordon",
  "drain",
  "label",
  "annotate",
];

const NOT_ACTIONS: Record<string, string> = {
  get: "kubectl get changes nothing, so it is not an action: check state with expect, or run `kubesim get`",
  describe: "kubectl describe changes nothing, so it is not an action: check state with expect",
  logs: "kubesim runs no real containers, so there are no logs",
};

/**
 * Parses a kubectl command line (with or without the leading `kubectl`). Throws TextError at the
 * offending word; ScenarioError from files that `-f` names.
 *
 * KubectlCommand.verb is the verb as typed (`set`, `rollout`, `edit`); for `set`, `rollout` and
 * `create deployment|namespace` the sub-verb is args[0]. Flags are keyed by their long name
 * (`--grace-period` → "grace-period", `-n` → "namespace"), except `-f`/`--filename`, keyed "f".
 * `edit` takes its change with -p like `patch` (a scenario cannot open an editor); both apply JSON
 * merge patches only, parsed into KubectlCommand.patch.
 */
export function parseKubectl(text: string, ctx: KubectlContext = {}): KubectlCommand {
  let words = splitWords(text);
  if (words[0]?.text === "kubectl") words = words.slice(1);
  if (words.length === 0)
    throw new TextError(`missing command (expected one of: ${TOP_VERBS.join(", ")})`, 0);
  const { verb, sub, rest, at } = splitVerb(words);
  const spec = VERBS[sub ? `${verb === "edit" ? "patch" : verb} ${sub}` : verb === "edit" ? "patch" : verb]!;
  const args = parseArgs(rest, [NAMESPACE, ...spec.flags]);
  const cmd: KubectlCommand = {
    verb,
    text: text.slice(words[0]!.offset).trim(),
    args: [...(sub ? [sub] : []), ...args.positionals.map((w) => w.text)],
    flags: args.flags,
  };
  const ns = args.flags.namespace;
  if (ns !== undefined) {
    if (!NAME_RE.test(ns) || ns.includes("."))
      throw new TextError(`invalid namespace "${ns}"`, args.flagOffsets.namespace!);
    cmd.namespace = ns;
  }
  spec.run({ cmd, args, ctx, at });
  return cmd;
}

/** Finds the verb (and sub-verb); `-n NS` may come before it, as kubectl allows global flags there. */
function splitVerb(words: readonly Word[]): { verb: string; sub?: string; rest: Word[]; at: number } {
  const rest: Word[] = [];
  let i = 0;
  while (i < words.length && words[i]!.text.startsWith("-")) {
    const w = words[i++]!;
    if (!/^(-n|--namespace)(=.*)?$|^-n./.test(w.text)) {
      throw new TextError(
        `flags go after the command: only -n/--namespace may come before it, got "${w.text}"`,
        w.offset,
      );
    }
    rest.push(w);
    if ((w.text === "-n" || w.text === "--namespace") && words[i]) rest.push(words[i++]!);
  }
  const first = words[i];
  if (!first)
    throw new TextError(`missing command (expected one of: ${TOP_VERBS.join(", ")})`, words[0]!.offset);
  const name = first.text;
  if (!TOP_VERBS.includes(name)) {
    const why = NOT_ACTIONS[first.text] ?? `kubesim supports: ${TOP_VERBS.join(", ")}`;
    throw new TextError(
      `unknown command "${first.text}" for "kubectl"${didYouMean(first.text, TOP_VERBS)}; ${why}`,
      first.offset,
    );
  }
  const subs = SUBVERBS[name];
  const next = words[i + 1];
  const sub = subs && next ? subs[next.text] : undefined;
  if (subs && name !== "create" && sub === undefined) {
    const list = Object.keys(subs).join(", ");
    if (!next || next.text.startsWith("-"))
      throw new TextError(
        `missing subcommand for "kubectl ${name}" (expected one of: ${list})`,
        first.offset,
      );
    throw new TextError(
      `unknown command "${next.text}" for "kubectl ${name}"${didYouMean(next.text, Object.keys(subs))} (expected one of: ${list})`,
      next.offset,
    );
  }
  const after = words.slice(i + (sub ? 2 : 1));
  return { verb: name, ...(sub ? { sub } : {}), rest: [...rest, ...after], at: first.offset };
}

function loadFiles(call: Call): KubeObject[] | undefined {
  const { args, ctx, cmd } = call;
  const offset = args.flagOffsets.f!;
  const out: KubeObject[] = [];
  for (const path of args.flags.f!.split(",")) {
    if (path === "-")
      throw new TextError("-f - (standard input) cannot be used in a scenario: name a file", offset);
    if (/^https?:\/\//.test(path))
      throw new TextError(`-f ${path}: URLs cannot be used in a scenario: name a file`, offset);
    if (!ctx.loadManifests) return undefined;
    out.push(...ctx.loadManifests(path, offset));
  }
  if (cmd.namespace) for (const obj of out) setNamespace(obj, cmd.namespace, offset);
  return out;
}

/** kubectl's rule: `-n` fills in a missing namespace and must agree with one that is given. */
function setNamespace(obj: KubeObject, ns: string, offset: number): void {
  const info = kindInfo(obj.kind ?? "");
  if (!info?.namespaced) return;
  const meta = (obj.metadata ??= {});
  if (meta.namespace !== undefined && meta.namespace !== ns) {
    const msg = `the namespace from the provided object "${meta.namespace}" does not match the namespace "${ns}". You must pass '--namespace=${meta.namespace}' to perform this operation.`;
    throw new TextError(msg, offset);
  }
  meta.namespace = ns;
}

function unexpectedArgs(words: readonly Word[]): void {
  if (words.length > 0)
    throw new TextError(`unexpected args: [${words.map((w) => w.text).join(" ")}]`, words[0]!.offset);
}

function runFiles(call: Call, verb: "apply" | "create"): void {
  const { args, cmd } = call;
  if (verb === "create" && args.positionals.length > 0 && args.flags.f === undefined) {
    const w = args.positionals[0]!;
    const msg = `unknown command "${w.text}" for "kubectl create"; kubesim supports: create -f FILE, create deployment NAME --image=IMAGE, create namespace NAME`;
    throw new TextError(msg, w.offset);
  }
  unexpectedArgs(args.positionals);
  if (args.flags.f === undefined) throw new TextError("must specify one of -f and -k", call.at);
  const objects = loadFiles(call);
  if (objects) cmd.objects = objects;
}

/** The container name kubectl derives from an image: `registry/team/app:v1` → `app`. */
function containerName(image: string): string {
  const base = image.slice(image.lastIndexOf("/") + 1);
  return base
    .split(/[:@]/)[0]!
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");
}

function runCreateDeployment(call: Call): void {
  const { args, cmd, ctx } = call;
  const [nameWord, ...extra] = args.positionals;
  if (!nameWord) throw new TextError("NAME is required: create deployment NAME --image=IMAGE", call.at);
  unexpectedArgs(extra);
  const name = checkObjectName(nameWord);
  if (args.flags.image === undefined) throw new TextError(`required flag(s) "image" not set`, call.at);
  const ports = args.flags.port === undefined ? {} : { ports: [{ containerPort: Number(args.flags.port) }] };
  const containers = args.flags.image.split(",").map((image, i, all) => {
    const base = containerName(image);
    const unique = all.slice(0, i).some((o) => containerName(o) === base) ? `${base}-${i}` : base;
    return { name: unique, image, ...ports };
  });
  const labels = { app: name };
  const obj: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels, ...(cmd.namespace ? { namespace: cmd.namespace } : {}) },
    spec: {
      replicas: Number(args.flags.replicas ?? "1"),
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers } },
    },
  };
  ctx.validate?.(obj, nameWord.offset);
  cmd.objects = [obj];
  cmd.targets = [{ kind: "Deployment", name }];
}

function runCreateNamespace(call: Call): void {
  const [nameWord, ...extra] = call.args.positionals;
  if (!nameWord) throw new TextError("NAME is required: create namespace NAME", call.at);
  unexpectedArgs(extra);
  const name = checkObjectName(nameWord);
  const obj: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
  call.ctx.validate?.(obj, nameWord.offset);
  call.cmd.objects = [obj];
  call.cmd.targets = [{ kind: "Namespace", name }];
}

function checkObjectName(w: Word): string {
  if (!NAME_RE.test(w.text) || w.text.length > 253) {
    throw new TextError(
      `invalid name "${w.text}" (expected lower-case letters, digits, "-" and ".")`,
      w.offset,
    );
  }
  return w.text;
}

function toTargets(targets: readonly TargetArg[]): { kind: string; name: string }[] {
  return targets.map((t) => ({ kind: t.info.kind, name: t.name }));
}

/** Resolves resource arguments, requires at least one, and restricts kinds to what the verb acts on. */
function requireTargets(
  call: Call,
  words: readonly Word[],
  verb: string,
  kinds?: readonly string[],
): TargetArg[] {
  const { kind, targets } = parseResourceArgs(words);
  if (kind && targets.length === 0)
    throw new TextError("resource(s) were provided, but no name was specified", words[0]!.offset);
  if (targets.length === 0)
    throw new TextError("you must provide one or more resources by argument (e.g. deployment/web)", call.at);
  for (const t of targets) {
    if (kinds && !kinds.includes(t.info.kind)) throw wrongKind(t, verb, kinds);
  }
  call.cmd.targets = toTargets(targets);
  return targets;
}

function wrongKind(t: TargetArg, verb: string, kinds: readonly string[]): TextError {
  const allowed = kinds.map((k) => kindInfo(k)?.plural ?? k).join(", ");
  return new TextError(`cannot ${verb} ${t.info.plural}: "kubectl ${verb}" works on ${allowed}`, t.offset);
}

function runDelete(call: Call): void {
  const { args, cmd } = call;
  const selector = args.flags.selector;
  if (args.flags.f !== undefined) {
    if (args.positionals.length > 0)
      throw new TextError("cannot give both -f and resource arguments", args.positionals[0]!.offset);
    const objects = loadFiles(call);
    if (objects) {
      cmd.objects = objects;
      cmd.targets = objects.map((o) => ({ kind: o.kind ?? "", name: o.metadata?.name ?? "" }));
    }
    return;
  }
  const { kind, targets } = parseResourceArgs(args.positionals);
  if (!kind && targets.length === 0)
    throw new TextError("you must provide one or more resources by argument or filename", call.at);
  if (selector !== undefined && targets.length > 0)
    throw new TextError("name cannot be provided when a selector is specified", targets[0]!.offset);
  if (selector === undefined && targets.length === 0) {
    throw new TextError("resource(s) were provided, but no name was specified", args.positionals[0]!.offset);
  }
  if (selector !== undefined) checkSelector(selector, args.flagOffsets.selector!);
  cmd.targets = toTargets(targets);
  if (kind && targets.length === 0) cmd.kind = kind.kind;
}

function checkSelector(selector: string, offset: number): void {
  for (const term of selector.split(",")) {
    const m = /^\s*(!?)([^=!\s]+)\s*(?:(==|=|!=)\s*(\S*))?\s*$/.exec(term);
    if (!m || !isQualifiedName(m[2]!) || (m[4] !== undefined && !isLabelValue(m[4]))) {
      throw new TextError(
        `unable to parse requirement: "${term}" (expected key=value, key!=value, key or !key)`,
        offset,
      );
    }
  }
}

function runScale(call: Call): void {
  requireTargets(call, call.args.positionals, "scale", WORKLOADS);
  if (call.args.flags.replicas === undefined)
    throw new TextError(`required flag(s) "replicas" not set`, call.at);
}

function runSetImage(call: Call): void {
  const pairs = call.args.positionals.filter((w) => w.text.includes("="));
  const resources = call.args.positionals.filter((w) => !w.text.includes("="));
  requireTargets(call, resources, "set image", [...WORKLOADS, "Pod"]);
  if (pairs.length === 0) throw new TextError("at least one image update is required", call.at);
  const images: [string, string][] = pairs.map((w) => {
    const eq = w.text.indexOf("=");
    const container = w.text.slice(0, eq);
    const image = w.text.slice(eq + 1);
    if (container !== "*" && (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(container) || container.length > 63)) {
      throw new TextError(
        `invalid container name "${container}" in "${w.text}" (expected CONTAINER=IMAGE)`,
        w.offset,
      );
    }
    if (image === "" || /\s/.test(image))
      throw new TextError(
        `invalid image "${image}" in "${w.text}" (expected CONTAINER=IMAGE)`,
        w.offset + eq + 1,
      );
    return [container, image];
  });
  call.cmd.images = Object.fromEntries(images);
}

function runPatch(call: Call): void {
  const { args, cmd } = call;
  const targets = requireTargets(call, args.positionals, "patch");
  if (targets.length > 1) throw new TextError("patch takes one resource at a time", targets[1]!.offset);
  const type = args.flags.type ?? "merge";
  if (type !== "merge") {
    throw new TextError(
      `--type ${type} is not supported: kubesim applies JSON merge patches (--type merge)`,
      args.flagOffsets.type!,
    );
  }
  const text = args.flags.patch;
  if (text === undefined)
    throw new TextError("must specify --patch or --patch-file containing the contents of the patch", call.at);
  cmd.patch = parsePatch(text, args.flagOffsets.patch!);
}

/** A merge patch given as JSON or YAML; the same guards as files (hostile keys, aliases). */
function parsePatch(text: string, offset: number): Record<string, unknown> {
  let value: unknown;
  try {
    const docs = parseYamlFile("patch", text);
    if (docs.length > 1) throw new TextError("the patch must be a single JSON or YAML object", offset);
    value = docs[0]!.value;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new TextError(`invalid patch: ${e.detail}`, offset);
  }
  if (!isRecord(value))
    throw new TextError('the patch must be a JSON or YAML object, e.g. \'{"spec":{"replicas":3}}\'', offset);
  return value;
}

function runRollout(call: Call): void {
  const sub = call.cmd.args[0]!;
  const kinds = sub === "pause" || sub === "resume" ? ["Deployment"] : ["Deployment", "StatefulSet"];
  requireTargets(call, call.args.positionals, `rollout ${sub}`, kinds);
}

function runNode(call: Call): void {
  const { args, cmd, ctx } = call;
  const [w, ...extra] = args.positionals;
  if (!w) throw new TextError(`USAGE: ${cmd.verb} NODE [flags]`, call.at);
  unexpectedArgs(extra);
  const name = w.text;
  if (!NAME_RE.test(name))
    throw new TextError(`invalid node name "${name}" (expected a node name such as node-1)`, w.offset);
  if (ctx.nodes && !ctx.nodes.includes(name)) {
    throw new TextError(`nodes "${name}" not found${didYouMean(name, ctx.nodes)}`, w.offset);
  }
  cmd.targets = [{ kind: "Node", name }];
}

function runLabel(call: Call): void {
  const isChange = (w: Word): boolean => w.text.includes("=") || w.text.endsWith("-");
  const what = call.cmd.verb === "label" ? "label" : "annotation";
  requireTargets(
    call,
    call.args.positionals.filter((w) => !isChange(w)),
    call.cmd.verb,
  );
  const set: [string, string][] = [];
  const remove: string[] = [];
  for (const w of call.args.positionals.filter(isChange)) {
    const eq = w.text.indexOf("=");
    const key = eq < 0 ? w.text.slice(0, -1) : w.text.slice(0, eq);
    const value = eq < 0 ? undefined : w.text.slice(eq + 1);
    if (!isQualifiedName(key))
      throw new TextError(
        `invalid ${what} key "${key}" (expected [prefix/]name, name at most 63 characters)`,
        w.offset,
      );
    if (value !== undefined && what === "label" && !isLabelValue(value)) {
      throw new TextError(
        `invalid label value: "${w.text}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63`,
        w.offset + eq + 1,
      );
    }
    if (set.some(([k]) => k === key) || remove.includes(key)) {
      throw new TextError(`can not both modify and remove ${what} "${key}" in the same command`, w.offset);
    }
    if (value === undefined) remove.push(key);
    else set.push([key, value]);
  }
  if (set.length + remove.length === 0)
    throw new TextError(`at least one ${what} update is required`, call.at);
  call.cmd.changes = { set: Object.fromEntries(set), remove };
}
