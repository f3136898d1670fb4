/** API validation: Kubernetes' ValidateX and ValidateXUpdate for the kinds kubesim models, with its field paths and messages. */

import type { FieldError } from "./errors.js";
import { compileSelector, type Selector } from "./labels.js";
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from "./names.js";
import {
  compareQuantities,
  formatQuantity,
  parseQuantity,
  type Quantity,
  quantityError,
} from "./quantity.js";
import type { KubeObject, LabelSelector } from "./types.js";
import { utf8Length } from "./utf8.js";

// Objects arrive as parsed YAML; every value is type-checked before use.
type Obj = Record<string, unknown>;
type Errs = FieldError[];
type NameFn = (name: string, prefix: boolean) => string[];

/** Options of validateObject. */
export interface ValidateOptions {
  /**
   * The subresource written. `status` (PUT .../status) checks metadata and status rules only;
   * `binding` (the scheduler's pods/binding) is not validated here.
   */
  subresource?: "status" | "binding";
  /**
   * False checks every part afresh; by default a part identical to the last one that passed the
   * same check is not checked again (the answers are the same; tests compare the two).
   */
  memo?: boolean;
}

const NEGATIVE = "must be greater than or equal to 0";
const IMMUTABLE = "field is immutable";
const MAX_INT32 = 2147483647;
const ANNOTATIONS_MAX_BYTES = 256 * 1024;
const DATA_MAX_BYTES = 1024 * 1024;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const isSet = (v: unknown) => v !== undefined && v !== null;

// ---- field paths and errors (field.Path / field.Error) ----

const at = (p: string, name: string) => (p ? `${p}.${name}` : name);
const idx = (p: string, i: number) => `${p}[${i}]`;
const key = (p: string, k: string) => `${p}[${k}]`;

const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: "Invalid",
  field,
  value,
  detail,
});
const required = (field: string, detail = ""): FieldError =>
  detail ? { type: "Required", field, detail } : { type: "Required", field };
const forbidden = (field: string, detail: string): FieldError => ({ type: "Forbidden", field, detail });
const duplicate = (field: string, value: unknown): FieldError => ({ type: "Duplicate", field, value });
const notFound = (field: string, value: unknown): FieldError => ({ type: "NotFound", field, value });
const unsupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: "Unsupported",
  field,
  value,
  supported,
});
const tooLong = (field: string, max: number): FieldError => ({
  type: "TooLong",
  field,
  detail: `must have at most ${max} bytes`,
});

// ---- passed parts ----
// Pods created from one template carry identical parts (labels, owner references, tolerations,
// containers): a part identical to the last one that passed a check passes it again, unchecked.
// Only checks whose answer depends on the part alone are memoised; one that failed is not kept,
// so errors, their paths and their order are always those of a full check.

// Off while one validateObject call runs with `memo: false` (calls do not nest).
let memoOn = true;

// A kept part: an object's keys in order with their values, an array's items, or a scalar.
// Comparing walks only the checked part: its keys come in for-in order, matched one by one.
interface KeptObject {
  readonly keys: readonly string[];
  readonly values: readonly Kept[];
}
interface KeptArray {
  readonly items: readonly Kept[];
}
type Kept = KeptObject | KeptArray | string | number | boolean | null | undefined;

// A private copy of `v` (the checked object may still change after validation), `skip` left out.
function keep(v: unknown, skip?: string): Kept {
  if (typeof v !== "object" || v === null) return v as Kept;
  if (Array.isArray(v)) return { items: v.map((x) => keep(x)) };
  const keys: string[] = [];
  const values: Kept[] = [];
  for (const k in v as Obj) {
    if (k === skip) continue;
    keys.push(k);
    values.push(keep((v as Obj)[k]));
  }
  return { keys, values };
}

// Whether `a` is what `b` kept: the same keys in the same order with the same values, `skip`
// left out at the top. An undefined (or missing) array item never matches: `forEach` skips
// holes, so the two could be checked differently.
function matches(a: unknown, b: Kept, skip?: string): boolean {
  if (typeof b !== "object" || b === null) return a === b;
  if (typeof a !== "object" || a === null) return false;
  if ("items" in b) {
    const items = b.items;
    if (!Array.isArray(a) || a.length !== items.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] === undefined || !matches(a[i], items[i])) return false;
    return true;
  }
  if (Array.isArray(a)) return false;
  const { keys, values } = b;
  let i = 0;
  for (const k in a as Obj) {
    if (k === skip) continue;
    if (k !== keys[i] || !matches((a as Obj)[k], values[i])) return false;
    i++;
  }
  return i === keys.length;
}

/** The last part that passed one check (`skip`: a key of it the check leaves to another). */
class PassedPart {
  private last: Kept;
  private held = false;
  constructor(private readonly skip?: string) {}

  /** Whether `part` is identical to the last part that passed. */
  passed(part: unknown): boolean {
    return memoOn && this.held && matches(part, this.last, this.skip);
  }

  /** `part` passed the check: keep a copy for the next one. */
  keep(part: unknown): void {
    if (!memoOn) return;
    this.last = keep(part, this.skip);
    this.held = true;
  }
}

/** The last non-empty string that passed one name check (strings cannot change: no copy). */
class PassedName {
  private last = "";

  /** Whether `name` is the last that passed. */
  passed(name: string): boolean {
    return memoOn && name === this.last && name !== "";
  }

  /** `name` passed the check. */
  keep(name: string): void {
    if (memoOn) this.last = name;
  }
}

/** A kind's metadata parts that passed: each kind its own, so Lease renewals do not evict pods'. */
interface PassedMeta {
  readonly labels: PassedPart;
  readonly ownerRefs: PassedPart;
  /** Checked by the kind's own name rule. */
  readonly generateName: PassedName;
}
const passedMetaByKind = new Map<string, PassedMeta>();

function passedMetaOf(kind: string): PassedMeta {
  let m = passedMetaByKind.get(kind);
  if (m === undefined) {
    m = { labels: new PassedPart(), ownerRefs: new PassedPart(), generateName: new PassedName() };
    passedMetaByKind.set(kind, m);
  }
  return m;
}

const passedNamespace = new PassedName();
const passedServiceAccount = new PassedName();
const passedTolerations = new PassedPart();
// A container's volume mounts are checked against the pod's volumes, so they are left out.
const passedContainer = new PassedPart("volumeMounts");

function each(errs: Errs, field: string, value: unknown, msgs: string[]): void {
  for (const m of msgs) errs.push(invalid(field, value, m));
}

function nonNegative(errs: Errs, v: number | undefined, field: string): void {
  if (v !== undefined && v < 0) errs.push(invalid(field, v, NEGATIVE));
}

// Required when empty, Unsupported when not among `supported` (validateRestartPolicy and friends).
function enumField(errs: Errs, v: unknown, field: string, supported: string[]): void {
  if (v === undefined || v === null || v === "") errs.push(required(field));
  else if (typeof v !== "string" || !supported.includes(v)) errs.push(unsupported(field, v, supported));
}

function goKind(v: unknown): string {
  if (typeof v === "number") return `number ${v}`;
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  return Array.isArray(v) ? "array" : "object";
}

/**
 * Reads an integer field. A value Go's JSON decoder would refuse (a string, a fraction, or an
 * int32 overflow such as `replicas: 1e12`) is reported with the decoder's words; Kubernetes
 * answers those with 400 BadRequest before validation runs — simplified here to a field error.
 */
function int(
  errs: Errs,
  v: unknown,
  field: string,
  goStruct: string,
  bits: 32 | 64 = 32,
): number | undefined {
  if (v === undefined || v === null) return undefined;
  const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (typeof v === "number" && Number.isInteger(v) && v >= -limit && v < limit) return v;
  const jsonPath = field.replace(/\[[^\]]*\]/g, "");
  errs.push(
    invalid(
      field,
      v,
      `cannot unmarshal ${goKind(v)} into Go struct field ${goStruct}.${jsonPath} of type int${bits}`,
    ),
  );
  return undefined;
}

// apiequality.Semantic.DeepEqual treats nil and empty slices and maps alike; so does this.
function isEmptyish(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObj(v) && Object.keys(v).every((k) => isEmptyish(v[k]));
}

/** Deep equality as apiequality.Semantic.DeepEqual: absent, null, [] and {} are equal. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

// ---- metadata (apimachinery/pkg/api/validation/objectmeta.go) ----

/** ValidateLabels; `jsonPath` names the field in decode errors when it differs from `field`. */
function validateLabels(errs: Errs, labels: unknown, field: string, jsonPath = field): void {
  if (!isObj(labels)) return;
  // Go walks the map in random order; sorted keys keep kubesim's output stable.
  for (const k of Object.keys(labels).sort()) {
    each(errs, field, k, isQualifiedName(k));
    const v = labels[k];
    if (typeof v !== "string") {
      errs.push(
        invalid(
          field,
          v,
          `cannot unmarshal ${goKind(v).split(" ")[0]} into Go struct field ObjectMeta.${jsonPath} of type string`,
        ),
      );
    } else {
      each(errs, field, v, isValidLabelValue(v));
    }
  }
}

function validateAnnotations(errs: Errs, annotations: unknown, field: string): void {
  if (!isObj(annotations)) return;
  let size = 0;
  for (const k of Object.keys(annotations).sort()) {
    // Annotation keys are qualified names, compared case-insensitively.
    each(errs, field, k, isQualifiedName(k.toLowerCase()));
    size += utf8Length(k) + utf8Length(str(annotations[k]));
  }
  if (size > ANNOTATIONS_MAX_BYTES) errs.push(tooLong(field, ANNOTATIONS_MAX_BYTES));
}

function validateOwnerReferences(errs: Errs, refs: unknown[]): void {
  const path = "metadata.ownerReferences";
  let controller = "";
  for (const raw of refs) {
    const r = obj(raw);
    const apiVersion = str(r.apiVersion);
    const version = apiVersion.includes("/") ? apiVersion.split("/")[1] : apiVersion;
    if (!version) errs.push(invalid(at(path, "apiVersion"), apiVersion, "version must not be empty"));
    if (!str(r.kind)) errs.push(invalid(at(path, "kind"), str(r.kind), "must not be empty"));
    if (!str(r.name)) errs.push(invalid(at(path, "name"), str(r.name), "must not be empty"));
    if (!str(r.uid)) errs.push(invalid(at(path, "uid"), str(r.uid), "must not be empty"));
    if (r.controller !== true) continue;
    const name = `${str(r.kind)}/${str(r.name)}`;
    if (controller) {
      errs.push(
        invalid(
          path,
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${name}`,
        ),
      );
    } else controller = name;
  }
}

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

function validateFinalizer(errs: Errs, name: string, field: string): void {
  each(errs, field, name, isQualifiedName(name));
  // core's validateKubeFinalizerName: an unprefixed finalizer must be one of Kubernetes' own.
  if (!name.includes("/") && !STANDARD_FINALIZERS.has(name)) {
    errs.push(invalid(field, name, "name is neither a standard finalizer name nor is it fully qualified"));
  }
}

function validateMetaCommon(errs: Errs, meta: Obj, passed: PassedMeta): void {
  const labels = meta.labels;
  if (!isObj(labels) || !passed.labels.passed(labels)) {
    const n = errs.length;
    validateLabels(errs, labels, "metadata.labels");
    if (isObj(labels) && errs.length === n) passed.labels.keep(labels);
  }
  validateAnnotations(errs, meta.annotations, "metadata.annotations");
  const refs = arr(meta.ownerReferences);
  if (refs.length === 0 || !passed.ownerRefs.passed(refs)) {
    const n = errs.length;
    validateOwnerReferences(errs, refs);
    if (refs.length > 0 && errs.length === n) passed.ownerRefs.keep(refs);
  }
  for (const f of arr(meta.finalizers)) validateFinalizer(errs, str(f), "metadata.finalizers");
}

/** ValidateObjectMeta for a create: name (or generateName) by the kind's rule, namespace, labels, annotations. */
function validateObjectMeta(errs: Errs, meta: Obj, nameFn: NameFn, passed: PassedMeta): void {
  const gen = str(meta.generateName);
  if (gen && !passed.generateName.passed(gen)) {
    const msgs = nameFn(gen, true);
    each(errs, "metadata.generateName", gen, msgs);
    if (msgs.length === 0) passed.generateName.keep(gen);
  }
  const name = str(meta.name);
  if (!name) errs.push(required("metadata.name", "name or generateName is required"));
  else each(errs, "metadata.name", name, nameFn(name, false));
  // Simplification: the store owns namespace defaulting, so a missing namespace is not reported.
  const ns = str(meta.namespace);
  if (ns && !passedNamespace.passed(ns)) {
    const msgs = nameIsDNSLabel(ns, false);
    each(errs, "metadata.namespace", ns, msgs);
    if (msgs.length === 0) passedNamespace.keep(ns);
  }
  nonNegative(
    errs,
    int(errs, meta.generation, "metadata.generation", "ObjectMeta", 64),
    "metadata.generation",
  );
  validateMetaCommon(errs, meta, passed);
}

/** ValidateObjectMetaUpdate: identity fields are immutable; no new finalizers while deleting. */
function validateObjectMetaUpdate(errs: Errs, meta: Obj, old: Obj, passed: PassedMeta): void {
  if (isSet(old.deletionTimestamp)) {
    const oldF = new Set(arr(old.finalizers).map(str));
    const added = [...new Set(arr(meta.finalizers).map(str))].filter((f) => !oldF.has(f)).sort();
    if (added.length > 0) {
      const list = added.map((f) => JSON.stringify(f)).join(", ");
      errs.push(
        forbidden(
          "metadata.finalizers",
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list}}`,
        ),
      );
    }
  }
  const gen = typeof meta.generation === "number" ? meta.generation : 0;
  const oldGen = typeof old.generation === "number" ? old.generation : 0;
  if (gen < oldGen) errs.push(invalid("metadata.generation", gen, "must not be decremented"));
  for (const f of ["name", "namespace", "uid", "creationTimestamp"]) {
    if (isSet(meta[f]) && isSet(old[f]) && meta[f] !== old[f])
      errs.push(invalid(`metadata.${f}`, meta[f], IMMUTABLE));
  }
  validateMetaCommon(errs, meta, passed);
}

// ---- label selectors (metav1 validation) ----

function validateSelectorRequirement(errs: Errs, e: Obj, path: string): void {
  const values = arr(e.values);
  switch (e.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0)
        errs.push(required(at(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) {
        errs.push(
          forbidden(at(path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      }
      break;
    default:
      errs.push(invalid(at(path, "operator"), e.operator ?? "", "not a valid selector operator"));
  }
  each(errs, at(path, "key"), e.key ?? "", isQualifiedName(str(e.key)));
  values.forEach((v, i) => {
    each(errs, idx(at(path, "values"), i), v, isValidLabelValue(str(v)));
  });
}

/** ValidateLabelSelector. */
function validateLabelSelector(errs: Errs, sel: unknown, path: string): void {
  if (!isObj(sel)) return;
  validateLabels(errs, sel.matchLabels, at(path, "matchLabels"));
  arr(sel.matchExpressions).forEach((e, i) => {
    validateSelectorRequirement(errs, obj(e), idx(at(path, "matchExpressions"), i));
  });
}

const stringMap = (v: unknown): Record<string, string> | undefined =>
  isObj(v) ? (v as Record<string, string>) : undefined;

/** A workload's spec.selector: required, valid, non-empty. Returns the compiled selector or undefined if invalid. */
function validateWorkloadSelector(
  errs: Errs,
  spec: Obj,
  kindWord: string,
  invalidDetail: string,
): Selector | undefined {
  const sel = spec.selector;
  if (!isObj(sel)) {
    errs.push(required("spec.selector"));
  } else {
    validateLabelSelector(errs, sel, "spec.selector");
    if (Object.keys(obj(sel.matchLabels)).length + arr(sel.matchExpressions).length === 0) {
      errs.push(invalid("spec.selector", sel, `empty selector is invalid for ${kindWord}`));
    }
  }
  // A nil selector compiles to Nothing, so the template-labels check below still reports it.
  const compiled = compileSelector(isObj(sel) ? (sel as LabelSelector) : undefined);
  if (compiled.error !== undefined) {
    errs.push(invalid("spec.selector", sel, invalidDetail));
    return undefined;
  }
  return compiled;
}

function checkTemplateLabels(errs: Errs, selector: Selector, template: Obj): void {
  const labels = obj(template.metadata).labels;
  if (!selector.empty && !selector.matches(stringMap(labels))) {
    errs.push(
      invalid("spec.template.metadata.labels", labels ?? null, "`selector` does not match template `labels`"),
    );
  }
}

// ---- int-or-percent (apps validation) ----

function intOrPercentValue(v: unknown): number {
  if (typeof v === "number") return v;
  const s = str(v);
  if (isValidPercent(s).length === 0) return Number.parseInt(s, 10);
  // IntOrString.IntValue() of a non-percent string is its Atoi value, or 0.
  return /^[+-]?[0-9]+$/.test(s) ? Number.parseInt(s, 10) : 0;
}

function validatePositiveIntOrPercent(errs: Errs, v: unknown, field: string): void {
  if (typeof v === "string") each(errs, field, v, isValidPercent(v));
  else if (typeof v === "number") nonNegative(errs, int(errs, v, field, "IntOrString"), field);
  else if (isSet(v)) errs.push(invalid(field, v, "must be an integer or percentage (e.g '5%')"));
}

function notMoreThan100Percent(errs: Errs, v: unknown, field: string): void {
  if (typeof v === "string" && isValidPercent(v).length === 0 && Number.parseInt(v, 10) > 100) {
    errs.push(invalid(field, v, "must not be greater than 100%"));
  }
}

// ---- containers (core validation) ----

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

function validatePortNumOrName(errs: Errs, port: unknown, field: string): void {
  if (typeof port === "string") each(errs, field, port, isValidPortName(port));
  else {
    const n = int(errs, port ?? 0, field, "IntOrString");
    if (n !== undefined) each(errs, field, n, isValidPortNum(n));
  }
}

function validateContainerPorts(errs: Errs, ports: unknown[], path: string): void {
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = obj(raw);
    const ip = idx(path, i);
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) each(errs, at(ip, "name"), name, msgs);
      else if (names.has(name)) errs.push(duplicate(at(ip, "name"), name));
      else names.add(name);
    }
    const cp = int(errs, p.containerPort, at(ip, "containerPort"), "ContainerPort");
    if (!p.containerPort) errs.push(required(at(ip, "containerPort")));
    else if (cp !== undefined) each(errs, at(ip, "containerPort"), cp, isValidPortNum(cp));
    const hp = int(errs, p.hostPort, at(ip, "hostPort"), "ContainerPort");
    if (hp) each(errs, at(ip, "hostPort"), hp, isValidPortNum(hp));
    if (!p.protocol) errs.push(required(at(ip, "protocol")));
    else if (!PROTOCOLS.includes(str(p.protocol)))
      errs.push(unsupported(at(ip, "protocol"), p.protocol, PROTOCOLS));
  });
}

function validateEnv(errs: Errs, env: unknown[], path: string): void {
  env.forEach((raw, i) => {
    const name = str(obj(raw).name);
    const field = at(idx(path, i), "name");
    if (!name) errs.push(required(field));
    else each(errs, field, name, isRelaxedEnvVarName(name));
  });
  // Simplification: valueFrom sources (fieldRef, configMapKeyRef, ...) are not validated.
}

function validateVolumeMounts(
  errs: Errs,
  mounts: unknown[],
  volumes: ReadonlySet<string>,
  path: string,
): void {
  const mountPaths = new Set<string>();
  mounts.forEach((raw, i) => {
    const m = obj(raw);
    const ip = idx(path, i);
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(required(at(ip, "name")));
    if (!volumes.has(name)) errs.push(notFound(at(ip, "name"), name));
    if (!mountPath) errs.push(required(at(ip, "mountPath")));
    if (mountPaths.has(mountPath)) errs.push(invalid(at(ip, "mountPath"), mountPath, "must be unique"));
    mountPaths.add(mountPath);
  });
}

const isNativeResource = (name: string) => !name.includes("/") || name.includes("kubernetes.io/");
const isHugePages = (name: string) => name.startsWith("hugepages-");
const isExtendedResource = (name: string) =>
  !isNativeResource(name) &&
  !name.startsWith("requests.") &&
  isQualifiedName(`requests.${name}`).length === 0;

function validateContainerResourceName(errs: Errs, name: string, field: string): void {
  each(errs, field, name, isQualifiedName(name));
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(field, name, "must be a standard resource for containers"));
    }
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
}

/** Parses one resource-list entry; reports a malformed, negative, or fractional extended quantity. */
function resourceQuantity(errs: Errs, name: string, v: unknown, field: string): Quantity | undefined {
  const err = quantityError(v);
  if (err !== undefined) {
    errs.push(invalid(field, v, err));
    return undefined;
  }
  const q = parseQuantity(v as string | number)!;
  if (q.nano < 0n) errs.push(invalid(field, formatQuantity(q), NEGATIVE));
  if (isExtendedResource(name) && q.milli % 1000 !== 0)
    errs.push(invalid(field, formatQuantity(q), "must be an integer"));
  return q;
}

/** ValidateContainerResourceRequirements: names, quantities, requests ≤ limits. */
function validateResources(errs: Errs, resources: Obj, path: string): void {
  const limPath = at(path, "limits");
  const reqPath = at(path, "requests");
  const limits = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(obj(resources.limits))) {
    validateContainerResourceName(errs, name, key(limPath, name));
    const q = resourceQuantity(errs, name, v, key(limPath, name));
    if (q) limits.set(name, q);
  }
  for (const [name, v] of Object.entries(obj(resources.requests))) {
    validateContainerResourceName(errs, name, key(reqPath, name));
    const q = resourceQuantity(errs, name, v, key(reqPath, name));
    if (!q) continue;
    const lim = limits.get(name);
    // Only native, non-hugepage resources may be overcommitted (requests below limits).
    const overcommit = isNativeResource(name) && !isHugePages(name);
    if (lim) {
      const c = compareQuantities(q, lim);
      if (c !== 0 && !overcommit) {
        errs.push(
          invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(lim)}`),
        );
      } else if (c > 0) {
        errs.push(
          invalid(
            reqPath,
            formatQuantity(q),
            `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`,
          ),
        );
      }
    } else if (!overcommit && !Object.hasOwn(obj(resources.limits), name)) {
      errs.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
  }
}

const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS = ["exec", "httpGet", "tcpSocket", "sleep"];

/** validateHandler: exactly one handler type, each checked for its required fields. */
function validateHandler(errs: Errs, h: Obj, path: string, kinds: string[]): void {
  let count = 0;
  for (const kind of kinds) {
    if (!isSet(h[kind])) continue;
    const hp = at(path, kind);
    if (count++ > 0) {
      errs.push(forbidden(hp, "may not specify more than 1 handler type"));
      continue;
    }
    const a = obj(h[kind]);
    if (kind === "exec" && arr(a.command).length === 0) errs.push(required(at(hp, "command")));
    if (kind === "httpGet") {
      if (!str(a.path)) errs.push(required(at(hp, "path")));
      validatePortNumOrName(errs, a.port, at(hp, "port"));
      if (!["HTTP", "HTTPS"].includes(str(a.scheme)))
        errs.push(unsupported(at(hp, "scheme"), a.scheme ?? "", ["HTTP", "HTTPS"]));
    }
    if (kind === "tcpSocket") validatePortNumOrName(errs, a.port, at(hp, "port"));
    if (kind === "grpc") validatePortNumOrName(errs, a.port ?? 0, at(hp, "port"));
  }
  if (count === 0) errs.push(required(path, "must specify a handler type"));
}

type ProbeKind = "livenessProbe" | "readinessProbe" | "startupProbe";

/** validateLivenessProbe / validateReadinessProbe / validateStartupProbe. */
function validateProbe(errs: Errs, probe: unknown, path: string, kind: ProbeKind): void {
  if (!isObj(probe)) return;
  validateHandler(errs, probe, path, PROBE_HANDLERS);
  for (const f of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
  ]) {
    nonNegative(errs, int(errs, probe[f], at(path, f), "Probe"), at(path, f));
  }
  const grace = int(
    errs,
    probe.terminationGracePeriodSeconds,
    at(path, "terminationGracePeriodSeconds"),
    "Probe",
    64,
  );
  if (grace !== undefined && grace <= 0) {
    errs.push(invalid(at(path, "terminationGracePeriodSeconds"), grace, "must be greater than 0"));
  }
  if (kind !== "readinessProbe" && probe.successThreshold !== 1) {
    errs.push(invalid(at(path, "successThreshold"), probe.successThreshold ?? 0, "must be 1"));
  }
  if (kind === "readinessProbe" && grace !== undefined) {
    errs.push(
      invalid(at(path, "terminationGracePeriodSeconds"), grace, "must not be set for readinessProbes"),
    );
  }
}

function validateLifecycleAndProbes(errs: Errs, c: Obj, path: string): void {
  if (isObj(c.lifecycle)) {
    for (const hook of ["postStart", "preStop"]) {
      const h = c.lifecycle[hook];
      if (isObj(h)) validateHandler(errs, h, at(at(path, "lifecycle"), hook), LIFECYCLE_HANDLERS);
    }
  }
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    validateProbe(errs, c[kind], at(path, kind), kind);
  }
}

/** validateContainerCommon: what every container kind must satisfy. */
function validateContainerCommon(errs: Errs, c: Obj, path: string, volumes: ReadonlySet<string>): void {
  const name = str(c.name);
  if (!name) errs.push(required(at(path, "name")));
  else each(errs, at(path, "name"), name, isDNS1123Label(name));
  if (!str(c.image)) errs.push(required(at(path, "image")));
  enumField(errs, c.terminationMessagePolicy, at(path, "terminationMessagePolicy"), [
    "File",
    "FallbackToLogsOnError",
  ]);
  validateContainerPorts(errs, arr(c.ports), at(path, "ports"));
  validateEnv(errs, arr(c.env), at(path, "env"));
  validateVolumeMounts(errs, arr(c.volumeMounts), volumes, at(path, "volumeMounts"));
  enumField(errs, c.imagePullPolicy, at(path, "imagePullPolicy"), PULL_POLICIES);
  validateResources(errs, obj(c.resources), at(path, "resources"));
}

function validateContainers(
  errs: Errs,
  containers: unknown[],
  volumes: ReadonlySet<string>,
  path: string,
): void {
  if (containers.length === 0) {
    errs.push(required(path));
    return;
  }
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c = obj(raw);
    const ip = idx(path, i);
    // The rest passed before, so only the mounts can fail, and they come first in the full check.
    if (passedContainer.passed(c)) {
      validateVolumeMounts(errs, arr(c.volumeMounts), volumes, at(ip, "volumeMounts"));
      checkContainerName(errs, names, c, ip);
      return;
    }
    const n = errs.length;
    validateContainerCommon(errs, c, ip, volumes);
    const afterCommon = errs.length;
    checkContainerName(errs, names, c, ip);
    const afterName = errs.length;
    validateLifecycleAndProbes(errs, c, ip);
    if (isSet(c.restartPolicy))
      errs.push(forbidden(at(ip, "restartPolicy"), "may not be set for non-init containers"));
    // The duplicate-name check depends on the other containers, so it does not count.
    if (afterCommon === n && errs.length === afterName) passedContainer.keep(c);
  });
}

// A container's name must not repeat an earlier container's.
function checkContainerName(errs: Errs, names: Set<string>, c: Obj, path: string): void {
  const name = str(c.name);
  if (names.has(name)) errs.push(duplicate(at(path, "name"), name));
  else names.add(name);
}

function validateInitContainers(errs: Errs, spec: Obj, volumes: ReadonlySet<string>, path: string): void {
  const inits = arr(spec.initContainers);
  // Most pods have none: the set of container names is not worth building for them.
  if (inits.length === 0) return;
  const names = new Set(arr(spec.containers).map((c) => str(obj(c).name)));
  inits.forEach((raw, i) => {
    const c = obj(raw);
    const ip = idx(path, i);
    validateContainerCommon(errs, c, ip, volumes);
    // restartPolicy: Always makes a sidecar, which may have probes and hooks.
    const sidecar = c.restartPolicy === "Always";
    if (isSet(c.restartPolicy) && !sidecar)
      errs.push(unsupported(at(ip, "restartPolicy"), c.restartPolicy, ["Always"]));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(at(ip, "name"), name));
    else if (name) names.add(name);
    if (sidecar) {
      validateLifecycleAndProbes(errs, c, ip);
      return;
    }
    for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
      if (isSet(c[f]))
        errs.push(forbidden(at(ip, f), "may not be set for init containers without restartPolicy=Always"));
    }
  });
}

// ---- pod spec ----

function validateVolumes(errs: Errs, volumes: unknown[], path: string): Set<string> {
  const names = new Set<string>();
  volumes.forEach((raw, i) => {
    const field = at(idx(path, i), "name");
    const name = str(obj(raw).name);
    const before = errs.length;
    if (!name) errs.push(required(field));
    else each(errs, field, name, isDNS1123Label(name));
    if (names.has(name)) errs.push(duplicate(field, name));
    // Simplification: volume sources are not validated (after defaulting each volume has one).
    if (errs.length === before) names.add(name);
  });
  return names;
}

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function validateTolerations(errs: Errs, tolerations: unknown[], path: string): void {
  tolerations.forEach((raw, i) => {
    const t = obj(raw);
    const ip = idx(path, i);
    const k = str(t.key);
    if (k) each(errs, at(ip, "key"), k, isQualifiedName(k));
    if (!k && t.operator !== "Exists") {
      errs.push(
        invalid(
          at(ip, "operator"),
          t.operator ?? "",
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (isSet(t.tolerationSeconds) && t.effect !== "NoExecute") {
      errs.push(
        invalid(
          at(ip, "effect"),
          t.effect ?? "",
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    if (t.operator === "Equal" || !t.operator) {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length > 0) errs.push(invalid(at(ip, "operator"), t.value, msgs.join(";")));
    } else if (t.operator === "Exists") {
      if (str(t.value))
        errs.push(invalid(at(ip, "operator"), t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(unsupported(at(ip, "operator"), t.operator, ["Equal", "Exists"]));
    }
    if (t.effect && !TAINT_EFFECTS.includes(str(t.effect)))
      errs.push(unsupported(at(ip, "effect"), t.effect, TAINT_EFFECTS));
  });
}

function validatePodSpecNames(errs: Errs, spec: Obj, path: string): void {
  const sa = str(spec.serviceAccountName);
  if (sa && !passedServiceAccount.passed(sa)) {
    const msgs = isDNS1123Subdomain(sa);
    each(errs, at(path, "serviceAccountName"), spec.serviceAccountName, msgs);
    if (msgs.length === 0) passedServiceAccount.keep(sa);
  }
  const node = str(spec.nodeName);
  if (node) each(errs, at(path, "nodeName"), spec.nodeName, isDNS1123Subdomain(node));
  const ads = int(errs, spec.activeDeadlineSeconds, at(path, "activeDeadlineSeconds"), "PodSpec", 64);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid(at(path, "activeDeadlineSeconds"), ads, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const f of ["hostname", "subdomain"])
    if (str(spec[f])) each(errs, at(path, f), spec[f], isDNS1123Label(str(spec[f])));
  const tolerations = arr(spec.tolerations);
  if (!passedTolerations.passed(tolerations)) {
    const n = errs.length;
    validateTolerations(errs, tolerations, at(path, "tolerations"));
    if (errs.length === n) passedTolerations.keep(tolerations);
  }
  if (str(spec.priorityClassName)) {
    each(
      errs,
      at(path, "priorityClassName"),
      spec.priorityClassName,
      isDNS1123Subdomain(str(spec.priorityClassName)),
    );
  }
}

/**
 * ValidatePodSpec (the parts kubesim models). Simplified: affinity, topology spread, security
 * contexts, DNS config and host-port conflicts are not validated.
 */
function validatePodSpec(errs: Errs, spec: Obj, path: string): void {
  int(errs, spec.terminationGracePeriodSeconds, at(path, "terminationGracePeriodSeconds"), "PodSpec", 64);
  if (!isSet(spec.terminationGracePeriodSeconds))
    errs.push(required(at(path, "terminationGracePeriodSeconds")));
  const volumes = validateVolumes(errs, arr(spec.volumes), at(path, "volumes"));
  validateContainers(errs, arr(spec.containers), volumes, at(path, "containers"));
  validateInitContainers(errs, spec, volumes, at(path, "initContainers"));
  enumField(errs, spec.restartPolicy, at(path, "restartPolicy"), ["Always", "OnFailure", "Never"]);
  enumField(errs, spec.dnsPolicy, at(path, "dnsPolicy"), [
    "ClusterFirstWithHostNet",
    "ClusterFirst",
    "Default",
    "None",
  ]);
  validateLabels(errs, spec.nodeSelector, at(path, "nodeSelector"));
  validatePodSpecNames(errs, spec, path);
}

/** ValidatePodTemplateSpec, at `spec.template`. */
function validatePodTemplateSpec(errs: Errs, template: Obj, path: string): void {
  const meta = obj(template.metadata);
  validateLabels(errs, meta.labels, at(path, "labels"), at(path, "metadata.labels"));
  validateAnnotations(errs, meta.annotations, at(path, "annotations"));
  const spec = obj(template.spec);
  validatePodSpec(errs, spec, at(path, "spec"));
  if (arr(spec.ephemeralContainers).length > 0) {
    errs.push(
      forbidden(at(path, "spec.ephemeralContainers"), "ephemeral containers not allowed in pod template"),
    );
  }
}

// Pod-only checks of validatePodMetadataAndSpec (never applied to templates).
function validatePodOnly(errs: Errs, spec: Obj): void {
  for (const list of ["containers", "initContainers"]) {
    arr(spec[list]).forEach((raw, i) => {
      const image = str(obj(raw).image);
      if (image !== image.trim()) {
        errs.push(invalid(`spec.${list}[${i}].image`, image, "must not have leading or trailing whitespace"));
      }
    });
  }
}

function validatePod(errs: Errs, pod: Obj): void {
  const spec = obj(pod.spec);
  validatePodSpec(errs, spec, "spec");
  validatePodOnly(errs, spec);
}

function validatePodCreate(errs: Errs, pod: Obj): void {
  const spec = obj(pod.spec);
  if (arr(spec.ephemeralContainers).length > 0)
    errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
  if (str(spec.nodeName) && arr(spec.schedulingGates).length > 0) {
    errs.push(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
  }
}

const POD_UPDATABLE_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/** The message of a forbidden pod spec change; Kubernetes appends a diff of the specs, which kubesim omits. */
export const POD_UPDATE_FORBIDDEN = `pod updates may not change fields other than ${POD_UPDATABLE_FIELDS.join(",")}`;

// ValidateContainerUpdates; false when the container list changed size (validation stops there).
function validateContainerUpdates(errs: Errs, now: unknown[], before: unknown[], path: string): boolean {
  if (now.length !== before.length) {
    errs.push(forbidden(path, "pod updates may not add or remove containers"));
    return false;
  }
  now.forEach((raw, i) => {
    const image = str(obj(raw).image);
    if (!image) errs.push(required(at(idx(path, i), "image")));
    if (image !== image.trim())
      errs.push(invalid(at(idx(path, i), "image"), image, "must not have leading or trailing whitespace"));
  });
  return true;
}

// activeDeadlineSeconds may be set, or lowered, never raised or removed; false stops validation.
function validateActiveDeadlineUpdate(errs: Errs, now: unknown, before: unknown): boolean {
  const field = "spec.activeDeadlineSeconds";
  if (typeof now === "number") {
    if (now < 0 || now > MAX_INT32) {
      errs.push(invalid(field, now, inclusiveRangeError(0, MAX_INT32)));
      return false;
    }
    if (typeof before === "number" && before < now) {
      errs.push(invalid(field, now, "must be less than or equal to previous value"));
      return false;
    }
  } else if (typeof before === "number") {
    errs.push(invalid(field, null, "must not update from a positive integer to nil value"));
  }
  return true;
}

function validateOnlyAddedTolerations(errs: Errs, now: unknown[], before: unknown[]): void {
  for (const old of before) {
    // A toleration may keep its identity while its tolerationSeconds changes.
    const kept = now.some((t) =>
      semanticEqual({ ...obj(old), tolerationSeconds: obj(t).tolerationSeconds }, t),
    );
    if (!kept) {
      errs.push(
        forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"),
      );
      return;
    }
  }
}

const withImagesFrom = (now: unknown[], before: unknown[]) =>
  now.map((c, i) => ({ ...obj(c), image: obj(before[i]).image }));

/** ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change. */
function validatePodUpdate(errs: Errs, pod: Obj, old: Obj): void {
  const spec = obj(pod.spec);
  const before = obj(old.spec);
  if (!validateContainerUpdates(errs, arr(spec.containers), arr(before.containers), "spec.containers"))
    return;
  if (
    !validateContainerUpdates(
      errs,
      arr(spec.initContainers),
      arr(before.initContainers),
      "spec.initContainers",
    )
  )
    return;
  if (!validateActiveDeadlineUpdate(errs, spec.activeDeadlineSeconds, before.activeDeadlineSeconds)) return;
  validateOnlyAddedTolerations(errs, arr(spec.tolerations), arr(before.tolerations));
  if (semanticEqual(spec, before)) return;
  const munged = {
    ...spec,
    containers: withImagesFrom(arr(spec.containers), arr(before.containers)),
    initContainers: withImagesFrom(arr(spec.initContainers), arr(before.initContainers)),
    activeDeadlineSeconds: before.activeDeadlineSeconds,
    tolerations: before.tolerations,
    schedulingGates: before.schedulingGates,
  };
  if (!semanticEqual(munged, before)) errs.push(forbidden("spec", POD_UPDATE_FORBIDDEN));
}

function validatePodStatusUpdate(errs: Errs, pod: Obj, old: Obj): void {
  if (str(obj(pod.spec).nodeName) !== str(obj(old.spec).nodeName)) {
    errs.push(forbidden("status.nodeName", "may not be changed directly"));
  }
}

// ---- apps/v1 workloads ----

/** ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets). */
function validateReplicaSetTemplate(errs: Errs, spec: Obj, selector: Selector | undefined): void {
  if (!selector) return;
  const template = obj(spec.template);
  checkTemplateLabels(errs, selector, template);
  validatePodTemplateSpec(errs, template, "spec.template");
  const podSpec = obj(template.spec);
  if (podSpec.restartPolicy !== "Always") {
    errs.push(unsupported("spec.template.spec.restartPolicy", podSpec.restartPolicy ?? "", ["Always"]));
  }
  if (isSet(podSpec.activeDeadlineSeconds)) {
    errs.push(
      forbidden(
        "spec.template.spec.activeDeadlineSeconds",
        "activeDeadlineSeconds in ReplicaSet is not Supported",
      ),
    );
  }
}

function validateRollingUpdateDeployment(errs: Errs, ru: Obj): void {
  const path = "spec.strategy.rollingUpdate";
  validatePositiveIntOrPercent(errs, ru.maxUnavailable, at(path, "maxUnavailable"));
  validatePositiveIntOrPercent(errs, ru.maxSurge, at(path, "maxSurge"));
  if (intOrPercentValue(ru.maxUnavailable ?? 0) === 0 && intOrPercentValue(ru.maxSurge ?? 0) === 0) {
    errs.push(
      invalid(at(path, "maxUnavailable"), ru.maxUnavailable ?? 0, "may not be 0 when `maxSurge` is 0"),
    );
  }
  notMoreThan100Percent(errs, ru.maxUnavailable, at(path, "maxUnavailable"));
}

function validateDeploymentStrategy(errs: Errs, strategy: Obj): void {
  const path = "spec.strategy";
  if (strategy.type === "Recreate") {
    if (isSet(strategy.rollingUpdate)) {
      errs.push(
        forbidden(at(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"),
      );
    }
  } else if (strategy.type === "RollingUpdate") {
    if (!isObj(strategy.rollingUpdate)) {
      errs.push(required(at(path, "rollingUpdate"), "this should be defaulted and never be nil"));
    } else validateRollingUpdateDeployment(errs, strategy.rollingUpdate);
  } else {
    errs.push(unsupported(path, strategy, ["Recreate", "RollingUpdate"]));
  }
}

function replicasAndMinReady(errs: Errs, spec: Obj, goStruct: string): number {
  nonNegative(errs, int(errs, spec.replicas, "spec.replicas", goStruct), "spec.replicas");
  const minReady = int(errs, spec.minReadySeconds, "spec.minReadySeconds", goStruct);
  nonNegative(errs, minReady, "spec.minReadySeconds");
  return minReady ?? 0;
}

/** ValidateDeploymentSpec. */
function validateDeployment(errs: Errs, d: Obj): void {
  const spec = obj(d.spec);
  nonNegative(errs, int(errs, spec.replicas, "spec.replicas", "DeploymentSpec"), "spec.replicas");
  const selector = validateWorkloadSelector(errs, spec, "deployment", "invalid label selector");
  validateReplicaSetTemplate(errs, spec, selector);
  validateDeploymentStrategy(errs, obj(spec.strategy));
  const minReady = int(errs, spec.minReadySeconds, "spec.minReadySeconds", "DeploymentSpec") ?? 0;
  nonNegative(errs, minReady, "spec.minReadySeconds");
  const history = int(errs, spec.revisionHistoryLimit, "spec.revisionHistoryLimit", "DeploymentSpec");
  nonNegative(errs, history, "spec.revisionHistoryLimit");
  const deadline = int(errs, spec.progressDeadlineSeconds, "spec.progressDeadlineSeconds", "DeploymentSpec");
  if (deadline !== undefined) {
    nonNegative(errs, deadline, "spec.progressDeadlineSeconds");
    if (deadline <= minReady)
      errs.push(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
  }
}

/** ValidateReplicaSetSpec. */
function validateReplicaSet(errs: Errs, rs: Obj): void {
  const spec = obj(rs.spec);
  replicasAndMinReady(errs, spec, "ReplicaSetSpec");
  // Kubernetes says "deployment" here too, for ReplicaSets.
  const selector = validateWorkloadSelector(errs, spec, "deployment", "invalid label selector");
  validateReplicaSetTemplate(errs, spec, selector);
}

function validateSelectorImmutable(errs: Errs, o: Obj, old: Obj): void {
  const sel = obj(o.spec).selector;
  if (!semanticEqual(sel, obj(old.spec).selector))
    errs.push(invalid("spec.selector", sel ?? null, IMMUTABLE));
}

function validateStatefulSetStrategy(errs: Errs, spec: Obj): void {
  const path = "spec.updateStrategy";
  const strategy = obj(spec.updateStrategy);
  const ru = strategy.rollingUpdate;
  if (!strategy.type) errs.push(required(path));
  else if (strategy.type === "OnDelete") {
    if (isSet(ru))
      errs.push(invalid(at(path, "rollingUpdate"), ru, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategy.type === "RollingUpdate") {
    if (isObj(ru)) {
      const rp = at(path, "rollingUpdate");
      nonNegative(
        errs,
        int(errs, ru.partition, at(rp, "partition"), "RollingUpdateStatefulSetStrategy"),
        at(rp, "partition"),
      );
      if (isSet(ru.maxUnavailable)) {
        const mp = at(rp, "maxUnavailable");
        validatePositiveIntOrPercent(errs, ru.maxUnavailable, mp);
        if (intOrPercentValue(ru.maxUnavailable) === 0)
          errs.push(invalid(mp, ru.maxUnavailable, "cannot be 0"));
        notMoreThan100Percent(errs, ru.maxUnavailable, mp);
      }
    }
  } else {
    errs.push(invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
}

/**
 * ValidateStatefulSetSpec. As in Kubernetes, the template's pod spec is not validated here:
 * a bad template is only reported when the controller creates the pods.
 */
function validateStatefulSet(errs: Errs, sts: Obj): void {
  const spec = obj(sts.spec);
  // serviceName becomes each pod's spec.subdomain, a DNS label (checked at the API since v1.33).
  if (str(spec.serviceName))
    each(errs, "spec.serviceName", spec.serviceName, isDNS1123Label(str(spec.serviceName)));
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required("spec.podManagementPolicy"));
  else if (pmp !== "OrderedReady" && pmp !== "Parallel") {
    errs.push(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"));
  }
  validateStatefulSetStrategy(errs, spec);
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (isObj(policy)) {
    for (const f of ["whenDeleted", "whenScaled"]) {
      const v = policy[f];
      if (v !== "Retain" && v !== "Delete") {
        errs.push(
          unsupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v ?? "", ["Retain", "Delete"]),
        );
      }
    }
  }
  replicasAndMinReady(errs, spec, "StatefulSetSpec");
  const start = int(errs, obj(spec.ordinals).start, "spec.ordinals.start", "StatefulSetOrdinals");
  nonNegative(errs, start, "spec.ordinals.start");
  const selector = validateWorkloadSelector(errs, spec, "statefulset", "");
  const template = obj(spec.template);
  if (selector) {
    checkTemplateLabels(errs, selector, template);
    const meta = obj(template.metadata);
    validateLabels(errs, meta.labels, "spec.template.labels", "spec.template.metadata.labels");
    validateAnnotations(errs, meta.annotations, "spec.template.annotations");
  }
  const podSpec = obj(template.spec);
  if (podSpec.restartPolicy !== "Always") {
    errs.push(unsupported("spec.template.spec.restartPolicy", podSpec.restartPolicy ?? "", ["Always"]));
  }
  if (isSet(podSpec.activeDeadlineSeconds)) {
    errs.push(
      forbidden(
        "spec.template.spec.activeDeadlineSeconds",
        "activeDeadlineSeconds in StatefulSet is not Supported",
      ),
    );
  }
}

const STATEFULSET_MUTABLE = new Set([
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
]);

function validateStatefulSetUpdate(errs: Errs, sts: Obj, old: Obj): void {
  const frozenPart = (spec: Obj) =>
    Object.fromEntries(Object.entries(spec).filter(([k]) => !STATEFULSET_MUTABLE.has(k)));
  if (!semanticEqual(frozenPart(obj(sts.spec)), frozenPart(obj(old.spec)))) {
    errs.push(
      forbidden(
        "spec",
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  validateSelectorImmutable(errs, sts, old);
}

// ---- Service ----

const isIPv4 = (s: string) =>
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s);
const isIPv6 = (s: string) => s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s) && s.split("::").length <= 2;
/** Whether `s` is an IPv4 or IPv6 address (IPv6 checked loosely). */
export const isValidIP = (s: string) => isIPv4(s) || isIPv6(s);

function validateServicePort(
  errs: Errs,
  p: Obj,
  requireName: boolean,
  names: Set<string>,
  path: string,
): void {
  const name = str(p.name);
  if (requireName && !name) errs.push(required(at(path, "name")));
  else if (name) {
    each(errs, at(path, "name"), name, isDNS1123Label(name));
    if (names.has(name)) errs.push(duplicate(at(path, "name"), name));
    else names.add(name);
  }
  const port = int(errs, p.port ?? 0, at(path, "port"), "ServicePort");
  if (port !== undefined) each(errs, at(path, "port"), port, isValidPortNum(port));
  enumField(errs, p.protocol, at(path, "protocol"), PROTOCOLS);
  validatePortNumOrName(errs, p.targetPort, at(path, "targetPort"));
}

function validateServicePorts(errs: Errs, spec: Obj): void {
  const ports = arr(spec.ports);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    validateServicePort(errs, obj(p), ports.length > 1, names, idx("spec.ports", i));
  });
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((raw, i) => {
    const p = obj(raw);
    const path = idx("spec.ports", i);
    if (spec.type === "ClusterIP" && p.nodePort) {
      errs.push(forbidden(at(path, "nodePort"), "may not be used when `type` is 'ClusterIP'"));
    }
    if (p.nodePort) {
      const k = `${str(p.protocol)}/${p.nodePort}`;
      if (nodePorts.has(k)) errs.push(duplicate(at(path, "nodePort"), p.nodePort));
      nodePorts.add(k);
    }
    const k = `${str(p.protocol)}/${p.port}`;
    if (seen.has(k)) errs.push(duplicate(path, { protocol: p.protocol, port: p.port }));
    seen.add(k);
  });
}

const isHeadless = (spec: Obj) => spec.clusterIP === "None" || arr(spec.clusterIPs)[0] === "None";

function validateServiceTypeRules(errs: Errs, spec: Obj): void {
  const headless = isHeadless(spec);
  const type = spec.type;
  if ((type === "LoadBalancer" || type === "NodePort") && headless) {
    errs.push(invalid("spec.clusterIPs[0]", "None", `may not be set to 'None' for ${type} services`));
  }
  if (type === "ExternalName") {
    const cname = str(spec.externalName).replace(/\.$/, "");
    if (cname) each(errs, "spec.externalName", cname, isDNS1123Subdomain(cname));
    else errs.push(required("spec.externalName"));
  } else if (str(spec.clusterIP) && !headless && !isValidIP(str(spec.clusterIP))) {
    errs.push(
      invalid(
        "spec.clusterIPs[0]",
        spec.clusterIP,
        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      ),
    );
  }
}

function validateServiceTraffic(errs: Errs, spec: Obj): void {
  const external =
    spec.type === "LoadBalancer" ||
    spec.type === "NodePort" ||
    (spec.type === "ClusterIP" && arr(spec.externalIPs).length > 0);
  const etp = spec.externalTrafficPolicy;
  if (!external && etp) {
    errs.push(
      invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"),
    );
  } else if (external) enumField(errs, etp, "spec.externalTrafficPolicy", ["Cluster", "Local"]);
  const itp = spec.internalTrafficPolicy;
  if (!isSet(itp) && ["NodePort", "LoadBalancer", "ClusterIP"].includes(str(spec.type))) {
    errs.push(required("spec.internalTrafficPolicy"));
  } else if (isSet(itp) && itp !== "Cluster" && itp !== "Local") {
    errs.push(unsupported("spec.internalTrafficPolicy", itp, ["Cluster", "Local"]));
  }
}

/** ValidateService (the parts kubesim models; dual-stack fields and load balancer details are not checked). */
function validateService(errs: Errs, svc: Obj): void {
  const spec = obj(svc.spec);
  if (arr(spec.ports).length === 0 && !isHeadless(spec) && spec.type !== "ExternalName")
    errs.push(required("spec.ports"));
  validateServiceTypeRules(errs, spec);
  validateServicePorts(errs, spec);
  if (isSet(spec.selector)) validateLabels(errs, spec.selector, "spec.selector");
  const affinity = spec.sessionAffinity;
  if (!affinity) errs.push(required("spec.sessionAffinity"));
  else if (affinity !== "ClientIP" && affinity !== "None") {
    errs.push(unsupported("spec.sessionAffinity", affinity, ["ClientIP", "None"]));
  }
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (!spec.type) errs.push(required("spec.type"));
  else if (!types.includes(str(spec.type))) errs.push(unsupported("spec.type", spec.type, types));
  validateServiceTraffic(errs, spec);
}

function validateServiceUpdate(errs: Errs, svc: Obj, old: Obj): void {
  const now = str(obj(svc.spec).clusterIP);
  const before = str(obj(old.spec).clusterIP);
  const externalName = obj(svc.spec).type === "ExternalName" || obj(old.spec).type === "ExternalName";
  if (!externalName && now && before && now !== before) {
    errs.push(invalid("spec.clusterIPs[0]", now, "may not change once set"));
  }
}

// ---- storage ----

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const VOLUME_MODES = ["Block", "Filesystem"];

function validateAccessModes(errs: Errs, modes: unknown[], path: string): void {
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(str(m))) errs.push(unsupported(path, m, ACCESS_MODES));
    if (m === "ReadWriteOncePod") rwop = true;
    else if (ACCESS_MODES.includes(str(m))) other = true;
  }
  if (rwop && other) errs.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
}

function positiveQuantity(errs: Errs, v: unknown, field: string): Quantity | undefined {
  const err = quantityError(v);
  if (err !== undefined) {
    errs.push(invalid(field, v, err));
    return undefined;
  }
  const q = parseQuantity(v as string | number)!;
  if (q.nano <= 0n) errs.push(invalid(field, formatQuantity(q), "must be greater than zero"));
  return q;
}

function storageClassAndMode(errs: Errs, spec: Obj, className: string): void {
  const sc = str(spec[className]);
  if (sc) each(errs, `spec.${className}`, sc, isDNS1123Subdomain(sc));
  if (isSet(spec.volumeMode) && !VOLUME_MODES.includes(str(spec.volumeMode))) {
    errs.push(unsupported("spec.volumeMode", spec.volumeMode, VOLUME_MODES));
  }
}

/** ValidatePersistentVolumeClaimSpec. */
function validatePersistentVolumeClaim(errs: Errs, pvc: Obj): void {
  const spec = obj(pvc.spec);
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes", "at least 1 access mode is required"));
  if (isSet(spec.selector)) validateLabelSelector(errs, spec.selector, "spec.selector");
  validateAccessModes(errs, modes, "spec.accessModes");
  const requests = obj(obj(spec.resources).requests);
  if (!Object.hasOwn(requests, "storage")) errs.push(required("spec.resources[storage]"));
  else positiveQuantity(errs, requests.storage, "spec.resources[storage]");
  storageClassAndMode(errs, spec, "storageClassName");
}

function storageRequest(pvc: Obj): Quantity | undefined {
  const v = obj(obj(obj(pvc.spec).resources).requests).storage;
  return typeof v === "string" || typeof v === "number" ? parseQuantity(v) : undefined;
}

/** ValidatePersistentVolumeClaimUpdate: the spec is immutable but for binding and growing a bound claim. */
function validatePersistentVolumeClaimUpdate(errs: Errs, pvc: Obj, old: Obj): void {
  const now = { ...obj(pvc.spec) };
  const before = { ...obj(old.spec) };
  // The PV controller may set volumeName once.
  if (!str(before.volumeName)) before.volumeName = now.volumeName;
  if (obj(pvc.status).phase === "Bound" && isObj(obj(now.resources).requests)) {
    const requests = {
      ...obj(obj(now.resources).requests),
      storage: obj(obj(before.resources).requests).storage,
    };
    now.resources = { ...obj(now.resources), requests };
  }
  if (!semanticEqual(now, before)) {
    errs.push(
      forbidden(
        "spec",
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
      ),
    );
  }
  const newSize = storageRequest(pvc);
  const oldSize = storageRequest(old);
  const capacity = obj(obj(old.status).capacity).storage;
  const statusSize = parseQuantity(typeof capacity === "string" ? capacity : "0");
  // RecoverVolumeExpansionFailure (beta, on in v1.33) lets a claim shrink back to its status capacity.
  if (
    newSize &&
    oldSize &&
    statusSize &&
    compareQuantities(newSize, oldSize) < 0 &&
    compareQuantities(newSize, statusSize) <= 0
  ) {
    errs.push(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
  }
  if (!semanticEqual(obj(pvc.spec).volumeMode, obj(old.spec).volumeMode)) {
    errs.push(invalid("volumeMode", obj(pvc.spec).volumeMode ?? null, IMMUTABLE));
  }
}

const PV_SOURCES = [
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "hostPath",
  "glusterfs",
  "nfs",
  "rbd",
  "quobyte",
  "iscsi",
  "cinder",
  "cephfs",
  "fc",
  "flocker",
  "flexVolume",
  "azureFile",
  "vsphereVolume",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "local",
  "storageos",
  "csi",
];

/** ValidatePersistentVolumeSpec (capacity, access modes, policy and the number of volume sources). */
function validatePersistentVolume(errs: Errs, pv: Obj): void {
  const spec = obj(pv.spec);
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes"));
  validateAccessModes(errs, modes, "spec.accessModes");
  const capacity = obj(spec.capacity);
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(required("spec.capacity"));
  if (!keys.includes("storage") || keys.length > 1)
    errs.push(unsupported("spec.capacity", capacity, ["storage"]));
  for (const k of keys) positiveQuantity(errs, capacity[k], key("spec.capacity", k));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !["Delete", "Recycle", "Retain"].includes(str(policy))) {
    errs.push(unsupported("spec.persistentVolumeReclaimPolicy", policy, ["Delete", "Recycle", "Retain"]));
  }
  storageClassAndMode(errs, spec, "storageClassName");
  const sources = PV_SOURCES.filter((s) => isSet(spec[s]));
  if (sources.length === 0) errs.push(required("spec", "must specify a volume type"));
  for (const s of sources.slice(1))
    errs.push(forbidden(at("spec", s), "may not specify more than 1 volume type"));
}

/** ValidateStorageClass. */
function validateStorageClass(errs: Errs, sc: Obj): void {
  const provisioner = str(sc.provisioner);
  if (!provisioner) errs.push(required("provisioner"));
  else each(errs, "provisioner", provisioner, isQualifiedName(provisioner.toLowerCase()));
  if (isSet(sc.reclaimPolicy) && sc.reclaimPolicy !== "Delete" && sc.reclaimPolicy !== "Retain") {
    errs.push(unsupported("reclaimPolicy", sc.reclaimPolicy, ["Delete", "Retain"]));
  }
  enumField(errs, sc.volumeBindingMode, "volumeBindingMode", ["Immediate", "WaitForFirstConsumer"]);
}

function validateStorageClassUpdate(errs: Errs, sc: Obj, old: Obj): void {
  for (const f of ["parameters", "provisioner", "reclaimPolicy"]) {
    if (!semanticEqual(sc[f], old[f])) errs.push(forbidden(f, `updates to ${f} are forbidden.`));
  }
  if (!semanticEqual(sc.volumeBindingMode, old.volumeBindingMode)) {
    errs.push(invalid("volumeBindingMode", sc.volumeBindingMode ?? null, IMMUTABLE));
  }
}

// ---- Node, Namespace, ConfigMap, Secret, and the small kinds ----

function validateTaints(errs: Errs, taints: unknown[], path: string): void {
  const seen = new Set<string>();
  taints.forEach((raw, i) => {
    const t = obj(raw);
    const ip = idx(path, i);
    each(errs, at(ip, "key"), t.key ?? "", isQualifiedName(str(t.key)));
    const msgs = isValidLabelValue(str(t.value));
    if (msgs.length > 0) errs.push(invalid(at(ip, "value"), t.value, msgs.join(";")));
    enumField(errs, t.effect, at(ip, "effect"), TAINT_EFFECTS);
    const k = `${str(t.effect)}\u0000${str(t.key)}`;
    if (seen.has(k)) errs.push(duplicate(ip, t));
    seen.add(k);
  });
}

function validateNode(errs: Errs, node: Obj): void {
  validateTaints(errs, arr(obj(node.spec).taints), "spec.taints");
  const status = obj(node.status);
  for (const f of ["capacity", "allocatable"]) {
    for (const [name, v] of Object.entries(obj(status[f])))
      resourceQuantity(errs, name, v, key(`status.${f}`, name));
  }
}

function validateNodeUpdate(errs: Errs, node: Obj, old: Obj): void {
  const spec = obj(node.spec);
  const before = obj(old.spec);
  const oldCIDRs = arr(before.podCIDRs);
  if (oldCIDRs.length > 0 && !semanticEqual(arr(spec.podCIDRs), oldCIDRs)) {
    errs.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  }
  if (str(before.providerID) && before.providerID !== spec.providerID) {
    errs.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  }
}

function validateNamespace(errs: Errs, ns: Obj): void {
  for (const f of arr(obj(ns.spec).finalizers)) validateFinalizer(errs, str(f), "spec.finalizers");
}

// Size of the bytes a value stands for: base64 text decodes to 3 bytes per 4 characters.
function byteSize(v: unknown, base64: boolean): number {
  const s = str(v);
  return base64 ? Math.floor((s.replace(/=+$/, "").length * 3) / 4) : utf8Length(s);
}

/** Checks the keys of a data map; returns the bytes it holds. `other` is a map whose keys must not repeat. */
function validateDataKeys(
  errs: Errs,
  data: unknown,
  field: string,
  base64: boolean,
  other?: [unknown, string],
): number {
  let size = 0;
  for (const [k, v] of Object.entries(obj(data))) {
    each(errs, key(field, k), k, isConfigMapKey(k));
    if (other && Object.hasOwn(obj(other[0]), k)) {
      errs.push(invalid(key(field, k), k, `duplicate of key present in ${other[1]}`));
    }
    size += byteSize(v, base64);
  }
  return size;
}

function validateConfigMap(errs: Errs, cm: Obj): void {
  const size =
    validateDataKeys(errs, cm.data, "data", false, [cm.binaryData, "binaryData"]) +
    validateDataKeys(errs, cm.binaryData, "binaryData", true, [cm.data, "data"]);
  // Kubernetes reports the whole object (an empty field path) when it is too large.
  if (size > DATA_MAX_BYTES) errs.push(tooLong("", DATA_MAX_BYTES));
}

const SECRET_REQUIRED_KEYS: Record<string, string> = {
  "kubernetes.io/tls": "tls.crt,tls.key",
  "kubernetes.io/dockerconfigjson": ".dockerconfigjson",
  "kubernetes.io/dockercfg": ".dockercfg",
  "kubernetes.io/ssh-auth": "ssh-privatekey",
};

function validateSecret(errs: Errs, secret: Obj): void {
  // The apiserver merges stringData into data before validating, so both report as data[...].
  const size =
    validateDataKeys(errs, secret.data, "data", true) +
    validateDataKeys(errs, secret.stringData, "data", false);
  if (size > DATA_MAX_BYTES) errs.push(tooLong("data", DATA_MAX_BYTES));
  const type = str(secret.type);
  const needed = Object.hasOwn(SECRET_REQUIRED_KEYS, type) ? SECRET_REQUIRED_KEYS[type]!.split(",") : [];
  for (const k of needed) {
    if (!Object.hasOwn(obj(secret.data), k) && !Object.hasOwn(obj(secret.stringData), k))
      errs.push(required(key("data", k)));
  }
}

function validateImmutableData(errs: Errs, o: Obj, old: Obj, fields: string[]): void {
  if (old.immutable !== true) return;
  const msg = "field is immutable when `immutable` is set";
  if (o.immutable !== true) errs.push(forbidden("immutable", msg));
  for (const f of fields) if (!semanticEqual(o[f], old[f])) errs.push(forbidden(f, msg));
}

function validateSecretUpdate(errs: Errs, s: Obj, old: Obj): void {
  if (str(s.type) !== str(old.type)) errs.push(invalid("type", s.type ?? "", IMMUTABLE));
  validateImmutableData(errs, s, old, ["data"]);
}

function validatePodDisruptionBudget(errs: Errs, pdb: Obj): void {
  const spec = obj(pdb.spec);
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) {
    errs.push(invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  }
  for (const f of ["minAvailable", "maxUnavailable"]) {
    if (!isSet(spec[f])) continue;
    validatePositiveIntOrPercent(errs, spec[f], `spec.${f}`);
    notMoreThan100Percent(errs, spec[f], `spec.${f}`);
  }
  validateLabelSelector(errs, spec.selector, "spec.selector");
  const policy = spec.unhealthyPodEvictionPolicy;
  if (isSet(policy) && policy !== "AlwaysAllow" && policy !== "IfHealthyBudget") {
    errs.push(unsupported("spec.unhealthyPodEvictionPolicy", policy, ["AlwaysAllow", "IfHealthyBudget"]));
  }
}

function validateLease(errs: Errs, lease: Obj): void {
  const spec = obj(lease.spec);
  const duration = int(errs, spec.leaseDurationSeconds, "spec.leaseDurationSeconds", "LeaseSpec");
  if (duration !== undefined && duration <= 0)
    errs.push(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
  nonNegative(
    errs,
    int(errs, spec.leaseTransitions, "spec.leaseTransitions", "LeaseSpec"),
    "spec.leaseTransitions",
  );
}

function validateControllerRevision(errs: Errs, cr: Obj): void {
  if (!isSet(cr.data)) errs.push(required("data", "data is mandatory"));
  nonNegative(errs, int(errs, cr.revision, "revision", "ControllerRevision", 64), "revision");
}

function validateEndpointSlice(errs: Errs, slice: Obj): void {
  // Simplification: endpoints and ports of a slice are not validated.
  enumField(errs, slice.addressType, "addressType", ["IPv4", "IPv6", "FQDN"]);
}

// ---- dispatch ----

interface KindRules {
  /** How metadata.name (and generateName) is validated. */
  name: NameFn;
  /** Checks run on create and on update. */
  validate?: (errs: Errs, o: Obj) => void;
  /** Checks run on create only. */
  create?: (errs: Errs, o: Obj) => void;
  /** Checks run on update only, after `validate`. */
  update?: (errs: Errs, o: Obj, old: Obj) => void;
  /** Checks of a status update. */
  status?: (errs: Errs, o: Obj, old: Obj) => void;
}

const DEFAULT_RULES: KindRules = { name: nameIsDNSSubdomain };

const RULES: Record<string, KindRules> = {
  Pod: {
    name: nameIsDNSSubdomain,
    validate: validatePod,
    create: validatePodCreate,
    update: validatePodUpdate,
    status: validatePodStatusUpdate,
  },
  Deployment: { name: nameIsDNSSubdomain, validate: validateDeployment, update: validateSelectorImmutable },
  ReplicaSet: { name: nameIsDNSSubdomain, validate: validateReplicaSet, update: validateSelectorImmutable },
  // StatefulSet names are DNS labels, since each pod's hostname is `<name>-<ordinal>`.
  StatefulSet: { name: nameIsDNSLabel, validate: validateStatefulSet, update: validateStatefulSetUpdate },
  Service: { name: nameIsDNS1035Label, validate: validateService, update: validateServiceUpdate },
  Namespace: { name: nameIsDNSLabel, validate: validateNamespace },
  Node: { name: nameIsDNSSubdomain, validate: validateNode, update: validateNodeUpdate },
  PersistentVolumeClaim: {
    name: nameIsDNSSubdomain,
    validate: validatePersistentVolumeClaim,
    update: validatePersistentVolumeClaimUpdate,
  },
  PersistentVolume: { name: nameIsDNSSubdomain, validate: validatePersistentVolume },
  StorageClass: {
    name: nameIsDNSSubdomain,
    validate: validateStorageClass,
    update: validateStorageClassUpdate,
  },
  ConfigMap: {
    name: nameIsDNSSubdomain,
    validate: validateConfigMap,
    update: (e, o, old) => validateImmutableData(e, o, old, ["data", "binaryData"]),
  },
  Secret: { name: nameIsDNSSubdomain, validate: validateSecret, update: validateSecretUpdate },
  PodDisruptionBudget: { name: nameIsDNSSubdomain, validate: validatePodDisruptionBudget },
  Lease: { name: nameIsDNSSubdomain, validate: validateLease },
  ControllerRevision: {
    name: nameIsDNSSubdomain,
    validate: validateControllerRevision,
    update: (e, o, old) => {
      if (!semanticEqual(o.data, old.data)) e.push(invalid("data", o.data ?? null, IMMUTABLE));
    },
  },
  EndpointSlice: { name: nameIsDNSSubdomain, validate: validateEndpointSlice },
};

/**
 * Validates an object after defaulting, as the apiserver does before storing it, returning
 * Kubernetes' field errors (paths and wording); empty when valid. With `old`, the update rules
 * apply too (immutable selectors, the StatefulSet and Pod update limits, ...). Kinds kubesim
 * does not model get metadata checks only.
 */
export function validateObject(obj: KubeObject, old?: KubeObject, opts: ValidateOptions = {}): FieldError[] {
  const errs: Errs = [];
  if (opts.subresource === "binding") return errs;
  memoOn = opts.memo !== false;
  const o = obj as Obj;
  const kind = str(o.kind);
  const rules = Object.hasOwn(RULES, kind) ? RULES[kind]! : DEFAULT_RULES;
  if (!old) {
    validateObjectMeta(errs, isObj(o.metadata) ? o.metadata : {}, rules.name, passedMetaOf(kind));
    rules.validate?.(errs, o);
    rules.create?.(errs, o);
    return errs;
  }
  const before = old as Obj;
  validateObjectMetaUpdate(
    errs,
    isObj(o.metadata) ? o.metadata : {},
    isObj(before.metadata) ? before.metadata : {},
    passedMetaOf(kind),
  );
  if (opts.subresource === "status") {
    rules.status?.(errs, o, before);
    return errs;
  }
  rules.validate?.(errs, o);
  rules.update?.(errs, o, before);
  return errs;
}
