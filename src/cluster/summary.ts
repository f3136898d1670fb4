/** The compact per-kind `state` of timeline object records (DESIGN.md "The timeline"). */

import { byType } from "../api/lists.js";
import type { Stored } from "../api/types.js";

type Any = Record<string, any>;

function cond(status: Any | undefined, type: string): string | undefined {
  return byType(status?.conditions as Any[] | undefined, type)?.status;
}

function podState(o: Stored): Any {
  const spec = o.spec as Any;
  const status = (o.status ?? {}) as Any;
  let owner: Any | undefined;
  for (const r of o.metadata.ownerReferences ?? []) if (r.controller) owner ??= r;
  let restarts = 0;
  for (const c of (status.containerStatuses ?? []) as Any[]) restarts += c.restartCount ?? 0;
  const s: Any = {
    phase: status.phase ?? "Pending",
    node: spec?.nodeName ?? null,
    ready: cond(status, "Ready") === "True",
    owner: owner ? `${owner.kind}/${owner.name}` : null,
    restarts,
  };
  if (o.metadata.deletionTimestamp) s.deleting = true;
  return s;
}

/** The state summary of an object for the timeline, by kind. */
export function summarize(o: Stored): Any {
  const spec = (o.spec ?? {}) as Any;
  const st = (o.status ?? {}) as Any;
  const ann = o.metadata.annotations ?? {};
  switch (o.kind) {
    case "Pod":
      return podState(o);
    case "ReplicaSet":
      return {
        replicas: spec.replicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        availableReplicas: st.availableReplicas ?? 0,
        revision: ann["deployment.kubernetes.io/revision"] ?? null,
      };
    case "Deployment":
      return {
        replicas: st.replicas ?? 0,
        updatedReplicas: st.updatedReplicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        availableReplicas: st.availableReplicas ?? 0,
        unavailableReplicas: st.unavailableReplicas ?? 0,
        observedGeneration: st.observedGeneration ?? 0,
        conditions: ((st.conditions ?? []) as Any[]).map(
          (c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ""}`,
        ),
      };
    case "StatefulSet":
      return {
        replicas: st.replicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        currentRevision: st.currentRevision ?? null,
        updateRevision: st.updateRevision ?? null,
      };
    case "Node":
      return {
        ready: cond(st, "Ready") ?? "Unknown",
        unschedulable: spec.unschedulable === true,
        taints: ((spec.taints ?? []) as Any[]).map(
          (t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`,
        ),
      };
    case "PersistentVolumeClaim":
      return { phase: st.phase ?? "Pending", volume: spec.volumeName ?? null };
    case "PersistentVolume":
      return {
        phase: st.phase ?? "Pending",
        claim: spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : null,
      };
    case "Service":
      return { type: spec.type ?? "ClusterIP", clusterIP: spec.clusterIP ?? null };
    case "Endpoints": {
      const ready: string[] = [];
      const notReady: string[] = [];
      for (const ss of ((o as Any).subsets ?? []) as Any[]) {
        for (const a of ss.addresses ?? []) ready.push(a.ip);
        for (const a of ss.notReadyAddresses ?? []) notReady.push(a.ip);
      }
      return { ready, notReady };
    }
    default:
      return {};
  }
}

/** Kinds whose changes appear as `object` records. */
export const TIMELINE_KINDS = new Set([
  "Pod",
  "Node",
  "ReplicaSet",
  "Deployment",
  "StatefulSet",
  "Service",
  "Endpoints",
  "PersistentVolumeClaim",
  "PersistentVolume",
]);
