/** NodeResourcesBalancedAllocation: (1 − |f_cpu − f_mem| / 2) × 100 with the pod placed. */
import { ASSIGNED_POD_DELETE, NODE_ADD, NODE_ALLOCATABLE } from "../events.js";
import { MAX_NODE_SCORE, type ScorePlugin, SKIP } from "../framework.js";
import type { NodeColumns } from "../node-columns.js";
import type { PodInfo } from "../podinfo.js";

const NAME = "NodeResourcesBalancedAllocation";

/** balancedResourceScorer over cpu and memory of node `id`, with actual (not non-zero) requests. */
export function balancedAllocationScore(p: PodInfo, cols: NodeColumns, id: number): number {
  const cpu = cols.allocMilliCpu[id]!;
  const mem = cols.allocMemory[id]!;
  const f0 = cpu !== 0 ? Math.min(1, (cols.requestedMilliCpu[id]! + p.milliCpu) / cpu) : -1;
  const f1 = mem !== 0 ? Math.min(1, (cols.requestedMemory[id]! + p.memory) / mem) : -1;
  // With fewer than two resources the standard deviation is zero.
  const std = f0 >= 0 && f1 >= 0 ? Math.abs((f0 - f1) / 2) : 0;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** Score only (weight 1); skipped for pods that request no cpu or memory (since v1.33, #129138). */
export const balancedAllocation: ScorePlugin<{ p: PodInfo; cols: NodeColumns }> = {
  name: NAME,
  events: ASSIGNED_POD_DELETE | NODE_ADD | NODE_ALLOCATABLE,
  weight: 1,
  preScore: (cycle) =>
    cycle.info.milliCpu === 0 && cycle.info.memory === 0 ? SKIP : { p: cycle.info, cols: cycle.cache.cols },
  score(_cycle, { p, cols }, _nodes, ids, out) {
    // The score reads the node's allocatable and requests: kept per node until they change.
    cols
      .memo(NAME, p.milliCpu, p.memory)
      .scoreInto(cols.stamp, ids, out, (id) => balancedAllocationScore(p, cols, id));
  },
};
