/** Plugin interfaces (framework/interface.go) and the runner of Filter and Score extension points. */
import type { SimContext } from "../api/context.js";
import type { Pod, Stored } from "../api/types.js";
import type { SchedulerCache } from "./cache.js";
import type { Lookups } from "./lookups.js";
import type { NodeColumns } from "./node-columns.js";
import type { NodeInfo } from "./nodeinfo.js";
import type { PodInfo } from "./podinfo.js";

/** framework.MaxNodeScore: every normalised score is in [0, 100]. */
export const MAX_NODE_SCORE = 100;

/** Status codes of a rejection: Unschedulable (preemption might help) or UnschedulableAndUnresolvable. */
export const UNSCHEDULABLE = 1;
export const UNSCHEDULABLE_AND_UNRESOLVABLE = 2;
/** The code of a rejection. */
export type RejectCode = typeof UNSCHEDULABLE | typeof UNSCHEDULABLE_AND_UNRESOLVABLE;

/** A filter's rejection of a node (framework.Status): the plugin, code and reasons. */
export interface FilterStatus {
  readonly plugin: string;
  readonly code: RejectCode;
  readonly reasons: readonly string[];
}

/** Builds a rejection; plugins keep constant ones in module constants (no allocation per node). */
export function reject(plugin: string, code: RejectCode, ...reasons: string[]): FilterStatus {
  return Object.freeze({ plugin, code, reasons: Object.freeze(reasons) });
}

/** Returned by PreFilter/PreScore when the plugin has nothing to do for this pod (framework.Skip). */
export const SKIP: unique symbol = Symbol("Skip");
/** A PreFilter or PreScore result: the state, or SKIP. */
export type Skippable<S> = S | typeof SKIP;

/** What every plugin can read during one scheduling attempt (the CycleState's shared part). */
export interface Cycle {
  readonly pod: Stored<Pod>;
  readonly info: PodInfo;
  readonly cache: SchedulerCache;
  readonly lookups: Lookups;
  /** All nodes in the snapshot, in walking order. */
  readonly allNodes: readonly NodeInfo[];
}

/** A plugin of the profile: a name, and the cluster events (events.ts) that may undo its rejections. */
export interface Plugin {
  readonly name: string;
  readonly events: number;
}

/** A PreFilter rejection: no node is tried, and the FitError carries the status's reasons. */
export class PreFilterReject {
  constructor(readonly status: FilterStatus) {}
}

/** PreFilter + Filter. */
export interface FilterPlugin<S = unknown> extends Plugin {
  preFilter(cycle: Cycle): Skippable<S> | PreFilterReject;
  filter(cycle: Cycle, state: S, node: NodeInfo): FilterStatus | undefined;
  /**
   * A pre-check on the node columns alone, over the nodes `ids[t]` for from ≤ t < to: clears
   * `ok[t]` unless `filter` would certainly pass the node, so that walks over thousands of nodes
   * need not touch their NodeInfo (one monomorphic loop per plugin). A cleared `ok[t]` proves nothing.
   */
  precheck?(state: S, cols: NodeColumns, ids: Int32Array, from: number, to: number, ok: Uint8Array): void;
  /**
   * Reserve (framework ReservePlugin) for the chosen node: returns the plugin's PreBind step, or
   * undefined when it has nothing to do before the pod is bound.
   */
  reserve?(cycle: Cycle, state: S, nodeName: string): PreBindStep | undefined;
}

/** A reserved PreBind (framework PreBindPlugin + Unreserve), e.g. VolumeBinding's wait for volumes. */
export interface PreBindStep {
  /** Makes its API writes, then calls `done` once the pod may be bound, or with the error that failed it. */
  run(ctx: SimContext, done: (error?: string) => void): void;
  /** Unreserve: undoes the in-memory assumptions after a failure. */
  unreserve(): void;
}

/**
 * PreScore + Score (+ NormalizeScore). Scores are integers; normalised ones are in [0, 100].
 * Score fills the scores of all feasible nodes at once (one monomorphic loop per plugin, where
 * Kubernetes calls Score per node in parallel).
 */
export interface ScorePlugin<S = unknown> extends Plugin {
  readonly weight: number;
  /** `ids[j]` is `feasible[j].id`: plugins that read node columns need not touch the NodeInfo. */
  preScore(cycle: Cycle, feasible: readonly NodeInfo[], ids: Int32Array): Skippable<S>;
  score(cycle: Cycle, state: S, feasible: readonly NodeInfo[], ids: Int32Array, out: Float64Array): void;
  normalize?(cycle: Cycle, state: S, feasible: readonly NodeInfo[], scores: Float64Array): void;
}

/** The filters that apply to one pod, with their PreFilter state. */
export class FilterRun {
  readonly plugins: FilterPlugin[] = [];
  readonly states: unknown[] = [];
  /** The plugins (and states) with a column pre-check, and those without, each in profile order. */
  private readonly checked: FilterPlugin[] = [];
  private readonly checkedStates: unknown[] = [];
  private readonly unchecked: FilterPlugin[] = [];
  private readonly uncheckedStates: unknown[] = [];
  /** Set when a PreFilter rejected the pod (RunPreFilterPlugins stops at the first rejection). */
  readonly rejected: FilterStatus | undefined;

  constructor(
    readonly cycle: Cycle,
    all: readonly FilterPlugin[],
  ) {
    for (const p of all) {
      const s = p.preFilter(cycle);
      if (s === SKIP) continue;
      if (s instanceof PreFilterReject) {
        this.rejected = s.status;
        return;
      }
      this.plugins.push(p);
      this.states.push(s);
      if (p.precheck) {
        this.checked.push(p);
        this.checkedStates.push(s);
      } else {
        this.unchecked.push(p);
        this.uncheckedStates.push(s);
      }
    }
  }

  /** Whether some plugin has no column pre-check (runUnchecked has work to do). */
  get hasUnchecked(): boolean {
    return this.unchecked.length > 0;
  }

  /** Sets `ok[t]` (from ≤ t < to) when every column pre-check passes node `ids[t]`, clears it otherwise. */
  precheck(cols: NodeColumns, ids: Int32Array, from: number, to: number, ok: Uint8Array): void {
    ok.fill(1, from, to);
    const { checked, checkedStates } = this;
    for (let i = 0; i < checked.length; i++) checked[i]!.precheck!(checkedStates[i], cols, ids, from, to, ok);
  }

  /**
   * RunFilterPlugins on a node whose pre-checks (precheck) all passed: only the plugins without
   * one can reject it, and the first of them to reject is the first in profile order (run()'s verdict).
   */
  runUnchecked(node: NodeInfo): FilterStatus | undefined {
    return firstRejection(this.unchecked, this.uncheckedStates, this.cycle, node);
  }

  /** RunReservePluginsReserve: the PreBind step of the first plugin that has one (VolumeBinding is the only one). */
  reserve(nodeName: string): PreBindStep | undefined {
    const { plugins, states, cycle } = this;
    for (let i = 0; i < plugins.length; i++) {
      const step = plugins[i]!.reserve?.(cycle, states[i], nodeName);
      if (step) return step;
    }
    return undefined;
  }

  /** RunFilterPlugins: the first rejection, or undefined when the node is feasible. */
  run(node: NodeInfo): FilterStatus | undefined {
    return firstRejection(this.plugins, this.states, this.cycle, node);
  }
}

// The first filter plugin (in order) that rejects the node, with its status.
function firstRejection(
  plugins: readonly FilterPlugin[],
  states: readonly unknown[],
  cycle: Cycle,
  node: NodeInfo,
): FilterStatus | undefined {
  for (let i = 0; i < plugins.length; i++) {
    const st = plugins[i]!.filter(cycle, states[i], node);
    if (st !== undefined) return st;
  }
  return undefined;
}

/** Per-plugin normalised scores and weighted totals of the feasible nodes. */
export interface ScoreTable {
  /** Plugins that scored (not skipped), in profile order. */
  readonly plugins: readonly ScorePlugin[];
  /** scores[i][j]: plugin i's normalised score of feasible node j. */
  readonly scores: readonly Float64Array[];
  /** totals[j] = Σ weight_i × scores[i][j]. */
  readonly totals: Float64Array;
}

/** Reusable score arrays (a slot per plugin, one for totals), so a cycle allocates none. */
export class ScoreScratch {
  private readonly buffers: Float64Array[] = [];

  /** A zeroed array of n scores for the slot; valid until the slot is taken again. */
  take(slot: number, n: number): Float64Array {
    let b = this.buffers[slot];
    if (!b || b.length < n) this.buffers[slot] = b = new Float64Array(Math.max(n, 2 * (b?.length ?? 32)));
    const view = b.subarray(0, n);
    view.fill(0);
    return view;
  }
}

/**
 * RunPreScorePlugins + RunScorePlugins (with normalisation and weights). With `scratch`, the
 * arrays of the table are reused by the next call; without, they are fresh.
 */
export function runScorePlugins(
  cycle: Cycle,
  all: readonly ScorePlugin[],
  feasible: readonly NodeInfo[],
  scratch?: ScoreScratch,
  ids: Int32Array = Int32Array.from(feasible, (node) => node.id),
): ScoreTable {
  const n = feasible.length;
  const plugins: ScorePlugin[] = [];
  const scores: Float64Array[] = [];
  const totals = scratch ? scratch.take(0, n) : new Float64Array(n);
  for (const p of all) {
    const state = p.preScore(cycle, feasible, ids);
    if (state === SKIP) continue;
    const s = scratch ? scratch.take(plugins.length + 1, n) : new Float64Array(n);
    p.score(cycle, state, feasible, ids, s);
    p.normalize?.(cycle, state, feasible, s);
    const w = p.weight;
    for (let j = 0; j < n; j++) totals[j] = totals[j]! + w * s[j]!;
    plugins.push(p);
    scores.push(s);
  }
  return { plugins, scores, totals };
}

/**
 * helper.DefaultNormalizeScore: scales scores to [0, maxPriority] by the highest (integer
 * arithmetic); `reverse` turns the scale around. All zero stays zero (or all max when reversed).
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Float64Array): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((maxPriority * scores[i]!) / max);
    scores[i] = reverse ? maxPriority - s : s;
  }
}
