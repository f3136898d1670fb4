/** A pod's topology spread constraints: its own, or the system defaults (podtopologyspread/common.go). */
import type { TopologySpreadConstraint } from "kubernetes-types/core/v1.js";
import {
  compileSelector,
  type Requirement,
  type Selector,
  selectorFromRequirements,
} from "../../api/labels.js";
import type { Pod, Stored } from "../../api/types.js";
import type { Lookups } from "../lookups.js";
import { labelOf, type NodeInfo } from "../nodeinfo.js";
import type { RequiredNodeAffinity } from "./nodeselector.js";
import { findUntoleratedTaint, isDoNotScheduleTaint } from "./taints.js";

/** The well-known hostname and zone labels (v1.LabelHostname, v1.LabelTopologyZone). */
export const LABEL_HOSTNAME = "kubernetes.io/hostname";
export const LABEL_ZONE = "topology.kubernetes.io/zone";

/** A constraint ready to evaluate. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  /** nodeAffinityPolicy Honor (default): only nodes matching the pod's node affinity count. */
  readonly honorNodeAffinity: boolean;
  /** nodeTaintsPolicy Honor (default Ignore): only nodes whose taints the pod tolerates count. */
  readonly honorNodeTaints: boolean;
}

/** A constraint's whenUnsatisfiable. */
export type WhenUnsatisfiable = "DoNotSchedule" | "ScheduleAnyway";

/** The system default constraints (v1 PodTopologySpreadArgs, defaultingType System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly { topologyKey: string; maxSkew: number }[] = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
];

// matchLabelKeys: the pod's values for those keys are ANDed onto the selector.
function selectorOf(c: TopologySpreadConstraint, podLabels: Readonly<Record<string, string>>): Selector {
  const base = compileSelector(c.labelSelector);
  const keys = c.matchLabelKeys ?? [];
  const extra: Requirement[] = [];
  for (const k of keys)
    if (podLabels[k] !== undefined) extra.push({ key: k, operator: "=", values: [podLabels[k]!] });
  if (extra.length === 0 || base.nothing) return base;
  try {
    return selectorFromRequirements([...base.requirements, ...extra]);
  } catch {
    return base;
  }
}

const explicit = new WeakMap<object, Map<WhenUnsatisfiable, readonly SpreadConstraint[]>>();

/** filterTopologySpreadConstraints: the pod's own constraints with this whenUnsatisfiable. */
export function explicitConstraints(
  pod: Stored<Pod>,
  action: WhenUnsatisfiable,
): readonly SpreadConstraint[] {
  let byAction = explicit.get(pod);
  if (!byAction) explicit.set(pod, (byAction = new Map()));
  const hit = byAction.get(action);
  if (hit) return hit;
  const labels = pod.metadata.labels ?? {};
  const out = (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: selectorOf(c, labels),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") === "Honor",
      honorNodeTaints: c.nodeTaintsPolicy === "Honor",
    }));
  byAction.set(action, out);
  return out;
}

/** buildDefaultConstraints: the system defaults with the pod's DefaultSelector (none if it is empty). */
export function defaultConstraints(pod: Stored<Pod>, lookups: Lookups): readonly SpreadConstraint[] {
  const selector = lookups.defaultSelector(pod);
  if (selector.empty || selector.nothing) return NO_CONSTRAINTS;
  let out = defaults.get(selector);
  if (!out) {
    out = SYSTEM_DEFAULT_CONSTRAINTS.map((d) => ({
      maxSkew: d.maxSkew,
      topologyKey: d.topologyKey,
      selector,
      minDomains: 1,
      honorNodeAffinity: true,
      honorNodeTaints: false,
    }));
    defaults.set(selector, out);
  }
  return out;
}

const defaults = new WeakMap<Selector, readonly SpreadConstraint[]>();
const NO_CONSTRAINTS: readonly SpreadConstraint[] = [];

/** Whether the node has every constraint's topology key (nodeLabelsMatchSpreadConstraints). */
export function hasAllTopologyKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (labelOf(node, c.topologyKey) === undefined) return false;
  return true;
}

/** matchNodeInclusionPolicies: whether the node's pods count for this constraint. */
export function nodeIncluded(
  c: SpreadConstraint,
  pod: Stored<Pod>,
  node: NodeInfo,
  affinity: RequiredNodeAffinity,
): boolean {
  if (c.honorNodeAffinity && !affinity.match(node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.taints, pod.spec?.tolerations, isDoNotScheduleTaint))
    return false;
  return true;
}
