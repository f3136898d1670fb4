/** PodTopologySpread: DoNotSchedule constraints filter; ScheduleAnyway or system defaults score. */
import {
  ASSIGNED_POD_ADD,
  ASSIGNED_POD_DELETE,
  ASSIGNED_POD_LABEL,
  NODE_ADD,
  NODE_DELETE,
  NODE_LABEL,
  NODE_TAINT,
} from "../events.js";
import {
  type Cycle,
  type FilterPlugin,
  MAX_NODE_SCORE,
  reject,
  type ScorePlugin,
  SKIP,
  UNSCHEDULABLE,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
} from "../framework.js";
import type { MatchIndex } from "../match-index.js";
import { labelOf, type NodeInfo } from "../nodeinfo.js";
import { requiredNodeAffinityOf } from "./nodeselector.js";
import {
  defaultConstraints,
  explicitConstraints,
  hasAllTopologyKeys,
  LABEL_HOSTNAME,
  LABEL_ZONE,
  nodeIncluded,
  type SpreadConstraint,
} from "./spread-constraints.js";

const NAME = "PodTopologySpread";
const CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
const NOT_MATCH = reject(NAME, UNSCHEDULABLE, CONSTRAINTS_NOT_MATCH);
const LABEL_NOT_MATCH = reject(
  NAME,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
  `${CONSTRAINTS_NOT_MATCH} (missing required label)`,
);

interface FilterState {
  constraints: readonly SpreadConstraint[];
  /** Per constraint: topology value → matching pods (only eligible domains appear). */
  counts: Map<string, number>[];
  /** Per constraint: the global minimum (0 when fewer domains than minDomains). */
  minMatch: number[];
  /** Per constraint: whether the incoming pod matches its own selector. */
  selfMatch: number[];
}

const NO_NODES: Set<NodeInfo> = new Set();

interface ScoreState {
  constraints: readonly SpreadConstraint[];
  indexes: (MatchIndex | undefined)[];
  ignored: Set<NodeInfo>;
  /** Per constraint (not hostname): topology value → matching pods. */
  counts: Map<string, number>[];
  weights: number[];
  /** Per constraint: whether its key is the hostname (counted per node at Score). */
  isHost: boolean[];
  /**
   * Per constraint, when every key is the hostname or the zone and no node is ignored: matching
   * pods by zone value id (undefined for hostname constraints). The fast path of Score.
   */
  byZoneId?: (Float64Array | undefined)[];
}

function indexesOf(cycle: Cycle, constraints: readonly SpreadConstraint[]): (MatchIndex | undefined)[] {
  // countPodsMatchSelector: an empty selector counts nothing.
  return constraints.map((c) =>
    c.selector.empty ? undefined : cycle.cache.matches.get(cycle.info.namespace, c.selector),
  );
}

// calPreFilterState: matching pods per domain over every node eligible for each constraint.
function preFilter(cycle: Cycle): FilterState | typeof SKIP {
  const { pod } = cycle;
  if (!pod.spec?.topologySpreadConstraints?.length) return SKIP;
  const constraints = explicitConstraints(pod, "DoNotSchedule");
  if (constraints.length === 0) return SKIP;
  const indexes = indexesOf(cycle, constraints);
  const affinity = requiredNodeAffinityOf(pod);
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of cycle.allNodes) {
    if (!hasAllTopologyKeys(node, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!nodeIncluded(c, pod, node, affinity)) continue;
      const v = labelOf(node, c.topologyKey)!;
      counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + (indexes[i]?.count(node, true) ?? 0));
    }
  }
  const minMatch = constraints.map((c, i) => {
    const m = counts[i]!;
    if (m.size < c.minDomains) return 0;
    let min = Number.POSITIVE_INFINITY;
    for (const n of m.values()) if (n < min) min = n;
    return min === Number.POSITIVE_INFINITY ? 0 : min;
  });
  const selfMatch = constraints.map((c) => (c.selector.matches(cycle.info.labels) ? 1 : 0));
  return { constraints, counts, minMatch, selfMatch };
}

function filter(_cycle: Cycle, s: FilterState, node: NodeInfo) {
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = labelOf(node, c.topologyKey);
    if (v === undefined) return LABEL_NOT_MATCH;
    const skew = (s.counts[i]!.get(v) ?? 0) + s.selfMatch[i]! - s.minMatch[i]!;
    if (skew > c.maxSkew) return NOT_MATCH;
  }
  return undefined;
}

// initPreScoreState + PreScore: domains of the feasible nodes, their weights, and pod counts.
function preScore(cycle: Cycle, feasible: readonly NodeInfo[], ids: Int32Array): ScoreState | typeof SKIP {
  const { pod } = cycle;
  const hasExplicit = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
  const constraints = hasExplicit
    ? explicitConstraints(pod, "ScheduleAnyway")
    : defaultConstraints(pod, cycle.lookups);
  if (constraints.length === 0 || cycle.allNodes.length === 0) return SKIP;
  // Only explicit constraints require every topology key: a node without a zone still spreads by hostname.
  const requireAll = hasExplicit;
  // Nodes are ignored only when every key is required; otherwise the shared empty set serves.
  const ignored = requireAll ? new Set<NodeInfo>() : NO_NODES;
  const isHost = constraints.map((c) => c.topologyKey === LABEL_HOSTNAME);
  const fast = constraints.every((c) => c.topologyKey === LABEL_HOSTNAME || c.topologyKey === LABEL_ZONE);
  if (fast && !requireAll) return zonePreScore(cycle, constraints, isHost, ids);
  const counts = fast
    ? zoneDomains(cycle, constraints, feasible, ids, requireAll, ignored)
    : domains(constraints, feasible, requireAll, ignored);
  const weights = constraints.map((_, i) =>
    Math.log((isHost[i] ? feasible.length - ignored.size : counts[i]!.size) + 2),
  );
  const indexes = indexesOf(cycle, constraints);
  countDomains(cycle, constraints, indexes, counts, requireAll);
  const state: ScoreState = { constraints, indexes, ignored, counts, weights, isHost };
  if (fast && ignored.size === 0)
    state.byZoneId = constraints.map((_, i) => (isHost[i] ? undefined : zoneArray(cycle, counts[i]!)));
  return state;
}

/**
 * preScore when every key is the hostname or the zone and no node is ignored (the system
 * defaults): the same domains, weights and counts, kept by zone value id from the node columns
 * (no maps of values).
 */
function zonePreScore(
  cycle: Cycle,
  constraints: readonly SpreadConstraint[],
  isHost: boolean[],
  ids: Int32Array,
): ScoreState {
  const { cache } = cycle;
  const zoneValue = cache.cols.zoneValue;
  const present = new Uint8Array(cache.zoneValueCount);
  // A node without the zone label forms the "" domain (as domains() does).
  const noZone = cache.zoneValueId("");
  let zones = 0;
  for (let j = 0; j < ids.length; j++) {
    const zone = zoneValue[ids[j]!]!;
    const z = zone >= 0 ? zone : noZone;
    if (present[z] === 0) {
      present[z] = 1;
      zones++;
    }
  }
  const weights = isHost.map((host) => Math.log((host ? ids.length : zones) + 2));
  const indexes = indexesOf(cycle, constraints);
  const affinity = requiredNodeAffinityOf(cycle.pod);
  const byZoneId = constraints.map((c, i) => {
    if (isHost[i]) return undefined;
    const out = new Float64Array(present.length);
    const idx = indexes[i];
    if (!idx) return out;
    // Common case: every known node counts, so the index's running per-domain sums serve.
    if (affinity.none && !c.honorNodeTaints) {
      for (const [v, n] of idx.liveByTopology(c.topologyKey)) {
        const z = cache.zoneValueId(v);
        if (z >= 0 && present[z] === 1) out[z] = out[z]! + n;
      }
      return out;
    }
    idx.perNode.forEach((n, node) => {
      if (!node.node || n.live === 0 || !nodeIncluded(c, cycle.pod, node, affinity)) return;
      const z = node.zoneValueId;
      if (present[z] === 1) out[z] = out[z]! + n.live;
    });
    return out;
  });
  return { constraints, indexes, ignored: NO_NODES, counts: [], weights, isHost, byZoneId };
}

// The zone domains' counts as an array by zone value id (values no node has are left out).
function zoneArray(cycle: Cycle, counts: Map<string, number>): Float64Array {
  const out = new Float64Array(cycle.cache.zoneValueCount);
  counts.forEach((n, v) => {
    const id = cycle.cache.zoneValueId(v);
    if (id >= 0) out[id] = n;
  });
  return out;
}

// The domains (topology values) of the feasible nodes, each with a zero count; nodes that lack a
// required key go to `ignored`.
function domains(
  constraints: readonly SpreadConstraint[],
  feasible: readonly NodeInfo[],
  requireAll: boolean,
  ignored: Set<NodeInfo>,
): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  for (let j = 0; j < feasible.length; j++) {
    const node = feasible[j]!;
    if (requireAll && !hasAllTopologyKeys(node, constraints)) {
      ignored.add(node);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      const key = constraints[i]!.topologyKey;
      if (key === LABEL_HOSTNAME) continue;
      const m = counts[i]!;
      // A node without the label forms the "" domain, as Kubernetes' map lookup yields.
      const v = labelOf(node, key) ?? "";
      if (!m.has(v)) m.set(v, 0);
    }
  }
  return counts;
}

// domains() when every key is the hostname or the zone: zones are marked by id from the node
// columns, no string hashing per node.
function zoneDomains(
  cycle: Cycle,
  constraints: readonly SpreadConstraint[],
  feasible: readonly NodeInfo[],
  ids: Int32Array,
  requireAll: boolean,
  ignored: Set<NodeInfo>,
): Map<string, number>[] {
  const needZone = requireAll && constraints.some((c) => c.topologyKey === LABEL_ZONE);
  const { hasHostname, zoneValue } = cycle.cache.cols;
  const present = new Uint8Array(cycle.cache.zoneValueCount);
  // A node without the zone label forms the "" domain (as domains() does).
  const noZone = cycle.cache.zoneValueId("");
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    const zone = zoneValue[id]!;
    if (requireAll && (hasHostname[id] === 0 || (needZone && zone < 0))) {
      ignored.add(feasible[j]!);
      continue;
    }
    present[zone >= 0 ? zone : noZone] = 1;
  }
  const zones = new Map<string, number>();
  for (let id = 0; id < present.length; id++) if (present[id]) zones.set(cycle.cache.zoneValueName(id), 0);
  return constraints.map((c) => (c.topologyKey === LABEL_ZONE ? new Map(zones) : new Map()));
}

// Adds the matching pods of every eligible node (only nodes that have some) to its domain's count.
function countDomains(
  cycle: Cycle,
  constraints: readonly SpreadConstraint[],
  indexes: (MatchIndex | undefined)[],
  counts: Map<string, number>[],
  requireAll: boolean,
): void {
  const affinity = requiredNodeAffinityOf(cycle.pod);
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    const idx = indexes[i];
    if (c.topologyKey === LABEL_HOSTNAME || !idx) continue;
    const m = counts[i]!;
    // Common case: every known node counts, so the index's running per-domain sums serve.
    if (!requireAll && affinity.none && !c.honorNodeTaints) {
      for (const [v, n] of idx.liveByTopology(c.topologyKey)) {
        const cur = m.get(v);
        if (cur !== undefined) m.set(v, cur + n);
      }
      continue;
    }
    idx.perNode.forEach((n, node) => {
      if (!node.node || n.live === 0) return;
      if (requireAll && !hasAllTopologyKeys(node, constraints)) return;
      if (!nodeIncluded(c, cycle.pod, node, affinity)) return;
      const v = labelOf(node, c.topologyKey) ?? "";
      const cur = m.get(v);
      if (cur !== undefined) m.set(v, cur + n.live);
    });
  }
}

function score(
  cycle: Cycle,
  s: ScoreState,
  nodes: readonly NodeInfo[],
  ids: Int32Array,
  out: Float64Array,
): void {
  if (s.byZoneId) scoreFast(cycle, s, s.byZoneId, ids, out);
  else scoreGeneric(s, nodes, out);
}

// Same arithmetic as scoreGeneric, reading the node columns: counts by node id and zone value id.
// One tight loop per constraint; each node's total still adds its terms in constraint order.
function scoreFast(
  cycle: Cycle,
  s: ScoreState,
  byZoneId: (Float64Array | undefined)[],
  ids: Int32Array,
  out: Float64Array,
) {
  const { constraints, indexes, weights } = s;
  const { hasHostname, zoneValue } = cycle.cache.cols;
  const n = ids.length;
  out.fill(0, 0, n);
  for (let i = 0; i < constraints.length; i++) {
    const w = weights[i]!;
    const base = constraints[i]!.maxSkew - 1;
    const zones = byZoneId[i];
    if (zones === undefined) {
      const live = indexes[i]?.liveCounts();
      const len = live === undefined ? 0 : live.length;
      for (let j = 0; j < n; j++) {
        const id = ids[j]!;
        if (hasHostname[id] === 0) continue;
        const cnt = id < len ? live![id]! : 0;
        out[j] = out[j]! + (cnt * w + base);
      }
    } else {
      for (let j = 0; j < n; j++) {
        const zone = zoneValue[ids[j]!]!;
        if (zone >= 0) out[j] = out[j]! + (zones[zone]! * w + base);
      }
    }
  }
  for (let j = 0; j < n; j++) out[j] = Math.round(out[j]!);
}

function scoreGeneric(s: ScoreState, nodes: readonly NodeInfo[], out: Float64Array): void {
  const { constraints, indexes, counts, weights, isHost, ignored } = s;
  const k = constraints.length;
  const anyIgnored = ignored.size > 0;
  for (let j = 0; j < nodes.length; j++) {
    const node = nodes[j]!;
    if (anyIgnored && ignored.has(node)) {
      out[j] = 0;
      continue;
    }
    let total = 0;
    for (let i = 0; i < k; i++) {
      const c = constraints[i]!;
      const v = labelOf(node, c.topologyKey);
      if (v === undefined) continue;
      const cnt = isHost[i] ? (indexes[i]?.liveOn(node) ?? 0) : (counts[i]!.get(v) ?? 0);
      // scoreForCount: maxSkew − 1 waters down small differences between domains.
      total += cnt * weights[i]! + (c.maxSkew - 1);
    }
    out[j] = Math.round(total);
  }
}

// NormalizeScore: fewest matching pods scores 100; ignored nodes score 0.
function normalize(_cycle: Cycle, s: ScoreState, nodes: readonly NodeInfo[], scores: Float64Array): void {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let j = 0; j < nodes.length; j++) {
    if (s.ignored.size > 0 && s.ignored.has(nodes[j]!)) continue;
    const v = scores[j]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  for (let j = 0; j < nodes.length; j++) {
    if (s.ignored.size > 0 && s.ignored.has(nodes[j]!)) scores[j] = 0;
    else if (max === 0) scores[j] = MAX_NODE_SCORE;
    else scores[j] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[j]!)) / max);
  }
}

/** Filter and Score (weight 2). */
export const podTopologySpread: FilterPlugin<FilterState> & ScorePlugin<ScoreState> = {
  name: NAME,
  events:
    ASSIGNED_POD_ADD |
    ASSIGNED_POD_DELETE |
    ASSIGNED_POD_LABEL |
    NODE_ADD |
    NODE_DELETE |
    NODE_LABEL |
    NODE_TAINT,
  weight: 2,
  preFilter,
  filter,
  preScore,
  score,
  normalize,
};
