/** A bare control plane for the Service tests: apiserver with defaulting, validation and Service allocation. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiServer } from "../../src/api/apiserver.js";
import type { SimContext } from "../../src/api/context.js";
import { applyDefaults } from "../../src/api/defaults.js";
import { EventRecorder } from "../../src/api/events.js";
import { type ServiceAllocator, startServiceAllocator } from "../../src/api/service-admission.js";
import { SimClock } from "../../src/api/time.js";
import type { EndpointSlice, Endpoints, Mutable, Pod, Service, Stored } from "../../src/api/types.js";
import { validateObject } from "../../src/api/validation.js";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { EndpointsController } from "../../src/controllers/endpoints/endpoints-controller.js";
import { EndpointSliceController } from "../../src/controllers/endpoints/endpointslice-controller.js";
import { GarbageCollector } from "../../src/controllers/garbagecollector.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";

export interface Plane extends SimContext {
  allocator: ServiceAllocator;
  /** Runs the engine until `ms` (absolute simulated time). */
  runTo(ms: number): void;
}

/** An apiserver (defaulting, validation, Service allocation) and, optionally, the endpoint controllers. */
export function plane(opts: { seed?: number; controllers?: boolean } = {}): Plane {
  const engine = new Engine();
  const rng = new Rng(opts.seed ?? 1);
  const clock = new SimClock();
  const api = new ApiServer({
    engine,
    rng,
    clock,
    watchLatencyMs: 5,
    applyDefaults,
    validate: (o, old) => validateObject(o, old),
  });
  for (const name of ["default", "other"])
    api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const ctx = {
    engine,
    rng,
    clock,
    api,
    events: new EventRecorder(api),
    scenario: {} as Scenario,
    record: () => {},
  };
  const allocator = startServiceAllocator(ctx);
  if (opts.controllers) {
    for (const name of ["node-1", "node-2"])
      api.create({ apiVersion: "v1", kind: "Node", metadata: { name } });
    new GarbageCollector(api);
    new EndpointsController(ctx);
    new EndpointSliceController(ctx);
  }
  return { ...ctx, allocator, runTo: (ms) => engine.run({ untilMs: ms }) };
}

/** A Service manifest. */
export function service(
  name: string,
  spec: Mutable<NonNullable<Service["spec"]>> = {},
  ns = "default",
): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  };
}

export interface PodState {
  ip?: string;
  ready?: boolean;
  node?: string;
  phase?: string;
  labels?: Record<string, string>;
  hostname?: string;
  subdomain?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  /** The Ready condition's lastTransitionTime. */
  readySince?: string;
}

/** Creates a pod and writes the status a kubelet would have written (IP, phase, Ready). */
export function addPod(p: Plane, name: string, st: PodState, ns = "default"): Stored<Pod> {
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels: st.labels ?? { app: "web" } },
    spec: {
      ...(st.node !== undefined || st.ip ? { nodeName: st.node ?? "node-1" } : {}),
      ...(st.hostname ? { hostname: st.hostname } : {}),
      ...(st.subdomain ? { subdomain: st.subdomain } : {}),
      containers: [{ name: "c", image: "nginx", ports: st.ports ?? [{ name: "http", containerPort: 8080 }] }],
    },
  };
  p.api.create(pod);
  return setPodStatus(p, name, st, ns);
}

/** Rewrites a pod's status: IP, phase and the Ready condition. */
export function setPodStatus(p: Plane, name: string, st: PodState, ns = "default"): Stored<Pod> {
  const ts = st.readySince ?? p.clock.time(p.engine.nowMs);
  return p.api.mutate<Mutable<Pod>>(
    "Pod",
    ns,
    name,
    (d) => {
      const s = (d.status ??= {});
      s.phase = st.phase ?? (st.ip ? "Running" : "Pending");
      if (st.ip) {
        s.podIP = st.ip;
        s.podIPs = [{ ip: st.ip }];
      }
      s.conditions = [{ type: "Ready", status: st.ready ? "True" : "False", lastTransitionTime: ts }];
    },
    { subresource: "status" },
  );
}

/** The Endpoints object of a Service. */
export function endpointsOf(p: Plane, name: string, ns = "default"): Stored<Endpoints> | undefined {
  return p.api.get<Endpoints>("Endpoints", ns, name);
}

/** The EndpointSlices of a Service, by name. */
export function slicesOf(p: Plane, name: string, ns = "default"): Stored<EndpointSlice>[] {
  return p.api.list<EndpointSlice>("EndpointSlice", {
    namespace: ns,
    indexLabel: ["kubernetes.io/service-name", name],
  });
}

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};

/** Runs a scenario file to its end (or `untilMs`), collecting the timeline. */
export function runFile(file: string, untilMs?: number) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(loadScenario([file], read), { sink: (r) => records.push(r) });
  if (untilMs !== undefined) {
    c.runTo(untilMs);
    return { c, records, summary: undefined };
  }
  const summary = c.run();
  return { c, records, summary };
}
