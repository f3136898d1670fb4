/** Scenario files (a Scenario plus Kubernetes manifests, or plain manifests) → a validated Scenario. */
import { applyDefaults } from "../api/defaults.js";
import type { FieldError } from "../api/errors.js";
import { kindInfo } from "../api/kinds.js";
import type { KubeObject } from "../api/types.js";
import { validateObject } from "../api/validation.js";
import { formatDurationMs } from "../engine/duration.js";
import { INVARIANT_NAMES } from "../invariants/names.js";
import { type ErrorPos, ScenarioError, TextError } from "./errors.js";
import { formatPath, type Path } from "./fieldpath.js";
import { type KubectlContext, parseKubectl } from "./kubectl.js";
import { type ObjectCheckers, objectsOf, type PlacedObject, validationMessage } from "./objects.js";
import { dirname, fileStem, joinPath } from "./paths.js";
import { isRecord, SchemaIssue } from "./schema.js";
import { docPos, parseYamlFile, positionOf, type SourceDoc } from "./source.js";
import {
  DEFAULT_CAPACITY,
  DEFAULT_NODE_COUNT,
  DEFAULT_SEED,
  DEFAULT_UNTIL_MS,
  SCENARIO_DOC,
  type ScenarioDoc,
} from "./spec.js";
import { didYouMean } from "./suggest.js";
import type { Action, Expectation, NodeSpec, Scenario, SourcePos } from "./types.js";

/** Reads a file's text; undefined when it does not exist. Paths are as the user wrote them, joined. */
export type ReadFile = (path: string) => string | undefined;

/** The apiserver's defaulting and validation; src/api's own unless given (`() => []` turns validation off). */
export interface LoadOptions {
  validateObject?: (obj: KubeObject) => FieldError[];
  applyDefaults?: (obj: KubeObject) => void;
}

interface Loader {
  read: ReadFile;
  checkers: ObjectCheckers;
}

/** The nodes of a plain-manifest run and of a Scenario without `nodes`. */
export function defaultNodes(): NodeSpec[] {
  const names = Array.from({ length: DEFAULT_NODE_COUNT }, (_, i) => `node-${i + 1}`);
  return [{ names, capacity: { ...DEFAULT_CAPACITY }, labels: {}, taints: [] }];
}

/**
 * Loads a run from files: at most one `kind: Scenario` document among them, Kubernetes objects in
 * the rest. Without a Scenario the objects run on the default cluster (`defaulted: true`).
 * Relative paths (spec.manifests, `kubectl apply -f`) are resolved against the Scenario's file.
 * Throws ScenarioError naming file:line:column and the field of the first problem.
 */
export function loadScenario(files: readonly string[], read: ReadFile, opts: LoadOptions = {}): Scenario {
  if (files.length === 0)
    throw new ScenarioError({ file: "", line: 0, col: 0 }, "", "no scenario or manifest file given");
  const checkers: ObjectCheckers = {
    validateObject: opts.validateObject ?? ((obj) => validateObject(obj)),
    applyDefaults: opts.applyDefaults ?? applyDefaults,
  };
  const loader: Loader = { read, checkers };
  const docs = files.flatMap((f) => readSource(loader, f));
  const scenarioDocs = docs.filter((d) => isRecord(d.value) && d.value.kind === "Scenario");
  if (scenarioDocs.length > 1) {
    const first = docPos(scenarioDocs[0]!);
    const detail = `a second Scenario document (the first is at ${first.file}:${first.line}:${first.col}); a run has one Scenario`;
    throw new ScenarioError(docPos(scenarioDocs[1]!), "", detail);
  }
  const inline = docs.filter((d) => !scenarioDocs.includes(d)).flatMap((d) => objectsOf(d, loader.checkers));
  const src = scenarioDocs[0];
  if (!src) {
    checkDuplicates(inline);
    const file = files[0]!;
    const base = {
      name: fileStem(file),
      file,
      seed: DEFAULT_SEED,
      untilMs: DEFAULT_UNTIL_MS,
      nodes: defaultNodes(),
    };
    return { ...base, timing: {}, images: [], objects: inline, actions: [], expect: [], defaulted: true };
  }
  return buildScenario(loader, src, inline);
}

function readSource(
  loader: Loader,
  file: string,
  from?: { src: SourceDoc; path: Path; shown: string },
): SourceDoc[] {
  const text = loader.read(file);
  if (text === undefined) {
    if (!from)
      throw new ScenarioError({ file, line: 0, col: 0 }, "", "cannot read the file (does it exist?)");
    const detail = `file not found: "${from.shown}"${from.shown === file ? "" : ` (looked for "${file}")`}`;
    throw new ScenarioError(positionOf(from.src, from.path), formatPath(from.path), detail);
  }
  return parseYamlFile(file, text);
}

/** Turns a schema problem in the Scenario document into a positioned error. */
function issueError(src: SourceDoc, issue: SchemaIssue): ScenarioError {
  return new ScenarioError(
    positionOf(src, issue.path, issue.where, issue.offset),
    formatPath(issue.path),
    issue.message,
  );
}

function withIssues<T>(src: SourceDoc, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SchemaIssue) throw issueError(src, e);
    throw e;
  }
}

function buildScenario(loader: Loader, src: SourceDoc, inline: PlacedObject[]): Scenario {
  const doc = withIssues(src, () => SCENARIO_DOC.parse(src.value, []));
  const spec = doc.spec ?? {};
  const dir = dirname(src.file);
  const fromManifests = (spec.manifests ?? []).flatMap((m, i) =>
    manifestObjects(loader, src, dir, m, ["spec", "manifests", i]),
  );
  const objects = [...fromManifests, ...inline];
  checkDuplicates(objects);
  const nodes = spec.nodes ?? defaultNodes();
  const nodeNames = knownNodes(nodes, objects);
  const untilMs = spec.until ?? DEFAULT_UNTIL_MS;
  withIssues(src, () => checkTimes(doc, untilMs));
  const scenario: Scenario = {
    name: doc.metadata?.name ?? fileStem(src.file),
    file: src.file,
    seed: spec.seed ?? DEFAULT_SEED,
    untilMs,
    nodes,
    timing: spec.timing ?? {},
    images: spec.images ?? [],
    objects,
    actions: buildActions(loader, src, doc, nodeNames),
    expect: buildExpectations(src, doc),
    defaulted: false,
  };
  if (doc.metadata?.description !== undefined) scenario.description = doc.metadata.description;
  if (spec.invariants !== undefined)
    scenario.invariants = spec.invariants.includes("all")
      ? [...INVARIANT_NAMES]
      : [...new Set<string>(spec.invariants)];
  if (spec.convergeWithin !== undefined) scenario.convergeWithinMs = spec.convergeWithin;
  return scenario;
}

function manifestObjects(
  loader: Loader,
  src: SourceDoc,
  dir: string,
  shown: string,
  path: Path,
): PlacedObject[] {
  const file = joinPath(dir, shown);
  return readSource(loader, file, { src, path, shown }).flatMap((d) => {
    if (isRecord(d.value) && d.value.kind === "Scenario") {
      throw new ScenarioError(
        docPos(d),
        "kind",
        "a Scenario document cannot be in a manifest file (manifests hold Kubernetes objects)",
      );
    }
    return objectsOf(d, loader.checkers);
  });
}

function objectKey(object: KubeObject): string | undefined {
  const info = kindInfo(object.kind ?? "");
  const name = object.metadata?.name;
  if (!info || typeof name !== "string") return undefined;
  const ns = info.namespaced ? (object.metadata?.namespace ?? "default") : "";
  return `${info.kind}/${ns ? `${ns}/` : ""}${name}`;
}

/** The same object twice at time 0 is almost always a file given twice; say so rather than apply both. */
function checkDuplicates(objects: readonly PlacedObject[]): void {
  const seen = new Map<string, SourcePos>();
  for (const { object, pos } of objects) {
    const key = objectKey(object);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first) {
      const detail = `${key} is defined twice (first at ${first.file}:${first.line}:${first.col})`;
      throw new ScenarioError(pos, "metadata.name", detail);
    }
    seen.set(key, pos);
  }
}

function knownNodes(nodes: readonly NodeSpec[], objects: readonly PlacedObject[]): string[] {
  const names = nodes.flatMap((n) => n.names);
  for (const { object, pos } of objects) {
    if (object.kind !== "Node" || typeof object.metadata?.name !== "string") continue;
    if (names.includes(object.metadata.name)) {
      throw new ScenarioError(
        pos,
        "metadata.name",
        `Node "${object.metadata.name}" is also in spec.nodes; define each node once`,
      );
    }
    names.push(object.metadata.name);
  }
  return names;
}

/** Actions and expectations past `until` would silently never run: reject them. */
function checkTimes(doc: ScenarioDoc, untilMs: number): void {
  const late = (ms: number | undefined, path: Path): void => {
    if (ms !== undefined && ms > untilMs) {
      const detail = `${formatDurationMs(ms)} is after spec.until (${formatDurationMs(untilMs)}), so it would never happen`;
      throw new SchemaIssue(path, detail);
    }
  };
  (doc.spec?.actions ?? []).forEach((a, i) => {
    late(a.at, ["spec", "actions", i, "at"]);
  });
  (doc.spec?.expect ?? []).forEach((e, i) => {
    const path = ["spec", "expect", i];
    if ("by" in e) late(e.by, [...path, "by"]);
    else if ("at" in e) late(e.at, [...path, "at"]);
    else {
      late(e.from, [...path, "from"]);
      late(e.until, [...path, "until"]);
      if (e.from !== undefined && e.until !== undefined && e.from > e.until) {
        throw new SchemaIssue(
          [...path, "from"],
          `from (${formatDurationMs(e.from)}) is after until (${formatDurationMs(e.until)})`,
        );
      }
    }
  });
}

function sourcePos(p: ErrorPos): SourcePos {
  return { file: p.file, line: p.line, col: p.col };
}

function buildActions(loader: Loader, src: SourceDoc, doc: ScenarioDoc, nodes: readonly string[]): Action[] {
  const ctx = kubectlContext(loader, src, nodes);
  return (doc.spec?.actions ?? []).map((a, i): Action => {
    const path = ["spec", "actions", i];
    const pos = sourcePos(positionOf(src, path));
    const narrate = a.narrate ? { narrate: a.narrate } : {};
    if ("kubectl" in a) {
      try {
        return { kind: "kubectl", atMs: a.at, command: parseKubectl(a.kubectl, ctx), ...narrate, pos };
      } catch (e) {
        if (!(e instanceof TextError)) throw e;
        throw issueError(src, new SchemaIssue([...path, "kubectl"], e.message, "value", e.offset));
      }
    }
    if ("fault" in a) {
      checkNode(src, a.fault.node, [...path, "fault", "node"], nodes);
      return { kind: "fault", atMs: a.at, fault: a.fault, ...narrate, pos };
    }
    if ("heal" in a) {
      checkNode(src, a.heal.node, [...path, "heal", "node"], nodes);
      return { kind: "heal", atMs: a.at, heal: a.heal, ...narrate, pos };
    }
    return { kind: "narrate", atMs: a.at, narrate: a.narrate, pos };
  });
}

function checkNode(src: SourceDoc, node: string | undefined, path: Path, nodes: readonly string[]): void {
  if (node === undefined || nodes.includes(node)) return;
  const detail = `no node named "${node}"${didYouMean(node, nodes)} (the nodes are ${summarize(nodes)})`;
  throw issueError(src, new SchemaIssue(path, detail));
}

function summarize(names: readonly string[]): string {
  if (names.length === 0) return "none";
  return names.length <= 6
    ? names.join(", ")
    : `${names.slice(0, 3).join(", ")}, ..., ${names[names.length - 1]}`;
}

/** `-f` files of kubectl actions are read now, relative to the Scenario's file, with the same checks. */
function kubectlContext(loader: Loader, src: SourceDoc, nodes: readonly string[]): KubectlContext {
  const dir = dirname(src.file);
  return {
    nodes,
    loadManifests(path, offset) {
      const file = joinPath(dir, path);
      const text = loader.read(file);
      if (text === undefined) throw new TextError(`the path "${path}" does not exist`, offset);
      return parseYamlFile(file, text).flatMap((d) => {
        if (isRecord(d.value) && d.value.kind === "Scenario") {
          throw new ScenarioError(
            docPos(d),
            "kind",
            "a Scenario document cannot be applied with kubectl (it is not a Kubernetes object)",
          );
        }
        return objectsOf(d, loader.checkers).map((p) => p.object);
      });
    },
    validate(obj, offset) {
      const message = validationMessage(obj, loader.checkers);
      if (message !== undefined) throw new TextError(message, offset);
    },
  };
}

function buildExpectations(src: SourceDoc, doc: ScenarioDoc): Expectation[] {
  return (doc.spec?.expect ?? []).map((e, i): Expectation => {
    const pos = sourcePos(positionOf(src, ["spec", "expect", i]));
    if ("by" in e) return { mode: "by", byMs: e.by, that: e.that, pos };
    if ("at" in e) return { mode: "at", atMs: e.at, that: e.that, pos };
    const window = { fromMs: e.from ?? 0, ...(e.until !== undefined ? { untilMs: e.until } : {}) };
    if ("always" in e) return { mode: "always", that: e.always, ...window, pos };
    return { mode: "never", that: e.never, ...window, pos };
  });
}
