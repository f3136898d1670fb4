/**
 * Scheduler throughput: pods bound per wall-second, with the scheduler alone on an apiserver
 * (no kubelets, no controllers), all pods created before the clock starts.
 */
import { performance } from "node:perf_hooks";
import { ApiServer } from "../../src/api/apiserver.js";
import type { SimContext } from "../../src/api/context.js";
import { EventRecorder } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Node, Pod } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";
import type { Scenario } from "../../src/scenario/types.js";
import { SchedulerCache } from "../../src/scheduler/cache.js";
import { Lookups } from "../../src/scheduler/lookups.js";
import { defaultProfile } from "../../src/scheduler/profile.js";
import { Algorithm } from "../../src/scheduler/schedule-one.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";

function node(i: number): Node {
  const name = `node-${i + 1}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "topology.kubernetes.io/zone": `zone-${i % 3}`,
      },
    },
    spec: {},
    status: {
      capacity: { cpu: "32", memory: "128Gi", pods: "110" },
      allocatable: { cpu: "32", memory: "128Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True" }],
    },
  };
}

// 50 apps of equal size, each pod owned by its app's ReplicaSet (so the default spreading applies).
function pod(i: number, rsUids: string[]): Pod {
  const app = i % rsUids.length;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `app-${app}-${i}`,
      namespace: "default",
      labels: { app: `app-${app}`, "pod-template-hash": "5d4f8b7c9" },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: `app-${app}`,
          uid: rsUids[app]!,
          controller: true,
        },
      ],
    },
    spec: {
      containers: [
        { name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "128Mi" } } },
      ],
    },
  };
}

function context(storeEvents: boolean): SimContext {
  const engine = new Engine();
  const rng = new Rng(1);
  const clock = new SimClock();
  const api = new ApiServer({ engine, rng, clock });
  const events = new EventRecorder(api);
  events.store = storeEvents;
  const scenario = { timing: {} } as Scenario;
  return { engine, rng, clock, api, events, scenario, record: () => {} };
}

/** Nodes (3 zones) and 50 ReplicaSets in a fresh context; returns the ReplicaSets' uids. */
function populate(ctx: SimContext, nodes: number): string[] {
  const { api, engine } = ctx;
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  for (let i = 0; i < nodes; i++) api.create(node(i));
  const rsUids: string[] = [];
  for (let a = 0; a < 50; a++) {
    const rs = api.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: `app-${a}`, namespace: "default" },
      spec: { selector: { matchLabels: { app: `app-${a}` } }, template: {} },
    });
    rsUids.push(rs.metadata.uid);
  }
  engine.run();
  return rsUids;
}

export interface SchedulerBench {
  /** Pods bound per wall-second: scheduling cycles, binding writes, events and watch deliveries. */
  podsPerSecond: number;
  /** Scheduling decisions per wall-second (filter, score, select, assume) without the apiserver. */
  cyclesPerSecond: number;
}

/**
 * Scheduler throughput with `nodes` nodes (32 CPU, 128 GiB, 110 pods; 3 zones) and `pods` pods of
 * 50 ReplicaSets (default topology spreading applies), all created before the clock starts.
 * Events go to the timeline only (EventRecorder.store = false), as large runs keep them.
 */
export function benchScheduler(nodes: number, pods: number, storeEvents = false): SchedulerBench {
  const ctx = context(storeEvents);
  const scheduler = new Scheduler(ctx, { explain: false });
  const rsUids = populate(ctx, nodes);
  const { api, engine } = ctx;
  for (let i = 0; i < pods; i++) api.create(pod(i, rsUids));
  const t0 = performance.now();
  engine.run();
  const s = (performance.now() - t0) / 1000;
  let bound = 0;
  for (const p of api.cache("Pod").values()) if ((p as Pod).spec?.nodeName) bound++;
  if (bound !== pods)
    throw new Error(`only ${bound} of ${pods} pods were bound (${scheduler.attempts} attempts)`);
  return { podsPerSecond: Math.round(bound / s), cyclesPerSecond: benchCycles(nodes, pods) };
}

// The scheduling decision alone: the same cluster, pods assumed on their node, nothing written.
function benchCycles(nodes: number, pods: number): number {
  const ctx = context(false);
  const rsUids = populate(ctx, nodes);
  const cache = new SchedulerCache();
  for (const n of ctx.api.list<Node>("Node")) cache.setNode(n);
  const algorithm = new Algorithm(defaultProfile(), cache, new Lookups(ctx.api), new Rng(2), false);
  const created = Array.from({ length: pods }, (_, i) => ctx.api.create(pod(i, rsUids)));
  const t0 = performance.now();
  for (const p of created) {
    const a = algorithm.schedule(p);
    if (a.selected) cache.assumePod(a.info, a.selected.name);
  }
  return Math.round(pods / ((performance.now() - t0) / 1000));
}
