/** Reads of other kinds the plugins need: namespaces, services, owning ReplicaSets and StatefulSets. */
import type { ApiServer } from "../api/apiserver.js";
import {
  compileSelector,
  type Requirement,
  type Selector,
  selectorFromRequirements,
  selectorToString,
} from "../api/labels.js";
import type { LabelSelector, Pod, Stored } from "../api/types.js";

// Simplification: these read the apiserver's store directly, like an informer with no watch latency.

const EVERYTHING_KEY = "";
const SELECTOR_CACHE_LIMIT = 1024;
const selectorText = new WeakMap<Selector, string>();

function textOf(sel: Selector): string {
  let t = selectorText.get(sel);
  if (t === undefined) selectorText.set(sel, (t = selectorToString(sel)));
  return t;
}

/** Read-only lookups of namespaces, services and pod owners, with the default spreading selector. */
export class Lookups {
  private readonly defaultSelectors = new Map<string, Selector>();

  /** `api`: the store the plugins read (VolumeBinding reads claims, volumes and classes from it). */
  constructor(readonly api: ApiServer) {}

  /** The labels of a namespace (undefined when it does not exist). */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.api.cache("Namespace").get(namespace)?.metadata.labels;
  }

  /** Names of namespaces whose labels the selector matches, sorted. */
  namespacesMatching(selector: Selector): string[] {
    if (selector.nothing) return [];
    const out: string[] = [];
    for (const ns of this.api.cache("Namespace").values()) {
      if (selector.matches(ns.metadata.labels)) out.push(ns.metadata.name);
    }
    return out.sort();
  }

  /**
   * helper.DefaultSelector: the labels of every Service selecting the pod, plus the selector of the
   * ReplicaSet or StatefulSet controlling it. Matches nothing useful (empty) when there are none.
   */
  defaultSelector(pod: Stored<Pod>): Selector {
    const ns = pod.metadata.namespace ?? "default";
    const labels = pod.metadata.labels ?? {};
    const merged: Record<string, string> = {};
    let any = false;
    const services = this.api.cache("Service");
    for (const svc of services.objectsIn(ns).values()) {
      const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (!sel || !Object.keys(sel).every((k) => labels[k] === sel[k])) continue;
      Object.assign(merged, sel);
      any = true;
    }
    const owner = this.controllerSelector(pod, ns);
    const ownerSel = owner ? compileSelector(owner) : undefined;
    const svcKey = any
      ? Object.keys(merged)
          .sort()
          .map((k) => `${k}=${merged[k]}`)
          .join(",")
      : "";
    const key = `${svcKey}|${ownerSel && !ownerSel.nothing ? textOf(ownerSel) : EVERYTHING_KEY}`;
    let sel = this.defaultSelectors.get(key);
    if (!sel) {
      sel = buildSelector(merged, ownerSel);
      if (this.defaultSelectors.size >= SELECTOR_CACHE_LIMIT) this.defaultSelectors.clear();
      this.defaultSelectors.set(key, sel);
    }
    return sel;
  }

  private controllerSelector(pod: Stored<Pod>, ns: string): LabelSelector | undefined {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref || (ref.kind !== "ReplicaSet" && ref.kind !== "StatefulSet")) return undefined;
    const owner = this.api.get(ref.kind, ns, ref.name);
    return (owner?.spec as { selector?: LabelSelector } | undefined)?.selector;
  }
}

function buildSelector(merged: Record<string, string>, owner: Selector | undefined): Selector {
  const reqs: Requirement[] = Object.keys(merged).map((k) => ({
    key: k,
    operator: "=",
    values: [merged[k]!],
  }));
  if (owner && !owner.nothing) reqs.push(...owner.requirements);
  try {
    return selectorFromRequirements(reqs);
  } catch {
    return compileSelector(undefined);
  }
}
