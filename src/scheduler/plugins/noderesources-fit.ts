/** NodeResourcesFit: requests against allocatable (Filter) and LeastAllocated (Score). */
import { ASSIGNED_POD_DELETE, NODE_ADD, NODE_ALLOCATABLE } from "../events.js";
import {
  type FilterPlugin,
  type FilterStatus,
  MAX_NODE_SCORE,
  reject,
  type ScorePlugin,
  UNSCHEDULABLE,
} from "../framework.js";
import type { NodeColumns, ScoreMemo } from "../node-columns.js";
import type { PodInfo } from "../podinfo.js";

// Simplification: cpu, memory, ephemeral-storage and pods only (no extended resources).

const NAME = "NodeResourcesFit";
const FIT_MEMO = `${NAME}/filter`;
const REASONS = [
  "Too many pods",
  "Insufficient cpu",
  "Insufficient memory",
  "Insufficient ephemeral-storage",
];
// One frozen status per combination of insufficient resources, so a rejection allocates nothing.
const STATUSES: FilterStatus[] = Array.from({ length: 16 }, (_, mask) =>
  reject(NAME, UNSCHEDULABLE, ...REASONS.filter((_, i) => (mask & (1 << i)) !== 0)),
);

/** fitsRequest: a bit per insufficient resource (pods, cpu, memory, ephemeral-storage), 0 when it fits. */
export function insufficientResources(p: PodInfo, cols: NodeColumns, id: number): number {
  let mask = cols.podCount[id]! + 1 > cols.allocPods[id]! ? 1 : 0;
  if (p.milliCpu > 0 && p.milliCpu > cols.allocMilliCpu[id]! - cols.requestedMilliCpu[id]!) mask |= 2;
  if (p.memory > 0 && p.memory > cols.allocMemory[id]! - cols.requestedMemory[id]!) mask |= 4;
  const eph = p.ephemeralStorage;
  if (eph > 0 && eph > cols.allocEphemeralStorage[id]! - cols.requestedEphemeralStorage[id]!) mask |= 8;
  return mask;
}

/** leastRequestedScore: (capacity − requested) × 100 / capacity, integer; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The LeastAllocated score of node `id` for a pod (resources with no allocatable are left out). */
export function leastAllocatedScore(p: PodInfo, cols: NodeColumns, id: number): number {
  const cpu = cols.allocMilliCpu[id]!;
  const mem = cols.allocMemory[id]!;
  let sum = 0;
  let weights = 0;
  if (cpu !== 0) {
    sum += leastRequestedScore(cols.nonZeroMilliCpu[id]! + p.nonZeroMilliCpu, cpu);
    weights++;
  }
  if (mem !== 0) {
    sum += leastRequestedScore(cols.nonZeroMemory[id]! + p.nonZeroMemory, mem);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

interface FitState {
  p: PodInfo;
  cols: NodeColumns;
  /** Per-node results for pods of this shape (filter: insufficient-resource masks; score: scores). */
  memo: ScoreMemo;
}

/** Filter and Score (weight 1). No NormalizeScore: the score is already in [0, 100]. */
export const nodeResourcesFit: FilterPlugin<FitState> & ScorePlugin<FitState> = {
  name: NAME,
  events: ASSIGNED_POD_DELETE | NODE_ADD | NODE_ALLOCATABLE,
  weight: 1,
  // The node columns are read directly: this runs for every node of every cycle.
  preFilter(cycle) {
    const p = cycle.info;
    const cols = cycle.cache.cols;
    return { p, cols, memo: cols.memo(FIT_MEMO, p.milliCpu, p.memory, p.ephemeralStorage) };
  },
  filter(_cycle, { p, cols }, node) {
    const mask = insufficientResources(p, cols, node.id);
    return mask === 0 ? undefined : STATUSES[mask];
  },
  precheck({ p, memo }, cols, ids, from, to, ok) {
    // The verdict reads the node's allocatable, requests and pod count: kept until they change.
    const { stamps, scores: masks } = memo;
    const stamp = cols.stamp;
    for (let t = from; t < to; t++) {
      const id = ids[t]!;
      if (stamps[id] !== stamp[id]) {
        masks[id] = insufficientResources(p, cols, id);
        stamps[id] = stamp[id]!;
      }
      if (masks[id] !== 0) ok[t] = 0;
    }
  },
  preScore(cycle) {
    const p = cycle.info;
    const cols = cycle.cache.cols;
    return { p, cols, memo: cols.memo(NAME, p.nonZeroMilliCpu, p.nonZeroMemory) };
  },
  score(_cycle, { p, cols, memo }, _nodes, ids, out) {
    // The score reads the node's allocatable and non-zero requests: kept per node until they change.
    memo.scoreInto(cols.stamp, ids, out, (id) => leastAllocatedScore(p, cols, id));
  },
};
