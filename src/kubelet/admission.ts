/** Kubelet admission (lifecycle/predicate.go): resources, node affinity/selector, host ports, NoExecute taints. */
import { nodeAllocatable, podRequests, type Resources } from "../api/resources.js";
import type { Node, Pod, Taint, Toleration } from "../api/types.js";

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

type NodeSelectorTerm = NonNullable<
  NonNullable<
    NonNullable<NonNullable<Pod["spec"]>["affinity"]>["nodeAffinity"]
  >["requiredDuringSchedulingIgnoredDuringExecution"]
>["nodeSelectorTerms"][number];
type Requirement = NonNullable<NodeSelectorTerm["matchExpressions"]>[number];

function matchRequirement(req: Requirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1) return false;
      const a = Number(value);
      const b = Number(values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return req.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

function matchTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing (nodeaffinity.NodeSelector).
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!matchRequirement(r, labels[r.key])) return false;
  for (const r of fields) {
    if (r.key !== "metadata.name" || !matchRequirement(r, node.metadata?.name)) return false;
  }
  return true;
}

/** GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector and required node affinity terms. */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => matchTerm(t, node));
}

/** Whether a toleration tolerates a taint (v1 helper ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

// Shared by every pod without host ports (most): a pod worker keeps its list for the pod's life.
const NO_PORTS: readonly string[] = Object.freeze([]);

function hostPorts(pod: Pod): readonly string[] {
  let out: string[] | undefined;
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) (out ??= []).push(`${p.protocol ?? "TCP"}/${p.hostPort}`);
  }
  return out ?? NO_PORTS;
}

function insufficient(name: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false,
    reason: `OutOf${name}`,
    message: `Node didn't have enough resource: ${name}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}

// noderesources.Fits, first failure only (the kubelet reports the first reason): pods, cpu, memory, storage.
function fitResources(
  req: Resources,
  used: Resources,
  podCount: number,
  alloc: Resources,
): AdmitResult | undefined {
  if (podCount + 1 > alloc.pods) return insufficient("pods", 1, podCount, alloc.pods);
  if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu)
    return insufficient("cpu", req.milliCpu, used.milliCpu, alloc.milliCpu);
  if (req.memory > 0 && req.memory > alloc.memory - used.memory)
    return insufficient("memory", req.memory, used.memory, alloc.memory);
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage)
    return insufficient(
      "ephemeral-storage",
      req.ephemeralStorage,
      used.ephemeralStorage,
      alloc.ephemeralStorage,
    );
  return undefined;
}

/** The sum of the requests of pods already admitted (the kubelet's active pods). */
export function sumRequests(pods: Iterable<Resources>): Resources {
  const used: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0 };
  for (const r of pods) {
    used.milliCpu += r.milliCpu;
    used.memory += r.memory;
    used.ephemeralStorage += r.ephemeralStorage;
    used.pods++;
  }
  return used;
}

/**
 * Simplification: extended resources, OS and supplemental-groups checks are not modelled.
 * predicateAdmitHandler.Admit: resources first (OutOfcpu, …), then node affinity/selector, host
 * ports, then untolerated NoExecute taints. `used` holds the requests of the pods already admitted;
 * `usedHostPorts` answers whether a port (`TCP/8080`) is taken (a Set, or the kubelet's counts by port).
 */
export function admitPod(
  pod: Pod,
  node: Node,
  used: Resources,
  usedHostPorts: { has(port: string): boolean },
): AdmitResult {
  const fit = fitResources(podRequests(pod), used, used.pods, nodeAllocatable(node));
  if (fit) return fit;
  if (!matchesNodeAffinity(pod, node)) {
    return {
      admit: false,
      reason: "NodeAffinity",
      message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    };
  }
  if (hostPorts(pod).some((p) => usedHostPorts.has(p))) {
    return {
      admit: false,
      reason: "NodePorts",
      message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
    };
  }
  const tolerations = pod.spec?.tolerations ?? [];
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== "NoExecute" || tolerations.some((t) => tolerates(t, taint))) continue;
    return {
      admit: false,
      reason: "TaintToleration",
      message: "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
    };
  }
  return { admit: true };
}

/** The host ports a pod takes (`TCP/8080`), for the NodePorts check. */
export { hostPorts as podHostPorts };
