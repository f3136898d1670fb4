/** YAML text → guarded documents with positions: parse errors, alias bombs, hostile keys, size limits. */

import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node as YamlNode,
} from "yaml";
import { utf8Length } from "../api/utf8.js";
import { type ErrorPos, ScenarioError } from "./errors.js";
import { formatPath, type Path } from "./fieldpath.js";

/** Input limits: a scenario is a human-written file, so anything past these is a mistake or an attack. */
export const LIMITS = {
  fileBytes: 5 * 1024 * 1024,
  documents: 10_000,
  /** yaml's maxAliasCount: how many alias expansions a document may make. */
  aliasCount: 100,
  nestingDepth: 100,
} as const;

/** Keys that could reach an object's prototype chain in some consumer: rejected anywhere. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const EMPTY = "file is empty (expected a Scenario and/or Kubernetes objects)";

/** One non-empty YAML document of a file, with what is needed to map field paths back to positions. */
export interface SourceDoc {
  file: string;
  /** The file's full text (shared by all its documents). */
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data; mappings are ordinary objects without hostile keys. */
  value: unknown;
}

function at(file: string, lines: LineCounter, offset: number): ErrorPos {
  const p = lines.linePos(offset);
  return { file, line: p.line, col: p.col };
}

/**
 * Parses a multi-document YAML file. Empty documents are skipped (as kubectl does); a file with
 * none left is an error. Throws ScenarioError with the position of the first problem.
 */
export function parseYamlFile(file: string, text: string): SourceDoc[] {
  const top = { file, line: 1, col: 1 };
  const limitMiB = LIMITS.fileBytes / 1024 / 1024;
  if (text.length > LIMITS.fileBytes || utf8Length(text) > LIMITS.fileBytes) {
    const size = (utf8Length(text) / 1024 / 1024).toFixed(1);
    throw new ScenarioError(top, "", `file is too large: ${size} MiB (the limit is ${limitMiB} MiB)`);
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    schema: "core",
    merge: true,
  });
  if (docs.length > LIMITS.documents) {
    const extra = docs[LIMITS.documents]!;
    throw new ScenarioError(
      at(file, lines, extra.range[0]),
      "",
      `too many YAML documents: ${docs.length} (the limit is ${LIMITS.documents})`,
    );
  }
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new ScenarioError(at(file, lines, err.pos[0]), "", `invalid YAML: ${err.message}`);
  }
  const out: SourceDoc[] = [];
  for (const doc of docs) {
    // A document of only comments parses as a null scalar: kubectl skips such documents, and so do we.
    if (
      doc.contents === null ||
      (isScalar(doc.contents) && doc.contents.value === null && doc.contents.source === "")
    )
      continue;
    const src: SourceDoc = { file, text, doc, lines, value: undefined };
    guardKeys(src);
    src.value = toPlain(src);
    out.push(src);
  }
  if (out.length === 0) throw new ScenarioError(top, "", EMPTY);
  return out;
}

function nodePos(src: SourceDoc, node: YamlNode | null | undefined): ErrorPos {
  const offset = node?.range?.[0] ?? src.doc.range[0];
  return at(src.file, src.lines, offset);
}

function describeKeyNode(key: unknown): string {
  if (isAlias(key)) return "an alias";
  if (isMap(key)) return "a mapping";
  if (isSeq(key)) return "a list";
  return "an empty key";
}

/**
 * Walks the syntax tree before anything becomes a JavaScript object: keys must be plain scalars and
 * never `__proto__`/`constructor`/`prototype`; nesting is bounded. Iterative, so depth cannot
 * overflow the stack; children are pushed in reverse so the first problem in the file is reported.
 */
function guardKeys(src: SourceDoc): void {
  const stack: { node: unknown; path: Path }[] = [{ node: src.doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (path.length >= LIMITS.nestingDepth) {
      const detail = `nesting is too deep (more than ${LIMITS.nestingDepth} levels)`;
      throw new ScenarioError(nodePos(src, node), formatPath(path), detail);
    }
    const children: { node: unknown; path: Path }[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key)) {
          const detail = `expected a plain key (a string), got ${describeKeyNode(key)}`;
          throw new ScenarioError(
            nodePos(src, isCollection(key) || isAlias(key) ? key : node),
            formatPath(path),
            detail,
          );
        }
        const name = String(key.value);
        if (FORBIDDEN_KEYS.has(name)) {
          const detail = `forbidden key "${name}" (keys named __proto__, constructor or prototype are rejected)`;
          throw new ScenarioError(nodePos(src, key), formatPath([...path, name]), detail);
        }
        children.push({ node: pair.value, path: [...path, name] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        children.push({ node: item, path: [...path, i] });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The first alias in document order: where an alias bomb starts to expand. */
function firstAlias(src: SourceDoc): YamlNode | undefined {
  const stack: unknown[] = [src.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) return node;
    const children = isMap(node) ? node.items.map((p) => p.value) : isSeq(node) ? node.items : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

function toPlain(src: SourceDoc): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: LIMITS.aliasCount });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    const detail = `too many YAML alias expansions (the limit is ${LIMITS.aliasCount}): this looks like an alias bomb`;
    throw new ScenarioError(nodePos(src, firstAlias(src)), "", detail);
  }
}

/** Position of the start of a document's content. */
export function docPos(src: SourceDoc): ErrorPos {
  return nodePos(src, src.doc.contents);
}

/**
 * Maps a field path to the position of that node in the YAML (its key when `where` is "key"),
 * falling back to the nearest parent that exists. `offset` moves into a one-line scalar string.
 */
export function positionOf(
  src: SourceDoc,
  path: Path,
  where: "value" | "key" = "value",
  offset = 0,
): ErrorPos {
  let node: unknown = src.doc.contents;
  let found: YamlNode | undefined = node as YamlNode;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(src.doc);
    const seg = path[i]!;
    let next: unknown;
    let keyNode: YamlNode | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
    } else break;
    const empty = next === null || next === undefined || (isScalar(next) && next.value === null);
    if (empty) return nodePos(src, keyNode ?? found);
    if (i === path.length - 1 && where === "key" && keyNode) return nodePos(src, keyNode);
    node = next;
    found = next as YamlNode;
  }
  return offset > 0 ? withOffset(src, found, offset) : nodePos(src, found);
}

/** Moves `offset` characters into a one-line plain or quoted scalar; other nodes keep their start. */
function withOffset(src: SourceDoc, node: YamlNode | undefined, offset: number): ErrorPos {
  const base = nodePos(src, node);
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return base;
  const raw = src.text.slice(node.range[0], node.range[1]);
  if (raw.includes("\n")) return base;
  if (node.type === "PLAIN" && raw === node.value) return { ...base, col: base.col + offset };
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  if (quoted && raw.slice(1, -1) === node.value) return { ...base, col: base.col + 1 + offset };
  return base;
}
