/** NodeResourcesBalancedAllocation: (1 − |f_cpu − f_mem| / 2) × 100 with the pod placed. */
import { ASSIGNED_POD_DELETE, NODE_ADD, NODE_ALLOCATABLE } from "../events.js";
import { MAX_NODE_SCORE, type ScorePlugin, SKIP } from "../framework.js";
import type { NodeInfo } from "../nodeinfo.js";
import type { PodInfo } from "../podinfo.js";

/** balancedResourceScorer over cpu and memory, with actual (not non-zero) requests. */
export function balancedAllocationScore(p: PodInfo, node: NodeInfo): number {
  let f0 = -1;
  let f1 = -1;
  if (node.allocMilliCpu !== 0) f0 = Math.min(1, (node.requestedMilliCpu + p.milliCpu) / node.allocMilliCpu);
  if (node.allocMemory !== 0) f1 = Math.min(1, (node.requestedMemory + p.memory) / node.allocMemory);
  // With fewer than two resources the standard deviation is zero.
  const std = f0 >= 0 && f1 >= 0 ? Math.abs((f0 - f1) / 2) : 0;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** Score only (weight 1); skipped for pods that request no cpu or memory (since v1.33, #129138). */
export const balancedAllocation: ScorePlugin<PodInfo> = {
  name: "NodeResourcesBalancedAllocation",
  events: ASSIGNED_POD_DELETE | NODE_ADD | NODE_ALLOCATABLE,
  weight: 1,
  preScore: (cycle) => (cycle.info.milliCpu === 0 && cycle.info.memory === 0 ? SKIP : cycle.info),
  score(_cycle, p, nodes, out) {
    for (let j = 0; j < nodes.length; j++) out[j] = balancedAllocationScore(p, nodes[j]!);
  },
};
