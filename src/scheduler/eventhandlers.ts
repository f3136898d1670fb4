/** The scheduler's informers (eventhandlers.go): watch events update the cache and requeue pods. */
import type { WatchEvent } from "../api/apiserver.js";
import type { Node, Pod, Stored } from "../api/types.js";
import type { SchedulerCache } from "./cache.js";
import {
  ASSIGNED_POD_ADD,
  ASSIGNED_POD_DELETE,
  ASSIGNED_POD_LABEL,
  NODE_ADD,
  NODE_ALLOCATABLE,
  NODE_DELETE,
  NODE_LABEL,
  NODE_SCHEDULABLE,
  NODE_TAINT,
} from "./events.js";
import type { SchedulingQueue } from "./queue.js";

/** What the handlers need from the scheduler. */
export interface HandlerTarget {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  /** responsibleForPod: the pod asks for this scheduler. */
  responsibleFor(pod: Stored<Pod>): boolean;
  /** A gated pod was seen (its PodScheduled condition may need writing). */
  onGated(pod: Stored<Pod>): void;
}

/** The scheduler's informer ignores pods in a terminal phase (field selector status.phase!=Succeeded,Failed). */
function isTerminal(pod: Stored<Pod> | undefined): boolean {
  const phase = pod?.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** Handles a Node watch event. */
export function onNodeEvent(t: HandlerTarget, ev: WatchEvent<Node>): void {
  if (ev.type === "DELETED") {
    t.cache.removeNode(ev.object.metadata.name);
    t.queue.onEvent(NODE_DELETE);
    return;
  }
  const known = t.cache.nodeInfo(ev.object.metadata.name)?.node !== undefined;
  const ch = t.cache.setNode(ev.object);
  if (!known) {
    t.queue.onEvent(NODE_ADD);
    return;
  }
  let mask = 0;
  if (ch.labels) mask |= NODE_LABEL;
  if (ch.taints) mask |= NODE_TAINT;
  if (ch.becameSchedulable) mask |= NODE_SCHEDULABLE;
  if (ch.allocatable) mask |= NODE_ALLOCATABLE;
  if (mask !== 0) t.queue.onEvent(mask);
}

/** Handles a Pod watch event: bound pods feed the cache, unbound ones the queue. */
export function onPodEvent(t: HandlerTarget, ev: WatchEvent<Pod>): void {
  const pod = ev.object;
  const uid = pod.metadata.uid;
  if (ev.type === "DELETED" || isTerminal(pod)) {
    t.queue.delete(uid);
    if (t.cache.hasPod(uid)) {
      t.cache.removePod(uid);
      t.queue.onEvent(ASSIGNED_POD_DELETE);
    }
    return;
  }
  const nodeName = pod.spec?.nodeName;
  if (nodeName) {
    onAssignedPod(t, ev, nodeName);
    return;
  }
  // A stale event for a pod this scheduler already assumed on a node: its binding is on the way.
  if (t.cache.hasPod(uid)) return;
  if (!t.responsibleFor(pod) || pod.metadata.deletionTimestamp) {
    t.queue.delete(uid);
    return;
  }
  const gated = (pod.spec?.schedulingGates?.length ?? 0) > 0;
  if (gated) t.onGated(pod);
  t.queue.update(pod, gated);
}

function onAssignedPod(t: HandlerTarget, ev: WatchEvent<Pod>, nodeName: string): void {
  const pod = ev.object;
  t.queue.delete(pod.metadata.uid);
  const wasAssigned = ev.type === "MODIFIED" && !!ev.old?.spec?.nodeName && !isTerminal(ev.old);
  const labelsChanged = ev.old !== undefined && ev.old.metadata.labels !== pod.metadata.labels;
  t.cache.addBoundPod(pod, nodeName);
  // The informer sees a pod that became assigned as an add (even if it was assumed).
  if (!wasAssigned) t.queue.onEvent(ASSIGNED_POD_ADD);
  else if (labelsChanged) t.queue.onEvent(ASSIGNED_POD_LABEL);
}
