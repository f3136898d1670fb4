/** One scheduling attempt (schedule_one.go: schedulePod): filter, score, select; or the FitError. */

import type { Pod, Stored } from "../api/types.js";
import type { Rng } from "../engine/rng.js";
import type { SchedulerCache } from "./cache.js";
import { ALL_EVENTS, NODE_ADD } from "./events.js";
import {
  type Cycle,
  FilterRun,
  type FilterStatus,
  type PreBindStep,
  runScorePlugins,
  ScoreScratch,
  type ScoreTable,
  UNSCHEDULABLE,
} from "./framework.js";
import type { Lookups } from "./lookups.js";
import {
  fitErrorMessage,
  NO_NODES_AVAILABLE,
  NO_PREEMPTION_VICTIMS,
  NOT_ELIGIBLE_NEVER,
  noNodeAvailable,
  PREEMPTION_NOT_HELPFUL,
  preemptionMessage,
} from "./messages.js";
import type { NodeInfo } from "./nodeinfo.js";
import { type PodInfo, podInfoOf } from "./podinfo.js";
import type { Profile } from "./profile.js";
import { numFeasibleNodesToFind, selectHost } from "./sampling.js";

/** Nodes pre-checked at once in the filter walk: enough for tight loops, few wasted past the stop. */
const PRECHECK_CHUNK = 128;

/** A node a filter rejected. */
export interface Rejection {
  readonly node: NodeInfo;
  readonly status: FilterStatus;
}

/** The outcome of one attempt, with what explain mode shows. */
export interface Attempt {
  readonly pod: Stored<Pod>;
  readonly info: PodInfo;
  readonly numAllNodes: number;
  readonly numFeasibleNodesToFind: number;
  readonly startIndex: number;
  /** Nodes the filters ran on, in order (explain mode only; empty otherwise). */
  readonly evaluated: NodeInfo[];
  readonly rejected: Rejection[];
  feasible: NodeInfo[];
  /** Present when two or more nodes were feasible (one feasible node is taken without scoring). */
  scores?: ScoreTable;
  selected?: NodeInfo;
  /** Set on failure: the FailedScheduling message and the events that may help. */
  failure?: { message: string; requeueOn: number };
  /** What must happen before the pod is bound to the selected node (Reserve's PreBind step). */
  preBind?: PreBindStep;
}

/** Runs scheduling attempts over the cache with a profile; keeps the rotating start index. */
export class Algorithm {
  /** Where the next cycle starts walking the node list (round-robin across cycles). */
  nextStartNodeIndex = 0;
  private readonly scratch = new ScoreScratch();
  /** The ids of the feasible nodes (parallel to attempt.feasible), reused across cycles. */
  private feasibleIds = new Int32Array(64);
  /** The positions in the node list of the feasible nodes, reused across cycles. */
  private feasiblePos = new Int32Array(64);
  /** Per position of the node list: whether the column pre-checks passed (see FilterRun.precheck). */
  private prechecked = new Uint8Array(64);

  constructor(
    private readonly profile: Profile,
    private readonly cache: SchedulerCache,
    private readonly lookups: Lookups,
    private readonly rng: Rng,
    private readonly explain: boolean,
  ) {}

  /** schedulePod: picks a node for the pod, or explains why none fits. */
  schedule(pod: Stored<Pod>): Attempt {
    const info = podInfoOf(pod);
    const allNodes = this.cache.nodeList();
    const n = allNodes.length;
    const attempt: Attempt = {
      pod,
      info,
      numAllNodes: n,
      numFeasibleNodesToFind: numFeasibleNodesToFind(n),
      startIndex: n === 0 ? 0 : this.nextStartNodeIndex % n,
      evaluated: [],
      rejected: [],
      feasible: [],
    };
    if (n === 0) {
      attempt.failure = { message: NO_NODES_AVAILABLE, requeueOn: NODE_ADD };
      return attempt;
    }
    const cycle: Cycle = { pod, info, cache: this.cache, lookups: this.lookups, allNodes };
    const run = new FilterRun(cycle, this.profile.filters);
    if (run.rejected) {
      attempt.failure = this.preFilterError(attempt, run.rejected);
      return attempt;
    }
    if (!this.tryNominated(attempt, run)) this.findFeasible(attempt, run, allNodes);
    const { feasible } = attempt;
    if (feasible.length === 0) attempt.failure = this.fitError(attempt);
    else if (feasible.length === 1) attempt.selected = feasible[0];
    else {
      // Explain mode keeps the arrays in its record, so they must not be reused.
      const scores = runScorePlugins(
        cycle,
        this.profile.scorers,
        feasible,
        this.explain ? undefined : this.scratch,
        this.feasibleIds.subarray(0, feasible.length),
      );
      attempt.scores = scores;
      attempt.selected = feasible[selectHost(scores.totals, this.rng)];
    }
    if (attempt.selected) attempt.preBind = run.reserve(attempt.selected.name);
    return attempt;
  }

  // FitError after a PreFilter rejection: its reasons without node counts, then preemption's verdict.
  private preFilterError(attempt: Attempt, status: FilterStatus): { message: string; requeueOn: number } {
    const plugin = this.profile.filters.find((p) => p.name === status.plugin);
    const message = `${noNodeAvailable(attempt.numAllNodes)}: ${status.reasons.join(", ")}.`;
    return {
      message: `${message} ${preemptionPostFilter(attempt)}`,
      requeueOn: plugin?.events ?? ALL_EVENTS,
    };
  }

  // evaluateNominatedNode: a node nominated by an earlier preemption is tried first, alone.
  private tryNominated(attempt: Attempt, run: FilterRun): boolean {
    const name = attempt.pod.status?.nominatedNodeName;
    const node = name ? this.cache.nodeInfo(name) : undefined;
    if (!node?.node || run.run(node) !== undefined) return false;
    if (this.explain) attempt.evaluated.push(node);
    attempt.feasible.push(node);
    this.feasibleIds[0] = node.id;
    return true;
  }

  // findNodesThatPassFilters: walk from nextStartNodeIndex, stop at numFeasibleNodesToFind feasible nodes.
  private findFeasible(attempt: Attempt, run: FilterRun, allNodes: readonly NodeInfo[]): void {
    const n = allNodes.length;
    const want = attempt.numFeasibleNodesToFind;
    const start = attempt.startIndex;
    const { rejected, evaluated } = attempt;
    const explain = this.explain;
    const ids = this.cache.nodeIds();
    const cols = this.cache.cols;
    const cap = Math.min(want, n);
    if (this.feasibleIds.length < cap) {
      this.feasibleIds = new Int32Array(cap);
      this.feasiblePos = new Int32Array(cap);
    }
    if (this.prechecked.length < n) this.prechecked = new Uint8Array(n);
    const { feasibleIds, feasiblePos, prechecked: ok } = this;
    const unchecked = run.hasUnchecked;
    let count = 0;
    let processed = 0;
    let from = start;
    // Chunks of the walk are pre-checked at once; checking a few nodes past the stop changes nothing.
    while (processed < n && count < want) {
      const to = Math.min(n, from + PRECHECK_CHUNK, from + n - processed);
      run.precheck(cols, ids, from, to, ok);
      for (let k = from; k < to && count < want; k++) {
        processed++;
        if (explain) evaluated.push(allNodes[k]!);
        const st =
          ok[k] === 1 ? (unchecked ? run.runUnchecked(allNodes[k]!) : undefined) : run.run(allNodes[k]!);
        if (st === undefined) {
          feasibleIds[count] = ids[k]!;
          feasiblePos[count++] = k;
        } else rejected.push({ node: allNodes[k]!, status: st });
      }
      from = to === n ? 0 : to;
    }
    // Built once at its final size (pushing one by one regrows it several times).
    const feasible = new Array<NodeInfo>(count);
    for (let j = 0; j < count; j++) feasible[j] = allNodes[feasiblePos[j]!]!;
    attempt.feasible = feasible;
    this.nextStartNodeIndex = (start + processed) % n;
  }

  // FitError with the DefaultPreemption PostFilter message; requeue on what the rejecting plugins registered.
  private fitError(attempt: Attempt): { message: string; requeueOn: number } {
    const reasons = new Map<string, number>();
    const byPlugin = new Map(this.profile.filters.map((p) => [p.name, p.events]));
    let requeueOn = 0;
    for (const { status } of attempt.rejected) {
      requeueOn |= byPlugin.get(status.plugin) ?? ALL_EVENTS;
      for (const r of status.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const post = preemptionPostFilter(attempt);
    return {
      message: fitErrorMessage(attempt.numAllNodes, reasons, post),
      requeueOn: requeueOn || ALL_EVENTS,
    };
  }
}

/**
 * DefaultPreemption's message when it finds no candidate (preemption itself is not modelled).
 * Nodes rejected as UnschedulableAndUnresolvable are "not helpful"; Unschedulable ones without a
 * lower-priority pod have "no victims". Simplification: a node that has lower-priority pods, where
 * Kubernetes would try evicting them, is reported with its filter reasons.
 */
export function preemptionPostFilter(attempt: Attempt): string {
  if (attempt.pod.spec?.preemptionPolicy === "Never") return preemptionMessage(NOT_ELIGIBLE_NEVER);
  const reasons = new Map<string, number>();
  const add = (r: string, k = 1) => reasons.set(r, (reasons.get(r) ?? 0) + k);
  let potential = 0;
  for (const { node, status } of attempt.rejected) {
    if (status.code !== UNSCHEDULABLE) continue;
    potential++;
    if (!node.hasPodBelowPriority(attempt.info.priority)) add(NO_PREEMPTION_VICTIMS);
    else for (const r of status.reasons) add(r);
  }
  if (potential < attempt.numAllNodes) add(PREEMPTION_NOT_HELPFUL, attempt.numAllNodes - potential);
  return preemptionMessage(fitErrorMessage(attempt.numAllNodes, reasons));
}
