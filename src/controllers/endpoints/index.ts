/** Service networking in the control plane: ClusterIP/NodePort allocation and the endpoint controllers. */
import type { SimContext } from "../../api/context.js";
import { startServiceAllocator } from "../../api/service-admission.js";
import { EndpointsController } from "./endpoints-controller.js";
import { EndpointSliceController } from "./endpointslice-controller.js";

/**
 * Registers the apiserver's Service allocation (and creates the `kubernetes` Service), then starts
 * the Endpoints and EndpointSlice controllers, which Kubernetes runs side by side.
 */
export function startServiceNetworking(ctx: SimContext): void {
  startServiceAllocator(ctx);
  new EndpointsController(ctx);
  new EndpointSliceController(ctx);
}
