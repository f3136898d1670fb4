/** NodeAffinity: nodeSelector and required node affinity filter; preferred terms score. */
import { NODE_ADD, NODE_LABEL } from "../events.js";
import {
  defaultNormalizeScore,
  type FilterPlugin,
  MAX_NODE_SCORE,
  reject,
  type ScorePlugin,
  SKIP,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
} from "../framework.js";
import {
  type PreferredTerm,
  preferredTermsOf,
  type RequiredNodeAffinity,
  requiredNodeAffinityOf,
} from "./nodeselector.js";

const NAME = "NodeAffinity";
const REJECTED = reject(
  NAME,
  UNSCHEDULABLE_AND_UNRESOLVABLE,
  "node(s) didn't match Pod's node affinity/selector",
);

/** Filter and Score (weight 2); both skipped when the pod expresses no node affinity. */
export const nodeAffinity: FilterPlugin<RequiredNodeAffinity> & ScorePlugin<readonly PreferredTerm[]> = {
  name: NAME,
  events: NODE_ADD | NODE_LABEL,
  weight: 2,
  preFilter(cycle) {
    const req = requiredNodeAffinityOf(cycle.pod);
    return req.none ? SKIP : req;
  },
  filter: (_cycle, req, node) => (req.match(node) ? undefined : REJECTED),
  preScore(cycle) {
    const terms = preferredTermsOf(cycle.pod);
    return terms.length === 0 ? SKIP : terms;
  },
  score(_cycle, terms, nodes, _ids, out) {
    for (let j = 0; j < nodes.length; j++) {
      let sum = 0;
      for (const t of terms) if (t.match(nodes[j]!)) sum += t.weight;
      out[j] = sum;
    }
  },
  normalize: (_cycle, _terms, _nodes, scores) => defaultNormalizeScore(MAX_NODE_SCORE, false, scores),
};
