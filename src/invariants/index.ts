/** The built-in invariants by name, and the monitor that runs a chosen set of them beside a cluster. */
import type { SimContext } from "../api/context.js";
import { CONVERGENCE, convergence, DEFAULT_CONVERGE_WITHIN_MS } from "./convergence.js";
import { type InvariantFactory, InvariantMonitor } from "./monitor.js";
import { INVARIANT_NAMES, type InvariantName, isInvariantName } from "./names.js";
import { NODE_CAPACITY, nodeCapacity } from "./node-capacity.js";
import { POD_NODE_EXISTS, podNodeExists } from "./pod-node-exists.js";
import { PVC_BINDING, pvcBinding } from "./pvc-binding.js";
import { ROLLOUT_BOUNDS, rolloutBounds } from "./rollout-bounds.js";
import { STATEFULSET_IDENTITY, statefulSetIdentity } from "./statefulset-identity.js";

export { DEFAULT_CONVERGE_WITHIN_MS } from "./convergence.js";
export { InvariantMonitor } from "./monitor.js";
export { INVARIANT_NAMES, type InvariantName, isInvariantName } from "./names.js";
export type { Invariant, InvariantContext, Violation } from "./types.js";

/** One line per invariant, for `--help` and the README. */
export const INVARIANT_DOCS: Record<InvariantName, string> = {
  [ROLLOUT_BOUNDS]:
    "a RollingUpdate Deployment keeps available ≥ replicas − maxUnavailable and live pods ≤ replicas + maxSurge (outside faults, scaling and disruptions)",
  [STATEFULSET_IDENTITY]: "no two pods run the same StatefulSet identity at once",
  [NODE_CAPACITY]: "the pods admitted to a node request no more than its allocatable",
  [POD_NODE_EXISTS]: "no pod stays bound to a node that does not exist",
  [PVC_BINDING]:
    "a bound claim names one volume whose claimRef names it back; no volume has two bound claims",
  [CONVERGENCE]:
    "after every fault heals, workloads and nodes reach their desired state within the bound (default 10m)",
};

export interface MonitorOptions {
  /** The convergence bound (default 10 minutes). */
  convergeWithinMs?: number;
}

function factoryOf(name: InvariantName, opts: MonitorOptions): InvariantFactory {
  switch (name) {
    case ROLLOUT_BOUNDS:
      return rolloutBounds;
    case STATEFULSET_IDENTITY:
      return statefulSetIdentity;
    case NODE_CAPACITY:
      return nodeCapacity;
    case POD_NODE_EXISTS:
      return podNodeExists;
    case PVC_BINDING:
      return pvcBinding;
    case CONVERGENCE:
      return convergence(opts.convergeWithinMs ?? DEFAULT_CONVERGE_WITHIN_MS);
  }
}

/** A monitor running the named invariants (unknown names throw: the loader and CLI check them first). */
export function createMonitor(
  sim: SimContext,
  seed: number,
  names: readonly string[],
  opts: MonitorOptions = {},
): InvariantMonitor {
  const factories = names.map((n) => {
    if (!isInvariantName(n))
      throw new Error(`unknown invariant "${n}" (known: ${INVARIANT_NAMES.join(", ")})`);
    return factoryOf(n, opts);
  });
  return new InvariantMonitor(sim, seed, factories);
}
