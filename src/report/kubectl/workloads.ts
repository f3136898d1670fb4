/** `kubectl get` tables of pods, nodes and the workload controllers' objects. */
import { formatLabelSelector, selectorToString } from "../../api/labels.js";
import {
  type Any,
  age,
  type Column,
  cols,
  containerCells,
  desiredReplicas,
  type KindTable,
  NAME,
  wideCols,
} from "./columns.js";
import { formatRestarts, summarizePod } from "./pod.js";

const POD_COLUMNS: Column[] = [
  NAME,
  ...cols("READY", "STATUS", "RESTARTS", "AGE"),
  ...wideCols("IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
];

export const POD: KindTable = {
  columns: POD_COLUMNS,
  row(o, ctx) {
    const s = summarizePod(o, ctx.clock);
    const gates = (o.spec?.readinessGates ?? []) as Any[];
    const conditions = (o.status?.conditions ?? []) as Any[];
    // Each gate counts once, by the first condition of its type.
    const trueGates = gates.filter(
      (g) => conditions.find((c) => c.type === g.conditionType)?.status === "True",
    ).length;
    return [
      o.metadata.name,
      `${s.ready}/${s.total}`,
      s.status,
      formatRestarts(s, ctx.nowMs),
      age(o, ctx),
      o.status?.podIPs?.[0]?.ip || "<none>",
      o.spec?.nodeName || "<none>",
      o.status?.nominatedNodeName || "<none>",
      gates.length ? `${trueGates}/${gates.length}` : "<none>",
    ];
  },
};

/** `control-plane,worker` from node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted. */
function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort().join(",") || "<none>";
}

function nodeAddress(o: Any, type: string): string {
  return ((o.status?.addresses ?? []) as Any[]).find((a) => a.type === type)?.address ?? "<none>";
}

export const NODE: KindTable = {
  columns: [
    NAME,
    ...cols("STATUS", "ROLES", "AGE", "VERSION"),
    ...wideCols("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
  ],
  row(o, ctx) {
    const ready = ((o.status?.conditions ?? []) as Any[]).find((c) => c.type === "Ready");
    // Only the Ready condition counts: True → Ready, False or Unknown → NotReady, absent → Unknown.
    const status = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
    if (o.spec?.unschedulable) status.push("SchedulingDisabled");
    const info = (o.status?.nodeInfo ?? {}) as Any;
    return [
      o.metadata.name,
      status.join(","),
      nodeRoles(o.metadata.labels),
      age(o, ctx),
      info.kubeletVersion ?? "",
      nodeAddress(o, "InternalIP"),
      nodeAddress(o, "ExternalIP"),
      info.osImage || "<unknown>",
      info.kernelVersion || "<unknown>",
      info.containerRuntimeVersion || "<unknown>",
    ];
  },
};

export const DEPLOYMENT: KindTable = {
  columns: [
    NAME,
    ...cols("READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
    ...wideCols("CONTAINERS", "IMAGES", "SELECTOR"),
  ],
  row(o, ctx) {
    const st = (o.status ?? {}) as Any;
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata.name,
      `${st.readyReplicas ?? 0}/${desiredReplicas(o)}`,
      String(st.updatedReplicas ?? 0),
      String(st.availableReplicas ?? 0),
      age(o, ctx),
      names,
      images,
      // printDeployment prints Selector.String(), which is empty (not <none>) for an empty selector.
      selectorToString(o.spec?.selector),
    ];
  },
};

export const REPLICASET: KindTable = {
  columns: [
    NAME,
    ...cols("DESIRED", "CURRENT", "READY", "AGE"),
    ...wideCols("CONTAINERS", "IMAGES", "SELECTOR"),
  ],
  row(o, ctx) {
    const st = (o.status ?? {}) as Any;
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata.name,
      String(desiredReplicas(o)),
      String(st.replicas ?? 0),
      String(st.readyReplicas ?? 0),
      age(o, ctx),
      names,
      images,
      formatLabelSelector(o.spec?.selector),
    ];
  },
};

export const STATEFULSET: KindTable = {
  columns: [NAME, ...cols("READY", "AGE"), ...wideCols("CONTAINERS", "IMAGES")],
  row(o, ctx) {
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${desiredReplicas(o)}`,
      age(o, ctx),
      names,
      images,
    ];
  },
};

export const CONTROLLER_REVISION: KindTable = {
  columns: [NAME, ...cols("CONTROLLER", "REVISION", "AGE")],
  row(o, ctx) {
    const ref = ((o.metadata.ownerReferences ?? []) as Any[]).find((r) => r.controller);
    let controller = "<none>";
    if (ref) {
      const group = String(ref.apiVersion ?? "").includes("/") ? String(ref.apiVersion).split("/")[0] : "";
      controller = `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }
    return [o.metadata.name, controller, String(o.revision ?? 0), age(o, ctx)];
  },
};
