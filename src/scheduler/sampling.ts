/** How many nodes a cycle examines (numFeasibleNodesToFind) and how it picks a node (selectHost). */
import type { Rng } from "../engine/rng.js";

/** minFeasibleNodesToFind: below this many nodes, every node is examined. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind: the adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * The number of feasible nodes after which filtering stops. With percentageOfNodesToScore unset
 * (0), the percentage adapts: 50 − nodes/125, at least 5; the result is at least 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentageOfNodesToScore;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

/**
 * selectHost: the index of the chosen node. Nodes with the top total are visited in the order
 * they were evaluated (deterministic: the node walk order; Kubernetes' heap order is unspecified)
 * and the k-th replaces the choice with probability 1/k, so every top node is equally likely.
 */
export function selectHost(totals: ArrayLike<number>, rng: Rng): number {
  let max = Number.NEGATIVE_INFINITY;
  let selected = -1;
  let count = 0;
  for (let i = 0; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > max) {
      max = t;
      selected = i;
      count = 1;
    } else if (t === max) {
      count++;
      if (rng.int(count) === 0) selected = i;
    }
  }
  return selected;
}
