/**
 * Kubernetes Events (core/v1): recorded into the apiserver as Event objects through client-go's
 * EventCorrelator (similar events combined, repeats counted, a per-object spam filter), and
 * expired after the apiserver's event TTL (1 h, renewed by every write).
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

/** EventAggregator: similar events (same source, object, type, reason) within 10 min… */
const AGGREGATE_WINDOW_MS = 600_000;
/** …are combined from the 10th distinct message on. */
const AGGREGATE_MAX_MESSAGES = 10;
/** EventSourceObjectSpamFilter: a burst of 25 per source and object, then one per 5 minutes. */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;

interface Observed {
  name: string;
  namespace: string;
  count: number;
  lastMs: number;
  /** The event as first written (for announcing repeats when events are not stored). */
  event: Event;
}

export class EventRecorder {
  private readonly byKey = new Map<string, Observed>();
  private readonly similar = new Map<string, { messages: Set<string>; lastMs: number }>();
  private readonly spam = new Map<string, { tokens: number; atMs: number }>();
  private readonly expiry: { atMs: number; key: string }[] = [];
  private expiryHead = 0;
  private seq = 0;
  /** When false, events go to observers only (the timeline) and are not kept as objects. */
  store = true;

  constructor(private readonly api: ApiServer) {}

  /**
   * Records an event about `involved`, as the component would through client-go's recorder:
   * aggregated (similar events combined), deduplicated (count++), spam-filtered, then written.
   */
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
    const m = involved.metadata;
    const objectKey = `${component}|${opts.host ?? ""}|${involved.kind}|${m.namespace ?? ""}|${m.name}|${m.uid}`;
    const aggregateKey = `${objectKey}|${type}|${reason}`;
    const combined = this.aggregate(aggregateKey, message, nowMs);
    const key = combined ? aggregateKey : `${aggregateKey}|${opts.fieldPath ?? ""}|${message}`;
    const text = combined ? `(combined from similar events): ${message}` : message;
    const prev = this.byKey.get(key);
    const count = prev ? prev.count + 1 : 1;
    if (prev) {
      prev.count = count;
      prev.lastMs = nowMs;
    }
    // The spam filter runs after the observation: a dropped repeat still counts.
    if (!this.takeToken(objectKey, nowMs)) return;
    const ts = this.api.clock.time(nowMs);
    if (prev) {
      this.writeRepeat(prev, count, text, ts);
      return;
    }
    const ev = this.newEvent(involved, type, reason, text, component, opts, ts);
    const namespace = ev.metadata!.namespace!;
    const entry: Observed = {
      name: ev.metadata!.name!,
      namespace,
      count: 1,
      lastMs: nowMs,
      event: ev as Event,
    };
    this.byKey.set(key, entry);
    this.expiry.push({ atMs: nowMs + EVENT_TTL_MS, key });
    if (this.store) this.api.create(ev as Event, { trusted: true });
    else this.api.announce(ev as Event);
  }

  /** EventAggregate: true when this message makes the 10th distinct one of its kind (combine). */
  private aggregate(aggregateKey: string, message: string, nowMs: number): boolean {
    let rec = this.similar.get(aggregateKey);
    if (!rec || nowMs - rec.lastMs > AGGREGATE_WINDOW_MS) {
      rec = { messages: new Set(), lastMs: nowMs };
      this.similar.set(aggregateKey, rec);
    }
    rec.messages.add(message);
    rec.lastMs = nowMs;
    if (rec.messages.size < AGGREGATE_MAX_MESSAGES) return false;
    // Keep the set at most max - 1 large (client-go pops an arbitrary one; the oldest here).
    rec.messages.delete(rec.messages.values().next().value as string);
    return true;
  }

  private takeToken(objectKey: string, nowMs: number): boolean {
    let b = this.spam.get(objectKey);
    if (!b) this.spam.set(objectKey, (b = { tokens: SPAM_BURST, atMs: nowMs }));
    b.tokens = Math.min(SPAM_BURST, b.tokens + (nowMs - b.atMs) / SPAM_REFILL_MS);
    b.atMs = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** A repeat: count, lastTimestamp and message patched onto the existing Event. */
  private writeRepeat(prev: Observed, count: number, message: string, ts: string): void {
    if (!this.store) {
      this.api.announce({
        ...prev.event,
        metadata: { ...prev.event.metadata },
        count,
        message,
        lastTimestamp: ts,
      } as Event);
      return;
    }
    if (!this.api.get("Event", prev.namespace, prev.name)) return;
    this.api.mutate<Event>("Event", prev.namespace, prev.name, (d) => {
      const e = d as Mutable<Event>;
      e.count = count;
      e.lastTimestamp = ts;
      if (e.message !== message) e.message = message;
    });
  }

  private newEvent(
    involved: Stored,
    type: EventType,
    reason: string,
    message: string,
    component: string,
    opts: EventOptions,
    ts: string,
  ): Mutable<Event> {
    const nowMs = this.api.engine.nowMs;
    const namespace = involved.metadata.namespace || "default";
    // client-go names events "<object>.<unix nanoseconds in hex>"; the sequence keeps names unique per ms.
    const nanos = BigInt(this.api.clock.epochUnixMs + nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${involved.metadata.name}.${nanos.toString(16)}`, namespace },
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
  }

  /** The apiserver's event TTL: an Event not written for an hour is removed. */
  private expire(nowMs: number): void {
    while (this.expiryHead < this.expiry.length && this.expiry[this.expiryHead]!.atMs <= nowMs) {
      const e = this.expiry[this.expiryHead++]!;
      const cur = this.byKey.get(e.key);
      if (!cur) continue;
      // Every write renews the TTL: an event updated since goes back in the queue.
      if (cur.lastMs + EVENT_TTL_MS > nowMs) {
        this.expiry.push({ atMs: cur.lastMs + EVENT_TTL_MS, key: e.key });
        continue;
      }
      this.byKey.delete(e.key);
      if (this.store && this.api.get("Event", cur.namespace, cur.name))
        this.api.delete("Event", cur.namespace, cur.name);
    }
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiry.length) {
      this.expiry.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }
}
