/**
 * tryUpdateNodeHealth (node_lifecycle_controller.go) as a pure function: when the controller last
 * heard from a node (Ready's lastHeartbeatTime or the node Lease's renewTime changing, stamped with
 * the controller's own clock), and the Unknown conditions it posts once the grace period has passed.
 */

import { byType } from "../../api/lists.js";
import type { Node, NodeCondition } from "../../api/types.js";

/** What the controller remembers of a node (nodeHealthData). */
export interface NodeHealth {
  /** When the controller last saw a sign of life (its own clock, never the kubelet's). */
  probeMs: number;
  readyTransitionMs: number;
  /** The Ready condition as last seen; undefined if the node had none. */
  ready: { status: string; lastHeartbeatTime?: string; lastTransitionTime?: string } | undefined;
  /** The Lease's renewTime as last seen. */
  leaseRenewTime: string | undefined;
}

export interface HealthUpdate {
  health: NodeHealth;
  graceMs: number;
  /** The Ready status before this pass (a missing condition reads Unknown). */
  observed: string;
  /** The Ready status after this pass; undefined if the node still has no Ready condition. */
  current: string | undefined;
  /** The conditions to write with UpdateStatus, when Ready has just turned Unknown. */
  write?: NodeCondition[];
}

/** The conditions the controller sets to Unknown (NetworkUnavailable belongs to the network plugin). */
const MONITORED = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] as const;

export interface HealthClock {
  nowMs: number;
  /** Read only for a write (the controller formats it on demand). */
  readonly nowTs: string;
  /** The node's creationTimestamp in ms (asked for only when the node has no health entry yet). */
  createdMs(node: Node): number;
}

function snapshot(c: NodeCondition | undefined): NodeHealth["ready"] {
  if (!c) return undefined;
  return {
    status: c.status,
    lastHeartbeatTime: c.lastHeartbeatTime,
    lastTransitionTime: c.lastTransitionTime,
  };
}

/** The health entry after looking at the node's Ready condition and Lease (before the grace check). */
function refreshProbe(
  prev: NodeHealth | undefined,
  node: Node,
  ready: NodeCondition | undefined,
  leaseRenewTime: string | undefined,
  t: HealthClock,
): NodeHealth {
  const now = t.nowMs;
  let health = prev;
  if (!ready && health) health = { ...health, ready: undefined };
  const saved = health?.ready;
  if (!health) {
    health = ready
      ? { probeMs: now, readyTransitionMs: now, ready: snapshot(ready), leaseRenewTime: undefined }
      : {
          probeMs: t.createdMs(node),
          readyTransitionMs: t.createdMs(node),
          ready: undefined,
          leaseRenewTime: undefined,
        };
  } else if (!saved && ready) {
    health = { probeMs: now, readyTransitionMs: now, ready: snapshot(ready), leaseRenewTime: undefined };
  } else if (saved && ready && saved.lastHeartbeatTime !== ready.lastHeartbeatTime) {
    const transitioned = saved.lastTransitionTime !== ready.lastTransitionTime;
    const readyTransitionMs = transitioned ? now : health.readyTransitionMs;
    // As in Kubernetes, the fresh entry forgets the Lease it saw (the next pass re-reads it).
    health = { probeMs: now, readyTransitionMs, ready: snapshot(ready), leaseRenewTime: undefined };
  }
  // A renewed Lease always counts as a sign of life (renewTime only grows; same-width strings).
  const savedLease = prev?.leaseRenewTime;
  if (leaseRenewTime !== undefined && (savedLease === undefined || savedLease < leaseRenewTime)) {
    health = { ...health, leaseRenewTime, probeMs: now };
  }
  return health;
}

/** Every monitored condition Unknown: added if missing (NodeStatusNeverUpdated), else switched (NodeStatusUnknown). */
function unknownConditions(node: Node, t: HealthClock, createdTs: string): NodeCondition[] {
  const conditions = [...(node.status?.conditions ?? [])];
  for (const type of MONITORED) {
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push({
        type,
        status: "Unknown",
        lastHeartbeatTime: createdTs,
        lastTransitionTime: t.nowTs,
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
      });
      continue;
    }
    const c = conditions[i]!;
    if (c.status === "Unknown") continue;
    conditions[i] = {
      ...c,
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastTransitionTime: t.nowTs,
    };
  }
  return conditions;
}

/**
 * One node's health check. Past `probe + grace` the monitored conditions go Unknown; a write is
 * asked for only when Ready itself changes. The deadline is inclusive: the real monitor loop is
 * sliding (each pass starts a period after the previous one ended), so the pass a whole grace
 * period of ticks later is always a little past it.
 */
export function tryUpdateNodeHealth(
  prev: NodeHealth | undefined,
  node: Node,
  leaseRenewTime: string | undefined,
  t: HealthClock,
  grace: { monitorMs: number; startupMs: number },
): HealthUpdate {
  const ready = byType(node.status?.conditions, "Ready");
  const graceMs = ready ? grace.monitorMs : grace.startupMs;
  const observed = ready?.status ?? "Unknown";
  const health = refreshProbe(prev, node, ready, leaseRenewTime, t);
  const pastDeadline = t.nowMs >= health.probeMs + graceMs;
  // Conditions already Unknown are left alone, and nothing is written unless Ready changes.
  const readyChanges = ready === undefined || ready.status !== "Unknown";
  if (!pastDeadline || !readyChanges) return { health, graceMs, observed, current: ready?.status };
  const createdTs = node.metadata?.creationTimestamp ?? t.nowTs;
  const write = unknownConditions(node, t, createdTs);
  const newReady = byType(write, "Ready");
  return {
    health: { ...health, ready: snapshot(newReady), readyTransitionMs: t.nowMs, leaseRenewTime },
    graceMs,
    observed,
    current: "Unknown",
    write,
  };
}
