/** Kubelets: one per node of the scenario's pools, reachable by node name for fault injection and tests. */
import type { SimContext } from "../api/context.js";
import type { NodeSpec } from "../scenario/types.js";
import { ImageBehaviors } from "./images.js";
import { Kubelet } from "./kubelet.js";

export { Kubelet } from "./kubelet.js";

const registry = new WeakMap<SimContext, Map<string, Kubelet>>();

/** Creates a kubelet for every node of every pool (pool order gives each node its podCIDR index); each starts at its pool's join time. */
export function startKubelets(cluster: SimContext, pools: NodeSpec[]): void {
  const behaviors = new ImageBehaviors(cluster.scenario.images ?? []);
  const byName = new Map<string, Kubelet>();
  let index = 0;
  for (const pool of pools) {
    for (const name of pool.names) {
      const k = new Kubelet(cluster, pool, name, index++, behaviors);
      byName.set(name, k);
      cluster.engine.at(pool.joinAtMs ?? 0, () => k.start());
    }
  }
  registry.set(cluster, byName);
}

/** The cluster's kubelets by node name. */
export function kubelets(cluster: SimContext): ReadonlyMap<string, Kubelet> {
  return registry.get(cluster) ?? new Map();
}

/** The kubelet of one node, if the cluster has that node. */
export function kubeletFor(cluster: SimContext, nodeName: string): Kubelet | undefined {
  return registry.get(cluster)?.get(nodeName);
}
