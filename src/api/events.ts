/**
 * Kubernetes Events (core/v1): recorded into the apiserver as Event objects through client-go's
 * EventCorrelator (similar events combined, repeats counted, a per-object spam filter), and
 * expired after the apiserver's event TTL (1 h, renewed by every write).
 */
import type { ApiServer } from "./apiserver.js";
import { PackedEvent } from "./event-pack.js";
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

/** No entry: the end of a list. */
const NONE = -1;
/** Slots the entry table and the expiry queue start with (B1, 3 nodes for 15 min, records ~140 Events). */
const FIRST_SLOTS = 256;
/** A slot's bytes: lastMs and checkAtMs (8 each), next and count (4 each), combined (1). */
const SLOT_BYTES = 25;

/**
 * The Events the correlator knows (client-go's eventLogger entries), one numbered slot each in
 * parallel arrays. No key string is kept: the entries of an involved object are a short list,
 * matched field by field against the Event as first written (its identity fields never change).
 * An object per entry cost 80 B; a slot costs 33 B (8 of them in `first`, and 4 more in the
 * expiry queue). Slots of expired entries are reused.
 */
class Entries {
  /**
   * The Event as first written (its packed form once stored, which the store keeps anyway): its
   * source, type, reason, fieldPath and message identify it.
   */
  readonly first: (FirstEvent | undefined)[] = [];
  lastMs: Float64Array;
  /** When its TTL is next checked: each entry is in the expiry queue exactly once. */
  checkAtMs: Float64Array;
  /** The next entry of the same involved object (or, for a free slot, the next free one). */
  next: Int32Array;
  count: Int32Array;
  /** 1 for the aggregate of similar events (matched on source, type and reason only). */
  combined: Uint8Array;
  private freeHead = NONE;
  private used = 0;

  constructor() {
    [this.lastMs, this.checkAtMs, this.next, this.count, this.combined] = Entries.arrays(FIRST_SLOTS);
  }

  /** A new entry seen once now, ahead of `next` in its object's list. */
  add(first: FirstEvent, combined: boolean, nowMs: number, next: number): number {
    let slot = this.freeHead;
    if (slot !== NONE) this.freeHead = this.next[slot]!;
    else {
      slot = this.used++;
      if (slot === this.next.length) this.grow();
    }
    this.first[slot] = first;
    this.next[slot] = next;
    this.count[slot] = 1;
    this.lastMs[slot] = nowMs;
    this.checkAtMs[slot] = nowMs + EVENT_TTL_MS;
    this.combined[slot] = combined ? 1 : 0;
    return slot;
  }

  /** Frees a slot (its Event is let go). */
  release(slot: number): void {
    this.first[slot] = undefined;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private grow(): void {
    const [lastMs, checkAtMs, next, count, combined] = Entries.arrays(this.next.length * 2);
    this.lastMs = grown(this.lastMs, lastMs);
    this.checkAtMs = grown(this.checkAtMs, checkAtMs);
    this.next = grown(this.next, next);
    this.count = grown(this.count, count);
    this.combined = grown(this.combined, combined);
  }

  /**
   * The five arrays for `size` slots (a multiple of 8), in one buffer: allocating an ArrayBuffer
   * costs far more than its bytes, so a table of a few hundred Events makes one.
   */
  private static arrays(size: number): [Float64Array, Float64Array, Int32Array, Int32Array, Uint8Array] {
    const buffer = new ArrayBuffer(size * SLOT_BYTES);
    return [
      new Float64Array(buffer, 0, size),
      new Float64Array(buffer, 8 * size, size),
      new Int32Array(buffer, 16 * size, size),
      new Int32Array(buffer, 20 * size, size),
      new Uint8Array(buffer, 24 * size, size),
    ];
  }
}

/** `to` with `from` copied into its start. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** An entry's Event as first written: the object, or the store's packed form of it. */
type FirstEvent = Event | PackedEvent;

/** The name and namespace of an entry's Event. */
function nameOf(e: FirstEvent): { name?: string; namespace?: string } {
  return e instanceof PackedEvent ? e : e.metadata!;
}

/** A first-in first-out queue of slot numbers in one Int32Array. */
class SlotQueue {
  private items = new Int32Array(FIRST_SLOTS);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** The first slot (the queue must not be empty). */
  peek(): number {
    return this.items[this.head]!;
  }

  shift(): number {
    return this.items[this.head++]!;
  }

  push(slot: number): void {
    if (this.tail === this.items.length) this.makeRoom();
    this.items[this.tail++] = slot;
  }

  // Moves the queue to the front when at least half of the array is consumed (so that each
  // item is moved O(1) times on average), else doubles the array.
  private makeRoom(): void {
    if (this.head * 2 >= this.items.length) this.items.copyWithin(0, this.head, this.tail);
    else this.items = grown(this.items.subarray(this.head, this.tail), new Int32Array(this.items.length * 2));
    this.tail -= this.head;
    this.head = 0;
  }
}

/** Similar events (one source, type and reason): one message, or a set from the second distinct one on. */
interface Similar {
  component: string;
  host: string;
  type: EventType;
  reason: string;
  messages: string | Set<string>;
  lastMs: number;
  next: Similar | undefined;
}

/** The spam filter's token bucket of one source for the object. */
interface Bucket {
  component: string;
  host: string;
  tokens: number;
  atMs: number;
  next: Bucket | undefined;
}

/** What identifies an Event in the correlator, besides its involved object. */
interface Identity {
  component: string;
  host: string | undefined;
  type: EventType;
  reason: string;
  fieldPath: string | undefined;
  /** Undefined for the aggregate of similar events. */
  message: string | undefined;
}

export class EventRecorder {
  // Per involved object, by its uid (or its reference without one): the head of its entries,
  // and of its aggregator and spam-filter records. client-go keys the last two by joined strings
  // of source, object, type and reason; here a record joins no strings. Linked lists: an object
  // has a handful of each, and an array would hold 16 slots from its first push.
  private readonly byObject = new Map<string, number>();
  private readonly entries = new Entries();
  private readonly similar = new Map<string, Similar>();
  private readonly spam = new Map<string, Bucket>();
  /** One flat copy of each message text seen since the last sweep (kubelets repeat theirs per pod). */
  private texts = new Map<string, string>();
  /** One copy of each fieldPath seen since the last sweep. */
  private fieldPaths = new Map<string, string>();
  /** One frozen `source` per component and host, shared by their Events. */
  private readonly sources = new Map<string, Map<string, Event["source"]>>();
  /** Every entry once, in the order their TTL checks were queued. */
  private readonly expiry = new SlotQueue();
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
    const bucket =
      involved.metadata.uid || objectRefOf(involved.kind, namespaceOf(involved), involved.metadata.name);
    const host = opts.host ?? "";
    const flat = this.flatText(message);
    const combined = this.aggregate(bucket, component, host, type, reason, flat, nowMs);
    // The aggregate's message changes with every repeat: its two parts are not copied into one.
    const text = combined ? `(combined from similar events): ${flat}` : flat;
    const id: Identity = {
      component,
      host: opts.host,
      type,
      reason,
      fieldPath: opts.fieldPath,
      message: combined ? undefined : text,
    };
    const head = this.byObject.get(bucket) ?? NONE;
    const prev = this.find(head, id);
    const entries = this.entries;
    if (prev !== NONE) {
      entries.count[prev] = entries.count[prev]! + 1;
      entries.lastMs[prev] = nowMs;
    }
    // The spam filter runs after the observation: a dropped repeat still counts.
    if (!this.takeToken(bucket, component, host, nowMs)) return;
    const ts = this.api.clock.time(nowMs);
    if (prev !== NONE) {
      this.writeRepeat(entries.first[prev]!, entries.count[prev]!, text, ts);
      return;
    }
    const about = this.involvedOf(head, involved, opts.fieldPath);
    const ev = this.newEvent(about, involved, type, reason, text, component, opts, ts) as Event;
    const slot = entries.add(ev, combined, nowMs, head);
    this.byObject.set(bucket, slot);
    this.expiry.push(slot);
    if (!this.store) {
      this.api.announce(ev);
      return;
    }
    this.api.create(ev, { trusted: true });
    // The entry holds the store's packed Event, not the object, which goes once watchers had it.
    const kept = this.api.cache("Event").keptIn(ev.metadata!.namespace, ev.metadata!.name!);
    if (kept instanceof PackedEvent && entries.first[slot] === ev) entries.first[slot] = kept;
  }

  /** The entry with this identity among the involved object's (client-go's getEventKey, field by field). */
  private find(head: number, id: Identity): number {
    const { first, next, combined } = this.entries;
    for (let o = head; o !== NONE; o = next[o]!) {
      const e = first[o]!;
      const aggregate = combined[o] === 1;
      if (aggregate !== (id.message === undefined) || e.reason !== id.reason || e.type !== id.type) continue;
      if (e.source!.component !== id.component || (e.source!.host ?? "") !== (id.host ?? "")) continue;
      // The aggregate matches whatever the fieldPath and message (client-go's aggregate key).
      if (aggregate) return o;
      if ((e.involvedObject.fieldPath ?? "") === (id.fieldPath ?? "") && e.message === id.message) return o;
    }
    return NONE;
  }

  /** Removes an expired entry from its object's list and frees its slot. */
  private unlink(slot: number): void {
    const { first, next } = this.entries;
    const io = first[slot]!.involvedObject;
    const bucket = io.uid || objectRefOf(io.kind!, io.namespace, io.name!);
    const head = this.byObject.get(bucket)!;
    if (head === slot) {
      if (next[slot] !== NONE) this.byObject.set(bucket, next[slot]!);
      else this.byObject.delete(bucket);
    } else {
      let o = head;
      while (next[o] !== slot) o = next[o]!;
      next[o] = next[slot]!;
    }
    this.entries.release(slot);
  }

  /**
   * The message as one flat string, shared by equal texts: V8 keeps a built string as a tree of
   * its pieces (~87 B a message here against ~58 B flat), and kubelets write the same "Created
   * container: web" for every pod. `normalize` returns a one-byte string flattened (NFC leaves
   * Latin-1 text as it is); any other text that NFC would change is kept as given.
   */
  private flatText(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    const flat = text.normalize("NFC");
    const kept = flat === text ? flat : text;
    this.texts.set(kept, kept);
    return kept;
  }

  /** The `source` of an Event (component and host), one frozen object per pair. */
  private sourceOf(component: string, host: string | undefined): Event["source"] {
    let byHost = this.sources.get(component);
    if (!byHost) this.sources.set(component, (byHost = new Map()));
    const h = host ?? "";
    let source = byHost.get(h);
    if (!source) byHost.set(h, (source = Object.freeze(host ? { component, host } : { component })));
    return source;
  }

  /** EventAggregate: true when this message makes the 10th distinct one of its kind (combine). */
  private aggregate(
    bucket: string,
    component: string,
    host: string,
    type: EventType,
    reason: string,
    message: string,
    nowMs: number,
  ): boolean {
    const first = this.similar.get(bucket);
    let rec = first;
    while (
      rec &&
      (rec.reason !== reason || rec.type !== type || rec.component !== component || rec.host !== host)
    )
      rec = rec.next;
    if (!rec) {
      this.similar.set(bucket, {
        component,
        host,
        type,
        reason,
        messages: message,
        lastMs: nowMs,
        next: first,
      });
      return false;
    }
    if (nowMs - rec.lastMs > AGGREGATE_WINDOW_MS) {
      rec.messages = message;
      rec.lastMs = nowMs;
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

  private takeToken(bucket: string, component: string, host: string, nowMs: number): boolean {
    const first = this.spam.get(bucket);
    let b = first;
    while (b && (b.component !== component || b.host !== host)) b = b.next;
    if (!b) this.spam.set(bucket, (b = { component, host, tokens: SPAM_BURST, atMs: nowMs, next: first }));
    b.tokens = Math.min(SPAM_BURST, b.tokens + (nowMs - b.atMs) / SPAM_REFILL_MS);
    b.atMs = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** A repeat: count, lastTimestamp and message patched onto the existing Event. */
  private writeRepeat(kept: FirstEvent, count: number, message: string, ts: string): void {
    if (!this.store) {
      const first = kept instanceof PackedEvent ? kept.unpack() : kept;
      this.api.announce({
        ...first,
        metadata: { ...first.metadata },
        count,
        message,
        lastTimestamp: ts,
      } as Event);
      return;
    }
    const { name, namespace } = nameOf(kept);
    if (!this.api.get("Event", namespace, name!)) return;
    // Built directly (no immer draft): the same three fields, in the same key order.
    this.api.replace<Event>("Event", namespace, name!, (cur) => ({
      ...cur,
      count,
      lastTimestamp: ts,
      message: cur.message === message ? cur.message : message,
    }));
  }

  /**
   * The `involvedObject` of a new Event: an earlier Event's about the same object version and
   * field when there is one (a kubelet's Pulled, Created and Started for one pod version), else a
   * new one. Stored Events are frozen, so one reference serves several; the JSON is the same.
   */
  private involvedOf(head: number, involved: Stored, fieldPath: string | undefined): Event["involvedObject"] {
    const m = involved.metadata;
    const namespace = namespaceOf(involved);
    const field = fieldPath || undefined;
    const { first, next } = this.entries;
    for (let o = head; o !== NONE; o = next[o]!) {
      const r = first[o]!.involvedObject;
      if (r.resourceVersion !== m.resourceVersion || r.fieldPath !== field || r.uid !== m.uid) continue;
      if (
        r.name === m.name &&
        r.namespace === namespace &&
        r.kind === involved.kind &&
        r.apiVersion === involved.apiVersion
      )
        return r;
    }
    return {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: m.name,
      namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      ...(field ? { fieldPath: this.shared(field) } : {}),
    };
  }

  /** One copy of each fieldPath ("spec.containers{web}"): every pod's kubelet builds its own. */
  private shared(fieldPath: string): string {
    const known = this.fieldPaths.get(fieldPath);
    if (known !== undefined) return known;
    this.fieldPaths.set(fieldPath, fieldPath);
    return fieldPath;
  }

  private newEvent(
    involvedObject: Event["involvedObject"],
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
    const nanos = nanosHex(this.api.clock.epochUnixMs + nowMs, this.seq++ % 1_000_000);
    return {
      apiVersion: "v1",
      kind: "Event",
      // Joined (one flat string): a template keeps the pieces, and Events are kept for an hour.
      metadata: this.metadataOf([involved.metadata.name, nanos].join("."), namespace),
      involvedObject,
      reason,
      message,
      source: this.sourceOf(component, opts.host),
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      reportingComponent: component,
      reportingInstance: opts.host ?? "",
    };
  }

  /**
   * A new Event's metadata. A stored one gets uid, creationTimestamp and resourceVersion from the
   * apiserver, in that order: declared up front they sit inside the object (V8 keeps properties
   * added later in a separate array, 16 B more an Event); announced ones are left as they were.
   */
  private metadataOf(name: string, namespace: string): Event["metadata"] {
    if (!this.store) return { name, namespace };
    return { name, namespace, uid: undefined, creationTimestamp: undefined, resourceVersion: undefined };
  }

  /** The apiserver's event TTL: an Event not written for an hour is removed. */
  private expire(nowMs: number): void {
    // Read through `this.entries` each time: a delete's watchers may record (and grow the arrays).
    const queue = this.expiry;
    while (queue.length > 0 && this.entries.checkAtMs[queue.peek()]! <= nowMs) {
      const cur = queue.shift();
      const { first, lastMs, checkAtMs } = this.entries;
      // Every write renews the TTL: an event updated since goes back in the queue.
      if (lastMs[cur]! + EVENT_TTL_MS > nowMs) {
        checkAtMs[cur] = lastMs[cur]! + EVENT_TTL_MS;
        queue.push(cur);
        continue;
      }
      const { name, namespace } = nameOf(first[cur]!);
      this.unlink(cur);
      if (this.store && this.api.get("Event", namespace, name!)) this.api.delete("Event", namespace, name!);
    }
  }

  /**
   * Drops the aggregator and spam-filter entries that can no longer change an outcome: a similar
   * set older than its window is replaced on the next event anyway, and a full token bucket is a
   * new one. (client-go bounds these caches as 4096-entry LRUs; a run keeps all that matter.)
   */
  private sweep(nowMs: number): void {
    this.nextSweepMs = nowMs + SWEEP_EVERY_MS;
    // Texts in use stay shared through their Events; new ones get a fresh table.
    this.texts = new Map();
    this.fieldPaths = new Map();
    prune(this.similar, (rec) => nowMs - rec.lastMs <= AGGREGATE_WINDOW_MS);
    prune(this.spam, (b) => b.tokens + (nowMs - b.atMs) / SPAM_REFILL_MS < SPAM_BURST);
  }
}

const TWO_11 = 2 ** 11;
const TWO_21 = 2 ** 21;
const TWO_32 = 2 ** 32;

/**
 * `ms × 10⁶ + extra` (unix nanoseconds) in hex, exactly, for whole `ms` and 0 ≤ `extra` < 10⁶:
 * in 32-bit halves of doubles (every step stays below 2⁵³), as BigInt would give it but ~10×
 * cheaper. Past 2⁴² ms (the year 2109) BigInt does it.
 */
export function nanosHex(ms: number, extra: number): string {
  if (ms >= 2 ** 42) return (BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16);
  const mh = Math.floor(ms / TWO_21);
  const t1 = mh * 1e6; // ms × 10⁶ = t1 × 2²¹ + (ms mod 2²¹) × 10⁶
  const t1h = Math.floor(t1 / TWO_11);
  let lo = (t1 - t1h * TWO_11) * TWO_21 + (ms - mh * TWO_21) * 1e6 + extra;
  const carry = Math.floor(lo / TWO_32);
  lo -= carry * TWO_32;
  const hi = t1h + carry;
  return hi === 0 ? lo.toString(16) : hi.toString(16) + hex8(lo);
}

/** Each byte's two hex digits. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** A 32-bit unsigned integer as 8 hex digits: four table reads (`toString(16)` formats a double, ~3× slower). */
function hex8(n: number): string {
  return BYTE_HEX[n >>> 24]! + BYTE_HEX[(n >>> 16) & 255]! + BYTE_HEX[(n >>> 8) & 255]! + BYTE_HEX[n & 255]!;
}

/** Keeps, in each linked list of `lists`, the entries that pass `keep` (relinked in place). */
function prune<T extends { next: T | undefined }>(lists: Map<string, T>, keep: (x: T) => boolean): void {
  for (const [key, first] of lists) {
    let head: T | undefined = first;
    while (head && !keep(head)) head = head.next;
    for (let x = head; x; ) {
      let n = x.next;
      while (n && !keep(n)) n = n.next;
      x.next = n;
      x = n;
    }
    if (!head) lists.delete(key);
    else if (head !== first) lists.set(key, head);
  }
}

/**
 * The correlator's key for an involved object without a uid: its reference. (The uid names an
 * object otherwise: its kind, namespace and name never change under one uid.)
 */
function objectRefOf(kind: string, namespace: string | undefined, name: string): string {
  return [kind, namespace ?? "", name].join("|");
}

/** The namespace an Event's involvedObject names: none for a cluster-scoped object. */
function namespaceOf(involved: Stored): string | undefined {
  return kindInfo(involved.kind)?.namespaced ? involved.metadata.namespace : undefined;
}
