/** pkg/controller/util/node/controller_utils.go: MarkPodsNotReady and the node controller's events. */
import type { SimContext } from "../../api/context.js";
import { byType } from "../../api/lists.js";
import type { Node, Pod, PodCondition, Stored } from "../../api/types.js";

/** The event source of the node lifecycle controller. */
export const NODE_CONTROLLER = "node-controller";

/**
 * MarkPodsNotReady: each pod on the node whose Ready condition is not False yet gets Ready=False
 * (status only; the phase stays) and a Warning `NodeNotReady` event. Pods without a Ready
 * condition are left alone.
 */
export function markPodsNotReady(ctx: SimContext, pods: readonly Stored<Pod>[], nodeName: string): void {
  const ts = ctx.clock.time(ctx.engine.nowMs);
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const ready = byType(pod.status?.conditions, "Ready");
    if (!ready || ready.status === "False") continue;
    const m = pod.metadata;
    if (!ctx.api.get("Pod", m.namespace, m.name)) continue;
    const updated = ctx.api.replace<Pod>("Pod", m.namespace, m.name, (cur) => notReady(cur, ts), {
      subresource: "status",
    });
    ctx.events.record(updated, "Warning", "NodeNotReady", "Node is not ready", NODE_CONTROLLER);
  }
}

/** The pod with Ready=False since `ts` (itself when Ready is missing or False already). */
function notReady(pod: Stored<Pod>, ts: string): Pod {
  const conds = pod.status?.conditions;
  const i = conds ? conds.findIndex((c) => c.type === "Ready") : -1;
  const c = i < 0 ? undefined : conds![i]!;
  if (!c || c.status === "False") return pod;
  const conditions: PodCondition[] = [...conds!];
  conditions[i] = { ...c, status: "False", lastTransitionTime: ts };
  return { ...pod, status: { ...pod.status, conditions } };
}

/** RecordNodeStatusChange: `Node <name> status is now: <status>`. */
export function recordNodeStatusChange(ctx: SimContext, node: Stored<Node>, status: string): void {
  ctx.events.record(
    node,
    "Normal",
    status,
    `Node ${node.metadata.name} status is now: ${status}`,
    NODE_CONTROLLER,
  );
}

/** RecordNodeEvent: `Node <name> event: <message>`. */
export function recordNodeEvent(ctx: SimContext, node: Stored<Node>, reason: string, message: string): void {
  ctx.events.record(node, "Normal", reason, `Node ${node.metadata.name} event: ${message}`, NODE_CONTROLLER);
}
