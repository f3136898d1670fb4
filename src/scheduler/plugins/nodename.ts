/** NodeName: a pod that names a node (spec.nodeName) fits only that node. */
import { NODE_ADD } from "../events.js";
import { type FilterPlugin, reject, SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE } from "../framework.js";

const NAME = "NodeName";
const REJECTED = reject(NAME, UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match the requested node name");

/**
 * Filter only. Pods with spec.nodeName never reach the queue (they bypass the scheduler), so this
 * runs only for pods scheduled through other paths; kept for the profile's fidelity.
 */
export const nodeName: FilterPlugin<string> = {
  name: NAME,
  events: NODE_ADD,
  preFilter: (cycle) => cycle.pod.spec?.nodeName || SKIP,
  filter: (_cycle, name, node) => (node.name === name ? undefined : REJECTED),
};
