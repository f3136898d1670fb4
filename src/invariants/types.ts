/** What every invariant checker shares: the Violation it reports and the context it reports through. */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import type { TimelineRecord } from "../api/records.js";

/** One broken invariant: when, under which seed, the objects involved and the records that led there. */
export interface Violation {
  /** The invariant's name (`rollout-bounds`, `statefulset-identity`, ...). */
  invariant: string;
  atMs: number;
  seed: number;
  message: string;
  /** `Kind/namespace/name` (cluster-scoped: `Kind/name`) of each object involved. */
  objects: string[];
  /** The causal history: recent timeline records (actions, faults, events, changes) about those objects, oldest first. */
  chain: string[];
}

/** What changed about faults and disruptions. */
export type Disturbance = "faults-started" | "faults-healed" | "disruption";

/** What a checker may read and how it reports. */
export interface InvariantContext {
  readonly sim: SimContext;
  /** True while a fault is active. */
  disturbed(): boolean;
  /** A fault happened in this run. */
  everFaulted(): boolean;
  /** Reports a violation (once per invariant and subject; later reports of the same subject are dropped). */
  report(invariant: string, subject: string, message: string, objects: string[]): void;
}

/** A checker: sees every change synchronously, every timeline record, and the end of the run. */
export interface Invariant {
  readonly name: string;
  onChange?(ev: WatchEvent): void;
  onRecord?(rec: TimelineRecord): void;
  /** A fault started, the last active fault healed, or a user deleted or drained something. */
  onDisturbance?(what: Disturbance): void;
  finish?(endMs: number): void;
}

/** `Kind/ns/name` or `Kind/name`: how violations name objects (the timeline's `involved` form). */
export function objectRef(o: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  const ns = o.metadata?.namespace;
  return `${o.kind}/${ns ? `${ns}/` : ""}${o.metadata?.name ?? ""}`;
}
