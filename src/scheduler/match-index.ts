/** Per-node counts of pods matching a (namespace, selector), kept current as pods come and go. */
import { firstEqualityRequirement, type Selector, selectorToString } from "../api/labels.js";
import type { NodeInfo } from "./nodeinfo.js";
import { labelRoutesOf, type PodInfo } from "./podinfo.js";

// kubesim's own structure (kube-scheduler scans its snapshot): spreading and affinity read counts, not every pod.

/** Matching pods on one node: all of them, and those not terminating. */
export interface MatchCount {
  all: number;
  live: number;
}

/** Counts for one (namespace, selector). */
export class MatchIndex {
  /** Nodes with at least one matching pod. */
  readonly perNode = new Map<NodeInfo, MatchCount>();
  /** Live matching pods by NodeInfo.id (the per-node read of every scored node). */
  private liveById = new Int32Array(64);
  /** Topology key → node label value ("" when absent) → live matching pods on known nodes. */
  private byTopology: Map<string, Map<string, number>> | undefined;

  constructor(
    readonly namespace: string,
    readonly selector: Selector,
  ) {}

  /** Matching pods on the node (0 when none). */
  count(node: NodeInfo, liveOnly: boolean): number {
    if (liveOnly) return this.liveOn(node);
    return this.perNode.get(node)?.all ?? 0;
  }

  /** Matching pods on the node that are not terminating. */
  liveOn(node: NodeInfo): number {
    return this.liveAt(node.id);
  }

  /** Live matching pods by NodeInfo.id (ids past its end have none); valid until the next change. */
  liveCounts(): Int32Array {
    return this.liveById;
  }

  /** Matching pods that are not terminating on the node of this id (NodeInfo.id). */
  liveAt(id: number): number {
    return id < this.liveById.length ? this.liveById[id]! : 0;
  }

  apply(p: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    let c = this.perNode.get(node);
    if (!c) this.perNode.set(node, (c = { all: 0, live: 0 }));
    c.all += sign;
    if (!p.terminating) {
      c.live += sign;
      if (node.id >= this.liveById.length) {
        const grown = new Int32Array(Math.max(2 * this.liveById.length, node.id + 1));
        grown.set(this.liveById);
        this.liveById = grown;
      }
      this.liveById[node.id]! += sign;
      if (this.byTopology && node.node) {
        for (const [key, m] of this.byTopology) {
          const v = node.labels[key] ?? "";
          m.set(v, (m.get(v) ?? 0) + sign);
        }
      }
    }
    if (c.all <= 0) this.perNode.delete(node);
  }

  /**
   * Live matching pods per value of a node label, summed over known nodes (ghosts excluded);
   * built on first use, then kept current until nodes change.
   */
  liveByTopology(key: string): ReadonlyMap<string, number> {
    const topo = (this.byTopology ??= new Map());
    let m = topo.get(key);
    if (m) return m;
    m = new Map();
    for (const [node, c] of this.perNode) {
      if (!node.node || c.live === 0) continue;
      const v = node.labels[key] ?? "";
      m.set(v, (m.get(v) ?? 0) + c.live);
    }
    topo.set(key, m);
    return m;
  }

  /** Nodes came, went or were relabelled: per-topology sums are rebuilt on next use. */
  invalidateTopology(): void {
    this.byTopology = undefined;
  }
}

/** Where the indexes find the pods a new selector matches (the cache's label index). */
export interface PodSource {
  forEachCandidate(namespace: string, selector: Selector, fn: (p: PodInfo, node: NodeInfo) => void): void;
}

const keys = new WeakMap<Selector, string>();

function selectorKey(sel: Selector): string {
  let k = keys.get(sel);
  if (k === undefined) {
    k = sel.empty ? "<everything>" : selectorToString(sel);
    keys.set(sel, k);
  }
  return k;
}

/** Default number of (namespace, selector) pairs kept; the least recently used goes first. */
export const MATCH_INDEX_CAPACITY = 256;

// Where a pod change must look: the indexes whose first equality requirement is one of the pod's
// labels (`ns\0key\0value`), and per namespace those without one.
function routeKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

/** The MatchIndex of each (namespace, selector) in use, least recently used evicted past a bound. */
export class MatchIndexes {
  private readonly byKey = new Map<string, MatchIndex>();
  private readonly byRoute = new Map<string, Set<MatchIndex>>();
  private readonly lastUse = new Map<MatchIndex, number>();
  /** The index last returned for a selector object (skips building the key string). */
  private readonly bySelector = new WeakMap<Selector, MatchIndex>();
  private uses = 0;

  constructor(
    private readonly source: PodSource,
    private readonly capacity = MATCH_INDEX_CAPACITY,
  ) {}

  /** The counts for pods in `namespace` matching `selector`; undefined for a selector that matches nothing. */
  get(namespace: string, selector: Selector): MatchIndex | undefined {
    if (selector.nothing) return undefined;
    let idx = this.bySelector.get(selector);
    if (!idx || idx.namespace !== namespace || !this.lastUse.has(idx)) {
      const key = `${namespace}\u0000${selectorKey(selector)}`;
      idx = this.byKey.get(key) ?? this.create(key, namespace, selector);
      this.bySelector.set(selector, idx);
    }
    this.lastUse.set(idx, ++this.uses);
    return idx;
  }

  private create(key: string, namespace: string, selector: Selector): MatchIndex {
    const idx = new MatchIndex(namespace, selector);
    this.source.forEachCandidate(namespace, selector, (p, node) => {
      if (selector.matches(p.labels)) idx.apply(p, node, 1);
    });
    if (this.byKey.size >= this.capacity) this.evictLeastRecentlyUsed();
    this.byKey.set(key, idx);
    this.lastUse.set(idx, this.uses);
    const route = this.routeOf(idx);
    let set = this.byRoute.get(route);
    if (!set) this.byRoute.set(route, (set = new Set()));
    set.add(idx);
    return idx;
  }

  private routeOf(idx: MatchIndex): string {
    const eq = firstEqualityRequirement(idx.selector);
    return eq ? routeKey(idx.namespace, eq.key, eq.value) : idx.namespace;
  }

  /** A pod joined (sign 1) or left (sign -1) a node. */
  podChanged(p: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    if (this.byKey.size === 0) return;
    this.applyRoute(p.namespace, p, node, sign);
    const routes = labelRoutesOf(p);
    for (let i = 0; i < routes.length; i++) this.applyRoute(routes[i]!, p, node, sign);
  }

  private applyRoute(route: string, p: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    const set = this.byRoute.get(route);
    if (set) for (const idx of set) if (idx.selector.matches(p.labels)) idx.apply(p, node, sign);
  }

  /** Node membership or labels changed. */
  nodesChanged(): void {
    for (const idx of this.byKey.values()) idx.invalidateTopology();
  }

  // Eviction scans for the oldest use (rare: only when the capacity is reached).
  private evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [key, idx] of this.byKey) {
      const u = this.lastUse.get(idx)!;
      if (u < oldestUse) {
        oldestUse = u;
        oldest = key;
      }
    }
    if (oldest === undefined) return;
    const idx = this.byKey.get(oldest)!;
    this.byKey.delete(oldest);
    this.lastUse.delete(idx);
    const route = this.routeOf(idx);
    const set = this.byRoute.get(route);
    set?.delete(idx);
    if (set?.size === 0) this.byRoute.delete(route);
  }
}
