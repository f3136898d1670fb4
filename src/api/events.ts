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

/** How often stale correlator entries are dropped (they are dropped only once they mean nothing). */
const SWEEP_EVERY_MS = AGGREGATE_WINDOW_MS;

interface Observed {
  /** Its key in `byKey`. */
  key: string;
  name: string;
  namespace: string;
  count: number;
  lastMs: number;
  /** When its TTL is next checked: each entry is in the expiry queue exactly once. */
  checkAtMs: number;
  /** The event as first written, only when events are not stored (to announce repeats). */
  event: Event | undefined;
}

/** Similar events of one aggregate key: one message, or a set from the second distinct one on. */
interface Similar {
  messages: string | Set<string>;
  lastMs: number;
}

export class EventRecorder {
  private readonly byKey = new Map<string, Observed>();
  private readonly similar = new Map<string, Similar>();
  private readonly spam = new Map<string, { tokens: number; atMs: number }>();
  /** Every Observed once, in the order their TTL checks were queued. */
  private readonly expiry: Observed[] = [];
  private expiryHead = 0;
  private nextSweepMs = SWEEP_EVERY_MS;
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
    if (nowMs >= this.nextSweepMs) this.sweep(nowMs);
    const objectKey = objectKeyOf(involved, component, opts.host);
    // Keys are joined, not templates: V8 keeps a template's pieces (~12 of 32 B each a key) and
    // these keys live as long as the Event.
    const aggregateKey = [objectKey, type, reason].join("|");
    const combined = this.aggregate(aggregateKey, message, nowMs);
    const key = combined ? aggregateKey : [objectKey, type, reason, opts.fieldPath ?? "", message].join("|");
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
      key,
      name: ev.metadata!.name!,
      namespace,
      count: 1,
      lastMs: nowMs,
      checkAtMs: nowMs + EVENT_TTL_MS,
      event: this.store ? undefined : (ev as Event),
    };
    this.byKey.set(key, entry);
    this.expiry.push(entry);
    if (this.store) this.api.create(ev as Event, { trusted: true });
    else this.api.announce(ev as Event);
  }

  /** EventAggregate: true when this message makes the 10th distinct one of its kind (combine). */
  private aggregate(aggregateKey: string, message: string, nowMs: number): boolean {
    const rec = this.similar.get(aggregateKey);
    if (!rec || nowMs - rec.lastMs > AGGREGATE_WINDOW_MS) {
      this.similar.set(aggregateKey, { messages: message, lastMs: nowMs });
      return false;
    }
    rec.lastMs = nowMs;
    if (typeof rec.messages === "string") {
      // Most objects only ever repeat one message: the set comes with the second.
      if (rec.messages !== message) rec.messages = new Set([rec.messages, message]);
      return false;
    }
    const messages = rec.messages.add(message);
    if (messages.size < AGGREGATE_MAX_MESSAGES) return false;
    // Keep the set at most max - 1 large (client-go pops an arbitrary one; the oldest here).
    messages.delete(messages.values().next().value as string);
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
    if (prev.event) {
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
      // Joined (one flat string): a template keeps the pieces, and Events are kept for an hour.
      metadata: { name: [involved.metadata.name, nanos.toString(16)].join("."), namespace },
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
    while (this.expiryHead < this.expiry.length && this.expiry[this.expiryHead]!.checkAtMs <= nowMs) {
      const cur = this.expiry[this.expiryHead++]!;
      // Every write renews the TTL: an event updated since goes back in the queue.
      if (cur.lastMs + EVENT_TTL_MS > nowMs) {
        cur.checkAtMs = cur.lastMs + EVENT_TTL_MS;
        this.expiry.push(cur);
        continue;
      }
      this.byKey.delete(cur.key);
      if (this.store && this.api.get("Event", cur.namespace, cur.name))
        this.api.delete("Event", cur.namespace, cur.name);
    }
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiry.length) {
      this.expiry.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }

  /**
   * Drops the aggregator and spam-filter entries that can no longer change an outcome: a similar
   * set older than its window is replaced on the next event anyway, and a full token bucket is a
   * new one. (client-go bounds these caches as 4096-entry LRUs; a run keeps all that matter.)
   */
  private sweep(nowMs: number): void {
    this.nextSweepMs = nowMs + SWEEP_EVERY_MS;
    for (const [k, rec] of this.similar) if (nowMs - rec.lastMs > AGGREGATE_WINDOW_MS) this.similar.delete(k);
    for (const [k, b] of this.spam)
      if (b.tokens + (nowMs - b.atMs) / SPAM_REFILL_MS >= SPAM_BURST) this.spam.delete(k);
  }
}

/**
 * The correlator's key for the involved object and the source. The uid names the object (its
 * kind, namespace and name never change under one uid); the full reference only without one.
 */
function objectKeyOf(involved: Stored, component: string, host: string | undefined): string {
  const m = involved.metadata;
  const source = [component, host ?? ""];
  return (m.uid ? [...source, m.uid] : [...source, involved.kind, m.namespace ?? "", m.name, ""]).join("|");
}
