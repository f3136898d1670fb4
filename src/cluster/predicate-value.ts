/** The value of an expectation's FIELD for an object, read from the apiserver's current state. */
import type { ApiServer } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { kindInfo } from "../api/kinds.js";
import { parseSelector } from "../api/labels.js";
import type { Pod } from "../api/types.js";
import { containerArg, podEnv, podFileAt } from "../kubelet/projected.js";
import type { Predicate } from "../scenario/types.js";

type Any = Record<string, any>;

/**
 * Workloads: `replicas` (status.replicas, pods that exist), `desired` (spec.replicas), `ready`,
 * `available`, `updated`, `unavailable`, `current`. Pods: `phase`, `node`, `ready`, `restarts`.
 * Nodes: `ready`, `unschedulable`. PVCs: `phase`, `volume`; PVs: `phase`. Endpoints: `ready`,
 * `notready` (addresses). PodDisruptionBudgets: `allowed` (disruptionsAllowed), `healthy`,
 * `desired`, `expected`. Any kind: `exists`. Pods, from the kubelet running them: `file(PATH)`,
 * `env(CONTAINER.NAME)` (null while the pod runs nowhere, or when there is no such file/variable).
 * A missing object has every field null (and `exists` false).
 */
export function predicateValue(ctx: SimContext, p: Predicate): unknown {
  const api = ctx.api;
  if (p.selector !== undefined) return countValue(api, p);
  const info = kindInfo(p.kind);
  const obj = api.get(p.kind, info?.namespaced ? p.namespace : undefined, p.name);
  if (p.field === "exists") return obj !== undefined;
  if (!obj) return null;
  if (p.arg !== undefined && obj.kind === "Pod") return podSees(ctx, obj as Pod, p.field, p.arg);
  const spec = (obj.spec ?? {}) as Any;
  const st = (obj.status ?? {}) as Any;
  const cond = (type: string) => (st.conditions as Any[] | undefined)?.find((c) => c.type === type)?.status;
  switch (obj.kind) {
    case "Pod":
      switch (p.field) {
        case "phase":
          return st.phase ?? "Pending";
        case "node":
          return spec.nodeName ?? null;
        case "ready":
          return cond("Ready") === "True";
        case "restarts":
          return ((st.containerStatuses ?? []) as Any[]).reduce((n, c) => n + (c.restartCount ?? 0), 0);
        case "deleting":
          return obj.metadata.deletionTimestamp !== undefined;
      }
      break;
    case "Node":
      if (p.field === "ready") return cond("Ready") === "True";
      if (p.field === "unschedulable") return spec.unschedulable === true;
      break;
    case "Deployment":
      if (p.field === "replicasets") return api.list("ReplicaSet", { ownerUid: obj.metadata.uid }).length;
      if (p.field === "progressing")
        return (st.conditions as Any[] | undefined)?.find((c) => c.type === "Progressing")?.reason ?? null;
      break;
    case "PodDisruptionBudget":
      if (p.field === "allowed") return st.disruptionsAllowed ?? 0;
      if (p.field === "healthy") return st.currentHealthy ?? 0;
      if (p.field === "desired") return st.desiredHealthy ?? 0;
      if (p.field === "expected") return st.expectedPods ?? 0;
      break;
    case "PersistentVolume":
      if (p.field === "phase") return st.phase ?? "Pending";
      break;
    case "PersistentVolumeClaim":
      if (p.field === "phase") return st.phase ?? "Pending";
      if (p.field === "volume") return spec.volumeName ?? null;
      break;
    case "Endpoints":
      if (p.field === "ready" || p.field === "notready")
        return endpointAddresses(obj as Any, p.field === "ready");
      break;
  }
  switch (p.field) {
    case "replicas":
      return st.replicas ?? 0;
    case "desired":
      return spec.replicas ?? 0;
    case "ready":
      return st.readyReplicas ?? 0;
    case "available":
      return st.availableReplicas ?? 0;
    case "updated":
      return st.updatedReplicas ?? 0;
    case "unavailable":
      return st.unavailableReplicas ?? 0;
    case "current":
      return st.currentReplicas ?? 0;
    case "phase":
      return st.phase ?? null;
    case "revision": {
      const r = obj.metadata.annotations?.["deployment.kubernetes.io/revision"];
      return r === undefined ? null : Number(r);
    }
  }
  return null;
}

/** Distinct addresses (IP and target) an Endpoints object lists as ready, or as not ready. */
function endpointAddresses(ep: Any, ready: boolean): number {
  const seen = new Set<string>();
  for (const ss of (ep.subsets ?? []) as Any[])
    for (const a of ((ready ? ss.addresses : ss.notReadyAddresses) ?? []) as Any[])
      seen.add(`${a.ip}|${a.targetRef?.uid ?? ""}`);
  return seen.size;
}

/** `pods{app=web} count` (objects matching) and `pods{app=web} ready` (of those, Ready). */
function countValue(api: ApiServer, p: Predicate): number {
  const info = kindInfo(p.kind);
  const sel = parseSelector(p.selector ?? "");
  const objs = api.list(p.kind, { ...(info?.namespaced ? { namespace: p.namespace } : {}), selector: sel });
  if (p.field !== "ready") return objs.length;
  let n = 0;
  for (const o of objs) {
    const conds = ((o.status ?? {}) as Any).conditions as Any[] | undefined;
    if (conds?.some((c) => c.type === "Ready" && c.status === "True")) n++;
  }
  return n;
}

/** What the pod's container sees: `file([CONTAINER:]PATH)` or `env([CONTAINER.]NAME)`. */
function podSees(ctx: SimContext, pod: Pod, field: string, arg: string): string | null {
  if (field === "file") {
    const { container, rest } = containerArg(arg, ":");
    return podFileAt(ctx, pod, rest, container)?.content ?? null;
  }
  if (field === "env") {
    const { container, rest } = containerArg(arg, ".");
    return podEnv(ctx, pod, rest, container) ?? null;
  }
  return null;
}
