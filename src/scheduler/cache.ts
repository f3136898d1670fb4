/** The scheduler cache (internal/cache): node infos kept from watch events, with pods assumed on bind. */
import { firstEqualityRequirement, type Selector } from "../api/labels.js";
import type { Node, Pod, Stored } from "../api/types.js";
import { MatchIndexes, type PodSource } from "./match-index.js";
import { NodeColumns } from "./node-columns.js";
import { type NodeChanges, NodeInfo } from "./nodeinfo.js";
import { NodeTree } from "./nodetree.js";
import { labelRoutesOf, type PodInfo, podInfoOf, podLabels, sameFacts, sameSpecParts } from "./podinfo.js";

interface CachedPod {
  info: PodInfo;
  node: NodeInfo;
  /** Bound by this scheduler, the watch event not yet seen. */
  assumed: boolean;
}

function labelKey(namespace: string, k: string, v: string): string {
  return `${namespace}\u0000${k}\u0000${v}`;
}

/** Node infos, pods (assumed or bound) and the indexes over them; the state every cycle reads. */
export class SchedulerCache implements PodSource {
  private readonly nodes = new Map<string, NodeInfo>();
  /** The numbers of every node, by NodeInfo.id (arrays are replaced only when nodes are added). */
  readonly cols = new NodeColumns();
  private readonly tree = new NodeTree();
  private readonly pods = new Map<string, CachedPod>();
  private readonly byLabel = new Map<string, Set<CachedPod>>();
  private readonly byNamespace = new Map<string, Set<CachedPod>>();
  /** Pods with pod affinity or anti-affinity, on any node (InterPodAffinity reads only these). */
  readonly podsWithAffinity = new Set<PodInfo>();
  /** Normalised image name → number of nodes that have it (ImageStateSummary.NumNodes). */
  private readonly imageNodes = new Map<string, number>();
  /** Normalised image name → its size on each node, by NodeInfo.id (0 where the node lacks it). */
  private readonly imageSizes = new Map<string, Float64Array>();
  /** Zone label values ("" for none) → small integers, in order of first sight. */
  private readonly zoneValues = new Map<string, number>();
  private readonly zoneNames: string[] = [];
  /** Pod counts per (namespace, selector), per node. */
  readonly matches = new MatchIndexes(this);

  /** Nodes in walking order (zones round-robin); ghosts excluded. */
  nodeList(): readonly NodeInfo[] {
    return this.tree.list();
  }

  /** The ids of nodeList()'s nodes, in the same order (NodeInfo.id, the index into `cols`). */
  nodeIds(): Int32Array {
    return this.tree.ids();
  }

  get numNodes(): number {
    return this.tree.size;
  }

  /** The node info for a name (ghosts included). */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** The id of a zone label value (-1 when no node has had it, unless `add`). */
  zoneValueId(value: string, add = false): number {
    let id = this.zoneValues.get(value);
    if (id === undefined) {
      if (!add) return -1;
      this.zoneValues.set(value, (id = this.zoneValues.size));
      this.zoneNames.push(value);
    }
    return id;
  }

  /** The zone value of an id. */
  zoneValueName(id: number): string {
    return this.zoneNames[id] ?? "";
  }

  /** How many zone values have ids (the length of arrays indexed by them). */
  get zoneValueCount(): number {
    return this.zoneValues.size;
  }

  /** Number of nodes that have the image (by normalised name). */
  imageNodeCount(name: string): number {
    return this.imageNodes.get(name) ?? 0;
  }

  /** The sizes of an image by node id (0: not on the node; ids past the end: none); undefined when no node has had it. */
  imageSizesOf(name: string): Float64Array | undefined {
    return this.imageSizes.get(name);
  }

  // Keeps imageNodes and imageSizes in step with a node's images: `sign` 1 adds them, -1 removes them.
  private countImages(n: NodeInfo, images: ReadonlyMap<string, number>, sign: 1 | -1): void {
    for (const [img, size] of images) {
      this.imageNodes.set(img, (this.imageNodes.get(img) ?? (sign > 0 ? 0 : 1)) + sign);
      let col = this.imageSizes.get(img);
      if (!col || col.length <= n.id) {
        const grown = new Float64Array(Math.max(this.cols.stamp.length, n.id + 1));
        if (col) grown.set(col);
        this.imageSizes.set(img, (col = grown));
      }
      col[n.id] = sign > 0 ? size : 0;
    }
  }

  /** Adds or updates a node; returns what changed (all true for a new node). */
  setNode(node: Stored<Node>): NodeChanges {
    const name = node.metadata.name;
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new NodeInfo(name, this.cols)));
    const known = n.node !== undefined;
    const oldZone = n.zoneKey;
    const oldImages = n.images;
    const changes = n.setNode(node);
    if (changes.images) {
      this.countImages(n, oldImages, -1);
      this.countImages(n, n.images, 1);
    }
    if (!known) this.tree.add(n);
    else if (oldZone !== n.zoneKey) {
      this.tree.remove(n, oldZone);
      this.tree.add(n);
    }
    if (!known || changes.labels) {
      n.zoneValueId = this.zoneValueId(n.zoneLabel ?? "", true);
      this.cols.zoneValue[n.id] = n.zoneLabel === undefined ? -1 : n.zoneValueId;
      this.matches.nodesChanged();
    }
    return changes;
  }

  /** Removes a node; its pods stay (on a ghost) until they are deleted, as in kube-scheduler. */
  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n?.node) return;
    this.tree.remove(n, n.zoneKey);
    this.matches.nodesChanged();
    this.countImages(n, n.images, -1);
    n.node = undefined;
    n.setImages(new Map());
    if (n.podCount === 0) this.dropNode(n);
  }

  /** Puts a pod on its node before the binding is seen (cache.AssumePod). */
  assumePod(info: PodInfo, nodeName: string): void {
    this.addPod(info, nodeName, true);
  }

  /** Drops an assumed pod whose binding failed (cache.ForgetPod). */
  forgetPod(uid: string): void {
    const cp = this.pods.get(uid);
    if (cp?.assumed) this.removePod(uid);
  }

  /** Whether the pod is in the cache (assumed or confirmed). */
  hasPod(uid: string): boolean {
    return this.pods.has(uid);
  }

  /** Adds a bound pod seen by the watch, confirming it if it was assumed; moves it if its node differs. */
  addPod(info: PodInfo, nodeName: string, assumed = false): void {
    const cp = this.pods.get(info.uid);
    if (cp && cp.node.name === nodeName) {
      cp.assumed = cp.assumed && assumed;
      this.updatePod(info);
      return;
    }
    if (cp) this.removePod(info.uid);
    let node = this.nodes.get(nodeName);
    if (!node) this.nodes.set(nodeName, (node = new NodeInfo(nodeName, this.cols)));
    const entry: CachedPod = { info, node, assumed };
    this.pods.set(info.uid, entry);
    this.link(entry, 1);
  }

  /**
   * A version of a bound pod seen by the watch (addPod of its PodInfo), deriving the facts only when
   * the spec parts they come from changed: the binding and the kubelet's status writes leave them,
   * the labels and the deletion timestamp as they were.
   */
  addBoundPod(pod: Stored<Pod>, nodeName: string): void {
    const cp = this.pods.get(pod.metadata.uid);
    if (!cp || cp.node.name !== nodeName || !sameSpecParts(cp.info.spec, pod.spec)) {
      this.addPod(podInfoOf(pod), nodeName);
      return;
    }
    cp.assumed = false;
    const old = cp.info;
    const same =
      old.spec === pod.spec &&
      old.labels === podLabels(pod) &&
      old.terminating === (pod.metadata.deletionTimestamp !== undefined);
    if (!same) this.updatePod(old.withVersion(pod));
  }

  /** A new version of a pod already in the cache (labels, requests or termination may have changed). */
  updatePod(info: PodInfo): void {
    const cp = this.pods.get(info.uid);
    if (!cp || cp.info === info) return;
    const old = cp.info;
    // Status-only changes (the kubelet's) touch nothing the scheduler aggregates.
    if (
      old.labels === info.labels &&
      old.terminating === info.terminating &&
      sameFacts(old.facts, info.facts)
    ) {
      if (old.hasAffinity) {
        this.podsWithAffinity.delete(old);
        this.podsWithAffinity.add(info);
      }
      // The indexes hold the entry, not the info: replacing it is enough.
      cp.info = info;
      return;
    }
    this.link(cp, -1);
    cp.info = info;
    this.link(cp, 1);
  }

  /** Removes a pod (deleted, terminated, or forgotten). */
  removePod(uid: string): void {
    const cp = this.pods.get(uid);
    if (!cp) return;
    this.link(cp, -1);
    this.pods.delete(uid);
    if (!cp.node.node && cp.node.podCount === 0) this.dropNode(cp.node);
  }

  private dropNode(n: NodeInfo): void {
    this.nodes.delete(n.name);
    this.cols.release(n.id);
  }

  /** The node a cached pod is on. */
  nodeOfPod(uid: string): NodeInfo | undefined {
    return this.pods.get(uid)?.node;
  }

  forEachCandidate(namespace: string, selector: Selector, fn: (p: PodInfo, node: NodeInfo) => void): void {
    const eq = firstEqualityRequirement(selector);
    const set = eq
      ? this.byLabel.get(labelKey(namespace, eq.key, eq.value))
      : this.byNamespace.get(namespace);
    if (set) for (const cp of set) fn(cp.info, cp.node);
  }

  private link(cp: CachedPod, sign: 1 | -1): void {
    const { info, node } = cp;
    if (sign > 0) node.addPod(info);
    else node.removePod(info);
    if (info.hasAffinity) {
      if (sign > 0) this.podsWithAffinity.add(info);
      else this.podsWithAffinity.delete(info);
    }
    this.index(cp, sign);
    this.matches.podChanged(info, node, sign);
  }

  private index(cp: CachedPod, sign: 1 | -1): void {
    const keys = labelRoutesOf(cp.info);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let set = this.byLabel.get(key);
      if (sign > 0) {
        if (!set) this.byLabel.set(key, (set = new Set()));
        set.add(cp);
      } else if (set) {
        set.delete(cp);
        if (set.size === 0) this.byLabel.delete(key);
      }
    }
    const namespace = cp.info.namespace;
    let ns = this.byNamespace.get(namespace);
    if (sign > 0) {
      if (!ns) this.byNamespace.set(namespace, (ns = new Set()));
      ns.add(cp);
    } else if (ns) {
      ns.delete(cp);
      if (ns.size === 0) this.byNamespace.delete(namespace);
    }
  }
}
