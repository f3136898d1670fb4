/**
 * The EndpointSlice reconciler's plan (k8s.io/endpointslice reconciler.go): from the pods a
 * Service selects and its existing slices, which slices to create, update and delete. Slices are
 * grouped by address type and by set of ports; kept endpoints stay where they are, new ones fill
 * the fullest changed slices first, then an unchanged slice they fit in, then new slices.
 */
import { deepCopy } from "../../api/copy.js";
import type { EndpointSlice, Mutable, Node, Pod, Service, Stored } from "../../api/types.js";
import { shouldPodBeInEndpoints } from "./pods.js";
import {
  addressTypes,
  endpointKey,
  endpointPorts,
  endpointsEqualBeyondHash,
  podToEndpoint,
  portMapKey,
  type SliceEndpoint,
  type SlicePort,
  sliceLabels,
} from "./slice-endpoints.js";

/** Default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type Slice = Mutable<EndpointSlice>;

/** What to write: new slices (generateName), changed slices (with their name), slices to delete. */
export interface SlicePlan {
  create: Slice[];
  update: Slice[];
  delete: Stored<EndpointSlice>[];
  /** Problems met on the way (pods on unknown nodes); the plan is still written, then retried. */
  errors: string[];
}

interface Inputs {
  svc: Stored<Service>;
  pods: readonly Stored<Pod>[];
  nodeOf: (name: string) => Node | undefined;
  maxPerSlice: number;
}

const byName = (a: { metadata?: { name?: string } }, b: { metadata?: { name?: string } }) => {
  const x = a.metadata?.name ?? "";
  const y = b.metadata?.name ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
};

const ownedBy = (slice: EndpointSlice, svc: Stored<Service>) =>
  (slice.metadata?.ownerReferences ?? []).some(
    (r) => r.uid === svc.metadata.uid && r.kind === "Service" && r.apiVersion === "v1",
  );

/** newEndpointSlice: an empty slice owned by the Service, named from `<service>-`. */
export function newSlice(svc: Stored<Service>, ports: SlicePort[], addressType: string): Slice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(undefined, svc)[0],
      ownerReferences: [
        {
          apiVersion: "v1",
          kind: "Service",
          name: svc.metadata.name,
          uid: svc.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/** Reconcile: the plan for every address type the Service supports; slices of other types go. */
export function planSlices(inputs: Inputs, existing: readonly Stored<EndpointSlice>[]): SlicePlan {
  const types = addressTypes(inputs.svc);
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const stale: Stored<EndpointSlice>[] = [];
  for (const t of types) {
    const ofType = existing.filter((s) => s.addressType === t);
    const part = planAddressType(inputs, ofType, t);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
    plan.errors.push(...part.errors);
  }
  for (const s of existing) if (!types.includes(s.addressType)) stale.push(s);
  plan.delete.push(...stale);
  return plan;
}

/** A pod's part in a Service's slices: its resolved ports (and their key) and its endpoint (and key). */
interface PodEndpoint {
  ports: SlicePort[];
  portsKey: string;
  ep: SliceEndpoint;
  epKey: string;
}

// Memo by object identity (stored objects are immutable): Service → pod → its endpoint, for a node and address type.
const memo = new WeakMap<object, WeakMap<object, { node: Node | undefined; type: string; v: PodEndpoint }>>();

function podEndpoint(
  svc: Stored<Service>,
  pod: Stored<Pod>,
  node: Node | undefined,
  type: string,
): PodEndpoint {
  let bySvc = memo.get(svc);
  if (!bySvc) memo.set(svc, (bySvc = new WeakMap()));
  const hit = bySvc.get(pod);
  if (hit && hit.node === node && hit.type === type) return hit.v;
  const ports = endpointPorts(svc, pod);
  const ep = podToEndpoint(pod, node, svc, type);
  const v = { ports, portsKey: portMapKey(ports), ep, epKey: endpointKey(ep) };
  bySvc.set(pod, { node, type, v });
  return v;
}

/** The endpoints wanted, per port set, in pod order; errors for pods on unknown nodes. */
function desiredEndpoints(inputs: Inputs, addressType: string) {
  const { svc, pods, nodeOf } = inputs;
  const byPorts = new Map<string, { ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }>();
  const errors: string[] = [];
  for (const pod of pods) {
    // Terminating pods stay, with their conditions saying so.
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const nodeName = pod.spec?.nodeName ?? "";
    const node = nodeOf(nodeName);
    const pe = podEndpoint(svc, pod, node, addressType);
    let group = byPorts.get(pe.portsKey);
    if (!group) byPorts.set(pe.portsKey, (group = { ports: pe.ports, endpoints: new Map() }));
    if (!node && svc.spec?.publishNotReadyAddresses !== true) {
      errors.push(
        `skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`,
      );
      continue;
    }
    if (pe.ep.addresses.length > 0) group.endpoints.set(pe.epKey, pe.ep);
  }
  return { byPorts, errors };
}

/** reconcileByAddressType, with finalize's turning of creates into updates of slices to delete. */
function planAddressType(inputs: Inputs, existing: readonly Stored<EndpointSlice>[], addressType: string) {
  const { svc } = inputs;
  const create: Slice[] = [];
  const update: Slice[] = [];
  const del: Stored<EndpointSlice>[] = [];
  const existingByPorts = new Map<string, Stored<EndpointSlice>[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      del.push(s);
      continue;
    }
    const k = portMapKey(s.ports);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }
  const { byPorts, errors } = desiredEndpoints(inputs, addressType);
  for (const [k, group] of byPorts) {
    const part = planPortMapping(
      inputs,
      existingByPorts.get(k) ?? [],
      group.endpoints,
      group.ports,
      addressType,
    );
    create.push(...part.create);
    update.push(...part.update);
    del.push(...part.delete);
  }
  for (const [k, slices] of existingByPorts) if (!byPorts.has(k)) del.push(...slices);
  // A Service with no endpoints keeps one empty placeholder slice.
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newSlice(svc, [], addressType);
    if (del.length === 1 && isPlaceholder(del[0]!, placeholder)) del.length = 0;
    else create.push(placeholder);
  }
  // Rather than delete one slice and create another, reuse the doomed slice's name.
  for (let i = 0; i < del.length && create.length > 0; ) {
    const doomed = del[i]!;
    if (doomed.addressType === addressType && ownedBy(doomed, svc)) {
      const slice = create.pop()!;
      slice.metadata = { ...slice.metadata, name: doomed.metadata.name };
      update.push(slice);
      del.splice(i, 1);
    } else i++;
  }
  return { create, update, delete: del, errors };
}

/** placeholderSliceCompare: same namespace, labels, owners, type, and no endpoints or ports. */
function isPlaceholder(slice: EndpointSlice, placeholder: Slice): boolean {
  const m = slice.metadata ?? {};
  const p = placeholder.metadata ?? {};
  return (
    m.namespace === p.namespace &&
    JSON.stringify(sortedLabels(m.labels)) === JSON.stringify(sortedLabels(p.labels)) &&
    JSON.stringify(m.ownerReferences ?? []) === JSON.stringify(p.ownerReferences ?? []) &&
    slice.addressType === placeholder.addressType &&
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0
  );
}

function sortedLabels(labels: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A writable copy of a stored slice (stored placeholders have `endpoints: null`). */
function copyOf(s: EndpointSlice): Slice {
  const c = deepCopy(s) as Slice;
  c.endpoints ??= [];
  return c;
}

/** Takes the first wanted endpoint (Kubernetes pops any; the first keeps runs reproducible). */
function popFirst(wanted: Map<string, SliceEndpoint>): SliceEndpoint {
  const [k, ep] = wanted.entries().next().value!;
  wanted.delete(k);
  return ep;
}

/** getSliceToFill: the slice that ends up closest to full when `n` endpoints are added. */
function sliceToFill(slices: Slice[], n: number, max: number): Slice | undefined {
  let best: Slice | undefined;
  let closest = max;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints ?? []).length);
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = s;
      if (diff === 0) break;
    }
  }
  return best;
}

/** reconcileByPortMapping: the three steps for the slices of one set of ports. */
function planPortMapping(
  inputs: Inputs,
  existing: readonly Stored<EndpointSlice>[],
  wanted: Map<string, SliceEndpoint>,
  ports: SlicePort[],
  addressType: string,
) {
  const { svc, maxPerSlice: max } = inputs;
  const slices = new Map<string, Slice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete: Stored<EndpointSlice>[] = [];
  // 1. Keep the wanted endpoints where they are (in their wanted form); drop the others.
  for (const s of [...existing].sort(byName)) {
    const name = s.metadata.name;
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const ep of s.endpoints ?? []) {
      const k = endpointKey(ep);
      const want = wanted.get(k);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) changed = true;
      wanted.delete(k);
    }
    const [labels, labelsChanged] = sliceLabels(s, svc);
    if (changed || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(s);
      else {
        slices.set(name, { ...copyOf(s), endpoints: kept, metadata: { ...s.metadata, labels } });
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      slices.set(name, { ...copyOf(s), metadata: { ...s.metadata, labels } });
      toUpdate.add(name);
    } else {
      slices.set(name, s as Slice);
      unchanged.add(name);
    }
  }
  // 2. Fill the changed slices, fullest first.
  if (wanted.size > 0 && toUpdate.size > 0) {
    const fill = [...toUpdate]
      .map((n) => slices.get(n)!)
      .sort((a, b) => b.endpoints.length - a.endpoints.length || byName(a, b));
    for (const s of fill)
      while (wanted.size > 0 && s.endpoints.length < max) s.endpoints.push(popFirst(wanted));
  }
  // 3. Fit the rest into an unchanged slice with room, else new slices.
  const create: Slice[] = [];
  while (wanted.size > 0) {
    let target: Slice | undefined;
    if (wanted.size < max && unchanged.size > 0) {
      const candidates = [...unchanged].sort().map((n) => slices.get(n)!);
      const hit = sliceToFill(candidates, wanted.size, max);
      if (hit) slices.set(hit.metadata!.name!, (target = copyOf(hit)));
    }
    target ??= newSlice(svc, ports, addressType);
    while (wanted.size > 0 && target.endpoints.length < max) target.endpoints.push(popFirst(wanted));
    const name = target.metadata?.name;
    if (name) {
      toUpdate.add(name);
      unchanged.delete(name);
    } else create.push(target);
  }
  const update = [...toUpdate].sort().map((n) => slices.get(n)!);
  return { create, update, delete: toDelete.sort(byName) };
}
