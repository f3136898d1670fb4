/** Fault injection: the handler of the scenario's `fault:` and `heal:` actions, and the recovery timeline of node faults. */
import type { SimContext } from "../api/context.js";
import type { Action } from "../scenario/types.js";
import { isNodeFault, NodeFaults } from "./node-faults.js";
import { RecoveryTracker } from "./recovery.js";

export { type ActiveNodeFault, NodeFaults } from "./node-faults.js";
export { RecoveryTracker } from "./recovery.js";

/** A `fault:` or `heal:` action; the handler returns an error message, or undefined on success. */
export type FaultAction = Extract<Action, { kind: "fault" | "heal" }>;
export type FaultHandler = (action: FaultAction) => string | undefined;

/** The injector of one cluster (tests reach its parts through it). */
export interface FaultInjector {
  handle: FaultHandler;
  nodes: NodeFaults;
  recovery: RecoveryTracker;
}

const registry = new WeakMap<SimContext, FaultInjector>();

/** Wires fault injection into a cluster: returns the handler for the ActionRunner. */
export function startFaultInjector(ctx: SimContext): FaultHandler {
  const recovery = new RecoveryTracker(ctx);
  const nodes = new NodeFaults(ctx, recovery);
  const handle: FaultHandler = (a) => {
    if (a.kind === "fault") {
      const f = a.fault;
      if (isNodeFault(f.type)) return nodes.inject({ ...f, type: f.type });
      return `error: fault type "${f.type}" is not modelled yet in this version of kubesim`;
    }
    const h = a.heal;
    if (h.node === undefined && (h.type === undefined || !isNodeFault(h.type)))
      return `error: healing ${h.pod !== undefined ? "pod" : `"${h.type}"`} faults is not modelled yet in this version of kubesim`;
    return nodes.heal({ node: h.node, type: h.type });
  };
  registry.set(ctx, { handle, nodes, recovery });
  return handle;
}

/** The cluster's fault injector, once started. */
export function faultInjectorOf(ctx: SimContext): FaultInjector | undefined {
  return registry.get(ctx);
}
