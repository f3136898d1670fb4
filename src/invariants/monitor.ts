/**
 * Runs the chosen invariant checkers beside a simulation: feeds them every apiserver change
 * (synchronously) and every timeline record, tracks faults and user disruptions, and turns each
 * report into a Violation with its causal chain, a `violation` record and an entry in the list.
 */
import type { SimContext } from "../api/context.js";
import type { TimelineRecord } from "../api/records.js";
import { formatDurationMs } from "../engine/duration.js";
import { FaultState, isUserDisruption } from "./disturbance.js";
import type { Disturbance, Invariant, InvariantContext, Violation } from "./types.js";

/** Records kept for causal chains (a ring: the oldest drop out). */
const RING_SIZE = 4096;
/** At most this many records about the objects in one chain... */
const CHAIN_MAX = 25;
/** ...plus at most this many actions (kubectl, faults, heals), whatever they touched. */
const ACTIONS_MAX = 10;

/** Builds one checker for a monitor. */
export type InvariantFactory = (ctx: InvariantContext) => Invariant;

export class InvariantMonitor implements InvariantContext {
  readonly violations: Violation[] = [];
  private readonly checkers: Invariant[] = [];
  private readonly reported = new Set<string>();
  private readonly ring: TimelineRecord[] = [];
  private ringNext = 0;
  private readonly faults: FaultState;

  constructor(
    readonly sim: SimContext,
    private readonly seed: number,
    factories: readonly InvariantFactory[],
  ) {
    this.faults = new FaultState((ns, pod, atMs) =>
      sim.scenario.actions.some(
        (a) =>
          a.kind === "heal" && a.atMs >= atMs && a.heal.pod === pod && (a.heal.namespace ?? "default") === ns,
      ),
    );
    for (const f of factories) this.checkers.push(f(this));
  }

  /** Starts observing the apiserver (call after the timeline recorder, so chains include the change itself). */
  start(): void {
    const withChange = this.checkers.filter((c) => c.onChange);
    if (withChange.length > 0)
      this.sim.api.observe((ev) => {
        for (const c of withChange) c.onChange!(ev);
      });
  }

  /** Every timeline record passes here before the sink: kept for chains, faults tracked. */
  onRecord(rec: TimelineRecord): void {
    if (rec.type === "violation") return;
    this.ring[this.ringNext] = rec;
    this.ringNext = (this.ringNext + 1) % RING_SIZE;
    const activeBefore = this.faults.count;
    const change = this.faults.apply(rec);
    if (change === "changed") {
      const activeNow = this.faults.count;
      if (activeNow > activeBefore) this.notify("faults-started");
      else if (activeNow === 0 && activeBefore > 0) this.notify("faults-healed");
    } else if (change === "pulse" || isUserDisruption(rec)) this.notify("disruption");
    for (const c of this.checkers) c.onRecord?.(rec);
  }

  private notify(what: Disturbance): void {
    for (const c of this.checkers) c.onDisturbance?.(what);
  }

  /** Faults are active now. */
  disturbed(): boolean {
    return this.faults.count > 0;
  }

  /** A fault happened in this run (convergence is checked only then). */
  everFaulted(): boolean {
    return this.faults.everFaulted;
  }

  report(invariant: string, subject: string, message: string, objects: string[]): void {
    const key = `${invariant}|${subject}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const t = this.sim.engine.nowMs;
    const chain = this.chainFor(objects);
    const v: Violation = { invariant, atMs: t, seed: this.seed, message, objects, chain };
    this.violations.push(v);
    this.sim.record({ t, type: "violation", invariant, message, objects, chain, seed: this.seed });
  }

  /** Lets checkers report at the end of the run (deadlines not yet reached are not violations). */
  finish(endMs: number): void {
    for (const c of this.checkers) c.finish?.(endMs);
  }

  /** The recent actions and the recent records about the objects, oldest first. */
  private chainFor(objects: readonly string[]): string[] {
    const wanted = new Set(objects);
    const picked: { i: number; line: string }[] = [];
    let actions = 0;
    let about = 0;
    for (let i = 0; i < RING_SIZE && (actions < ACTIONS_MAX || about < CHAIN_MAX); i++) {
      const rec = this.ring[(this.ringNext - 1 - i + RING_SIZE) % RING_SIZE];
      if (!rec) break;
      const isAction = rec.type === "action";
      if (isAction ? actions++ >= ACTIONS_MAX : about >= CHAIN_MAX) continue;
      const line = chainLine(rec, wanted);
      if (line === undefined) continue;
      if (!isAction) about++;
      picked.push({ i, line });
    }
    return picked.reverse().map((p) => p.line);
  }
}

/** One record as a line of a chain, when it is an action or about one of the objects. */
function chainLine(rec: TimelineRecord, wanted: ReadonlySet<string>): string | undefined {
  const at = formatDurationMs(rec.t);
  switch (rec.type) {
    case "action":
      return `${at} ${rec.action} ${rec.args}${rec.error ? ` (${rec.error})` : ""}`;
    case "object": {
      const ref = `${rec.kind}/${rec.namespace ? `${rec.namespace}/` : ""}${rec.name}`;
      return wanted.has(ref) ? `${at} ${rec.verb} ${ref} ${JSON.stringify(rec.state)}` : undefined;
    }
    case "event":
      return wanted.has(rec.involved)
        ? `${at} event ${rec.reason} ${rec.involved}: ${rec.message}`
        : undefined;
    case "step":
      return wanted.has(rec.object) ? `${at} step ${rec.object} ${rec.step}: ${rec.message}` : undefined;
    default:
      return undefined;
  }
}
