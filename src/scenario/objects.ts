/** Kubernetes documents of scenario files: known kind and apiVersion, apiserver validation at YAML positions. */
import { type FieldError, formatFieldError, invalidError } from "../api/errors.js";
import { KINDS, kindInfo, qualifiedKind } from "../api/kinds.js";
import { generatedName } from "../api/names.js";
import type { KubeObject } from "../api/types.js";
import { ScenarioError } from "./errors.js";
import { formatPath, type Path, parseFieldPath } from "./fieldpath.js";
import { describeValue, isRecord } from "./schema.js";
import { positionOf, type SourceDoc } from "./source.js";
import { didYouMean } from "./suggest.js";
import type { SourcePos } from "./types.js";

/** The apiserver's checks, injected so that this layer works before (and without) them. */
export interface ObjectCheckers {
  validateObject?: (obj: KubeObject) => FieldError[];
  applyDefaults?: (obj: KubeObject) => void;
}

/** An object from a file, and where its document starts. */
export interface PlacedObject {
  object: KubeObject;
  pos: SourcePos;
}

const KIND_NAMES = KINDS.map((k) => k.kind);

function errorAt(
  src: SourceDoc,
  path: Path,
  detail: string,
  where: "value" | "key" = "value",
): ScenarioError {
  return new ScenarioError(positionOf(src, path, where), formatPath(path), detail);
}

/** Deep copy of plain data (the guard in source.ts already bounded its depth). */
function cloneData<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneData) as T;
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneData(x)])) as T;
  return v;
}

/** The objects of one document: the document itself, or the items of a `kind: List`. */
export function objectsOf(src: SourceDoc, checkers: ObjectCheckers): PlacedObject[] {
  const value = src.value;
  if (isRecord(value) && value.kind === "List" && Array.isArray(value.items)) {
    return value.items.map((item, i) => checkObject(src, item, ["items", i], checkers));
  }
  return [checkObject(src, value, [], checkers)];
}

function checkObject(src: SourceDoc, value: unknown, path: Path, checkers: ObjectCheckers): PlacedObject {
  if (!isRecord(value)) {
    const what = path.length === 0 ? "a Kubernetes object or a Scenario" : "a Kubernetes object";
    throw errorAt(
      src,
      path,
      `expected a mapping (a YAML object) such as ${what}, got ${describeValue(value)}`,
    );
  }
  const kind = value.kind;
  if (typeof kind !== "string" || kind === "") {
    const detail = `${kind === undefined ? "required field is missing" : `expected a kind, got ${describeValue(kind)}`} (every document needs apiVersion and kind, e.g. kind: Deployment)`;
    throw errorAt(src, [...path, "kind"], detail);
  }
  const info = kindInfo(kind);
  if (!info) {
    const detail = `unknown kind "${kind}"${didYouMean(kind, [...KIND_NAMES, "Scenario"])}; kubesim models: ${KIND_NAMES.join(", ")} (and kind: Scenario)`;
    throw errorAt(src, [...path, "kind"], detail);
  }
  if (value.apiVersion !== info.apiVersion) {
    const detail =
      value.apiVersion === undefined
        ? `required field is missing (expected apiVersion: ${info.apiVersion} for ${kind})`
        : `no matches for kind "${kind}" in version ${describeValue(value.apiVersion)} (expected apiVersion: ${info.apiVersion})`;
    throw errorAt(src, [...path, "apiVersion"], detail);
  }
  const object = value as KubeObject;
  validate(src, object, path, checkers);
  const pos = positionOf(src, path);
  return { object, pos: { file: pos.file, line: pos.line, col: pos.col } };
}

/**
 * The apiserver's checks on a copy: defaults, a placeholder for a `generateName` name (the apiserver
 * generates names before it validates, rest.BeforeCreate), then validation.
 */
function fieldErrors(object: KubeObject, checkers: ObjectCheckers): FieldError[] {
  if (!checkers.validateObject) return [];
  const copy = cloneData(object);
  checkers.applyDefaults?.(copy);
  const meta = copy.metadata;
  if (meta && typeof meta.generateName === "string" && meta.name === undefined) {
    meta.name = generatedName(meta.generateName, "xxxxx");
  }
  return checkers.validateObject(copy);
}

/**
 * Validates as the apiserver would on create; the object itself stays as written (the simulated
 * apiserver defaults it again when it is applied).
 */
function validate(src: SourceDoc, object: KubeObject, path: Path, checkers: ObjectCheckers): void {
  const errs = fieldErrors(object, checkers);
  if (errs.length === 0) return;
  const info = kindInfo(object.kind!)!;
  const name = typeof object.metadata?.name === "string" ? object.metadata.name : "";
  const toError = (e: FieldError, related: ScenarioError[] = []): ScenarioError => {
    const fieldPath = [...path, ...parseFieldPath(e.field)];
    const detail = invalidError(qualifiedKind(info), name, [e]).message;
    return new ScenarioError(positionOf(src, fieldPath), e.field, detail, { related, fieldInDetail: true });
  };
  throw toError(
    errs[0]!,
    errs.slice(1).map((e) => toError(e)),
  );
}

/** `Deployment.apps "web" is invalid: spec.replicas: ...` for objects that have no file (generated ones). */
export function validationMessage(object: KubeObject, checkers: ObjectCheckers): string | undefined {
  const errs = fieldErrors(object, checkers);
  if (errs.length === 0) return undefined;
  const info = kindInfo(object.kind!);
  const name = object.metadata?.name ?? "";
  return info ? invalidError(qualifiedKind(info), name, errs).message : errs.map(formatFieldError).join(", ");
}
