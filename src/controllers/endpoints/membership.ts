/**
 * Which Services select a pod (endpointslice util GetPodServiceMemberships and
 * GetServicesToUpdateOnPodChange): the keys a pod change must queue.
 */
import type { ApiServer, WatchEvent } from "../../api/apiserver.js";
import { matchLabelsSelector, type Selector } from "../../api/labels.js";
import type { Pod, Service, Stored } from "../../api/types.js";
import { podEndpointsChanged } from "./pods.js";

/** `namespace/name`, the work-queue key of a Service. */
export const serviceKey = (ns: string | undefined, name: string) => `${ns ?? ""}/${name}`;

/** Splits a work-queue key back into namespace and name. */
export function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * The Service's selector, or undefined when it selects nothing: no selector (endpoints are then
 * managed by hand) or an empty one. Simplification: an empty `selector: {}` counts as none, as it
 * reads back from etcd (protobuf drops empty maps).
 */
export function serviceSelector(svc: Service): Readonly<Record<string, string>> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** Answers "which Services in this namespace select these labels", with compiled selectors cached. */
export class ServiceMembership {
  private readonly compiled = new WeakMap<object, Selector>();

  constructor(private readonly api: ApiServer) {}

  private selectorOf(svc: Service): Selector | undefined {
    const sel = serviceSelector(svc);
    if (!sel) return undefined;
    let s = this.compiled.get(sel);
    if (!s) this.compiled.set(sel, (s = matchLabelsSelector(sel)));
    return s;
  }

  /** Keys of the Services in `ns` whose selector matches `labels`. */
  servicesFor(ns: string, labels: Readonly<Record<string, string>> | undefined): Set<string> {
    const out = new Set<string>();
    const cache = this.api.cache("Service");
    for (const svc of cache.objectsIn(ns).values())
      if (this.selectorOf(svc as Stored<Service>)?.matches(labels))
        out.add(serviceKey(ns, svc.metadata.name));
    return out;
  }

  /**
   * The Services a pod event concerns, sorted: for an update, those of the new labels when only
   * the endpoint changed; with changed labels, the symmetric difference of old and new Services
   * (or their union when the endpoint changed too); nothing when neither changed.
   */
  servicesToUpdate(old: Stored<Pod> | undefined, cur: Stored<Pod>): string[] {
    const ns = cur.metadata.namespace ?? "";
    if (!old) return [...this.servicesFor(ns, cur.metadata.labels)].sort();
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return [];
    const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
    if (!podChanged && !labelsChanged) return [];
    const now = this.servicesFor(ns, cur.metadata.labels);
    if (!labelsChanged) return [...now].sort();
    const before = this.servicesFor(ns, old.metadata.labels);
    const out = new Set<string>();
    for (const k of now) if (podChanged || !before.has(k)) out.add(k);
    for (const k of before) if (podChanged || !now.has(k)) out.add(k);
    return [...out].sort();
  }

  /** The Services a pod watch event concerns, sorted: every Service selecting it on ADDED/DELETED, the update rules otherwise. */
  servicesForEvent(ev: WatchEvent<Pod>): string[] {
    const pod = ev.object;
    return ev.type === "MODIFIED"
      ? this.servicesToUpdate(ev.old, pod)
      : [...this.servicesFor(pod.metadata.namespace ?? "", pod.metadata.labels)].sort();
  }
}
