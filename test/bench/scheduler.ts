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

function context(): SimContext {
  const engine = new Engine();
  const rng = new Rng(1);
  const clock = new SimClock();
  const api = new ApiServer({ engine, rng, clock });
  const events = new EventRecorder(api);
  const scenario = { timing: {} } as Scenario;
  return { engine, rng, clock, api, events, scenario, record: () => {} };
}

/** Pods bound per wall-second with `nodes` nodes and `pods` pods (default spreading, 50 ReplicaSets). */
export function benchScheduler(nodes: number, pods: number): { podsPerSecond: number; simulatedMs: number } {
  const ctx = context();
  const { api, engine } = ctx;
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const scheduler = new Scheduler(ctx, { explain: false });
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
  for (let i = 0; i < pods; i++) api.create(pod(i, rsUids));
  const t0 = performance.now();
  engine.run();
  const s = (performance.now() - t0) / 1000;
  const bound = api.cache("Pod").keysOnNode.length >= 0 ? countBound(ctx) : 0;
  if (bound !== pods)
    throw new Error(`only ${bound} of ${pods} pods were bound (${scheduler.attempts} attempts)`);
  return { podsPerSecond: Math.round(bound / s), simulatedMs: engine.nowMs };
}

function countBound(ctx: SimContext): number {
  let n = 0;
  for (const p of ctx.api.cache("Pod").values()) if ((p as Pod).spec?.nodeName) n++;
  return n;
}
