// A scheduler cache and apiserver without a cluster: for plugin and algorithm tests.
import { ApiServer } from "../../src/api/apiserver.js";
import type { SimContext } from "../../src/api/context.js";
import { EventRecorder } from "../../src/api/events.js";
import type { TimelineRecord } from "../../src/api/records.js";
import { SimClock } from "../../src/api/time.js";
import type { Node, Pod, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";
import type { Scenario } from "../../src/scenario/types.js";
import { SchedulerCache } from "../../src/scheduler/cache.js";
import {
  type Cycle,
  FilterRun,
  type FilterStatus,
  runScorePlugins,
  type ScorePlugin,
} from "../../src/scheduler/framework.js";
import { Lookups } from "../../src/scheduler/lookups.js";
import type { NodeInfo } from "../../src/scheduler/nodeinfo.js";
import { podInfoOf } from "../../src/scheduler/podinfo.js";
import { defaultProfile } from "../../src/scheduler/profile.js";
import { Algorithm } from "../../src/scheduler/schedule-one.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { pod as makePod, type PodOptions } from "./helpers.js";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: NonNullable<Node["spec"]>["taints"];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes?: number }[];
}

export class Fixture {
  readonly engine = new Engine();
  readonly api = new ApiServer({ engine: this.engine, rng: new Rng(1), clock: new SimClock() });
  readonly cache = new SchedulerCache();
  readonly lookups = new Lookups(this.api);

  constructor() {
    this.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  }

  node(name: string, o: NodeOptions = {}): NodeInfo {
    const n = this.api.create<Node>({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
      spec: {
        ...(o.taints ? { taints: o.taints } : {}),
        ...(o.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        allocatable: { cpu: o.cpu ?? "4", memory: o.memory ?? "8Gi", pods: o.pods ?? "110" },
        ...(o.images ? { images: o.images } : {}),
      },
    });
    this.cache.setNode(n);
    return this.cache.nodeInfo(name)!;
  }

  /** Creates a pod in the apiserver (unbound) and returns it. */
  pod(name: string, o: PodOptions = {}): Stored<Pod> {
    return this.api.create(makePod(name, o));
  }

  /** Creates a pod and puts it on a node in the cache (as if bound). */
  bound(name: string, nodeName: string, o: PodOptions = {}): Stored<Pod> {
    const p = this.pod(name, o);
    this.cache.addPod(podInfoOf(p), nodeName);
    return p;
  }

  cycle(p: Stored<Pod>): Cycle {
    return {
      pod: p,
      info: podInfoOf(p),
      cache: this.cache,
      lookups: this.lookups,
      allNodes: this.cache.nodeList(),
    };
  }

  /** The default profile's filter verdict for each node (undefined = passes). */
  filter(p: Stored<Pod>): Record<string, FilterStatus | undefined> {
    const run = new FilterRun(this.cycle(p), defaultProfile().filters);
    const out: Record<string, FilterStatus | undefined> = {};
    for (const n of this.cache.nodeList()) out[n.name] = run.run(n);
    return out;
  }

  /** One score plugin's normalised scores over all nodes (or the given ones), by node name. */
  scores(p: Stored<Pod>, plugin: ScorePlugin, nodes?: readonly NodeInfo[]): Record<string, number> | "skip" {
    const list = nodes ?? this.cache.nodeList();
    const table = runScorePlugins(this.cycle(p), [plugin], list);
    if (table.plugins.length === 0) return "skip";
    return Object.fromEntries(list.map((n, j) => [n.name, table.scores[0]![j]!]));
  }

  algorithm(seed = 1, explain = false): Algorithm {
    return new Algorithm(defaultProfile(), this.cache, this.lookups, new Rng(seed), explain);
  }
}

/** An apiserver with only the scheduler on it (no kubelets, no controllers): nodes are made by hand. */
export function schedulerOnly(seed = 1, explain = false) {
  const engine = new Engine();
  const rng = new Rng(seed);
  const clock = new SimClock();
  const api = new ApiServer({ engine, rng, clock });
  const events = new EventRecorder(api);
  const records: TimelineRecord[] = [];
  const scenario = { timing: {} } as Scenario;
  const ctx: SimContext = { engine, rng, clock, api, events, scenario, record: (r) => records.push(r) };
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const scheduler = new Scheduler(ctx, { explain });
  const node = (name: string, cpu: string, memory: string, pods = "110") =>
    api.create<Node>({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { "kubernetes.io/hostname": name } },
      spec: {},
      status: { allocatable: { cpu, memory, pods }, conditions: [{ type: "Ready", status: "True" }] },
    });
  return { engine, api, events, records, scheduler, node };
}
