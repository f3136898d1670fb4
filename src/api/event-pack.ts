/**
 * Stored Events in a compact form. A cluster keeps every Event for an hour (the apiserver's TTL),
 * and at scale they are the most numerous stored kind, about a quarter of the live heap. As
 * objects, an Event and its metadata, its uid and its resourceVersion take 272 B of their own;
 * packed, the same content takes 144 B. The store rebuilds the object, identical in every key and
 * value, each time it is read (rarely: a repeat, an expiry, `kubectl get events`).
 */
import { Packed } from "./cache.js";
import { putHex } from "./hex.js";
import type { Event, Stored } from "./types.js";

/** An Event's own keys, in the order the Event recorder writes them. */
const EVENT_KEYS = [
  "apiVersion",
  "kind",
  "metadata",
  "involvedObject",
  "reason",
  "message",
  "source",
  "firstTimestamp",
  "lastTimestamp",
  "count",
  "type",
  "reportingComponent",
  "reportingInstance",
];
/** Its metadata's keys, in the order the recorder and the apiserver write them. */
const META_KEYS = ["name", "namespace", "uid", "creationTimestamp", "resourceVersion"];

/** Resource versions up to here are small integers to V8 (no heap number). */
const MAX_PACKED_RV = 2 ** 30;

/** An Event as the recorder writes it: the uid as four 32-bit numbers, the resourceVersion as a number. */
export class PackedEvent extends Packed {
  constructor(
    readonly name: string,
    readonly namespace: string,
    private readonly uid0: number,
    private readonly uid1: number,
    private readonly uid2: number,
    private readonly uid3: number,
    private readonly rv: number,
    readonly involvedObject: Event["involvedObject"],
    readonly reason: string,
    readonly message: string,
    readonly source: NonNullable<Event["source"]>,
    /** Also the creation timestamp: the recorder creates an Event when it first happens. */
    private readonly firstTimestamp: string,
    private readonly lastTimestamp: string,
    private readonly count: number,
    readonly type: string,
  ) {
    super();
  }

  /** The Event as it was stored: a new frozen object with the same keys, in the same order. */
  unpack(): Stored<Event> {
    const metadata = Object.freeze({
      name: this.name,
      namespace: this.namespace,
      uid: uidText(this.uid0, this.uid1, this.uid2, this.uid3),
      creationTimestamp: this.firstTimestamp,
      resourceVersion: String(this.rv),
    });
    const source = this.source;
    return Object.freeze({
      apiVersion: "v1",
      kind: "Event",
      metadata,
      involvedObject: this.involvedObject,
      reason: this.reason,
      message: this.message,
      source,
      firstTimestamp: this.firstTimestamp,
      lastTimestamp: this.lastTimestamp,
      count: this.count,
      type: this.type,
      reportingComponent: source.component!,
      reportingInstance: source.host ?? "",
    }) as Stored<Event>;
  }
}

/**
 * The packed form of a stored Event, or undefined when it is not exactly of the recorder's shape
 * (created through the API with other fields, say): such an Event is kept as it is.
 */
export function packEvent(obj: Stored): PackedEvent | undefined {
  if (!sameKeys(obj, EVENT_KEYS) || obj.apiVersion !== "v1") return undefined;
  const e = obj as Stored<Event>;
  const m = e.metadata;
  if (!sameKeys(m, META_KEYS) || typeof m.namespace !== "string") return undefined;
  const { involvedObject, source, reason, message, type, count, firstTimestamp, lastTimestamp } = e;
  if (!Object.isFrozen(involvedObject) || !Object.isFrozen(source) || source === undefined) return undefined;
  if (typeof source.component !== "string" || e.reportingComponent !== source.component) return undefined;
  if (e.reportingInstance !== (source.host ?? "")) return undefined;
  if (typeof reason !== "string" || typeof message !== "string" || typeof type !== "string") return undefined;
  if (typeof firstTimestamp !== "string" || typeof lastTimestamp !== "string") return undefined;
  if (m.creationTimestamp !== firstTimestamp || !isSmallInt(count)) return undefined;
  const rv = canonicalInt(m.resourceVersion);
  if (rv < 0 || !readUid(m.uid)) return undefined;
  return new PackedEvent(
    m.name,
    m.namespace,
    UID_WORDS[0]!,
    UID_WORDS[1]!,
    UID_WORDS[2]!,
    UID_WORDS[3]!,
    rv,
    involvedObject,
    reason,
    message,
    source,
    firstTimestamp,
    lastTimestamp,
    count,
    type,
  );
}

/** Whether `o` has exactly these own keys, in this order (and no others). */
function sameKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (k !== keys[i++]) return false;
  return i === keys.length;
}

function isSmallInt(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_PACKED_RV;
}

/** The words `readUid` read last. */
const UID_WORDS = new Int32Array(4);

/**
 * Reads a uid as the apiserver writes them (32 lowercase hex digits in 8-4-4-4-12 groups) into
 * UID_WORDS, eight digits a word, in one pass; false for any other text.
 */
function readUid(s: string): boolean {
  if (s.length !== 36) return false;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
      continue;
    }
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++digits % 8 === 0) {
      UID_WORDS[digits / 8 - 1] = word;
      word = 0;
    }
  }
  return true;
}

/** The value of a decimal integer written without sign or leading zeros, up to MAX_PACKED_RV; else −1. */
function canonicalInt(s: string): number {
  if (typeof s !== "string") return -1;
  const n = s.length;
  if (n === 0 || n > 10 || (n > 1 && s.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= MAX_PACKED_RV ? v : -1;
}

/** A uid's 36 character codes, filled in place by each `uidText` (the dashes stay). */
const UID_CODES: number[] = new Array(36).fill(45);

/** The uid of four 32-bit words (each as an int32), in its 8-4-4-4-12 groups. */
function uidText(w0: number, w1: number, w2: number, w3: number): string {
  const c = UID_CODES;
  putHex(c, 0, w0, 8);
  putHex(c, 9, w1 >>> 16, 4);
  putHex(c, 14, w1 & 0xffff, 4);
  putHex(c, 19, w2 >>> 16, 4);
  putHex(c, 24, w2 & 0xffff, 4);
  putHex(c, 28, w3, 8);
  return String.fromCharCode.apply(null, c);
}
