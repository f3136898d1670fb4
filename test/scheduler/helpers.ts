// Helpers for scheduler tests: hand-made scenarios, clusters that keep their records, pods and nodes.
import type { Node, Pod, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import type { NodeSpec, Scenario, Timing } from "../../src/scenario/types.js";

/** A node pool of `count` nodes named `<prefix>-1..N`. */
export function pool(
  count: number,
  capacity: Record<string, string>,
  extra: Partial<NodeSpec> & { prefix?: string } = {},
): NodeSpec {
  const { prefix = "node", ...rest } = extra;
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  return { names, capacity, labels: {}, taints: [], ...rest };
}

/** A Scenario with only nodes (objects and actions come from the test). */
export function scenario(
  nodes: NodeSpec[],
  opts: { seed?: number; untilMs?: number; timing?: Timing } = {},
): Scenario {
  return {
    name: "scheduler-test",
    file: "test.yaml",
    seed: opts.seed ?? 1,
    untilMs: opts.untilMs ?? 60_000,
    nodes,
    timing: opts.timing ?? {},
    images: [],
    objects: [],
    actions: [],
    expect: [],
    defaulted: false,
  };
}

/** A cluster whose timeline records are kept in `records`. */
export function cluster(sc: Scenario, explain = false): { cluster: Cluster; records: TimelineRecord[] } {
  const records: TimelineRecord[] = [];
  const c = new Cluster(sc, { sink: (r) => records.push(r), explainScheduling: explain });
  return { cluster: c, records };
}

export interface PodOptions {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  namespace?: string;
  spec?: Partial<NonNullable<Pod["spec"]>>;
  image?: string;
}

/** A one-container pod with optional requests. */
export function pod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: o.namespace ?? "default", labels: o.labels ?? {} },
    spec: {
      containers: [
        {
          name: "c",
          image: o.image ?? "nginx:1.27",
          ...(Object.keys(requests).length ? { resources: { requests } } : {}),
        },
      ],
      ...o.spec,
    },
  };
}

/** The node a pod is bound to ("" when unbound or gone). */
export function nodeOf(c: Cluster, name: string, namespace = "default"): string {
  return c.api.get<Pod>("Pod", namespace, name)?.spec?.nodeName ?? "";
}

/** The stored pod. */
export function getPod(c: Cluster, name: string, namespace = "default"): Stored<Pod> {
  const p = c.api.get<Pod>("Pod", namespace, name);
  if (!p) throw new Error(`pod ${namespace}/${name} not found`);
  return p;
}

/** The stored node. */
export function getNode(c: Cluster, name: string): Stored<Node> {
  const n = c.api.get<Node>("Node", undefined, name);
  if (!n) throw new Error(`node ${name} not found`);
  return n;
}

/** Event records of a reason, in order. */
export function events(records: TimelineRecord[], reason: string) {
  return records.flatMap((r) => (r.type === "event" && r.reason === reason ? [r] : []));
}
