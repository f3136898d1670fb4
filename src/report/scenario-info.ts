/** What the reports need from the scenario's manifests that the timeline does not carry: pod requests and rollout bands. */
import { milliValue } from "../api/quantity.js";
import type { KubeObject } from "../api/types.js";
import type { Scenario } from "../scenario/types.js";

/** A pod's requested CPU (millicores) and memory (bytes), as the scheduler counts them. */
export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
}

/** A Deployment's rolling-update parameters, for the maxSurge / maxUnavailable band. */
export interface RolloutParams {
  /** spec.replicas of the manifest (default 1). */
  replicas: number;
  strategy: "RollingUpdate" | "Recreate";
  /** As written (`25%`, `1`); Kubernetes' defaults when absent. */
  maxSurge: string | number;
  maxUnavailable: string | number;
}

/** What the reports know of the scenario's workloads, keyed `namespace/name`. */
export interface ScenarioInfo {
  /** The requests of a pod, looked up by its owner (`ReplicaSet/web-7c5b8f9d4d`) or its own name. */
  podRequests(namespace: string, name: string, owner: string | undefined): PodRequests | undefined;
  deployments: Map<string, RolloutParams>;
}

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, string>;
}
interface ContainerLike {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

const EMPTY: PodRequests = { cpuMilli: 0, memoryBytes: 0 };

/**
 * Reads the workloads of the scenario (objects at time 0 and those `kubectl apply|create -f` adds).
 * Simplification: requests come from the manifests as written; a later `kubectl edit/patch/set` of
 * resources is not followed.
 */
export function scenarioInfo(scenario: Scenario | undefined): ScenarioInfo {
  const templates = new Map<string, PodRequests>();
  const deployments = new Map<string, RolloutParams>();
  const objects: KubeObject[] = scenario ? scenario.objects.map((o) => o.object) : [];
  for (const a of scenario?.actions ?? [])
    if (a.kind === "kubectl") objects.push(...(a.command.objects ?? []));
  for (const obj of objects) {
    const ns = obj.metadata?.namespace ?? "default";
    const name = obj.metadata?.name ?? "";
    const spec = (obj as { spec?: Record<string, unknown> }).spec ?? {};
    if (obj.kind === "Pod") templates.set(`Pod/${ns}/${name}`, podSpecRequests(spec as PodSpecLike));
    const tmpl = (spec.template as { spec?: PodSpecLike } | undefined)?.spec;
    if (tmpl && obj.kind) templates.set(`${obj.kind}/${ns}/${name}`, podSpecRequests(tmpl));
    if (obj.kind === "Deployment") deployments.set(`${ns}/${name}`, rolloutParams(spec));
  }
  return {
    deployments,
    podRequests(namespace, name, owner) {
      const own = templates.get(`Pod/${namespace}/${name}`);
      if (own || !owner) return own;
      const [kind, ownerName = ""] = owner.split("/");
      const direct = templates.get(`${kind}/${namespace}/${ownerName}`);
      if (direct || kind !== "ReplicaSet") return direct;
      // A Deployment's ReplicaSet is named DEPLOYMENT-HASH.
      return templates.get(`Deployment/${namespace}/${ownerName.slice(0, ownerName.lastIndexOf("-"))}`);
    },
  };
}

/** The scheduler's sum: max(sum of containers, largest init container) + overhead. */
export function podSpecRequests(spec: PodSpecLike): PodRequests {
  const sum = { ...EMPTY };
  for (const c of spec.containers ?? []) add(sum, containerRequests(c));
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    sum.cpuMilli = Math.max(sum.cpuMilli, r.cpuMilli);
    sum.memoryBytes = Math.max(sum.memoryBytes, r.memoryBytes);
  }
  if (spec.overhead) add(sum, quantities(spec.overhead));
  return sum;
}

function containerRequests(c: ContainerLike): PodRequests {
  // Requests default to limits when only limits are given (as the apiserver defaults them).
  return quantities({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
}

function quantities(r: Record<string, string>): PodRequests {
  return {
    cpuMilli: r.cpu === undefined ? 0 : milliValue(r.cpu),
    memoryBytes: r.memory === undefined ? 0 : Math.round(milliValue(r.memory) / 1000),
  };
}

function add(to: PodRequests, r: PodRequests): void {
  to.cpuMilli += r.cpuMilli;
  to.memoryBytes += r.memoryBytes;
}

function rolloutParams(spec: Record<string, unknown>): RolloutParams {
  const strategy = (spec.strategy ?? {}) as {
    type?: string;
    rollingUpdate?: { maxSurge?: string | number; maxUnavailable?: string | number };
  };
  return {
    replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
    strategy: strategy.type === "Recreate" ? "Recreate" : "RollingUpdate",
    maxSurge: strategy.rollingUpdate?.maxSurge ?? "25%",
    maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? "25%",
  };
}

/**
 * maxSurge rounds up and maxUnavailable down (deployment/util ResolveFenceposts); both zero
 * means maxUnavailable 1.
 */
export function resolveFenceposts(p: RolloutParams, desired: number): { surge: number; unavailable: number } {
  if (p.strategy === "Recreate") return { surge: 0, unavailable: desired };
  const surge = scaled(p.maxSurge, desired, true);
  const unavailable = scaled(p.maxUnavailable, desired, false);
  return surge === 0 && unavailable === 0 ? { surge: 0, unavailable: 1 } : { surge, unavailable };
}

function scaled(v: string | number, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  if (!v.endsWith("%")) return Number.parseInt(v, 10) || 0;
  const x = (Number.parseInt(v, 10) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}
