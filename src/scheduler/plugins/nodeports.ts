/** NodePorts: a pod's host ports must be free on the node (same protocol and port, overlapping IP). */
import { ASSIGNED_POD_DELETE, NODE_ADD } from "../events.js";
import { type FilterPlugin, reject, SKIP, UNSCHEDULABLE } from "../framework.js";
import type { HostPort } from "../podinfo.js";

const NAME = "NodePorts";
const REJECTED = reject(NAME, UNSCHEDULABLE, "node(s) didn't have free ports for the requested pod ports");

/** Filter only; skipped for pods without host ports. */
export const nodePorts: FilterPlugin<readonly HostPort[]> = {
  name: NAME,
  events: ASSIGNED_POD_DELETE | NODE_ADD,
  preFilter: (cycle) => (cycle.info.hostPorts.length > 0 ? cycle.info.hostPorts : SKIP),
  filter(_cycle, ports, node) {
    for (const p of ports) if (node.portConflicts(p)) return REJECTED;
    return undefined;
  },
};
