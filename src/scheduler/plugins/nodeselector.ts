/** Node selection terms (component-helpers nodeaffinity): nodeSelector, required and preferred. */
import type {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from "kubernetes-types/core/v1.js";
import {
  matchLabelsSelector,
  type Operator,
  type Requirement,
  type Selector,
  selectorFromRequirements,
} from "../../api/labels.js";
import type { Pod, Stored } from "../../api/types.js";
import type { NodeInfo } from "../nodeinfo.js";

// Simplification: matchFields on metadata.name is checked per node; no PreFilter narrowing of the node list.

/** A compiled NodeSelectorTerm; a term that fails to parse, or is empty, matches no node. */
export type NodeTermMatcher = (node: NodeInfo) => boolean;

const NEVER: NodeTermMatcher = () => false;

const LABEL_OPS: Record<string, Operator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
  Gt: "gt",
  Lt: "lt",
};

function labelSelectorOf(exprs: readonly NodeSelectorRequirement[]): Selector | undefined {
  const reqs: Requirement[] = [];
  for (const e of exprs) {
    const op = Object.hasOwn(LABEL_OPS, e.operator) ? LABEL_OPS[e.operator] : undefined;
    if (!op) return undefined;
    reqs.push({ key: e.key, operator: op, values: [...(e.values ?? [])] });
  }
  try {
    return selectorFromRequirements(reqs);
  } catch {
    return undefined;
  }
}

// NodeSelectorRequirementsAsFieldSelector: only metadata.name, In or NotIn with exactly one value.
function fieldMatcher(fields: readonly NodeSelectorRequirement[]): NodeTermMatcher | undefined {
  const checks: ((name: string) => boolean)[] = [];
  for (const f of fields) {
    if (f.key !== "metadata.name" || f.values?.length !== 1) return undefined;
    const v = f.values[0]!;
    if (f.operator === "In") checks.push((n) => n === v);
    else if (f.operator === "NotIn") checks.push((n) => n !== v);
    else return undefined;
  }
  return (node) => checks.every((c) => c(node.name));
}

/** Compiles one NodeSelectorTerm. */
export function compileNodeSelectorTerm(term: NodeSelectorTerm): NodeTermMatcher {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return NEVER;
  const labels = exprs.length > 0 ? labelSelectorOf(exprs) : undefined;
  if (exprs.length > 0 && !labels) return NEVER;
  const byFields = fields.length > 0 ? fieldMatcher(fields) : undefined;
  if (fields.length > 0 && !byFields) return NEVER;
  return (node) => (!labels || labels.matches(node.labels)) && (!byFields || byFields(node));
}

/** The pod's required node selection (nodeaffinity.RequiredNodeAffinity). */
export interface RequiredNodeAffinity {
  /** True when the pod has neither a nodeSelector nor required node affinity. */
  readonly none: boolean;
  match(node: NodeInfo): boolean;
}

const ANY: RequiredNodeAffinity = { none: true, match: () => true };
const required = new WeakMap<object, RequiredNodeAffinity>();

/** GetRequiredNodeAffinity, compiled once per pod spec. */
export function requiredNodeAffinityOf(pod: Stored<Pod>): RequiredNodeAffinity {
  const spec = pod.spec;
  if (!spec) return ANY;
  const hit = required.get(spec);
  if (hit) return hit;
  const sel =
    spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0
      ? matchLabelsSelector(spec.nodeSelector)
      : undefined;
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const matchers = terms ? terms.map(compileNodeSelectorTerm) : undefined;
  const out: RequiredNodeAffinity =
    !sel && !matchers
      ? ANY
      : {
          none: false,
          match: (node) => (!sel || sel.matches(node.labels)) && (!matchers || matchers.some((m) => m(node))),
        };
  required.set(spec, out);
  return out;
}

/** A compiled preferred scheduling term. */
export interface PreferredTerm {
  readonly weight: number;
  readonly match: NodeTermMatcher;
}

const preferredTerms = new WeakMap<object, readonly PreferredTerm[]>();
const NO_TERMS: readonly PreferredTerm[] = [];

/** The pod's preferred node affinity terms (weight 0 terms dropped, as Kubernetes does), once per list. */
export function preferredTermsOf(pod: Stored<Pod>): readonly PreferredTerm[] {
  const terms: readonly PreferredSchedulingTerm[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!terms?.length) return NO_TERMS;
  let hit = preferredTerms.get(terms);
  if (!hit) {
    hit = terms
      .filter((t) => t.weight !== 0)
      .map((t) => ({ weight: t.weight, match: compileNodeSelectorTerm(t.preference) }));
    preferredTerms.set(terms, hit);
  }
  return hit;
}
