/**
 * VolumeBinding (framework/plugins/volumebinding: volume_binding.go, binder.go): PreFilter rejects
 * pods whose claims are missing or unbound with Immediate binding; Filter keeps the nodes where
 * bound volumes can be reached and unbound WaitForFirstConsumer claims can get a volume (a free
 * static one whose node affinity fits, or a provisioned one); Reserve + PreBind pre-bind the chosen
 * volumes or ask for provisioning on the node, then wait for the PV controller to finish binding.
 */
import type { ApiServer } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { compareQuantities } from "../../api/quantity.js";
import type {
  Mutable,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
  Stored,
} from "../../api/types.js";
import { claimReference } from "../../controllers/persistentvolume/binding.js";
import {
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  checkNodeAffinity,
  claimClass,
  findMatchingVolume,
  isClaimFullyBound,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  NODE_AFFINITY_MISMATCH,
  NOT_SUPPORTED_PROVISIONER,
  requestedStorage,
  volumeClass,
} from "../../controllers/persistentvolume/helpers.js";
import { NODE_ADD, NODE_LABEL, NODE_TAINT, PV_CHANGE, PVC_CHANGE, STORAGE_CLASS_CHANGE } from "../events.js";
import {
  type Cycle,
  type FilterPlugin,
  type FilterStatus,
  type PreBindStep,
  PreFilterReject,
  reject,
  SKIP,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
} from "../framework.js";
import type { NodeInfo } from "../nodeinfo.js";

const NAME = "VolumeBinding";

// Simplification: no assume cache (PreBind writes to the apiserver in the same instant as Reserve,
// so the next cycle sees the pre-bound volumes); no Score (it needs alpha features) and no
// CSIStorageCapacity checks; queueing hints are per kind, not per claim.

/** ErrReasonBindConflict. */
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** ErrReasonNodeConflict. */
export const ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
/** ErrReasonPVNotExist. */
export const ERR_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
/** PreFilter's rejection of a pod with unbound Immediate claims. */
export const ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
/** VolumeBindingArgs.bindTimeoutSeconds (600): how long PreBind waits for the bindings. */
export const BIND_TIMEOUT_MS = 600_000;
/** BindPodVolumes polls the bindings every second (not at once). */
export const BIND_POLL_MS = 1_000;

/** The cluster events that may make the pods this plugin rejected schedulable, by the kind that changed. */
export const VOLUME_EVENTS: readonly (readonly [string, number])[] = [
  ["PersistentVolumeClaim", PVC_CHANGE],
  ["PersistentVolume", PV_CHANGE],
  ["StorageClass", STORAGE_CLASS_CHANGE],
];

type Claim = Stored<PersistentVolumeClaim>;
type Volume = Stored<PersistentVolume>;

/** PodVolumes: the decisions for one node. */
interface PodVolumes {
  readonly bindings: readonly { readonly pvc: Claim; readonly pv: Volume }[];
  readonly provisions: readonly Claim[];
}

/** stateData: the pod's claims, read once per cycle, and the verdict per feasible node. */
interface VolumeState {
  readonly api: ApiServer;
  readonly bound: readonly Claim[];
  /** Unbound WaitForFirstConsumer claims, smallest request first (byPVCSize). */
  readonly delayed: readonly Claim[];
  /** Volumes of each delayed claim's class. */
  readonly volumesByClass: ReadonlyMap<string, readonly Volume[]>;
  readonly byNode: Map<string, PodVolumes>;
}

const NODE_CONFLICT = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_NODE_CONFLICT);
const BIND_CONFLICT = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_BIND_CONFLICT);
const PV_NOT_EXIST = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_PV_NOT_EXIST);
// Both bound and unbound claims fail: FindPodVolumes lists node conflict, bind conflict, missing volumes.
const NODE_AND_BIND_CONFLICT = reject(
  NAME,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
  ERR_NODE_CONFLICT,
  ERR_BIND_CONFLICT,
);
const BIND_CONFLICT_AND_PV_NOT_EXIST = reject(
  NAME,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
  ERR_BIND_CONFLICT,
  ERR_PV_NOT_EXIST,
);

function rejectPod(message: string): PreFilterReject {
  return new PreFilterReject(reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, message));
}

/** The claims a pod's volumes name; generic ephemeral volumes use `<pod>-<volume>`. */
function claimsOf(pod: Stored<Pod>): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ name: `${pod.metadata.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

// podHasPVCs: every claim exists, is not Lost, not being deleted (and, if ephemeral, is the pod's).
function claimProblem(pod: Stored<Pod>, ref: { name: string; ephemeral: boolean }, pvc: Claim | undefined) {
  if (!pvc) {
    return ref.ephemeral
      ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"`
      : `persistentvolumeclaim "${ref.name}" not found`;
  }
  if (pvc.status?.phase === "Lost") {
    return `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ""}"`;
  }
  if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${ref.name}" is being deleted`;
  const owned = pvc.metadata.ownerReferences?.some((r) => r.controller && r.uid === pod.metadata.uid);
  if (ref.ephemeral && !owned) {
    const ns = pod.metadata.namespace ?? "default";
    return `PVC ${ns}/${ref.name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`;
  }
  return undefined;
}

function preFilter(cycle: Cycle): VolumeState | typeof SKIP | PreFilterReject {
  const refs = claimsOf(cycle.pod);
  if (refs.length === 0) return SKIP;
  const api = cycle.lookups.api;
  const ns = cycle.info.namespace;
  const claims: Claim[] = [];
  for (const ref of refs) {
    const pvc = api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, ref.name);
    const problem = claimProblem(cycle.pod, ref, pvc);
    if (problem) return rejectPod(problem);
    claims.push(pvc!);
  }
  const classOf = (n: string) => api.get<StorageClass>("StorageClass", undefined, n);
  const bound: Claim[] = [];
  const delayed: Claim[] = [];
  for (const pvc of claims) {
    if (isClaimFullyBound(pvc)) bound.push(pvc);
    // A claim pre-bound by its user (volumeName set) counts as Immediate: the PV controller binds it.
    else if (isDelayBindingMode(pvc, classOf) && !pvc.spec?.volumeName) delayed.push(pvc);
    else return rejectPod(ERR_UNBOUND_IMMEDIATE);
  }
  delayed.sort((a, b) => compareQuantities(requestedStorage(a), requestedStorage(b)));
  return { api, bound, delayed, volumesByClass: volumesByClass(api, delayed), byNode: new Map() };
}

function volumesByClass(api: ApiServer, delayed: readonly Claim[]): Map<string, Volume[]> {
  const out = new Map<string, Volume[]>();
  if (delayed.length === 0) return out;
  for (const pvc of delayed) out.set(claimClass(pvc), []);
  for (const pv of api.cache("PersistentVolume").values() as Iterable<Volume>)
    out.get(volumeClass(pv))?.push(pv);
  return out;
}

/** checkBoundClaims: the first bound claim whose volume is missing or out of the node's reach. */
function boundConflict(state: VolumeState, node: NodeInfo): FilterStatus | undefined {
  for (const pvc of state.bound) {
    const pv = state.api.get<PersistentVolume>("PersistentVolume", undefined, pvc.spec?.volumeName ?? "");
    if (!pv) return PV_NOT_EXIST;
    if (!checkNodeAffinity(pv, node.labels)) return NODE_CONFLICT;
  }
  return undefined;
}

// checkVolumeProvisions: every claim left can be provisioned for this node.
function canProvision(api: ApiServer, claims: readonly Claim[], node: NodeInfo): boolean {
  for (const pvc of claims) {
    const sc = api.get<StorageClass>("StorageClass", undefined, claimClass(pvc));
    if (!sc?.provisioner || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return false;
    if (!matchTopology(sc, node.labels)) return false;
  }
  return true;
}

/** MatchTopologySelectorTerms: no allowedTopologies, or one term whose every expression the node meets. */
function matchTopology(sc: StorageClass, labels: Readonly<Record<string, string>>): boolean {
  const terms = sc.allowedTopologies;
  if (!terms?.length) return true;
  return terms.some((t) =>
    (t.matchLabelExpressions ?? []).every((e) => {
      const v = labels[e.key];
      return v !== undefined && e.values.includes(v);
    }),
  );
}

/** FindPodVolumes for one node: the node's PodVolumes, or the reasons it cannot serve the pod. */
function filter(_cycle: Cycle, state: VolumeState, node: NodeInfo): FilterStatus | undefined {
  const bound = boundConflict(state, node);
  const fit = unboundFit(state, node);
  if (!bound && fit.ok) {
    state.byNode.set(node.name, fit);
    return undefined;
  }
  if (!bound) return BIND_CONFLICT;
  if (fit.ok) return bound;
  return bound === NODE_CONFLICT ? NODE_AND_BIND_CONFLICT : BIND_CONFLICT_AND_PV_NOT_EXIST;
}

// The unbound (WaitForFirstConsumer) claims on this node: static volumes for some, provisioning for the rest.
function unboundFit(state: VolumeState, node: NodeInfo): PodVolumes & { ok: boolean } {
  const bindings: { pvc: Claim; pv: Volume }[] = [];
  const provisions: Claim[] = [];
  if (state.delayed.length === 0) return { bindings, provisions, ok: true };
  const toMatch: Claim[] = [];
  for (const pvc of state.delayed) {
    const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    // Provisioning was asked for on another node: only that node will do.
    if (selected !== undefined && selected !== node.name) return { bindings, provisions, ok: false };
    if (selected !== undefined) provisions.push(pvc);
    else toMatch.push(pvc);
  }
  const chosen = new Set<string>();
  for (const pvc of toMatch) {
    const pv = findMatchingVolume(
      pvc,
      state.volumesByClass.get(claimClass(pvc)) ?? [],
      node.labels,
      chosen,
      true,
    );
    if (!pv) {
      provisions.push(pvc);
      continue;
    }
    chosen.add(pv.metadata.name);
    bindings.push({ pvc, pv });
  }
  return { bindings, provisions, ok: provisions.length === 0 || canProvision(state.api, provisions, node) };
}

/** AssumePodVolumes: nothing to do when every claim is bound; otherwise the PreBind that binds. */
function reserve(cycle: Cycle, state: VolumeState, nodeName: string): PreBindStep | undefined {
  const volumes = state.byNode.get(nodeName);
  if (!volumes || state.delayed.length === 0) return undefined;
  return new VolumePreBind(cycle.pod, nodeName, volumes);
}

/** The VolumeBinding plugin (Filter; Score only with alpha features, so not here). */
export const volumeBinding: FilterPlugin<VolumeState> = {
  name: NAME,
  // EventsToRegister: claims, volumes and classes added or updated; nodes added, relabelled or retainted.
  events: PVC_CHANGE | PV_CHANGE | STORAGE_CLASS_CHANGE | NODE_ADD | NODE_LABEL | NODE_TAINT,
  preFilter,
  filter,
  reserve,
};

/** BindPodVolumes: the API updates, then a poll every second until all claims are bound (or it fails). */
class VolumePreBind implements PreBindStep {
  constructor(
    private readonly pod: Stored<Pod>,
    private readonly nodeName: string,
    private readonly volumes: PodVolumes,
  ) {}

  run(ctx: SimContext, done: (error?: string) => void): void {
    this.bindApiUpdate(ctx.api);
    const deadlineMs = ctx.engine.nowMs + BIND_TIMEOUT_MS;
    const poll = () => {
      const result = this.checkBindings(ctx.api);
      if (result === true) done();
      else if (typeof result === "string") done(preBindError(`binding volumes: ${result}`));
      else if (ctx.engine.nowMs + BIND_POLL_MS > deadlineMs) {
        done(preBindError("binding volumes: context deadline exceeded"));
      } else ctx.engine.after(BIND_POLL_MS, poll);
    };
    ctx.engine.after(BIND_POLL_MS, poll);
  }

  unreserve(): void {
    // Nothing was assumed in memory: the API writes stand, as in Kubernetes ("no API rollback").
  }

  // bindAPIUpdate: pre-bind each chosen volume to its claim; mark each claim to provision with the node.
  private bindApiUpdate(api: ApiServer): void {
    for (const { pvc, pv } of this.volumes.bindings) {
      api.mutate<Mutable<PersistentVolume>>("PersistentVolume", undefined, pv.metadata.name, (d) => {
        if (!isVolumeBoundToClaim(d as PersistentVolume, pvc)) {
          const ann = d.metadata!.annotations ?? {};
          if (ann[ANN_BOUND_BY_CONTROLLER] === undefined) {
            d.metadata!.annotations = { ...ann, [ANN_BOUND_BY_CONTROLLER]: "yes" };
          }
        }
        (d.spec ??= {}).claimRef = claimReference(pvc);
      });
    }
    for (const pvc of this.volumes.provisions) {
      api.mutate<Mutable<PersistentVolumeClaim>>(
        "PersistentVolumeClaim",
        pvc.metadata.namespace,
        pvc.metadata.name,
        (d) => {
          d.metadata!.annotations = { ...d.metadata!.annotations, [ANN_SELECTED_NODE]: this.nodeName };
        },
      );
    }
  }

  /** checkBindings: true when every claim is fully bound, false to wait, or why binding failed. */
  private checkBindings(api: ApiServer): boolean | string {
    const ns = this.pod.metadata.namespace ?? "default";
    const node = api.get<Node>("Node", undefined, this.nodeName);
    if (!node) return `failed to get node "${this.nodeName}": node "${this.nodeName}" not found`;
    const pod = api.get<Pod>("Pod", ns, this.pod.metadata.name);
    if (!pod || pod.metadata.uid !== this.pod.metadata.uid) {
      return `pod does not exist any more: pod "${this.pod.metadata.name}" not found`;
    }
    const labels = node.metadata.labels ?? {};
    for (const { pvc: want, pv: chosen } of this.volumes.bindings) {
      const pv = api.get<PersistentVolume>("PersistentVolume", undefined, chosen.metadata.name);
      if (!pv) return `failed to check binding: could not find v1.PersistentVolume "${chosen.metadata.name}"`;
      const pvc = api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, want.metadata.name);
      if (!pvc)
        return `failed to check binding: could not find v1.PersistentVolumeClaim "${ns}/${want.metadata.name}"`;
      if (!checkNodeAffinity(pv, labels)) return affinityError(pv.metadata.name, this.nodeName);
      if (!pv.spec?.claimRef?.uid) return `ClaimRef got reset for pv "${pv.metadata.name}"`;
      if (!isClaimFullyBound(pvc)) return false;
    }
    for (const want of this.volumes.provisions) {
      const r = this.checkProvisioned(api, ns, want.metadata.name, labels);
      if (r !== true) return r;
    }
    return true;
  }

  private checkProvisioned(
    api: ApiServer,
    ns: string,
    name: string,
    labels: Record<string, string>,
  ): boolean | string {
    const pvc = api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, name);
    if (!pvc)
      return `failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${ns}/${name}"`;
    const annotations = pvc.metadata.annotations;
    if (!annotations) return `selectedNode annotation reset for PVC "${name}"`;
    // A provisioner that gives up removes the annotation, which sends the pod back to scheduling.
    if (annotations[ANN_SELECTED_NODE] !== this.nodeName) return `provisioning failed for PVC "${name}"`;
    const volumeName = pvc.spec?.volumeName;
    if (volumeName) {
      const pv = api.get<PersistentVolume>("PersistentVolume", undefined, volumeName);
      if (!pv) return false;
      if (!checkNodeAffinity(pv, labels)) return affinityError(volumeName, this.nodeName);
    }
    return isClaimFullyBound(pvc);
  }
}

function affinityError(pv: string, node: string): string {
  return `pv "${pv}" node affinity doesn't match node "${node}": ${NODE_AFFINITY_MISMATCH}`;
}

/** RunPreBindPlugins wraps a plugin's error with the plugin's name. */
function preBindError(err: string): string {
  return `running PreBind plugin "${NAME}": ${err}`;
}
