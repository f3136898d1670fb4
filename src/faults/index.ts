/** Fault injection: the handler of the scenario's `fault:` and `heal:` actions, and the recovery timeline of every fault. */
import type { SimContext } from "../api/context.js";
import type { Action } from "../scenario/types.js";
import { ApiserverDelay } from "./apiserver-delay.js";
import { ContainerFaults, type ContainerFaultType } from "./container-faults.js";
import { ImageFaults } from "./image-faults.js";
import { isNodeFault, NodeFaults } from "./node-faults.js";
import { PodFaultTracker } from "./pod-recovery.js";
import { RecoveryTracker } from "./recovery.js";

export { type ActiveNodeFault, NodeFaults } from "./node-faults.js";
export { PodFaultTracker } from "./pod-recovery.js";
export { RecoveryTracker } from "./recovery.js";

/** A `fault:` or `heal:` action; the handler returns an error message, or undefined on success. */
export type FaultAction = Extract<Action, { kind: "fault" | "heal" }>;
export type FaultHandler = (action: FaultAction) => string | undefined;
type HealSpec = Extract<Action, { kind: "heal" }>["heal"];

/** The injector of one cluster (tests reach its parts through it). */
export interface FaultInjector {
  handle: FaultHandler;
  nodes: NodeFaults;
  containers: ContainerFaults;
  images: ImageFaults;
  apiserver: ApiserverDelay;
  recovery: RecoveryTracker;
  podRecovery: PodFaultTracker;
}

const registry = new WeakMap<SimContext, FaultInjector>();

const isContainerFault = (t: string | undefined): t is ContainerFaultType =>
  t === "container-crash" || t === "oom";

/** Wires fault injection into a cluster: returns the handler for the ActionRunner. */
export function startFaultInjector(ctx: SimContext): FaultHandler {
  const recovery = new RecoveryTracker(ctx);
  const podRecovery = new PodFaultTracker(ctx);
  recovery.alsoFinish(() => podRecovery.finish());
  const inj: Omit<FaultInjector, "handle"> = {
    nodes: new NodeFaults(ctx, recovery),
    containers: new ContainerFaults(ctx, podRecovery),
    images: new ImageFaults(ctx, podRecovery),
    apiserver: new ApiserverDelay(ctx),
    recovery,
    podRecovery,
  };
  const handle: FaultHandler = (a) => (a.kind === "fault" ? inject(inj, a.fault) : heal(inj, a.heal));
  registry.set(ctx, { handle, ...inj });
  return handle;
}

function inject(
  inj: Omit<FaultInjector, "handle">,
  f: Extract<Action, { kind: "fault" }>["fault"],
): string | undefined {
  if (isNodeFault(f.type)) return inj.nodes.inject({ ...f, type: f.type });
  if (isContainerFault(f.type)) return inj.containers.inject({ ...f, type: f.type });
  if (f.type === "image-pull-fail") return inj.images.inject(f);
  return inj.apiserver.inject(f);
}

// A heal names what it heals: an image (or the type image-pull-fail), the apiserver delay, a pod's
// container faults, or a node's fault (or every node's fault of a type).
function heal(inj: Omit<FaultInjector, "handle">, h: HealSpec): string | undefined {
  if (h.type === "image-pull-fail" || h.image !== undefined)
    return inj.images.heal({ image: h.image, node: h.node });
  if (h.type === "apiserver-delay") return inj.apiserver.heal();
  if (h.pod !== undefined || isContainerFault(h.type)) {
    if (h.pod === undefined) return `error: healing a ${h.type} fault needs the pod`;
    const type = h.type === "crash" ? "container-crash" : h.type;
    if (type !== undefined && !isContainerFault(type)) return `error: a pod has no ${type} fault to heal`;
    return inj.containers.heal({ pod: h.pod, namespace: h.namespace, container: h.container, type });
  }
  return inj.nodes.heal({ node: h.node, type: h.type });
}

/** The cluster's fault injector, once started. */
export function faultInjectorOf(ctx: SimContext): FaultInjector | undefined {
  return registry.get(ctx);
}
