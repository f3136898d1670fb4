/**
 * TaintToleration: Filter rejects nodes with an untolerated NoSchedule/NoExecute taint; Score
 * counts untolerated PreferNoSchedule taints, normalised in reverse (fewest is best).
 */
import type { Taint, Toleration } from "../../api/types.js";
import { NODE_ADD, NODE_TAINT } from "../events.js";
import {
  defaultNormalizeScore,
  type FilterPlugin,
  type FilterStatus,
  MAX_NODE_SCORE,
  reject,
  type ScorePlugin,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
} from "../framework.js";
import type { NodeColumns } from "../node-columns.js";
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from "./taints.js";

const NAME = "TaintToleration";
const statuses = new Map<string, FilterStatus>();

// v1.33's wording names the first untolerated taint (later versions say "untolerated taint(s)").
function rejection(t: Taint): FilterStatus {
  const reason = `node(s) had untolerated taint {${t.key}: ${t.value ?? ""}}`;
  let st = statuses.get(reason);
  if (!st) statuses.set(reason, (st = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, reason)));
  return st;
}

const NO_TOLERATIONS: readonly Toleration[] = [];
const preferred = new WeakMap<readonly Toleration[], readonly Toleration[]>();

// Only tolerations with an empty or PreferNoSchedule effect count (getAllTolerationPreferNoSchedule).
function preferNoScheduleTolerations(tols: readonly Toleration[]): readonly Toleration[] {
  if (tols.length === 0) return NO_TOLERATIONS;
  let hit = preferred.get(tols);
  if (!hit) preferred.set(tols, (hit = tols.filter((t) => !t.effect || t.effect === "PreferNoSchedule")));
  return hit;
}

interface TaintState {
  tols: readonly Toleration[];
  cols: NodeColumns;
}

// Counts untolerated PreferNoSchedule taints (indexed loop: for-of over frozen API arrays is slow in V8).
function intolerablePreferNoSchedule(taints: readonly Taint[], tols: readonly Toleration[]): number {
  let n = 0;
  for (let k = 0; k < taints.length; k++) {
    const t = taints[k]!;
    if (t.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tols, t)) n++;
  }
  return n;
}

/** Filter and Score (weight 3); most nodes have no taint, which the taint-count column answers. */
export const taintToleration: FilterPlugin<TaintState> & ScorePlugin<TaintState> = {
  name: NAME,
  events: NODE_ADD | NODE_TAINT,
  weight: 3,
  preFilter: (cycle) => ({ tols: cycle.pod.spec?.tolerations ?? NO_TOLERATIONS, cols: cycle.cache.cols }),
  filter(_cycle, { tols, cols }, node) {
    if (cols.taintCount[node.id] === 0) return undefined;
    const t = findUntoleratedTaint(node.taints, tols, isDoNotScheduleTaint);
    return t ? rejection(t) : undefined;
  },
  precheck(_state, cols, ids, from, to, ok) {
    const col = cols.taintCount;
    for (let t = from; t < to; t++) if (col[ids[t]!] !== 0) ok[t] = 0;
  },
  preScore: (cycle) => ({
    tols: preferNoScheduleTolerations(cycle.pod.spec?.tolerations ?? NO_TOLERATIONS),
    cols: cycle.cache.cols,
  }),
  score(_cycle, { tols, cols }, nodes, ids, out) {
    for (let j = 0; j < nodes.length; j++) {
      out[j] = cols.taintCount[ids[j]!] === 0 ? 0 : intolerablePreferNoSchedule(nodes[j]!.taints, tols);
    }
  },
  normalize: (_cycle, _state, _nodes, scores) => defaultNormalizeScore(MAX_NODE_SCORE, true, scores),
};
