/**
 * The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): keeps one Endpoints
 * object per Service with a selector, listing the ready and not-ready addresses of the pods it
 * selects; one sync per Service key through a work queue.
 */
import type { WatchEvent } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import { firstEqualityRequirement, matchLabelsSelector } from "../../api/labels.js";
import type { Endpoints, Mutable, Pod, Service, Stored } from "../../api/types.js";
import { WorkQueue } from "../workqueue.js";
import { ServiceMembership, serviceKey, serviceSelector, splitKey } from "./membership.js";
import { endpointsContent, isServiceIPSet, MAX_ENDPOINTS_CAPACITY, truncateSubsets } from "./subsets.js";
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from "./trigger-time.js";

const COMPONENT = "endpoint-controller";
/** Retries of a failing sync before the key is dropped (maxRetries). */
const MAX_RETRIES = 15;
/** v1.IsHeadlessService: the label marking the Endpoints of a headless Service. */
export const HEADLESS_LABEL = "service.kubernetes.io/headless";
/** v1.EndpointsOverCapacity. */
export const OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";

type Labels = Record<string, string>;

function sameLabels(a: Readonly<Labels> | undefined, b: Readonly<Labels> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

function withoutLabel(labels: Readonly<Labels> | undefined, key: string): Labels {
  const out: Labels = { ...labels };
  delete out[key];
  return out;
}

/**
 * Pods selected by a Service, read from the pod cache's label index when the selector pins a
 * label. The index's insertion order is deterministic, so no sort is needed (the Endpoints are
 * sorted anyway).
 */
export function selectedPods(ctx: SimContext, svc: Stored<Service>, sel: Readonly<Labels>): Stored<Pod>[] {
  const selector = matchLabelsSelector(sel);
  const eq = firstEqualityRequirement(selector);
  const ns = svc.metadata.namespace ?? "";
  const cache = ctx.api.cache("Pod");
  const out: Stored<Pod>[] = [];
  const consider = (pod: Stored<Pod> | undefined) => {
    if (pod && pod.metadata.namespace === ns && selector.matches(pod.metadata.labels)) out.push(pod);
  };
  if (eq) for (const k of cache.keysWithLabel(eq.key, eq.value)) consider(cache.get(k) as Stored<Pod>);
  else for (const pod of cache.objectsIn(ns).values()) consider(pod as Stored<Pod>);
  return out;
}

// The JSON of each stored Endpoints' subsets, computed once per version (they are immutable).
const subsetsJson = new WeakMap<object, string>();
function storedSubsetsJson(ep: Stored<Endpoints>): string {
  let j = subsetsJson.get(ep);
  if (j === undefined) subsetsJson.set(ep, (j = JSON.stringify(ep.subsets ?? [])));
  return j;
}

export class EndpointsController {
  private readonly queue: WorkQueue;
  private readonly membership: ServiceMembership;
  private readonly triggers: TriggerTimeTracker;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    this.membership = new ServiceMembership(ctx.api);
    this.triggers = new TriggerTimeTracker(ctx.clock);
    const add = (o: Stored) => this.queue.add(serviceKey(o.metadata.namespace, o.metadata.name));
    ctx.api.watch<Service>("Service", (ev) => add(ev.object));
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
    ctx.api.watch<Endpoints>("Endpoints", (ev) => {
      if (ev.type === "DELETED") add(ev.object);
    });
  }

  /** addPod / updatePod / deletePod: queue the Services the change concerns (batch period 0). */
  private onPod(ev: WatchEvent<Pod>): void {
    for (const k of this.membership.servicesForEvent(ev)) this.queue.add(k);
  }

  /** syncService. */
  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const svc = api.get<Service>("Service", ns, name);
    if (!svc) {
      // The Service is gone: so are its Endpoints.
      if (api.get("Endpoints", ns, name)) this.write(key, () => api.delete("Endpoints", ns, name));
      this.triggers.delete(key);
      return;
    }
    // ExternalName Services and Services without a selector get no Endpoints from this controller.
    const sel = serviceSelector(svc);
    if (svc.spec?.type === "ExternalName" || !sel) return;
    const pods = selectedPods(this.ctx, svc, sel);
    const trigger = this.triggers.compute(key, svc, pods);
    const { subsets } = endpointsContent(svc, pods);
    const current = api.get<Endpoints>("Endpoints", ns, name);
    const total = subsets.reduce(
      (n, ss) => n + (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0),
      0,
    );
    const json = JSON.stringify(subsets);
    if (
      current &&
      storedSubsetsJson(current) === json &&
      sameLabels(withoutLabel(current.metadata.labels, HEADLESS_LABEL), svc.metadata.labels) &&
      total <= MAX_ENDPOINTS_CAPACITY &&
      current.metadata.annotations?.[OVER_CAPACITY] === undefined
    ) {
      return;
    }
    const next = this.desired(svc, current, subsets, trigger);
    const put = () => {
      const stored = current ? api.update(next) : api.create(next);
      // What was stored is what was written: its JSON is known (unless truncated).
      if (total <= MAX_ENDPOINTS_CAPACITY) subsetsJson.set(stored, json);
    };
    this.write(key, put, (current ?? next) as Stored, !current);
  }

  /** The Endpoints to write: the current object (or a new one) with the new subsets, labels and annotations. */
  private desired(
    svc: Stored<Service>,
    current: Stored<Endpoints> | undefined,
    subsets: Endpoints["subsets"] & object,
    trigger: string | undefined,
  ): Endpoints {
    const annotations: Labels = { ...current?.metadata.annotations };
    if (trigger) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    const out = subsets.map((ss) => ({ ...ss })) as Mutable<NonNullable<Endpoints["subsets"]>>;
    if (truncateSubsets(out)) annotations[OVER_CAPACITY] = "truncated";
    else delete annotations[OVER_CAPACITY];
    const labels: Labels = withoutLabel(svc.metadata.labels, HEADLESS_LABEL);
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = "";
    const metadata: Mutable<NonNullable<Endpoints["metadata"]>> = current
      ? { ...current.metadata }
      : { name: svc.metadata.name, namespace: svc.metadata.namespace };
    // Empty maps are omitted, as they read back from storage.
    if (Object.keys(labels).length) metadata.labels = labels;
    else delete metadata.labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
    return { apiVersion: "v1", kind: "Endpoints", metadata, ...(out.length ? { subsets: out } : {}) };
  }

  /**
   * Runs a write; on failure records FailedToCreateEndpoint / FailedToUpdateEndpoint about the
   * Endpoints and retries with back-off, at most MAX_RETRIES times.
   */
  private write(key: string, fn: () => unknown, involved?: Stored, creating = false): void {
    try {
      fn();
      this.queue.forget(key);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (involved) {
        const [ns, name] = splitKey(key);
        const message = creating
          ? `Failed to create endpoint for service ${ns}/${name}: ${e.message}`
          : `Failed to update endpoint ${ns}/${name}: ${e.message}`;
        const reason = creating ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint";
        this.ctx.events.record(involved, "Warning", reason, message, COMPONENT);
      }
      if (this.queue.retries(key) < MAX_RETRIES) this.queue.addRateLimited(key);
      else this.queue.forget(key);
    }
  }
}
