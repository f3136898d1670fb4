/** Explain mode: a step record per attempt with each node's filter verdict and plugin scores. */
import type { StepRecord } from "../api/records.js";
import { eventNames } from "./events.js";
import { DEFAULT_SCHEDULER_NAME } from "./profile.js";
import type { Attempt } from "./schedule-one.js";

/** One evaluated node in an explained attempt. */
export interface ExplainedNode {
  node: string;
  /** "passed", or the first filter that rejected the node. */
  filter: "passed" | { plugin: string; reasons: readonly string[] };
  /** Normalised score per plugin (0..100), for scored feasible nodes. */
  scores?: Record<string, number>;
  /** Σ weight × score. */
  total?: number;
}

/** The data of an explained attempt (StepRecord.data). */
export interface ExplainData {
  attempt: number;
  numAllNodes: number;
  numFeasibleNodesToFind: number;
  startIndex: number;
  evaluated: number;
  feasible: number;
  /** Weights of the plugins that scored (skipped plugins are absent). */
  weights: Record<string, number>;
  nodes: ExplainedNode[];
  selected: string | null;
  /** On failure: the events that may move the pod back to the active queue. */
  requeueOn?: string[];
}

/** The step record of one attempt (`attempts` counts this one). */
export function explainAttempt(a: Attempt, attempts: number, nowMs: number): StepRecord {
  const rejected = new Map(a.rejected.map((r) => [r.node, r.status]));
  const column = new Map(a.feasible.map((n, j) => [n, j]));
  const weights: Record<string, number> = {};
  for (const p of a.scores?.plugins ?? []) weights[p.name] = p.weight;
  const nodes: ExplainedNode[] = a.evaluated.map((n) => {
    const st = rejected.get(n);
    if (st) return { node: n.name, filter: { plugin: st.plugin, reasons: st.reasons } };
    const j = column.get(n);
    if (!a.scores || j === undefined) return { node: n.name, filter: "passed" };
    const scores: Record<string, number> = {};
    a.scores.plugins.forEach((p, i) => {
      scores[p.name] = a.scores!.scores[i]![j]!;
    });
    return { node: n.name, filter: "passed", scores, total: a.scores.totals[j]! };
  });
  const data: ExplainData = {
    attempt: attempts,
    numAllNodes: a.numAllNodes,
    numFeasibleNodesToFind: a.numFeasibleNodesToFind,
    startIndex: a.startIndex,
    evaluated: a.evaluated.length,
    feasible: a.feasible.length,
    weights,
    nodes,
    selected: a.selected?.name ?? null,
    ...(a.failure ? { requeueOn: eventNames(a.failure.requeueOn) } : {}),
  };
  return {
    t: nowMs,
    type: "step",
    component: DEFAULT_SCHEDULER_NAME,
    object: `Pod/${a.info.namespace}/${a.info.name}`,
    step: "schedule",
    message: summary(a),
    data,
  };
}

function summary(a: Attempt): string {
  if (a.failure) return `unschedulable: ${a.failure.message}`;
  const sel = a.selected!;
  const head = `${sel.name} selected: ${a.feasible.length} of ${a.evaluated.length} evaluated nodes feasible`;
  if (!a.scores) return `${head} (a single feasible node is not scored)`;
  const j = a.feasible.indexOf(sel);
  const top = a.scores.totals[j]!;
  let ties = 0;
  for (const t of a.scores.totals) if (t === top) ties++;
  return `${head}, score ${top}${ties > 1 ? ` (chosen among ${ties} tied)` : ""}`;
}
