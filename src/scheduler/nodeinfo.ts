/** Per-node aggregate state of the scheduler cache (framework.NodeInfo), kept up to date incrementally. */
import { nodeAllocatable } from "../api/resources.js";
import type { Node, Stored, Taint } from "../api/types.js";
import { NodeColumns } from "./node-columns.js";
import type { HostPort, PodInfo } from "./podinfo.js";

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAINTS: readonly Taint[] = Object.freeze([]);
const NO_IMAGES: ReadonlyMap<string, number> = new Map();

/** Image size the scheduler assumes when a node reports none (a simplification: kubesim has no registry). */
export const DEFAULT_IMAGE_SIZE_BYTES = 100 * 1024 * 1024;

/**
 * docker.io/library/nginx → as listed; a name without a tag gets `:latest`
 * (imagelocality.normalizedImageName).
 */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** utilnode.GetZoneKey: region and zone labels (GA or beta), "" when the node has neither. */
export function zoneKeyOf(labels: Readonly<Record<string, string>>): string {
  const zone =
    labels["failure-domain.beta.kubernetes.io/zone"] ?? labels["topology.kubernetes.io/zone"] ?? "";
  const region =
    labels["failure-domain.beta.kubernetes.io/region"] ?? labels["topology.kubernetes.io/region"] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\u0000:${zone}`;
}

/** What a node update changed, as far as scheduling is concerned. */
export interface NodeChanges {
  labels: boolean;
  taints: boolean;
  /** spec.unschedulable went from true to false. */
  becameSchedulable: boolean;
  /** Some allocatable resource grew. */
  allocatable: boolean;
  images: boolean;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/** The hostname and zone labels, which spreading reads for every node of every cycle. */
const LABEL_HOSTNAME = "kubernetes.io/hostname";
const LABEL_ZONE = "topology.kubernetes.io/zone";

/** A node label's value (undefined when absent); the hostname and zone labels are read from fields. */
export function labelOf(node: NodeInfo, key: string): string | undefined {
  if (key === LABEL_HOSTNAME) return node.hostnameLabel;
  if (key === LABEL_ZONE) return node.zoneLabel;
  return node.labels[key];
}

/** One node as the scheduler sees it: the Node object, its pods, ports, images and (in columns) sums. */
export class NodeInfo {
  // The fields every cycle reads come first, so that they share the object's first cache line.
  /** This node's index in `cols`. */
  readonly id: number;
  /** The numbers of this node (and of the cache's other nodes), at index `id`. */
  readonly cols: NodeColumns;
  taints: readonly Taint[] = NO_TAINTS;
  hostnameLabel: string | undefined;
  zoneLabel: string | undefined;
  /** The zone label's value ("" when absent) as a small integer, assigned by the cache. */
  zoneValueId = 0;
  /** Normalised image name → size in bytes. */
  images: ReadonlyMap<string, number> = NO_IMAGES;
  /** Undefined for a "ghost": pods are bound to a node the cache has not seen (or has seen deleted). */
  node: Stored<Node> | undefined;
  labels: Readonly<Record<string, string>> = NO_LABELS;
  zoneKey = "";
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Priority → number of pods on the node with it (few distinct values: preemption's question is cheap). */
  private readonly priorities = new Map<number, number>();
  /** `protocol/port` → host IPs in use (one entry per pod using it). */
  private usedPorts: Map<string, string[]> | undefined;
  readonly name: string;

  /** The cache shares one column table among its nodes; a node made alone gets a table of its own. */
  constructor(name: string, cols: NodeColumns = new NodeColumns(), id: number = cols.allocate()) {
    this.name = name;
    this.cols = cols;
    this.id = id;
  }

  get unschedulable(): boolean {
    return this.cols.unschedulable[this.id] === 1;
  }
  get allocMilliCpu(): number {
    return this.cols.allocMilliCpu[this.id]!;
  }
  get allocMemory(): number {
    return this.cols.allocMemory[this.id]!;
  }
  get allocEphemeralStorage(): number {
    return this.cols.allocEphemeralStorage[this.id]!;
  }
  get allocPods(): number {
    return this.cols.allocPods[this.id]!;
  }
  get requestedMilliCpu(): number {
    return this.cols.requestedMilliCpu[this.id]!;
  }
  get requestedMemory(): number {
    return this.cols.requestedMemory[this.id]!;
  }
  get requestedEphemeralStorage(): number {
    return this.cols.requestedEphemeralStorage[this.id]!;
  }
  get nonZeroMilliCpu(): number {
    return this.cols.nonZeroMilliCpu[this.id]!;
  }
  get nonZeroMemory(): number {
    return this.cols.nonZeroMemory[this.id]!;
  }
  /** Pods on the node (assumed or bound). */
  get podCount(): number {
    return this.cols.podCount[this.id]!;
  }

  /** Sets the Node object; returns what changed relative to the previous one (by value). */
  setNode(node: Stored<Node>): NodeChanges {
    const prev = this.node;
    const labels = node.metadata.labels ?? NO_LABELS;
    const taints = node.spec?.taints ?? NO_TAINTS;
    const unschedulable = node.spec?.unschedulable === true;
    const changes: NodeChanges = {
      labels: prev === undefined || !sameRecord(this.labels, labels),
      taints:
        prev === undefined ||
        (this.taints !== taints && JSON.stringify(this.taints) !== JSON.stringify(taints)),
      becameSchedulable: prev !== undefined && this.unschedulable && !unschedulable,
      allocatable: false,
      images: prev === undefined || prev.status?.images !== node.status?.images,
    };
    this.node = node;
    this.labels = labels;
    this.taints = taints;
    this.cols.taintCount[this.id] = taints.length;
    this.cols.unschedulable[this.id] = unschedulable ? 1 : 0;
    if (changes.labels) {
      this.zoneKey = zoneKeyOf(labels);
      this.hostnameLabel = labels[LABEL_HOSTNAME];
      this.zoneLabel = labels[LABEL_ZONE];
      this.cols.hasHostname[this.id] = this.hostnameLabel === undefined ? 0 : 1;
    }
    const st = node.status;
    if (
      prev === undefined ||
      prev.status?.allocatable !== st?.allocatable ||
      prev.status?.capacity !== st?.capacity
    )
      changes.allocatable = this.setAllocatable(node);
    if (changes.images) this.setImages(imagesOf(node));
    return changes;
  }

  /** Sets the node's images (and their count in the columns). */
  setImages(images: ReadonlyMap<string, number>): void {
    this.images = images;
    this.cols.imageCount[this.id] = images.size;
  }

  // Returns whether any allocatable resource grew (what NodeResourcesFit's queueing hint asks).
  private setAllocatable(node: Stored<Node>): boolean {
    const a = nodeAllocatable(node);
    const { cols, id } = this;
    const grew =
      a.milliCpu > cols.allocMilliCpu[id]! ||
      a.memory > cols.allocMemory[id]! ||
      a.ephemeralStorage > cols.allocEphemeralStorage[id]! ||
      a.pods > cols.allocPods[id]!;
    cols.allocMilliCpu[id] = a.milliCpu;
    cols.allocMemory[id] = a.memory;
    cols.allocEphemeralStorage[id] = a.ephemeralStorage;
    cols.allocPods[id] = a.pods;
    cols.touch(id);
    return grew;
  }

  // The node keeps sums, not its pods: the scheduler cache knows which pods are where (no plugin lists a node's pods).
  /** Adds a pod's requests, ports and affinity counters. */
  addPod(p: PodInfo): void {
    this.update(p, 1);
  }

  /** Removes the requests, ports and counters of a pod added before (the same PodInfo). */
  removePod(p: PodInfo): void {
    this.update(p, -1);
  }

  private update(p: PodInfo, sign: 1 | -1): void {
    const f = p.facts;
    const cols = this.cols;
    const id = this.id;
    cols.podCount[id]! += sign;
    cols.touch(id);
    cols.requestedMilliCpu[id]! += sign * f.milliCpu;
    cols.requestedMemory[id]! += sign * f.memory;
    cols.requestedEphemeralStorage[id]! += sign * f.ephemeralStorage;
    cols.nonZeroMilliCpu[id]! += sign * f.nonZeroMilliCpu;
    cols.nonZeroMemory[id]! += sign * f.nonZeroMemory;
    const n = (this.priorities.get(f.priority) ?? 0) + sign;
    if (n === 0) this.priorities.delete(f.priority);
    else this.priorities.set(f.priority, n);
    if (f.hasAffinity) this.podsWithAffinity += sign;
    if (f.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity += sign;
    for (const hp of f.hostPorts) this.updatePort(hp, sign);
  }

  private updatePort(hp: HostPort, sign: 1 | -1): void {
    const key = `${hp.protocol}/${hp.port}`;
    const ports = (this.usedPorts ??= new Map());
    const ips = ports.get(key);
    if (sign > 0) {
      if (ips) ips.push(hp.hostIP);
      else ports.set(key, [hp.hostIP]);
      return;
    }
    if (!ips) return;
    const i = ips.indexOf(hp.hostIP);
    if (i >= 0) ips.splice(i, 1);
    if (ips.length === 0) ports.delete(key);
  }

  /** Whether some pod on the node has a priority below `priority` (a possible preemption victim). */
  hasPodBelowPriority(priority: number): boolean {
    for (const p of this.priorities.keys()) if (p < priority) return true;
    return false;
  }

  /** HostPortInfo.CheckConflict: same protocol and port, and either IP is 0.0.0.0 or both are equal. */
  portConflicts(hp: HostPort): boolean {
    const ips = this.usedPorts?.get(`${hp.protocol}/${hp.port}`);
    if (!ips) return false;
    if (hp.hostIP === "0.0.0.0") return true;
    for (const ip of ips) if (ip === "0.0.0.0" || ip === hp.hostIP) return true;
    return false;
  }
}

function imagesOf(node: Stored<Node>): ReadonlyMap<string, number> {
  const list = node.status?.images;
  if (!list?.length) return NO_IMAGES;
  const out = new Map<string, number>();
  for (const img of list) {
    const size = img.sizeBytes && img.sizeBytes > 0 ? img.sizeBytes : DEFAULT_IMAGE_SIZE_BYTES;
    for (const n of img.names ?? []) out.set(normalizedImageName(n), size);
  }
  return out;
}
