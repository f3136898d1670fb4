/** Kubelets: one per node. (Placeholder until the kubelet is modelled: nodes register Ready.) */
import type { Cluster } from "../cluster/cluster.js";
import { registerStaticNodes } from "../cluster/nodes.js";
import type { NodeSpec } from "../scenario/types.js";

/** Starts a kubelet for every node of every pool. */
export function startKubelets(cluster: Cluster, pools: NodeSpec[]): void {
  registerStaticNodes(cluster, pools);
}
