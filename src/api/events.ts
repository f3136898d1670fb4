/**
 * Kubernetes Events (core/v1): recorded into the apiserver as Event objects, aggregated like
 * client-go's EventCorrelator (same source, object, type, reason and message → count++), and
 * expired after the apiserver's event TTL (1 h).
 */
import type { ApiServer } from "./apiserver.js";
import { kindInfo } from "./kinds.js";
import type { Event, Mutable, Stored } from "./types.js";

export const EVENT_TTL_MS = 60 * 60 * 1000;

export type EventType = "Normal" | "Warning";

export interface EventOptions {
  /** The node a kubelet event comes from (`source.host`). */
  host?: string;
  /** For events about a container: `spec.containers{name}`. */
  fieldPath?: string;
}

export class EventRecorder {
  private readonly byKey = new Map<string, { name: string; namespace: string; count: number }>();
  private readonly expiry: { atMs: number; namespace: string; name: string; key: string }[] = [];
  private expiryHead = 0;
  private seq = 0;
  /** When false, events go to observers only (the timeline) and are not kept as objects. */
  store = true;

  constructor(private readonly api: ApiServer) {}

  /** Records an event about `involved`, as the component `component` would. */
  record(
    involved: Stored,
    type: EventType,
    reason: string,
    message: string,
    component: string,
    opts: EventOptions = {},
  ): void {
    const nowMs = this.api.engine.nowMs;
    this.expire(nowMs);
    const namespace = involved.metadata.namespace || "default";
    const key = `${component}|${opts.host ?? ""}|${involved.kind}|${namespace}|${involved.metadata.name}|${involved.metadata.uid}|${opts.fieldPath ?? ""}|${type}|${reason}|${message}`;
    const ts = this.api.clock.time(nowMs);
    const prev = this.byKey.get(key);
    if (prev && this.api.get("Event", prev.namespace, prev.name)) {
      prev.count++;
      const count = prev.count;
      this.api.mutate<Event>("Event", prev.namespace, prev.name, (d) => {
        (d as { count?: number }).count = count;
        (d as { lastTimestamp?: string }).lastTimestamp = ts;
      });
      return;
    }
    // client-go names events "<object>.<unix nanoseconds in hex>"; the sequence keeps names unique per ms.
    const nanos = BigInt(this.api.clock.epochUnixMs + nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    const ev: Mutable<Event> = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: kindInfo(involved.kind)?.namespaced ? involved.metadata.namespace : undefined,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
      },
      reason,
      message,
      source: opts.host ? { component, host: opts.host } : { component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      reportingComponent: component,
      reportingInstance: opts.host ?? "",
    };
    if (!this.store) {
      this.api.announce(ev as Event);
      return;
    }
    this.api.create(ev as Event, { trusted: true });
    this.byKey.set(key, { name, namespace, count: 1 });
    this.expiry.push({ atMs: nowMs + EVENT_TTL_MS, namespace, name, key });
  }

  private expire(nowMs: number): void {
    while (this.expiryHead < this.expiry.length && this.expiry[this.expiryHead]!.atMs <= nowMs) {
      const e = this.expiry[this.expiryHead++]!;
      if (this.api.get("Event", e.namespace, e.name)) this.api.delete("Event", e.namespace, e.name);
      const cur = this.byKey.get(e.key);
      if (cur && cur.name === e.name) this.byKey.delete(e.key);
    }
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiry.length) {
      this.expiry.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }
}
