/** Small clusters for the node-failure tests: scenarios built in code, fault actions, and write observers. */
import type { Deployment, KubeObject, Node, Pod, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { EventRecord, StepRecord, TimelineRecord } from "../../src/cluster/records.js";
import type {
  Action,
  FaultSpec,
  ImageBehavior,
  NodeSpec,
  Scenario,
  Timing,
} from "../../src/scenario/types.js";

/** Fixed kubelet timings (watch latency 5 ms) so that the tests can name exact milliseconds. */
export const FIXED_TIMING: Timing = {
  sandboxCreate: { minMs: 500, maxMs: 500 },
  imagePull: { minMs: 2000, maxMs: 2000 },
  containerStart: { minMs: 300, maxMs: 300 },
  watchLatency: { minMs: 5, maxMs: 5 },
};
export const WATCH_LATENCY_MS = 5;

const POS = { file: "test.yaml", line: 1, col: 1 };

export function nodes(count: number, extra: Partial<NodeSpec> = {}): NodeSpec {
  return {
    names: Array.from({ length: count }, (_, i) => `node-${i + 1}`),
    capacity: { cpu: "4", memory: "8Gi", pods: "110" },
    labels: {},
    taints: [],
    ...extra,
  };
}

export function fault(atMs: number, f: FaultSpec): Action {
  return { kind: "fault", atMs, fault: f, pos: POS };
}

export function heal(atMs: number, h: { node?: string; type?: FaultSpec["type"] }): Action {
  return { kind: "heal", atMs, heal: h, pos: POS };
}

export interface TestScenario {
  nodes?: NodeSpec[];
  objects?: KubeObject[];
  actions?: Action[];
  timing?: Timing;
  images?: ImageBehavior[];
  untilMs?: number;
  seed?: number;
}

export function scenario(t: TestScenario = {}): Scenario {
  return {
    name: "nodefailure-test",
    file: "test.yaml",
    seed: t.seed ?? 1,
    untilMs: t.untilMs ?? 10 * 60_000,
    nodes: t.nodes ?? [nodes(3)],
    timing: t.timing ?? FIXED_TIMING,
    images: [{ pattern: "nginx:*", ready: { minMs: 1000, maxMs: 1000 } }, ...(t.images ?? [])],
    objects: (t.objects ?? []).map((object) => ({ object, pos: POS })),
    actions: t.actions ?? [],
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

/** A Deployment of nginx with a readiness probe (5 s period), small requests. */
export function deployment(
  name: string,
  replicas: number,
  podSpec: Record<string, unknown> = {},
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1.26",
              readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 5 },
              resources: { requests: { cpu: "100m", memory: "64Mi" } },
            },
          ],
          ...podSpec,
        },
      },
    },
  };
}

/** A bare pod bound to `node` (scheduler bypass). */
export function boundPod(name: string, node: string, spec: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { nodeName: node, containers: [{ name: "web", image: "nginx:1.26" }], ...spec },
  };
}

export function events(records: TimelineRecord[], reason?: string): EventRecord[] {
  return records.filter((r): r is EventRecord => r.type === "event" && (!reason || r.reason === reason));
}

export function steps(records: TimelineRecord[], step?: string): StepRecord[] {
  return records.filter((r): r is StepRecord => r.type === "step" && (!step || r.step === step));
}

export function readyOf(o: Node | Pod | undefined): string | undefined {
  return (o?.status?.conditions as { type: string; status: string }[] | undefined)?.find(
    (c) => c.type === "Ready",
  )?.status;
}

/** Times (ms) of every write to one object that satisfies `pred`, from the apiserver's observers. */
export function watchWrites<T extends KubeObject>(
  c: Cluster,
  kind: string,
  name: string,
  pred: (o: Stored<T>, type: string) => boolean,
): number[] {
  const out: number[] = [];
  c.api.observe((ev) => {
    if (ev.object.kind === kind && ev.object.metadata.name === name && pred(ev.object as Stored<T>, ev.type))
      out.push(c.engine.nowMs);
  });
  return out;
}

/** The node Lease's renewal times (ms). */
export function leaseRenewals(c: Cluster, node: string): number[] {
  return watchWrites(c, "Lease", node, () => true);
}

export function pods(c: Cluster): Stored<Pod>[] {
  return c.api.list<Pod>("Pod", { namespace: "default" });
}
