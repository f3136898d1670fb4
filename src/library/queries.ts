/**
 * Questions about a finished run, answered from its timeline records alone: an object's compact
 * state at a time, how many objects matched a condition in a window, a Deployment's fewest
 * available and most unavailable replicas in a window, the Events recorded.
 */
import { resolveResource } from "../api/kinds.js";
import type { EventRecord, TimelineRecord } from "../api/records.js";

/** An object's compact state as the timeline records it (DESIGN.md "The timeline"). */
export type ObjectState = Readonly<Record<string, unknown>>;

/** One version of an object: its state from `t` on (null once deleted). */
interface Version {
  t: number;
  state: ObjectState | null;
}

/** Kind names as users type them: `Deployment`, `deployment`, `deploy`, `pods`. */
function kindOf(kind: string): string {
  return resolveResource(kind)?.kind ?? kind;
}

/** `ns/name` or `name` (the default namespace; cluster-scoped kinds have none). */
function splitName(name: string): { namespace: string; name: string } {
  const i = name.indexOf("/");
  return i < 0 ? { namespace: "", name } : { namespace: name.slice(0, i), name: name.slice(i + 1) };
}

export class TimelineQueries {
  /** `Kind|namespace|name` → versions in time order. */
  private readonly history = new Map<string, Version[]>();
  /** Kind → keys of its objects, in first-seen order. */
  private readonly byKind = new Map<string, string[]>();

  constructor(
    private readonly timeline: readonly TimelineRecord[],
    private readonly endMs: number,
  ) {
    for (const r of timeline) {
      if (r.type !== "object") continue;
      const key = `${r.kind}|${r.namespace ?? ""}|${r.name}`;
      let versions = this.history.get(key);
      if (!versions) {
        this.history.set(key, (versions = []));
        let keys = this.byKind.get(r.kind);
        if (!keys) this.byKind.set(r.kind, (keys = []));
        keys.push(key);
      }
      versions.push({ t: r.t, state: r.verb === "DELETED" ? null : r.state });
    }
  }

  private versions(kind: string, name: string): Version[] | undefined {
    const k = kindOf(kind);
    const n = splitName(name);
    return (
      this.history.get(`${k}|${n.namespace || "default"}|${n.name}`) ?? this.history.get(`${k}||${n.name}`)
    );
  }

  /** The object's state at `tMs` (after every change at that time); undefined when it did not exist then. */
  stateAt(kind: string, name: string, tMs: number = this.endMs): ObjectState | undefined {
    return stateIn(this.versions(kind, name) ?? [], tMs) ?? undefined;
  }

  /** The states an object had in [fromMs, toMs]: the one at fromMs, then every change up to toMs. */
  statesBetween(kind: string, name: string, fromMs = 0, toMs: number = this.endMs): ObjectState[] {
    return window(this.versions(kind, name) ?? [], fromMs, toMs);
  }

  /**
   * How many objects of a kind matched `where` at some moment in [fromMs, toMs] (default the whole
   * run; every object when `where` is absent). `where` gets the state and `ns/name`.
   */
  count(
    kind: string,
    where: (state: ObjectState, name: string) => boolean = () => true,
    fromMs = 0,
    toMs: number = this.endMs,
  ): number {
    let n = 0;
    for (const key of this.byKind.get(kindOf(kind)) ?? []) {
      const [, ns, name] = key.split("|");
      const full = ns ? `${ns}/${name}` : name!;
      if (window(this.history.get(key)!, fromMs, toMs).some((s) => where(s, full))) n++;
    }
    return n;
  }

  /** The fewest available replicas a Deployment had in [fromMs, toMs] (status.availableReplicas). */
  minAvailable(deployment: string, fromMs = 0, toMs: number = this.endMs): number {
    return this.extreme("Deployment", deployment, "availableReplicas", fromMs, toMs, Math.min);
  }

  /** The most unavailable replicas a Deployment had in [fromMs, toMs] (status.unavailableReplicas). */
  maxUnavailable(deployment: string, fromMs = 0, toMs: number = this.endMs): number {
    return this.extreme("Deployment", deployment, "unavailableReplicas", fromMs, toMs, Math.max);
  }

  /** The fewest ready replicas a StatefulSet had in [fromMs, toMs] (status.readyReplicas). */
  minReady(statefulSet: string, fromMs = 0, toMs: number = this.endMs): number {
    return this.extreme("StatefulSet", statefulSet, "readyReplicas", fromMs, toMs, Math.min);
  }

  /** Kubernetes Events recorded, optionally only one reason and/or one involved object (`Pod/default/web-0`). */
  events(filter: { reason?: string; involved?: string } = {}): EventRecord[] {
    return this.timeline.filter(
      (r): r is EventRecord =>
        r.type === "event" &&
        (filter.reason === undefined || r.reason === filter.reason) &&
        (filter.involved === undefined || r.involved === filter.involved),
    );
  }

  private extreme(
    kind: string,
    name: string,
    field: string,
    fromMs: number,
    toMs: number,
    pick: (a: number, b: number) => number,
  ): number {
    const states = this.statesBetween(kind, name, fromMs, toMs);
    if (states.length === 0)
      throw new Error(`${kind} ${name} does not exist between ${fromMs} ms and ${toMs} ms in this run`);
    return states.map((s) => Number(s[field] ?? 0)).reduce((a, b) => pick(a, b));
  }
}

function stateIn(versions: readonly Version[], tMs: number): ObjectState | null {
  let state: ObjectState | null = null;
  for (const v of versions) {
    if (v.t > tMs) break;
    state = v.state;
  }
  return state;
}

function window(versions: readonly Version[], fromMs: number, toMs: number): ObjectState[] {
  const out: ObjectState[] = [];
  const first = stateIn(versions, fromMs);
  if (first) out.push(first);
  for (const v of versions) if (v.t > fromMs && v.t <= toMs && v.state) out.push(v.state);
  return out;
}
