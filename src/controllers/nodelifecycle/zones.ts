/** Zones of the node lifecycle controller (component-helpers GetZoneKey, ComputeZoneState, ReducedQPSFunc). */
import type { NodeLifecycleConfig } from "./config.js";

export type ZoneState = "Initial" | "Normal" | "PartialDisruption" | "FullDisruption";

/** Ready and not-ready node counts of one zone in one monitor pass. */
export interface ZoneCount {
  ready: number;
  notReady: number;
}

/**
 * GetZoneKey: "" for a node without zone or region labels, else `region:\0:zone`; the beta
 * failure-domain labels win over the topology.kubernetes.io ones, as in Kubernetes.
 */
export function zoneKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return "";
  // Stored labels are frozen: one key per labels object, computed once (every pass asks for every node).
  const cached = zoneKeys.get(labels);
  if (cached !== undefined) return cached;
  const key = computeZoneKey(labels);
  zoneKeys.set(labels, key);
  return key;
}

const zoneKeys = new WeakMap<object, string>();

function computeZoneKey(labels: Readonly<Record<string, string>>): string {
  const zone =
    labels["failure-domain.beta.kubernetes.io/zone"] ?? labels["topology.kubernetes.io/zone"] ?? "";
  const region =
    labels["failure-domain.beta.kubernetes.io/region"] ?? labels["topology.kubernetes.io/region"] ?? "";
  if (region === "" && zone === "") return "";
  return `${region}:\u0000:${zone}`;
}

/** A zone key as people write it: `region/zone`, or `(no zone)`. */
export function zoneLabel(key: string): string {
  if (key === "") return "(no zone)";
  const [region, zone] = key.split(":\u0000:");
  return region ? `${region}/${zone}` : (zone ?? "");
}

/**
 * ComputeZoneState: FullDisruption with no Ready node (and at least one not ready);
 * PartialDisruption with more than 2 not ready making at least the unhealthy threshold; else Normal.
 */
export function computeZoneState(c: ZoneCount, unhealthyThreshold: number): ZoneState {
  if (c.ready === 0 && c.notReady > 0) return "FullDisruption";
  if (c.notReady > 2 && c.notReady / (c.notReady + c.ready) >= unhealthyThreshold) return "PartialDisruption";
  return "Normal";
}

/** setLimiterInZone: the tainting rate of a zone in a state (HealthyQPSFunc / ReducedQPSFunc). */
export function zoneQps(state: ZoneState, zoneSize: number, cfg: NodeLifecycleConfig): number {
  switch (state) {
    case "PartialDisruption":
      return zoneSize > cfg.largeClusterThreshold ? cfg.secondaryEvictionLimiterQps : 0;
    case "Normal":
    case "FullDisruption":
      return cfg.evictionLimiterQps;
    default:
      return cfg.evictionLimiterQps;
  }
}
