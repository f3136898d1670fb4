/** The node lifecycle controller: started with the other controllers, reachable per cluster for tests. */
import type { SimContext } from "../../api/context.js";
import { NodeLifecycleController } from "./controller.js";

export { NodeLifecycleController } from "./controller.js";

const registry = new WeakMap<SimContext, NodeLifecycleController>();

/** Starts the cluster's node lifecycle controller. */
export function startNodeLifecycleController(ctx: SimContext): NodeLifecycleController {
  const c = new NodeLifecycleController(ctx);
  registry.set(ctx, c);
  return c;
}

/** The cluster's node lifecycle controller, once started. */
export function nodeLifecycleControllerOf(ctx: SimContext): NodeLifecycleController | undefined {
  return registry.get(ctx);
}
