/** kube-controller-manager: the controllers kubesim models, started together. */
import type { SimContext } from "../api/context.js";
import { registerDefaultTolerationSeconds } from "../api/default-tolerations.js";
import { DeploymentController } from "./deployment/controller.js";
import { DisruptionController } from "./disruption.js";
import { startServiceNetworking } from "./endpoints/index.js";
import { GarbageCollector } from "./garbagecollector.js";
import { startNodeLifecycleController } from "./nodelifecycle/index.js";
import { startPersistentVolumeController } from "./persistentvolume/controller.js";
import { PodGCController } from "./podgc.js";
import { ReplicaSetController } from "./replicaset.js";
import { startServiceAccounts } from "./serviceaccounts.js";
import { StatefulSetController } from "./statefulset/controller.js";
import { TaintEvictionController } from "./tainteviction.js";

/** Starts every modelled controller of kube-controller-manager. */
export function startControllers(ctx: SimContext): void {
  new GarbageCollector(ctx.api);
  new ReplicaSetController(ctx);
  new DeploymentController(ctx);
  new StatefulSetController(ctx);
  registerDefaultTolerationSeconds(ctx.api);
  startNodeLifecycleController(ctx);
  new TaintEvictionController(ctx);
  new PodGCController(ctx);
  new DisruptionController(ctx);
  startPersistentVolumeController(ctx);
  startServiceNetworking(ctx);
  startServiceAccounts(ctx);
}
