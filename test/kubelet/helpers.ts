/** Builds small clusters from hand-made Scenario objects and reads their timelines, for the kubelet's tests. */
import type { Pod, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { EventRecord, StepRecord, TimelineRecord } from "../../src/cluster/records.js";
import type { ImageBehavior, NodeSpec, Scenario, Timing } from "../../src/scenario/types.js";

/** Fixed timings so that tests can name exact milliseconds. */
export const FIXED_TIMING: Timing = {
  sandboxCreate: { minMs: 500, maxMs: 500 },
  imagePull: { minMs: 2000, maxMs: 2000 },
  containerStart: { minMs: 300, maxMs: 300 },
  watchLatency: { minMs: 5, maxMs: 5 },
};

export function node(
  name: string,
  capacity: Record<string, string> = {},
  extra: Partial<NodeSpec> = {},
): NodeSpec {
  return {
    names: [name],
    capacity: { cpu: "4", memory: "8Gi", pods: "110", ...capacity },
    labels: {},
    taints: [],
    ...extra,
  };
}

export interface TestScenario {
  nodes?: NodeSpec[];
  images?: ImageBehavior[];
  timing?: Timing;
  untilMs?: number;
  seed?: number;
}

export function scenario(t: TestScenario = {}): Scenario {
  return {
    name: "kubelet-test",
    file: "test.yaml",
    seed: t.seed ?? 1,
    untilMs: t.untilMs ?? 60_000,
    nodes: t.nodes ?? [node("node-1")],
    timing: t.timing ?? FIXED_TIMING,
    images: t.images ?? [],
    objects: [],
    actions: [],
    expect: [],
    defaulted: false,
  };
}

/** A cluster whose timeline is collected in `records`. */
export function cluster(t: TestScenario = {}): { c: Cluster; records: TimelineRecord[] } {
  const records: TimelineRecord[] = [];
  const c = new Cluster(scenario(t), { sink: (r) => records.push(r) });
  return { c, records };
}

/** A pod bound to `nodeName` (scheduler bypass), created at time `atMs`. */
export function createPodAt(c: Cluster, atMs: number, pod: Pod): void {
  c.engine.at(atMs, () => {
    c.api.create(pod);
  });
}

export function pod(name: string, spec: Partial<NonNullable<Pod["spec"]>>, nodeName = "node-1"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { nodeName, containers: [{ name: "web", image: "nginx:1.25" }], ...spec },
  };
}

export function getPod(c: Cluster, name: string): Stored<Pod> | undefined {
  return c.api.get<Pod>("Pod", "default", name);
}

export function events(records: TimelineRecord[], involved?: string): EventRecord[] {
  return records.filter(
    (r): r is EventRecord => r.type === "event" && (!involved || r.involved === involved),
  );
}

export function steps(records: TimelineRecord[]): StepRecord[] {
  return records.filter((r): r is StepRecord => r.type === "step");
}

export function cond(p: Pod | undefined, type: string): string | undefined {
  return p?.status?.conditions?.find((c) => c.type === type)?.status;
}
