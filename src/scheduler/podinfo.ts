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

/** What a pod's spec implies; pods of one shape without host ports or pod affinity share one. */
export interface SpecFacts {
  /** spec.priority (set by the Priority admission plugin); 0 when unset. */
  readonly priority: number;
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

const EMPTY_LABELS: Readonly<Record<string, string>> = {};

/** The labels of a pod version as PodInfo keeps them. */
export function podLabels(pod: Stored<Pod>): Readonly<Record<string, string>> {
  return pod.metadata.labels ?? EMPTY_LABELS;
}

/**
 * Immutable facts about one version of a pod: its identity, labels, termination and spec facts
 * (shared; read through getters). It holds the version's spec but not the pod object, so the
 * scheduler cache keeps one PodInfo across a pod's status-only writes without pinning old versions.
 */
export class PodInfo {
  constructor(
    readonly uid: string,
    readonly namespace: string,
    readonly name: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly terminating: boolean,
    /** The spec the facts were derived from (see sameSpecParts). */
    readonly spec: PodSpec | undefined,
    readonly facts: SpecFacts,
  ) {}

  /** The PodInfo of another version of the pod whose spec implies the same facts (sameSpecParts). */
  withVersion(pod: Stored<Pod>): PodInfo {
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    return new PodInfo(
      this.uid,
      this.namespace,
      this.name,
      podLabels(pod),
      terminating,
      pod.spec,
      this.facts,
    );
  }

  get priority(): number {
    return this.facts.priority;
  }
  get milliCpu(): number {
    return this.facts.milliCpu;
  }
  get memory(): number {
    return this.facts.memory;
  }
  get ephemeralStorage(): number {
    return this.facts.ephemeralStorage;
  }
  get nonZeroMilliCpu(): number {
    return this.facts.nonZeroMilliCpu;
  }
  get nonZeroMemory(): number {
    return this.facts.nonZeroMemory;
  }
  get hostPorts(): readonly HostPort[] {
    return this.facts.hostPorts;
  }
  get requiredAffinityTerms(): readonly AffinityTerm[] {
    return this.facts.requiredAffinityTerms;
  }
  get requiredAntiAffinityTerms(): readonly AffinityTerm[] {
    return this.facts.requiredAntiAffinityTerms;
  }
  get preferredAffinityTerms(): readonly AffinityTerm[] {
    return this.facts.preferredAffinityTerms;
  }
  get preferredAntiAffinityTerms(): readonly AffinityTerm[] {
    return this.facts.preferredAntiAffinityTerms;
  }
  get hasAffinity(): boolean {
    return this.facts.hasAffinity;
  }
}

const NO_SPEC: PodSpec = { containers: [] };

/**
 * Whether two specs imply the same facts without computing them: the parts the facts come from
 * are the same objects (the binding and the kubelet's writes leave them shared). False proves nothing.
 */
export function sameSpecParts(a: PodSpec | undefined, b: PodSpec | undefined): boolean {
  if (a === b) return true;
  const x = a ?? NO_SPEC;
  const y = b ?? NO_SPEC;
  return (
    x.containers === y.containers &&
    x.initContainers === y.initContainers &&
    x.overhead === y.overhead &&
    x.affinity === y.affinity &&
    x.priority === y.priority
  );
}

/** Whether two spec facts are equal (by value; host ports and terms by reference, so false proves nothing). */
export function sameFacts(a: SpecFacts, b: SpecFacts): boolean {
  return (
    a === b ||
    (a.priority === b.priority &&
      a.milliCpu === b.milliCpu &&
      a.memory === b.memory &&
      a.ephemeralStorage === b.ephemeralStorage &&
      a.nonZeroMilliCpu === b.nonZeroMilliCpu &&
      a.nonZeroMemory === b.nonZeroMemory &&
      a.hostPorts === b.hostPorts &&
      a.requiredAffinityTerms === b.requiredAffinityTerms &&
      a.requiredAntiAffinityTerms === b.requiredAntiAffinityTerms &&
      a.preferredAffinityTerms === b.preferredAffinityTerms &&
      a.preferredAntiAffinityTerms === b.preferredAntiAffinityTerms)
  );
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

const specFacts = new WeakMap<object, SpecFacts>();

/** Shapes (facts without host ports or pod affinity) kept for sharing; past this, sharing starts over. */
const MAX_SHAPES = 1024;
const shapes = new Map<string, SpecFacts>();

// Pods of one template have equal facts: one object serves them all (a pod's numbers would
// otherwise cost a boxed double each). Facts with ports or terms stay the pod's own.
function shared(f: SpecFacts): SpecFacts {
  if (f.hasAffinity || f.hostPorts !== NONE) return f;
  const key = `${f.priority}/${f.milliCpu}/${f.memory}/${f.ephemeralStorage}/${f.nonZeroMilliCpu}/${f.nonZeroMemory}`;
  const hit = shapes.get(key);
  if (hit) return hit;
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(key, f);
  return f;
}

function factsOf(pod: Stored<Pod>): SpecFacts {
  const spec: PodSpec = pod.spec ?? NO_SPEC;
  let f = specFacts.get(spec);
  if (f) return f;
  const req = podRequests(pod);
  const nonZero = podNonZeroRequests(pod);
  const pa = spec.affinity?.podAffinity;
  const paa = spec.affinity?.podAntiAffinity;
  f = shared({
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
  });
  // A spec object is shared only within one namespace (src/api/share.ts), which affinity terms default to.
  if (Object.isFrozen(spec)) specFacts.set(spec, f);
  return f;
}

const routes = new WeakMap<object, readonly string[]>();

/**
 * `namespace\0key\0value` for each label: the keys of the cache's label index (computed once
 * per labels object; iterating frozen objects with for-in is slow in V8).
 */
export function labelRoutesOf(info: PodInfo): readonly string[] {
  const labels = info.labels;
  let r = routes.get(labels);
  if (!r) {
    r = shareRoutes(Object.keys(labels).map((k) => `${info.namespace}\u0000${k}\u0000${labels[k]}`));
    // A labels object is shared only within one namespace (src/api/share.ts): the routes hold.
    if (Object.isFrozen(labels)) routes.set(labels, r);
  }
  return r;
}

/** Route lists kept for sharing; past this many, sharing starts over (they are only a cache). */
const MAX_ROUTE_LISTS = 4096;
const routeLists = new Map<string, readonly string[]>();

// Pods of one template have equal labels in objects of their own: one list (and its strings)
// serves them all instead of one per pod.
function shareRoutes(r: readonly string[]): readonly string[] {
  const key = r.join("\u0001");
  const hit = routeLists.get(key);
  if (hit) return sameList(hit, r) ? hit : r;
  if (routeLists.size >= MAX_ROUTE_LISTS) routeLists.clear();
  routeLists.set(key, r);
  return r;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function computePodInfo(pod: Stored<Pod>): PodInfo {
  const meta = pod.metadata;
  const terminating = meta.deletionTimestamp !== undefined;
  const namespace = meta.namespace ?? "default";
  return new PodInfo(meta.uid, namespace, meta.name, podLabels(pod), terminating, pod.spec, factsOf(pod));
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
