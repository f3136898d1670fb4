/**
 * PV/PVC rules shared by the PV controller and the scheduler's VolumeBinding plugin
 * (component-helpers/storage/volume/pv_helpers.go, pkg/volume/util/storageclass.go): annotations,
 * classes, binding checks, node affinity, and FindMatchingVolume.
 */
import type { NodeSelectorRequirement, NodeSelectorTerm } from "kubernetes-types/core/v1.js";
import { compileSelector, type Operator, type Selector, selectorFromRequirements } from "../../api/labels.js";
import { compareQuantities, parseQuantity, type Quantity } from "../../api/quantity.js";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../api/types.js";

/** On PVCs: binding has completed once (the value does not matter). */
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** On PVs and PVCs: the controller, not the user, made the binding. */
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
/** On PVCs: the node the scheduler chose, which starts WaitForFirstConsumer provisioning. */
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** On PVs: the provisioner that created the volume. */
export const ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by";
/** On PVCs: the provisioner asked to provision the claim (and its deprecated beta twin). */
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
/** The deprecated class annotation, which still wins over spec.storageClassName. */
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
/** On StorageClasses: claims without a class get this one. */
export const ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
/** The provisioner name of classes whose volumes are created by hand (local volumes). */
export const NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";

type Claim = PersistentVolumeClaim;
type Volume = PersistentVolume;

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: Claim): string {
  const ann = claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS];
  return ann ?? claim.spec?.storageClassName ?? "";
}

/** PersistentVolumeClaimHasClass: a class was asked for, even "" (nil means "use the default"). */
export function claimHasClass(claim: Claim): boolean {
  if (claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return true;
  const name = claim.spec?.storageClassName;
  return name !== undefined && name !== null;
}

/** GetPersistentVolumeClass. */
export function volumeClass(pv: Volume): string {
  return pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? "";
}

/** `namespace/name` of a claim. */
export function claimKey(claim: Claim): string {
  return `${claim.metadata?.namespace ?? "default"}/${claim.metadata?.name ?? ""}`;
}

/** IsVolumeBoundToClaim: the claimRef names the claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(pv: Volume, claim: Claim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? "") !== (claim.metadata?.namespace ?? "")) {
    return false;
  }
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

/** CheckAccessModes: the PV offers every mode the claim asks for. */
export function checkAccessModes(claim: Claim, pv: Volume): boolean {
  const offered = pv.spec?.accessModes ?? [];
  return (claim.spec?.accessModes ?? []).every((m) => offered.includes(m));
}

/** CheckVolumeModeMismatches (an unset mode is Filesystem). */
export function volumeModeMismatch(claim: Claim, pv: Volume): boolean {
  return (claim.spec?.volumeMode ?? "Filesystem") !== (pv.spec?.volumeMode ?? "Filesystem");
}

const ZERO = parseQuantity("0")!;

/** The storage a claim requests. */
export function requestedStorage(claim: Claim): Quantity {
  const v = claim.spec?.resources?.requests?.storage;
  return (v === undefined ? undefined : parseQuantity(v)) ?? ZERO;
}

/** The storage a volume offers. */
export function volumeCapacity(pv: Volume): Quantity {
  const v = pv.spec?.capacity?.storage;
  return (v === undefined ? undefined : parseQuantity(v)) ?? ZERO;
}

/** Capacity of the volume against the claim's request: -1 too small, 0 exact, 1 bigger. */
export function compareVolumeSize(pv: Volume, claim: Claim): -1 | 0 | 1 {
  return compareQuantities(volumeCapacity(pv), requestedStorage(claim));
}

/** A claim is fully bound when it names its volume and the controller finished (bind-completed). */
export function isClaimFullyBound(claim: Claim): boolean {
  return !!claim.spec?.volumeName && claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
export function isDelayBindingMode(
  claim: Claim,
  classOf: (name: string) => StorageClass | undefined,
): boolean {
  const name = claimClass(claim);
  if (name === "") return false;
  return classOf(name)?.volumeBindingMode === "WaitForFirstConsumer";
}

/** IsDelayBindingProvisioning: the scheduler chose a node for the claim. */
export function isDelayBindingProvisioning(claim: Claim): boolean {
  return claim.metadata?.annotations?.[ANN_SELECTED_NODE] !== undefined;
}

/** IsDefaultAnnotation. */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations;
  return a?.[ANN_DEFAULT_CLASS] === "true" || a?.[ANN_BETA_DEFAULT_CLASS] === "true";
}

/** GetDefaultClass: of the default classes, the newest (then the first by name). */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  let best: StorageClass | undefined;
  for (const sc of classes) {
    if (!isDefaultClass(sc)) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const a = sc.metadata?.creationTimestamp ?? "";
    const b = best.metadata?.creationTimestamp ?? "";
    if (a > b || (a === b && (sc.metadata?.name ?? "") < (best.metadata?.name ?? ""))) best = sc;
  }
  return best;
}

// ---- node affinity (CheckNodeAffinity) --------------------------------------------------------

const LABEL_OPS: Record<string, Operator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
  Gt: "gt",
  Lt: "lt",
};

function termSelector(exprs: readonly NodeSelectorRequirement[]): Selector | undefined {
  try {
    return selectorFromRequirements(
      exprs.map((e) => {
        const op = Object.hasOwn(LABEL_OPS, e.operator) ? LABEL_OPS[e.operator] : undefined;
        if (!op) throw new Error(e.operator);
        return { key: e.key, operator: op, values: [...(e.values ?? [])] };
      }),
    );
  } catch {
    return undefined;
  }
}

/** A NodeSelectorTerm without expressions (or with a bad one) matches nothing (MatchNodeSelectorTerms). */
function termMatches(term: NodeSelectorTerm, labels: Readonly<Record<string, string>>): boolean {
  const exprs = term.matchExpressions ?? [];
  // matchFields name the node; CheckNodeAffinity builds a node from labels only, so they never match.
  if (exprs.length === 0 || (term.matchFields?.length ?? 0) > 0) return false;
  return termSelector(exprs)?.matches(labels) ?? false;
}

/** CheckNodeAffinity: a PV without required node affinity fits every node. */
export function checkNodeAffinity(pv: Volume, labels: Readonly<Record<string, string>>): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => termMatches(t, labels));
}

/** CheckNodeAffinity's error text. */
export const NODE_AFFINITY_MISMATCH = "no matching NodeSelectorTerms";

// ---- FindMatchingVolume -----------------------------------------------------------------------

const selectors = new WeakMap<object, Selector>();

function claimSelector(claim: Claim): Selector | undefined {
  const sel = claim.spec?.selector;
  if (!sel) return undefined;
  let s = selectors.get(sel);
  if (!s) selectors.set(sel, (s = compileSelector(sel)));
  return s;
}

/**
 * FindMatchingVolume: a volume pre-bound to the claim if there is one (none at all when its node
 * affinity rules the node out); otherwise the smallest Available volume of the claim's class that
 * is big enough, of the same volume mode, matches the selector and (scheduler path, `nodeLabels`
 * given) the node. `delayBinding` without a node (the PV controller on WaitForFirstConsumer claims)
 * returns only pre-bound volumes. Ties in size go to the first name, where Kubernetes takes
 * whichever its informer lists first.
 */
export function findMatchingVolume<V extends Volume>(
  claim: Claim,
  volumes: readonly V[],
  nodeLabels: Readonly<Record<string, string>> | undefined,
  excluded: ReadonlySet<string> | undefined,
  delayBinding: boolean,
): V | undefined {
  const requested = requestedStorage(claim);
  const requestedClass = claimClass(claim);
  const selector = claimSelector(claim);
  let smallest: V | undefined;
  let smallestQty: Quantity | undefined;
  for (const pv of volumes) {
    const name = pv.metadata?.name ?? "";
    if (excluded?.has(name)) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    const qty = volumeCapacity(pv);
    if (compareQuantities(qty, requested) < 0) continue;
    if (volumeModeMismatch(claim, pv) || pv.metadata?.deletionTimestamp) continue;
    const affinityOk = nodeLabels === undefined || checkNodeAffinity(pv, nodeLabels);
    if (isVolumeBoundToClaim(pv, claim)) return affinityOk ? pv : undefined;
    if (nodeLabels === undefined && delayBinding) continue;
    if ((pv.status?.phase ?? "Pending") !== "Available") continue;
    if (selector && !selector.matches(pv.metadata?.labels)) continue;
    if (volumeClass(pv) !== requestedClass || !affinityOk) continue;
    if (nodeLabels !== undefined && !checkAccessModes(claim, pv)) continue;
    const cmp = smallestQty ? compareQuantities(smallestQty, qty) : 1;
    if (cmp > 0 || (cmp === 0 && name < (smallest?.metadata?.name ?? ""))) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}
