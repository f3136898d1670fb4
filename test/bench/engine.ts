/** Engine and store micro-benchmarks (figures, not tests). */
import { performance } from "node:perf_hooks";
import { ApiServer } from "../../src/api/apiserver.js";
import { SimClock } from "../../src/api/time.js";
import type { KubeObject, Pod } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

/** Steady-state events/s with `pending` events queued: each event schedules one more. */
export function benchEngine(pending: number, events = 2_000_000): { eventsPerSecond: number } {
  const engine = new Engine();
  const rng = new Rng(1);
  const delays = new Float64Array(4096);
  for (let i = 0; i < delays.length; i++) delays[i] = 1 + rng.int(pending);
  let k = 0;
  const tick = () => {
    engine.after(delays[k++ & 4095]!, tick);
  };
  for (let i = 0; i < pending; i++) engine.at(rng.int(pending), tick);
  engine.run({ maxEvents: 100_000 }); // warm up
  const t0 = performance.now();
  const r = engine.run({ maxEvents: events });
  const s = (performance.now() - t0) / 1000;
  return { eventsPerSecond: Math.round(r.eventsRun / s) };
}

function pod(i: number): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `web-${i}`,
      namespace: "default",
      labels: { app: `app-${i % 1500}`, "pod-template-hash": "5d4f8b7c9" },
    },
    spec: {
      nodeName: `node-${i % 5000}`,
      containers: [
        { name: "web", image: "nginx:1.25", resources: { requests: { cpu: "100m", memory: "128Mi" } } },
      ],
    },
  };
}

/** Pod status updates/s through the apiserver (immer per object, indexes, watch batching) with `stored` pods. */
export function benchStore(
  stored = 150_000,
  updates = 200_000,
): { podUpdatesPerSecond: number; createMs: number } {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  let delivered = 0;
  api.watch("Pod", () => delivered++);
  const c0 = performance.now();
  for (let i = 0; i < stored; i++) api.create(pod(i));
  const createMs = performance.now() - c0;
  engine.run();
  const rng = new Rng(2);
  const t0 = performance.now();
  for (let i = 0; i < updates; i++) {
    const n = rng.int(stored);
    const ready = (i & 1) === 0 ? "True" : "False";
    api.mutate(
      "Pod",
      "default",
      `web-${n}`,
      (d: KubeObject) => {
        d.status = { phase: "Running", conditions: [{ type: "Ready", status: ready }] };
      },
      { subresource: "status" },
    );
    if ((i & 1023) === 0) engine.run({ untilMs: engine.nowMs + 1 });
  }
  engine.run();
  const s = (performance.now() - t0) / 1000;
  if (delivered < updates) throw new Error("watch deliveries lost");
  return { podUpdatesPerSecond: Math.round(updates / s), createMs: Math.round(createMs) };
}
