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
import type { NodeInfo } from "../nodeinfo.js";
import type { PodInfo } from "../podinfo.js";

// Simplification: cpu, memory, ephemeral-storage and pods only (no extended resources).

const NAME = "NodeResourcesFit";
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
export function insufficientResources(p: PodInfo, node: NodeInfo): number {
  let mask = 0;
  if (node.podCount + 1 > node.allocPods) mask |= 1;
  if (p.milliCpu === 0 && p.memory === 0 && p.ephemeralStorage === 0) return mask;
  if (p.milliCpu > 0 && p.milliCpu > node.allocMilliCpu - node.requestedMilliCpu) mask |= 2;
  if (p.memory > 0 && p.memory > node.allocMemory - node.requestedMemory) mask |= 4;
  if (
    p.ephemeralStorage > 0 &&
    p.ephemeralStorage > node.allocEphemeralStorage - node.requestedEphemeralStorage
  )
    mask |= 8;
  return mask;
}

/** leastRequestedScore: (capacity − requested) × 100 / capacity, integer; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The LeastAllocated score of a node for a pod (resources with no allocatable are left out). */
export function leastAllocatedScore(p: PodInfo, node: NodeInfo): number {
  let sum = 0;
  let weights = 0;
  if (node.allocMilliCpu !== 0) {
    sum += leastRequestedScore(node.nonZeroMilliCpu + p.nonZeroMilliCpu, node.allocMilliCpu);
    weights++;
  }
  if (node.allocMemory !== 0) {
    sum += leastRequestedScore(node.nonZeroMemory + p.nonZeroMemory, node.allocMemory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

/** Filter and Score (weight 1). No NormalizeScore: the score is already in [0, 100]. */
export const nodeResourcesFit: FilterPlugin<PodInfo> & ScorePlugin<PodInfo> = {
  name: NAME,
  events: ASSIGNED_POD_DELETE | NODE_ADD | NODE_ALLOCATABLE,
  weight: 1,
  preFilter: (cycle) => cycle.info,
  filter(_cycle, p, node) {
    const mask = insufficientResources(p, node);
    return mask === 0 ? undefined : STATUSES[mask];
  },
  preScore: (cycle) => cycle.info,
  score(_cycle, p, nodes, out) {
    for (let j = 0; j < nodes.length; j++) out[j] = leastAllocatedScore(p, nodes[j]!);
  },
};
