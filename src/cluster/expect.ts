/**
 * Evaluates a scenario's `expect` entries while the run goes: `at` reads the state at the end of
 * its time, `by` passes as soon as the predicate holds, `always`/`never` check every change of
 * the object within their window. Results are reported at the end, in declaration order.
 */
import { formatDurationMs } from "../engine/duration.js";
import type { Expectation, Predicate } from "../scenario/types.js";
import type { Cluster } from "./cluster.js";
import { predicateValue } from "./predicate-value.js";
import type { TimelineRecord } from "./records.js";

export interface ExpectResult {
  expect: string;
  ok: boolean;
  detail: string;
}

interface Tracker {
  e: Expectation;
  /** Decided (pass or fail) before the end. */
  decided?: ExpectResult;
  /** For always: the extreme value seen (numbers), for the detail. */
  seen?: unknown;
}

function compare(a: unknown, op: Predicate["op"], b: unknown): boolean {
  if (op === "==") return a === b || (a != null && b != null && String(a) === String(b));
  if (op === "!=") return !(a === b || (a != null && b != null && String(a) === String(b)));
  if (typeof a !== "number" || typeof b !== "number") return false;
  switch (op) {
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case "<":
      return a < b;
  }
}

/** A value for a detail; what a pod sees (`file(...)`, `env(...)`) is quoted, as it may hold spaces. */
const show = (v: unknown, p?: Predicate) =>
  v === null || v === undefined ? "<none>" : p?.arg !== undefined ? JSON.stringify(v) : String(v);
const at = (ms: number) => formatDurationMs(ms);

export class ExpectationChecker {
  private readonly trackers: Tracker[];
  /** Trackers by kind, then `namespace|name` (or "*" for selector predicates). */
  private readonly byKind = new Map<string, Map<string, Tracker[]>>();
  /** Some expectation reads what a pod sees (`file(...)`, `env(...)`). */
  private readonly podViews: boolean;

  constructor(
    private readonly cluster: Cluster,
    expectations: Expectation[],
  ) {
    this.trackers = expectations.map((e) => ({ e }));
    this.podViews = expectations.some((e) => e.that.arg !== undefined);
    for (const tr of this.trackers) {
      // Selector predicates (`pods{app=web} count`) watch every object of the kind.
      const that = tr.e.that;
      this.add(that.kind, that.selector !== undefined ? "*" : `${that.namespace}|${that.name}`, tr);
      this.schedule(tr);
    }
    if (this.trackers.length > 0) {
      cluster.api.observe((ev) => {
        // Most writes are of kinds no expectation names (Leases, Events): one lookup, no key built.
        const byName = this.byKind.get(ev.object.kind);
        if (!byName) return;
        const m = ev.object.metadata;
        const list = byName.get(`${m.namespace ?? ""}|${m.name}`);
        if (list) for (const tr of list) this.onChange(tr);
        const any = byName.get("*");
        if (any) for (const tr of any) this.onChange(tr);
      });
    }
  }

  private add(kind: string, key: string, tr: Tracker): void {
    let byName = this.byKind.get(kind);
    if (!byName) this.byKind.set(kind, (byName = new Map()));
    let list = byName.get(key);
    if (!list) byName.set(key, (list = []));
    list.push(tr);
  }

  private value(p: Predicate): unknown {
    return predicateValue(this.cluster, p);
  }

  /**
   * A kubelet step of a pod (a volume mounted or rewritten, a sandbox, a container): what its
   * containers see may have changed without any write to the pod, so its `file`/`env` expectations look again.
   */
  onRecord(rec: TimelineRecord): void {
    if (rec.type !== "step" || !this.podViews) return;
    const [kind, ns, name] = rec.object.split("/");
    const list = this.byKind.get(kind ?? "")?.get(`${ns}|${name}`);
    if (list) for (const tr of list) if (tr.e.that.arg !== undefined) this.onChange(tr);
  }

  private schedule(tr: Tracker): void {
    const { engine } = this.cluster;
    const e = tr.e;
    if (e.mode === "at") engine.atEndOf(e.atMs, () => this.decideAt(tr));
    else if (e.mode === "by") {
      engine.atEndOf(0, () => this.onChange(tr));
      engine.atEndOf(e.byMs, () => this.decideBy(tr));
    } else engine.atEndOf(e.fromMs, () => this.onChange(tr));
  }

  private decideAt(tr: Tracker): void {
    if (tr.e.mode !== "at") return;
    const v = this.value(tr.e.that);
    tr.decided = {
      expect: tr.e.that.text,
      ok: compare(v, tr.e.that.op, tr.e.that.value),
      detail: `${show(v, tr.e.that)} at ${at(tr.e.atMs)}`,
    };
  }

  private decideBy(tr: Tracker): void {
    if (tr.decided || tr.e.mode !== "by") return;
    const v = this.value(tr.e.that);
    const ok = compare(v, tr.e.that.op, tr.e.that.value);
    tr.decided = {
      expect: tr.e.that.text,
      ok,
      detail: ok
        ? `${show(v, tr.e.that)} at ${at(tr.e.byMs)}`
        : `${show(v, tr.e.that)} at ${at(tr.e.byMs)} (deadline)`,
    };
  }

  private onChange(tr: Tracker): void {
    if (tr.decided) return;
    const e = tr.e;
    const now = this.cluster.engine.nowMs;
    if (e.mode === "at") return;
    if (e.mode === "by") {
      if (now > e.byMs) return;
      const v = this.value(e.that);
      if (compare(v, e.that.op, e.that.value))
        tr.decided = { expect: e.that.text, ok: true, detail: `${show(v, e.that)} at ${at(now)}` };
      return;
    }
    if (now < e.fromMs || (e.untilMs !== undefined && now > e.untilMs)) return;
    const v = this.value(e.that);
    const holds = compare(v, e.that.op, e.that.value);
    if (e.mode === "always" && !holds)
      tr.decided = { expect: `always ${e.that.text}`, ok: false, detail: `${show(v, e.that)} at ${at(now)}` };
    else if (e.mode === "never" && holds)
      tr.decided = { expect: `never ${e.that.text}`, ok: false, detail: `${show(v, e.that)} at ${at(now)}` };
    else if (
      typeof v === "number" &&
      (tr.seen === undefined ||
        (e.that.op.startsWith(">") ? v < (tr.seen as number) : v > (tr.seen as number)))
    ) {
      tr.seen = v;
    }
  }

  /** Results for every expectation, and their `expect` records, at the end of the run. */
  finish(endMs: number): ExpectResult[] {
    const out: ExpectResult[] = [];
    for (const tr of this.trackers) {
      const e = tr.e;
      let r = tr.decided;
      if (!r) {
        if (e.mode === "at" || e.mode === "by") {
          const when = e.mode === "at" ? e.atMs : e.byMs;
          r = {
            expect: e.that.text,
            ok: false,
            detail: `not reached: the run ended at ${at(endMs)}, before ${at(when)}`,
          };
        } else {
          const to = e.untilMs !== undefined ? Math.min(e.untilMs, endMs) : endMs;
          const extreme =
            tr.seen !== undefined ? ` (${e.that.op.startsWith(">") ? "min" : "max"} ${tr.seen})` : "";
          r = {
            expect: `${e.mode} ${e.that.text}`,
            ok: true,
            detail: `held from ${at(e.fromMs)} to ${at(to)}${extreme}`,
          };
        }
      }
      out.push(r);
      this.cluster.record({ t: endMs, type: "expect", ok: r.ok, expect: r.expect, detail: r.detail });
    }
    return out;
  }
}
