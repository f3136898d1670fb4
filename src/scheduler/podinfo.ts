/** What the scheduler derives once from a pod (framework.PodInfo): requests, host ports, affinity terms. */

import type { PodAffinityTerm, WeightedPodAffinityTerm } from "kubernetes-types/core/v1.js";
import { compileSelector, nothingSelector, type Selector } from "../api/labels.js";
import { podNonZeroRequests, podRequests } from "../api/resources.js";
import type { Pod, PodSpec, Stored } from "../api/types.js";

/** A pod (anti-)affinity term, compiled (framework.AffinityTerm). */
export interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: Selector;
  /** Namespaces named by the term; the pod's own when it names none and has no namespaceSelector. */
  readonly namespaces: ReadonlySet<string>;
  /** The namespaceSelector; matches nothing when unset. */
  readonly namespaceSelector: Selector;
  /** For preferred terms, the weight; 1 for required terms. */
  readonly weight: number;
}

/** A host port a container asks for (`hostIP` defaults to 0.0.0.0, protocol to TCP). */
export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly port: number;
}

/** Immutable facts about one version of a pod. */
export interface PodInfo {
  readonly pod: Stored<Pod>;
  readonly uid: string;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** spec.priority (set by the Priority admission plugin); 0 when unset. */
  readonly priority: number;
  readonly terminating: boolean;
  /** Effective requests (PodRequests) in milli-CPU and bytes. */
  readonly milliCpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Requests with 100m / 200Mi for containers that request nothing (scoring only). */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly AffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly AffinityTerm[];
  /** Has any pod affinity or anti-affinity (NodeInfo.PodsWithAffinity). */
  readonly hasAffinity: boolean;
}

// Shared and never written; not frozen, since V8 iterates frozen arrays slowly.
const NONE: readonly never[] = [];

function namespacesOf(pod: Pod, term: PodAffinityTerm): ReadonlySet<string> {
  if (!term.namespaces?.length && !term.namespaceSelector)
    return new Set([pod.metadata?.namespace ?? "default"]);
  return new Set(term.namespaces ?? []);
}

function compileTerm(pod: Pod, term: PodAffinityTerm, weight: number): AffinityTerm {
  return {
    topologyKey: term.topologyKey,
    selector: compileSelector(term.labelSelector),
    namespaces: namespacesOf(pod, term),
    namespaceSelector: term.namespaceSelector ? compileSelector(term.namespaceSelector) : nothingSelector(),
    weight,
  };
}

function required(pod: Pod, terms: readonly PodAffinityTerm[] | undefined): readonly AffinityTerm[] {
  return terms?.length ? terms.map((t) => compileTerm(pod, t, 1)) : NONE;
}

function preferred(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): readonly AffinityTerm[] {
  if (!terms?.length) return NONE;
  return terms.map((t) => compileTerm(pod, t.podAffinityTerm, t.weight));
}

// Containers and sidecars (restartable init containers) hold their host ports while the pod runs.
function hostPortsOf(pod: Pod): readonly HostPort[] {
  let out: HostPort[] | undefined;
  const spec = pod.spec;
  const containers = [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always"),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      (out ??= []).push({ hostIP: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort });
    }
  }
  return out ?? NONE;
}

const infos = new WeakMap<object, PodInfo>();

/** The PodInfo of a stored (frozen) pod; computed once per object version. */
export function podInfoOf(pod: Stored<Pod>): PodInfo {
  const hit = infos.get(pod);
  if (hit) return hit;
  const info = computePodInfo(pod);
  infos.set(pod, info);
  return info;
}

/** What a pod's spec implies (shared by the versions of a pod whose spec did not change). */
type SpecFacts = Pick<
  PodInfo,
  | "priority"
  | "milliCpu"
  | "memory"
  | "ephemeralStorage"
  | "nonZeroMilliCpu"
  | "nonZeroMemory"
  | "hostPorts"
  | "requiredAffinityTerms"
  | "requiredAntiAffinityTerms"
  | "preferredAffinityTerms"
  | "preferredAntiAffinityTerms"
  | "hasAffinity"
>;

const specFacts = new WeakMap<object, SpecFacts>();
const NO_SPEC: PodSpec = { containers: [] };

function factsOf(pod: Stored<Pod>): SpecFacts {
  const spec: PodSpec = pod.spec ?? NO_SPEC;
  let f = specFacts.get(spec);
  if (f) return f;
  const req = podRequests(pod);
  const nonZero = podNonZeroRequests(pod);
  const pa = spec.affinity?.podAffinity;
  const paa = spec.affinity?.podAntiAffinity;
  f = {
    priority: spec.priority ?? 0,
    milliCpu: req.milliCpu,
    memory: req.memory,
    ephemeralStorage: req.ephemeralStorage,
    nonZeroMilliCpu: nonZero.milliCpu,
    nonZeroMemory: nonZero.memory,
    hostPorts: hostPortsOf(pod),
    requiredAffinityTerms: required(pod, pa?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinityTerms: required(pod, paa?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinityTerms: preferred(pod, pa?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: preferred(pod, paa?.preferredDuringSchedulingIgnoredDuringExecution),
    hasAffinity: pa !== undefined || paa !== undefined,
  };
  // A spec object belongs to one pod (so one namespace, which affinity terms default to).
  if (Object.isFrozen(spec)) specFacts.set(spec, f);
  return f;
}

const EMPTY_LABELS: Readonly<Record<string, string>> = {};
const routes = new WeakMap<object, readonly string[]>();

/**
 * `namespace\0key\0value` for each label: the keys of the cache's label index (computed once
 * per labels object; iterating frozen objects with for-in is slow in V8).
 */
export function labelRoutesOf(info: PodInfo): readonly string[] {
  const labels = info.labels;
  let r = routes.get(labels);
  if (!r) {
    r = Object.keys(labels).map((k) => `${info.namespace}\u0000${k}\u0000${labels[k]}`);
    if (Object.isFrozen(labels)) routes.set(labels, r);
  }
  return r;
}

function computePodInfo(pod: Stored<Pod>): PodInfo {
  const namespace = pod.metadata.namespace ?? "default";
  const f = factsOf(pod);
  return {
    pod,
    uid: pod.metadata.uid,
    key: `${namespace}/${pod.metadata.name}`,
    namespace,
    name: pod.metadata.name,
    labels: pod.metadata.labels ?? EMPTY_LABELS,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    priority: f.priority,
    milliCpu: f.milliCpu,
    memory: f.memory,
    ephemeralStorage: f.ephemeralStorage,
    nonZeroMilliCpu: f.nonZeroMilliCpu,
    nonZeroMemory: f.nonZeroMemory,
    hostPorts: f.hostPorts,
    requiredAffinityTerms: f.requiredAffinityTerms,
    requiredAntiAffinityTerms: f.requiredAntiAffinityTerms,
    preferredAffinityTerms: f.preferredAffinityTerms,
    preferredAntiAffinityTerms: f.preferredAntiAffinityTerms,
    hasAffinity: f.hasAffinity,
  };
}

/**
 * AffinityTerm.Matches: the pod is in one of the term's namespaces (or one its namespaceSelector
 * selects, by the namespace's labels) and its labels match the term's selector.
 */
export function termMatches(
  term: AffinityTerm,
  namespace: string,
  labels: Readonly<Record<string, string>>,
  nsLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!term.namespaces.has(namespace) && !term.namespaceSelector.matches(nsLabels)) return false;
  return term.selector.matches(labels);
}
