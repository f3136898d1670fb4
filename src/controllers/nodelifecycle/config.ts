/** The node lifecycle controller's settings: kube-controller-manager v1.33 defaults, with the scenario's timing overrides. */
import type { Rng } from "../../engine/rng.js";
import type { Timing } from "../../scenario/types.js";

/** --node-monitor-period. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period: 40 s up to v1.31, 50 s from v1.32 (PR #126287). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** --node-startup-grace-period: for a node that never posted a Ready condition. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** scheduler.NodeEvictionPeriod: how often the NoExecute tainting pass runs. */
export const NODE_EVICTION_PERIOD_MS = 100;
/** --node-eviction-rate (nodes per second per zone; token bucket of burst 1). */
export const EVICTION_LIMITER_QPS = 0.1;
/** --secondary-node-eviction-rate: a partially disrupted large zone. */
export const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
/** --large-cluster-size-threshold. */
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
/** --unhealthy-zone-threshold. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** The label that keeps a node out of the zone-state computation. */
export const LABEL_EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";

export interface NodeLifecycleConfig {
  monitorPeriodMs: number;
  monitorGracePeriodMs: number;
  startupGracePeriodMs: number;
  evictionLimiterQps: number;
  secondaryEvictionLimiterQps: number;
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
}

/** The defaults, with `timing.nodeMonitorPeriod` / `timing.nodeMonitorGracePeriod` drawn once if the scenario sets them. */
export function resolveConfig(timing: Timing, rng: Rng): NodeLifecycleConfig {
  const pick = (r: Timing[string], dflt: number) =>
    r === undefined ? dflt : r.minMs === r.maxMs ? r.minMs : rng.intBetween(r.minMs, r.maxMs);
  return {
    monitorPeriodMs: Math.max(1, pick(timing.nodeMonitorPeriod, NODE_MONITOR_PERIOD_MS)),
    monitorGracePeriodMs: pick(timing.nodeMonitorGracePeriod, NODE_MONITOR_GRACE_PERIOD_MS),
    startupGracePeriodMs: NODE_STARTUP_GRACE_PERIOD_MS,
    evictionLimiterQps: EVICTION_LIMITER_QPS,
    secondaryEvictionLimiterQps: SECONDARY_EVICTION_LIMITER_QPS,
    largeClusterThreshold: LARGE_CLUSTER_SIZE_THRESHOLD,
    unhealthyZoneThreshold: UNHEALTHY_ZONE_THRESHOLD,
  };
}
