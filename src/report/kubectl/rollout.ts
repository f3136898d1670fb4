/**
 * `kubectl rollout status` and `kubectl rollout history` output (kubectl/pkg/polymorphichelpers:
 * rollout_status.go, history.go; cmd/rollout: the `deployment.apps/web ...` header line).
 */
import type {
  ControllerRevision,
  Deployment,
  KubeObject,
  ReplicaSet,
  StatefulSet,
  Stored,
} from "../../api/types.js";
import {
  deploymentRolloutStatus,
  type RolloutStatus,
  statefulSetRolloutStatus,
} from "../../cluster/rollout-status.js";
import { revisionTemplate } from "../../controllers/statefulset/revisions.js";
import type { Any } from "./columns.js";
import { kindPrefix } from "./columns.js";
import { describePodTemplate } from "./describe-containers.js";
import { deploymentReplicaSets } from "./describe-workloads.js";
import { PrefixWriter, tabwriter } from "./describe-writer.js";

/** A kubectl failure, printed as `error: <message>`. */
export class RolloutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RolloutError";
  }
}

/** `ReplicaSet.apps`, `Pod`: schema.GroupKind.String(), as kubectl names kinds in these errors. */
function groupKind(obj: KubeObject): string {
  const group = String(obj.apiVersion ?? "").includes("/") ? String(obj.apiVersion).split("/")[0] : "";
  return group ? `${obj.kind}.${group}` : `${obj.kind}`;
}

/** Kinds with a status viewer (StatusViewerFor); kubesim does not model DaemonSets. */
const STATUS_VIEWERS = new Set(["Deployment", "StatefulSet"]);
/** Kinds with a history viewer (HistoryViewerFor). */
const HISTORY_VIEWERS = new Set(["Deployment", "StatefulSet"]);

/** kubectl's error for a kind without a status viewer, or undefined when the kind has one. */
export function statusViewerError(kind: string, apiVersion: string): string | undefined {
  if (STATUS_VIEWERS.has(kind)) return undefined;
  return `no status viewer has been implemented for ${groupKind({ kind, apiVersion })}`;
}

/** kubectl's error for a kind without a history viewer, or undefined when the kind has one. */
export function historyViewerError(kind: string, apiVersion: string): string | undefined {
  if (HISTORY_VIEWERS.has(kind)) return undefined;
  return `no history viewer has been implemented for "${groupKind({ kind, apiVersion })}"`;
}

/** What `rollout status` prints (ending in a newline) and whether the rollout is done. */
export interface RolloutStatusText {
  text: string;
  done: boolean;
}

/** deploymentutil.Revision: the revision annotation, 0 when absent; NaN when malformed. */
function revisionOf(obj: KubeObject): number {
  const v = obj.metadata?.annotations?.["deployment.kubernetes.io/revision"];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
}

/**
 * The status viewer's verdict for a Deployment or StatefulSet. Throws RolloutError with kubectl's
 * message when kubectl fails: a passed progress deadline, `--revision` not the running one, a
 * StatefulSet that is not RollingUpdate, a kind without a status viewer.
 */
export function rolloutStatus(obj: KubeObject, revision = 0): RolloutStatusText {
  const viewerError = statusViewerError(obj.kind ?? "", obj.apiVersion ?? "");
  if (viewerError) throw new RolloutError(viewerError);
  if (obj.kind === "StatefulSet") return viewerResult(statefulSetRolloutStatus(obj as Stored<StatefulSet>));
  const d = obj as Deployment;
  if (revision > 0) {
    const running = revisionOf(d);
    if (Number.isNaN(running)) {
      const v = d.metadata?.annotations?.["deployment.kubernetes.io/revision"];
      throw new RolloutError(
        `cannot get the revision of deployment "${d.metadata?.name}": strconv.ParseInt: parsing "${v}": invalid syntax`,
      );
    }
    if (running !== revision) {
      throw new RolloutError(
        `desired revision (${revision}) is different from the running revision (${running})`,
      );
    }
  }
  return viewerResult(deploymentRolloutStatus(d as Stored<Deployment>));
}

/** The cluster's status viewers word their errors as kubectl prints them (`error: ...`). */
function viewerResult(s: RolloutStatus): RolloutStatusText {
  if (s.error) throw new RolloutError(s.message.replace(/^error: /, ""));
  return { text: `${s.message}\n`, done: s.done };
}

/** `deployment.apps/web`: the NamePrinter's `kind.group/name`. */
function objectRef(obj: KubeObject): string {
  return `${kindPrefix(obj.kind ?? "")}/${obj.metadata?.name ?? ""}`;
}

/** printTemplate: DescribePodTemplate written straight out, without the tabwriter (tabs stay). */
function templateText(template: Any | undefined): string {
  const w = new PrefixWriter();
  describePodTemplate(template, w);
  return w.raw();
}

/** The history of a Deployment: revision → pod template (with the RS's change-cause), as ViewHistory builds it. */
function deploymentHistory(d: Deployment, replicaSets: readonly ReplicaSet[]): Map<number, Any> {
  const { newRS, oldRSs } = deploymentReplicaSets(d, replicaSets);
  const history = new Map<number, Any>();
  for (const rs of newRS ? [...oldRSs, newRS] : oldRSs) {
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    const template = structuredClone((rs.spec?.template ?? {}) as Any);
    template.metadata ??= {};
    template.metadata.annotations ??= {};
    const cause = rs.metadata?.annotations?.["kubernetes.io/change-cause"];
    if (cause) template.metadata.annotations["kubernetes.io/change-cause"] = cause;
    history.set(v, template);
  }
  return history;
}

/** The history of a StatefulSet: its ControllerRevisions, each revision's template from the revision's data. */
function statefulSetHistory(sts: StatefulSet, revisions: readonly ControllerRevision[]): Map<number, Any> {
  const uid = sts.metadata?.uid;
  const history = new Map<number, Any>();
  for (const cr of revisions) {
    const owned = (cr.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
    if (!owned || cr.metadata?.namespace !== sts.metadata?.namespace) continue;
    // The StatefulSet controller records the whole template (`$patch: replace`), so applying the
    // revision to the set is taking that template.
    history.set(cr.revision ?? 0, revisionTemplate(cr));
  }
  return history;
}

/** The objects `rollout history` reads besides the workload. */
export interface HistorySources {
  replicaSets?: readonly ReplicaSet[];
  controllerRevisions?: readonly ControllerRevision[];
}

/**
 * What `kubectl rollout history KIND/NAME [--revision=N]` prints: the header line, then the
 * `REVISION  CHANGE-CAUSE` table, or with a revision that revision's pod template as kubectl prints
 * it (its raw tabs included). Throws RolloutError for an unknown revision or an unsupported kind.
 */
export function rolloutHistory(obj: KubeObject, sources: HistorySources, revision = 0): string {
  const viewerError = historyViewerError(obj.kind ?? "", obj.apiVersion ?? "");
  if (viewerError) throw new RolloutError(viewerError);
  const isSts = obj.kind === "StatefulSet";
  const history = isSts
    ? statefulSetHistory(obj as StatefulSet, sources.controllerRevisions ?? [])
    : deploymentHistory(obj as Deployment, sources.replicaSets ?? []);
  let info: string;
  if (history.size === 0) info = "No rollout history found.";
  else if (revision > 0) {
    const template = history.get(revision);
    if (!template) throw new RolloutError("unable to find the specified revision");
    info = templateText(template);
  } else {
    const revisions = [...history.keys()].sort((a, b) => a - b);
    const rows = isSts
      ? ["REVISION\n", ...revisions.map((r) => `${r}\n`)]
      : [
          "REVISION\tCHANGE-CAUSE\n",
          ...revisions.map(
            (r) =>
              `${r}\t${history.get(r)!.metadata?.annotations?.["kubernetes.io/change-cause"] || "<none>"}\n`,
          ),
        ];
    info = tabwriter(rows.join(""));
  }
  const withRevision = revision > 0 ? `with revision #${revision}` : "";
  // The NamePrinter prints `ref operation`; the operation is "<withRevision>\n<history>".
  return `${objectRef(obj)} ${withRevision}\n${info}\n`;
}
