/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go): keeps
 * the `discovery.k8s.io/v1` EndpointSlices of every Service with a selector, up to 100 endpoints
 * a slice, with ready/serving/terminating conditions; one sync per Service key.
 */
import type { WatchEvent } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import type { EndpointSlice, Mutable, Node, Pod, Service, Stored } from "../../api/types.js";
import { WorkQueue } from "../workqueue.js";
import { selectedPods } from "./endpoints-controller.js";
import { ServiceMembership, serviceKey, serviceSelector, splitKey } from "./membership.js";
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from "./slice-endpoints.js";
import { MAX_ENDPOINTS_PER_SLICE, planSlices, type SlicePlan } from "./slice-reconciler.js";
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from "./trigger-time.js";

const COMPONENT = "endpoint-slice-controller";
const MAX_RETRIES = 15;
/** defaultSyncBackOff and maxSyncBackOff: this controller backs off from 1 s, not 5 ms. */
const SYNC_BACKOFF_MS = 1000;
const MAX_SYNC_BACKOFF_MS = 1000 * 1000;
/** endpointSliceChangeMinSyncDelay: a slice changed by someone else is resynced after this. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;

const sliceKey = (s: EndpointSlice) => `${s.metadata?.namespace ?? ""}/${s.metadata?.name ?? ""}`;
const managed = (s: EndpointSlice) => s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;

/** Aggregate.Error(): one error as is, several as `[a, b]`. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`);

export class EndpointSliceController {
  private readonly queue: WorkQueue;
  private readonly membership: ServiceMembership;
  private readonly triggers: TriggerTimeTracker;
  private readonly failures = new Map<string, number>();
  /** EndpointSliceTracker: the resourceVersion this controller last wrote, per slice. */
  private readonly written = new Map<string, string>();
  private readonly expectDeleted = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    this.membership = new ServiceMembership(ctx.api);
    this.triggers = new TriggerTimeTracker(ctx.clock);
    ctx.api.watch<Service>("Service", (ev) =>
      this.queue.add(serviceKey(ev.object.metadata.namespace, ev.object.metadata.name)),
    );
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
    ctx.api.watch<EndpointSlice>("EndpointSlice", (ev) => this.onSlice(ev));
  }

  private onPod(ev: WatchEvent<Pod>): void {
    for (const k of this.membership.servicesForEvent(ev)) this.queue.add(k);
  }

  /** onEndpointSliceAdd/Update/Delete: resync a Service when someone else changed its slices. */
  private onSlice(ev: WatchEvent<EndpointSlice>): void {
    const s = ev.object;
    const k = sliceKey(s);
    const resync = (slice: EndpointSlice) => {
      const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc)
        this.queue.addAfter(serviceKey(slice.metadata?.namespace, svc), SLICE_CHANGE_MIN_SYNC_DELAY_MS);
    };
    if (ev.type === "DELETED") {
      if (this.expectDeleted.delete(k)) this.written.delete(k);
      else if (managed(s) && this.written.delete(k)) resync(s);
      return;
    }
    const oldName = ev.old?.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (ev.old && oldName !== s.metadata.labels?.[SERVICE_NAME_LABEL]) {
      resync(s);
      resync(ev.old);
      return;
    }
    const managedChanged = ev.old !== undefined && managed(ev.old) !== managed(s);
    if (managedChanged || (managed(s) && this.written.get(k) !== s.metadata.resourceVersion)) resync(s);
  }

  /** syncService. */
  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const svc = api.get<Service>("Service", ns, name);
    if (!svc) {
      // Its slices go with it: they are owned by the Service, the garbage collector deletes them.
      this.triggers.delete(key);
      this.failures.delete(key);
      return;
    }
    const sel = serviceSelector(svc);
    if (svc.spec?.type === "ExternalName" || !sel) return;
    const pods = selectedPods(this.ctx, svc, sel);
    const slices = api
      .list<EndpointSlice>("EndpointSlice", { namespace: ns, indexLabel: [SERVICE_NAME_LABEL, name] })
      .filter((s) => managed(s) && !s.metadata.deletionTimestamp);
    const trigger = this.triggers.compute(key, svc, pods);
    const nodeOf = (n: string) => (n ? api.get<Node>("Node", undefined, n) : undefined);
    const plan = planSlices({ svc, pods, nodeOf, maxPerSlice: MAX_ENDPOINTS_PER_SLICE }, slices);
    const errors = [...plan.errors];
    const writeError = this.finalize(svc, plan, trigger);
    if (writeError) errors.push(writeError);
    if (errors.length === 0) {
      this.failures.delete(key);
      return;
    }
    const message = `Error updating Endpoint Slices for Service ${ns}/${name}: ${aggregate(errors)}`;
    this.ctx.events.record(svc, "Warning", "FailedToUpdateEndpointSlices", message, COMPONENT);
    this.retry(key);
  }

  /** handleErr: exponential back-off from 1 s, at most MAX_RETRIES times. */
  private retry(key: string): void {
    const n = this.failures.get(key) ?? 0;
    if (n >= MAX_RETRIES) {
      this.failures.delete(key);
      return;
    }
    this.failures.set(key, n + 1);
    this.queue.addAfter(key, Math.min(SYNC_BACKOFF_MS * 2 ** n, MAX_SYNC_BACKOFF_MS));
  }

  /** finalize: creates (unless the Service is being deleted), updates, deletes; the first failure stops it. */
  private finalize(svc: Stored<Service>, plan: SlicePlan, trigger: string | undefined): string | undefined {
    const api = this.ctx.api;
    const ns = svc.metadata.namespace;
    const stamp = (s: Mutable<EndpointSlice>): EndpointSlice => {
      const annotations: Record<string, string> = { ...s.metadata?.annotations };
      if (trigger) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
      else delete annotations[LAST_CHANGE_TRIGGER_TIME];
      const metadata = { ...s.metadata, annotations };
      if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
      // Empty lists read back from storage as null.
      const endpoints = s.endpoints.length ? s.endpoints : null;
      const ports = s.ports?.length ? s.ports : null;
      return { ...s, metadata, endpoints, ports } as unknown as EndpointSlice;
    };
    const svcName = `${ns}/${svc.metadata.name}`;
    const attempt = (what: string, fn: () => void): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return `failed to ${what} for Service ${svcName}: ${e.message}`;
      }
    };
    if (!svc.metadata.deletionTimestamp) {
      for (const s of plan.create) {
        const err = attempt("create EndpointSlice", () => this.track(api.create(stamp(s))));
        if (err) return err;
      }
    }
    for (const s of plan.update) {
      const err = attempt(`update ${s.metadata?.name} EndpointSlice`, () => this.track(api.update(stamp(s))));
      if (err) return err;
    }
    for (const s of plan.delete) {
      this.expectDeleted.add(sliceKey(s));
      const err = attempt(`delete ${s.metadata.name} EndpointSlice`, () => {
        // Deleting a slice that is gone already is fine.
        if (api.get("EndpointSlice", ns, s.metadata.name)) api.delete("EndpointSlice", ns, s.metadata.name);
      });
      if (err) return err;
    }
    return undefined;
  }

  private track(s: Stored<EndpointSlice>): void {
    this.written.set(sliceKey(s), s.metadata.resourceVersion);
  }
}
