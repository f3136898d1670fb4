/** NodeUnschedulable: cordoned nodes take no pods, unless the pod tolerates the unschedulable taint. */
import { NODE_ADD, NODE_SCHEDULABLE, NODE_TAINT } from "../events.js";
import { type FilterPlugin, reject, SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE } from "../framework.js";
import type { NodeColumns } from "../node-columns.js";
import { tolerationsTolerateTaint } from "./taints.js";

const NAME = "NodeUnschedulable";
const REJECTED = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable");
const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" } as const;

/** Filter only; skipped for pods that tolerate `node.kubernetes.io/unschedulable:NoSchedule`. */
export const nodeUnschedulable: FilterPlugin<NodeColumns> = {
  name: NAME,
  events: NODE_ADD | NODE_SCHEDULABLE | NODE_TAINT,
  preFilter: (cycle) =>
    tolerationsTolerateTaint(cycle.pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? SKIP : cycle.cache.cols,
  filter: (_cycle, cols, node) => (cols.unschedulable[node.id] === 1 ? REJECTED : undefined),
  precheck(_state, cols, ids, from, to, ok) {
    const col = cols.unschedulable;
    for (let t = from; t < to; t++) if (col[ids[t]!] !== 0) ok[t] = 0;
  },
};
