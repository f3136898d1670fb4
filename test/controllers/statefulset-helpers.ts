import type { Pod, StatefulSet, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { EventRecord, ObjectRecord, TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { ImageBehavior, Scenario } from "../../src/scenario/types.js";
import { readRepoFile, runFile } from "../support/files.js";

export { runFile };

/** A cluster from a scenario file, run only up to `atMs`. */
export function runFileTo(file: string, atMs: number): Cluster {
  const c = new Cluster(loadScenario([file], readRepoFile));
  c.runTo(atMs);
  return c;
}

/** A StatefulSet `web` (3 replicas, claim template `data`) with spec overrides. */
export function statefulSet(spec: Partial<NonNullable<StatefulSet["spec"]>> = {}): StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: "default" },
    spec: {
      serviceName: "nginx",
      replicas: 3,
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          containers: [
            {
              name: "nginx",
              image: "nginx:1.26",
              readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 1 },
            },
          ],
          terminationGracePeriodSeconds: 10,
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
      ...spec,
    },
  };
}

/** A default StorageClass, so claims are provisioned wherever a volume binder runs. */
const STORAGE_CLASS = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "rancher.io/local-path",
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
};

export interface TestCluster {
  c: Cluster;
  records: TimelineRecord[];
}

/** A cluster of `nodes` nodes with fixed timings, running `set` from time 0. */
export function stsCluster(
  set: StatefulSet | undefined,
  opts: { nodes?: number; seed?: number; untilMs?: number; images?: ImageBehavior[] } = {},
): TestCluster {
  const fixed = (ms: number) => ({ minMs: ms, maxMs: ms });
  const scenario: Scenario = {
    name: "statefulset-test",
    file: "test.yaml",
    seed: opts.seed ?? 1,
    untilMs: opts.untilMs ?? 120_000,
    nodes: Array.from({ length: opts.nodes ?? 3 }, (_, i) => ({
      names: [`node-${i + 1}`],
      capacity: { cpu: "8", memory: "16Gi", pods: "110" },
      labels: {},
      taints: [],
    })),
    timing: {
      sandboxCreate: fixed(500),
      imagePull: fixed(2000),
      containerStart: fixed(300),
      watchLatency: fixed(5),
    },
    images: opts.images ?? [{ pattern: "nginx:*", ready: fixed(1000) }],
    objects: [STORAGE_CLASS, ...(set ? [set] : [])].map((object) => ({
      object,
      pos: { file: "test.yaml", line: 1, col: 1 },
    })),
    actions: [],
    expect: [],
    defaulted: false,
  };
  const records: TimelineRecord[] = [];
  const c = new Cluster(scenario, { sink: (r) => records.push(r) });
  return { c, records };
}

/** Pod object records for one name. */
export function podRecords(records: TimelineRecord[], name: string): ObjectRecord[] {
  return records.filter((r): r is ObjectRecord => r.type === "object" && r.kind === "Pod" && r.name === name);
}

/** Times at which a pod of this name was ADDED. */
export function createdAt(records: TimelineRecord[], name: string): number[] {
  return podRecords(records, name)
    .filter((r) => r.verb === "ADDED")
    .map((r) => r.t);
}

/** Times at which a pod of this name was DELETED (gone from the apiserver). */
export function deletedAt(records: TimelineRecord[], name: string): number[] {
  return podRecords(records, name)
    .filter((r) => r.verb === "DELETED")
    .map((r) => r.t);
}

/** The first time after `afterMs` that the pod was Ready. */
export function readyAt(records: TimelineRecord[], name: string, afterMs = -1): number | undefined {
  return podRecords(records, name).find(
    (r) => r.t > afterMs && r.state.ready === true && r.verb !== "DELETED",
  )?.t;
}

/** The first time after `afterMs` that the pod got a deletionTimestamp. */
export function deletingAt(records: TimelineRecord[], name: string, afterMs = -1): number | undefined {
  return podRecords(records, name).find((r) => r.t > afterMs && r.state.deleting === true)?.t;
}

/** Events recorded by the StatefulSet controller, in order. */
export function stsEvents(records: TimelineRecord[]): EventRecord[] {
  return records.filter((r): r is EventRecord => r.type === "event" && r.source === "statefulset-controller");
}

export function getPod(c: Cluster, name: string): Stored<Pod> | undefined {
  return c.api.get<Pod>("Pod", "default", name);
}

export function getSet(c: Cluster): Stored<StatefulSet> {
  return c.api.get<StatefulSet>("StatefulSet", "default", "web")!;
}
