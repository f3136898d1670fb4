import type { NodeSelectorTerm } from "kubernetes-types/core/v1.js";
import type {
  Event,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
  Stored,
} from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { EventRecord, TimelineRecord } from "../../src/cluster/records.js";
import type { Scenario, Timing } from "../../src/scenario/types.js";
import { pool, scenario } from "../scheduler/helpers.js";
import { runFile } from "../support/files.js";

export { runFile };

export interface PvOptions {
  capacity?: string;
  modes?: string[];
  className?: string;
  labels?: Record<string, string>;
  phase?: string;
  volumeMode?: string;
  claimRef?: { name: string; namespace?: string; uid?: string };
  policy?: string;
  nodes?: string[];
  hostPath?: string;
}

/** A hostPath (or, with `nodes`, local) PersistentVolume. */
export function pv(name: string, o: PvOptions = {}): PersistentVolume {
  const term: NodeSelectorTerm | undefined = o.nodes
    ? { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: o.nodes }] }
    : undefined;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      capacity: { storage: o.capacity ?? "1Gi" },
      accessModes: o.modes ?? ["ReadWriteOnce"],
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
      ...(o.policy ? { persistentVolumeReclaimPolicy: o.policy } : {}),
      ...(o.claimRef
        ? { claimRef: { kind: "PersistentVolumeClaim", namespace: "default", ...o.claimRef } }
        : {}),
      ...(term
        ? { local: { path: `/mnt/disks/${name}` }, nodeAffinity: { required: { nodeSelectorTerms: [term] } } }
        : { hostPath: { path: o.hostPath ?? `/mnt/data/${name}` } }),
    },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  };
}

export interface PvcOptions {
  storage?: string;
  modes?: string[];
  className?: string | null;
  selector?: Record<string, string>;
  volumeMode?: string;
  volumeName?: string;
  uid?: string;
}

/** A PersistentVolumeClaim; `className: null` leaves storageClassName unset. */
export function pvc(name: string, o: PvcOptions = {}): PersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "default", ...(o.uid ? { uid: o.uid } : {}) },
    spec: {
      accessModes: o.modes ?? ["ReadWriteOnce"],
      resources: { requests: { storage: o.storage ?? "1Gi" } },
      ...(o.className === null ? {} : { storageClassName: o.className ?? "" }),
      ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
      ...(o.volumeMode ? { volumeMode: o.volumeMode } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
  };
}

/** A StorageClass. */
export function storageClass(
  name: string,
  o: { provisioner?: string; mode?: string; policy?: string; isDefault?: boolean } = {},
): StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name,
      ...(o.isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}),
    },
    provisioner: o.provisioner ?? "ebs.csi.aws.com",
    reclaimPolicy: o.policy ?? "Delete",
    volumeBindingMode: o.mode ?? "Immediate",
  };
}

/** A one-container pod mounting the named claims at /data/<claim>. */
export function podWithClaims(
  name: string,
  claims: string[],
  spec: Partial<NonNullable<Pod["spec"]>> = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          volumeMounts: claims.map((c) => ({ name: c, mountPath: `/data/${c}` })),
        },
      ],
      volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
      ...spec,
    },
  };
}

/** A cluster of `nodes` nodes (node-1..N) whose timeline is kept. */
export function storageCluster(nodes = 3, timing: Timing = {}, untilMs = 300_000) {
  const sc: Scenario = scenario([pool(nodes, { cpu: "4", memory: "8Gi", pods: "110" })], { untilMs, timing });
  const records: TimelineRecord[] = [];
  const c = new Cluster(sc, { sink: (r) => records.push(r) });
  return { c, records };
}

/** Event records of an object (`Kind/ns/name` or `Kind/name`), in order, as "Type Reason: message". */
export function eventsOf(records: TimelineRecord[], involved: string): string[] {
  return records.flatMap((r) =>
    r.type === "event" && r.involved === involved && (r.count ?? 1) === 1
      ? [`${r.eventType} ${r.reason}: ${r.message}`]
      : [],
  );
}

/** Event records of a reason. */
export function eventsWith(records: TimelineRecord[], reason: string): EventRecord[] {
  return records.flatMap((r) => (r.type === "event" && r.reason === reason ? [r] : []));
}

/** The stored claim. */
export function getClaim(c: Cluster, name: string): Stored<PersistentVolumeClaim> | undefined {
  return c.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", "default", name);
}

/** The stored volume. */
export function getVolume(c: Cluster, name: string): Stored<PersistentVolume> | undefined {
  return c.api.get<PersistentVolume>("PersistentVolume", undefined, name);
}

/** The stored Events of an object, by reason → count. */
export function storedEventCounts(c: Cluster, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of c.api.list<Event>("Event", { namespace: "default" })) {
    if (e.involvedObject.name !== name) continue;
    out[e.reason ?? ""] = (out[e.reason ?? ""] ?? 0) + (e.count ?? 1);
  }
  return out;
}
