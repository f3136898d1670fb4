/** InterPodAffinity: required (anti-)affinity as a filter, preferred terms as a score. */
import {
  ASSIGNED_POD_ADD,
  ASSIGNED_POD_DELETE,
  ASSIGNED_POD_LABEL,
  NODE_ADD,
  NODE_LABEL,
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
import type { NodeInfo } from "../nodeinfo.js";
import { type AffinityTerm, termMatches } from "../podinfo.js";
import { TopologyCounts } from "./topology-counts.js";

// Simplification: matchLabelKeys / mismatchLabelKeys of pod affinity terms are ignored.

const NAME = "InterPodAffinity";
const AFFINITY = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match pod affinity rules");
const ANTI_AFFINITY = reject(NAME, UNSCHEDULABLE, "node(s) didn't match pod anti-affinity rules");
const EXISTING_ANTI = reject(NAME, UNSCHEDULABLE, "node(s) didn't satisfy existing pods anti-affinity rules");
/** HardPodAffinityWeight default of InterPodAffinityArgs. */
const HARD_POD_AFFINITY_WEIGHT = 1;

interface FilterState {
  affinityTerms: readonly AffinityTerm[];
  antiTerms: readonly AffinityTerm[];
  affinity: TopologyCounts;
  anti: TopologyCounts;
  existingAnti: TopologyCounts;
  /** No pod matches the affinity terms anywhere, and the pod matches them itself (first of a group). */
  selfAffinityOk: boolean;
}

// mergeAffinityTermNamespacesIfNotEmpty: the incoming pod's terms, with namespaceSelector resolved to names.
function namespacesOf(cycle: Cycle, t: AffinityTerm): readonly string[] {
  if (t.namespaceSelector.empty) return cycle.lookups.namespacesMatching(t.namespaceSelector);
  if (t.namespaceSelector.nothing) return [...t.namespaces].sort();
  const set = new Set([...t.namespaces, ...cycle.lookups.namespacesMatching(t.namespaceSelector)]);
  return [...set].sort();
}

// Pods matching every required affinity term count once per term's domain (updateWithAffinityTerms).
function affinityCounts(cycle: Cycle, terms: readonly AffinityTerm[]): TopologyCounts {
  const out = new TopologyCounts();
  if (terms.length === 0) return out;
  const nsLists = terms.map((t) => new Set(namespacesOf(cycle, t)));
  const first = terms[0]!;
  for (const ns of nsLists[0]!) {
    cycle.cache.forEachCandidate(ns, first.selector, (p, node) => {
      if (!node.node) return;
      for (let i = 0; i < terms.length; i++) {
        if (!nsLists[i]!.has(p.namespace) || !terms[i]!.selector.matches(p.labels)) return;
      }
      for (const t of terms) out.addAt(t.topologyKey, node, 1);
    });
  }
  return out;
}

// Pods matching a term count in that term's domain; `sign`×`weight` per pod (anti-affinity, scores).
function termCounts(cycle: Cycle, terms: readonly AffinityTerm[], out: TopologyCounts, sign: number): void {
  for (const t of terms) {
    for (const ns of namespacesOf(cycle, t)) {
      const idx = cycle.cache.matches.get(ns, t.selector);
      if (!idx) continue;
      idx.perNode.forEach((n, node) => {
        if (node.node) out.addAt(t.topologyKey, node, sign * t.weight * n.all);
      });
    }
  }
}

// getExistingAntiAffinityCounts: domains where some existing pod's anti-affinity term matches the incoming pod.
function existingAntiCounts(cycle: Cycle): TopologyCounts {
  const out = new TopologyCounts();
  const { info } = cycle;
  const nsLabels = cycle.lookups.namespaceLabels(info.namespace);
  for (const e of cycle.cache.podsWithAffinity) {
    if (e.requiredAntiAffinityTerms.length === 0) continue;
    const node = cycle.cache.nodeOfPod(e.uid);
    if (!node?.node) continue;
    for (const t of e.requiredAntiAffinityTerms) {
      if (termMatches(t, info.namespace, info.labels, nsLabels)) out.addAt(t.topologyKey, node, 1);
    }
  }
  return out;
}

function preFilter(cycle: Cycle): FilterState | typeof SKIP {
  const { info } = cycle;
  const ownTerms = info.requiredAffinityTerms.length + info.requiredAntiAffinityTerms.length;
  if (ownTerms === 0 && cycle.cache.podsWithAffinity.size === 0) return SKIP;
  const existingAnti = existingAntiCounts(cycle);
  if (
    existingAnti.empty &&
    info.requiredAffinityTerms.length === 0 &&
    info.requiredAntiAffinityTerms.length === 0
  )
    return SKIP;
  const affinity = affinityCounts(cycle, info.requiredAffinityTerms);
  const anti = new TopologyCounts();
  termCounts(cycle, info.requiredAntiAffinityTerms, anti, 1);
  const selfAffinityOk =
    affinity.empty &&
    info.requiredAffinityTerms.every((t) => termMatches(t, info.namespace, info.labels, undefined));
  return {
    affinityTerms: info.requiredAffinityTerms,
    antiTerms: info.requiredAntiAffinityTerms,
    affinity,
    anti,
    existingAnti,
    selfAffinityOk,
  };
}

// satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity, in that order.
function filter(_cycle: Cycle, s: FilterState, node: NodeInfo) {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return AFFINITY;
    if (s.affinity.get(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (!podsExist && !s.selfAffinityOk) return AFFINITY;
  if (!s.anti.empty) {
    for (const t of s.antiTerms) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && s.anti.get(t.topologyKey, v) > 0) return ANTI_AFFINITY;
    }
  }
  if (!s.existingAnti.empty && s.existingAnti.anyOf(node)) return EXISTING_ANTI;
  return undefined;
}

// processExistingPod for the terms of existing pods with affinity (the incoming pod's are counted by index).
function existingPodScores(cycle: Cycle, out: TopologyCounts): void {
  const { info } = cycle;
  const nsLabels = cycle.lookups.namespaceLabels(info.namespace);
  for (const e of cycle.cache.podsWithAffinity) {
    const node = cycle.cache.nodeOfPod(e.uid);
    if (!node?.node) continue;
    for (const t of e.requiredAffinityTerms)
      if (termMatches(t, info.namespace, info.labels, nsLabels))
        out.addAt(t.topologyKey, node, HARD_POD_AFFINITY_WEIGHT);
    for (const t of e.preferredAffinityTerms)
      if (termMatches(t, info.namespace, info.labels, nsLabels)) out.addAt(t.topologyKey, node, t.weight);
    for (const t of e.preferredAntiAffinityTerms)
      if (termMatches(t, info.namespace, info.labels, nsLabels)) out.addAt(t.topologyKey, node, -t.weight);
  }
}

function preScore(cycle: Cycle): TopologyCounts | typeof SKIP {
  const { info } = cycle;
  const hasConstraints = info.preferredAffinityTerms.length > 0 || info.preferredAntiAffinityTerms.length > 0;
  if (!hasConstraints && cycle.cache.podsWithAffinity.size === 0) return SKIP;
  const scores = new TopologyCounts();
  termCounts(cycle, info.preferredAffinityTerms, scores, 1);
  termCounts(cycle, info.preferredAntiAffinityTerms, scores, -1);
  existingPodScores(cycle, scores);
  return scores.empty ? SKIP : scores;
}

function normalize(
  _cycle: Cycle,
  _s: TopologyCounts,
  _nodes: readonly NodeInfo[],
  scores: Float64Array,
): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < scores.length; j++) {
    const v = scores[j]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const diff = max - min;
  for (let j = 0; j < scores.length; j++)
    scores[j] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[j]! - min) / diff)) : 0;
}

/** Filter and Score (weight 2). */
export const interPodAffinity: FilterPlugin<FilterState> & ScorePlugin<TopologyCounts> = {
  name: NAME,
  events: ASSIGNED_POD_ADD | ASSIGNED_POD_DELETE | ASSIGNED_POD_LABEL | NODE_ADD | NODE_LABEL,
  weight: 2,
  preFilter,
  filter,
  preScore,
  score(_cycle, s, nodes, _ids, out) {
    for (let j = 0; j < nodes.length; j++) out[j] = s.sumOf(nodes[j]!);
  },
  normalize,
};
