/**
 * The node controller's taints (node_lifecycle_controller.go nodeConditionToTaintKeyStatusMap,
 * doNoScheduleTaintingPass; controller_utils.go SwapNodeControllerTaint, AddOrUpdateTaintOnNode,
 * RemoveTaintOffNode): which taints a node's conditions call for, and the writes that set them.
 */
import type { ApiServer } from "../../api/apiserver.js";
import type { Node, Stored, Taint } from "../../api/types.js";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

/** UnreachableTaintTemplate / NotReadyTaintTemplate: the NoExecute taints of the eviction path. */
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: "NoExecute" };
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: "NoExecute" };

/** nodeConditionToTaintKeyStatusMap: condition type → status → taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: "node.kubernetes.io/memory-pressure" },
  DiskPressure: { True: "node.kubernetes.io/disk-pressure" },
  NetworkUnavailable: { True: "node.kubernetes.io/network-unavailable" },
  PIDPressure: { True: "node.kubernetes.io/pid-pressure" },
};
/** taintKeyToNodeConditionMap's keys: the taints this controller owns. */
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

/** MatchTaint: same key and effect. */
export function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** TaintExists. A loop: stored taint lists are frozen, and `some` on a frozen array is slow (api/lists.ts). */
export function taintExists(taints: readonly Taint[] | undefined, t: Taint): boolean {
  if (taints) for (const x of taints) if (x.key === t.key && x.effect === t.effect) return true;
  return false;
}

/** The NoSchedule taints a node's conditions and spec.unschedulable call for, in condition order. */
export function desiredNoScheduleTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: "NoSchedule" });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
  return out;
}

/** doNoScheduleTaintingPass: adds the NoSchedule taints the node lacks, removes those it no longer needs. */
export function doNoScheduleTaintingPass(api: ApiServer, node: Stored<Node>, nowTs: string): void {
  const desired = desiredNoScheduleTaints(node);
  const owned = (node.spec?.taints ?? []).filter(
    (t) => t.effect === "NoSchedule" && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)),
  );
  const toAdd = desired.filter((t) => !taintExists(owned, t));
  const toRemove = owned.filter((t) => !taintExists(desired, t));
  if (toAdd.length === 0 && toRemove.length === 0) return;
  swapNodeControllerTaint(api, node, toAdd, toRemove, nowTs);
}

/** SwapNodeControllerTaint: adds `toAdd` stamped with timeAdded = now (one write), then removes `toRemove` (another). */
export function swapNodeControllerTaint(
  api: ApiServer,
  node: Stored<Node>,
  toAdd: readonly Taint[],
  toRemove: readonly Taint[],
  nowTs: string,
): Stored<Node> | undefined {
  const stamped = toAdd.map((t) => ({ ...t, timeAdded: nowTs }));
  const added = addOrUpdateTaints(api, node.metadata.name, stamped);
  if (!added) return undefined;
  return removeTaints(api, added, toRemove) ?? added;
}

/** AddOrUpdateTaintOnNode: a taint with the same key and effect is replaced unless identical; others are appended. */
export function addOrUpdateTaints(
  api: ApiServer,
  nodeName: string,
  taints: readonly Taint[],
): Stored<Node> | undefined {
  const current = api.get<Node>("Node", undefined, nodeName);
  if (!current) return undefined;
  if (taints.length === 0) return current;
  // Built, not an immer recipe: the list is copied at its first change; no change writes nothing.
  return api.replace<Node>("Node", undefined, nodeName, (cur) => {
    let list: Taint[] | undefined;
    for (const t of taints) {
      const seen = list ?? cur.spec?.taints ?? [];
      const i = indexOfTaint(seen, t);
      if (i < 0) (list ??= [...seen]).push({ ...t });
      else if (JSON.stringify(seen[i]) !== JSON.stringify(t)) (list ??= [...seen])[i] = { ...t };
    }
    return list ? { ...cur, spec: { ...cur.spec, taints: list } } : cur;
  });
}

function indexOfTaint(taints: readonly Taint[], t: Taint): number {
  for (let i = 0; i < taints.length; i++) if (matchTaint(taints[i]!, t)) return i;
  return -1;
}

/**
 * RemoveTaintOffNode: no write unless the node (as given) carries one of the taints; then the
 * current node loses every taint matching by key and effect.
 */
export function removeTaints(
  api: ApiServer,
  node: Stored<Node>,
  taints: readonly Taint[],
): Stored<Node> | undefined {
  if (!taints.some((t) => taintExists(node.spec?.taints, t))) return undefined;
  if (!api.get<Node>("Node", undefined, node.metadata.name)) return undefined;
  return api.replace<Node>("Node", undefined, node.metadata.name, (cur) => {
    const list = cur.spec?.taints;
    if (!list) return cur;
    const kept = list.filter((x) => !taints.some((t) => matchTaint(x, t)));
    if (kept.length === list.length) return cur;
    const { taints: _, ...rest } = cur.spec!;
    return { ...cur, spec: kept.length === 0 ? rest : { ...cur.spec, taints: kept } };
  });
}
