/** Cluster events that may make an unschedulable pod schedulable (framework.ClusterEvent), as bits. */

// Simplification: QueueingHints are coarse: any event of a kind a rejecting plugin registered requeues the pod
// (allocatable changes only when a resource grew).

/** A node was added. */
export const NODE_ADD = 1 << 0;
/** A node was deleted. */
export const NODE_DELETE = 1 << 1;
/** A node's labels changed. */
export const NODE_LABEL = 1 << 2;
/** A node's taints changed. */
export const NODE_TAINT = 1 << 3;
/** spec.unschedulable went from true to false (uncordon). */
export const NODE_SCHEDULABLE = 1 << 4;
/** Allocatable resources changed. */
export const NODE_ALLOCATABLE = 1 << 5;
/** A pod was bound to a node (AssignedPodAdd). */
export const ASSIGNED_POD_ADD = 1 << 6;
/** A bound pod was deleted or terminated, freeing its resources (AssignedPodDelete). */
export const ASSIGNED_POD_DELETE = 1 << 7;
/** A bound pod's labels changed (AssignedPodUpdate). */
export const ASSIGNED_POD_LABEL = 1 << 8;

/** A PersistentVolumeClaim was added or updated. */
export const PVC_CHANGE = 1 << 9;
/** A PersistentVolume was added or updated. */
export const PV_CHANGE = 1 << 10;
/** A StorageClass was added or updated. */
export const STORAGE_CLASS_CHANGE = 1 << 11;

/** Every event: for pods rejected without a plugin to blame (e.g. no nodes at all). */
export const ALL_EVENTS = (1 << 12) - 1;

const NAMES: [number, string][] = [
  [NODE_ADD, "Node/Add"],
  [NODE_DELETE, "Node/Delete"],
  [NODE_LABEL, "Node/UpdateNodeLabel"],
  [NODE_TAINT, "Node/UpdateNodeTaint"],
  [NODE_SCHEDULABLE, "Node/UpdateNodeSchedulable"],
  [NODE_ALLOCATABLE, "Node/UpdateNodeAllocatable"],
  [ASSIGNED_POD_ADD, "AssignedPod/Add"],
  [ASSIGNED_POD_DELETE, "AssignedPod/Delete"],
  [ASSIGNED_POD_LABEL, "AssignedPod/UpdatePodLabel"],
  [PVC_CHANGE, "PersistentVolumeClaim/Add|Update"],
  [PV_CHANGE, "PersistentVolume/Add|Update"],
  [STORAGE_CLASS_CHANGE, "StorageClass/Add|Update"],
];

/** The events of a mask, by Kubernetes' label (for explain output). */
export function eventNames(mask: number): string[] {
  return NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
}
