/**
 * `kubectl describe deployment|replicaset|statefulset` (describe.go: describeDeployment,
 * describeReplicaSet, describeStatefulSet), and the related objects kubectl looks up for them
 * (kubectl/pkg/util/deployment: the Deployment's new and old ReplicaSets; pod phase counts).
 */
import { compileSelector, formatLabelSelector, selectorToString } from "../../api/labels.js";
import type { Deployment, Event, KubeObject, Pod, ReplicaSet, StatefulSet } from "../../api/types.js";
import { canonicalJson } from "../../controllers/deployment/hash.js";
import { templateKeyIgnoringHash } from "../../controllers/deployment/util.js";
import type { Any } from "./columns.js";
import {
  byteOrder,
  controllerText,
  type DescribeContext,
  describeEvents,
  printAnnotationsMultiline,
  printLabelsMultiline,
  rfc1123z,
} from "./describe-common.js";
import { describePodTemplate } from "./describe-containers.js";
import { LEVEL_0, LEVEL_1, PrefixWriter } from "./describe-writer.js";

/** Pod counts by phase, for `Pods Status:`. */
export interface PodPhaseCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/**
 * getPodStatusForController: the pods the selector matches whose controller is `owner`, counted
 * by phase (Pending counts as Waiting).
 */
export function podPhaseCounts(owner: KubeObject, pods: readonly Pod[]): PodPhaseCounts {
  const counts: PodPhaseCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  const selector = compileSelector((owner.spec as Any)?.selector);
  const uid = owner.metadata?.uid;
  for (const p of pods) {
    if (p.metadata?.namespace !== owner.metadata?.namespace || !selector.matches(p.metadata?.labels))
      continue;
    const ref = (p.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
    if (!ref || ref.uid !== uid) continue;
    const phase = p.status?.phase;
    if (phase === "Running") counts.running++;
    else if (phase === "Pending") counts.waiting++;
    else if (phase === "Succeeded") counts.succeeded++;
    else if (phase === "Failed") counts.failed++;
  }
  return counts;
}

/** A Deployment's ReplicaSets as kubectl finds them: the new one (if any) and all old ones. */
export interface DeploymentReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/**
 * kubectl's GetAllReplicaSets: ReplicaSets in the namespace that the selector matches and the
 * Deployment controls, oldest first (creationTimestamp, then name); the new one is the oldest
 * whose template equals the Deployment's, ignoring pod-template-hash.
 */
export function deploymentReplicaSets(
  d: Deployment,
  replicaSets: readonly ReplicaSet[],
): DeploymentReplicaSets {
  const selector = compileSelector(d.spec?.selector);
  const uid = d.metadata?.uid;
  const owned = replicaSets
    .filter(
      (rs) =>
        rs.metadata?.namespace === d.metadata?.namespace &&
        selector.matches(rs.metadata?.labels) &&
        (rs.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid),
    )
    .sort(
      (a, b) =>
        byteOrder(a.metadata?.creationTimestamp ?? "", b.metadata?.creationTimestamp ?? "") ||
        byteOrder(a.metadata?.name ?? "", b.metadata?.name ?? ""),
    );
  const key = templateKeyIgnoringHash(d.spec?.template, canonicalJson);
  const newRS = owned.find((rs) => templateKeyIgnoringHash(rs.spec?.template, canonicalJson) === key);
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) };
}

/** printReplicaSetsByLabels: `web-6d4cf56db6 (3/3 replicas created)`, comma-separated; `<none>`. */
function replicaSetsText(list: readonly ReplicaSet[]): string {
  const text = list
    .map(
      (rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`,
    )
    .join(", ");
  return text || "<none>";
}

function describeConditionsTable(conditions: readonly Any[] | undefined, w: PrefixWriter): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(LEVEL_1, "----\t------\t------\n");
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

/** What `kubectl describe deployment` prints; `events` undefined leaves the Events section out. */
export function describeDeployment(
  d: Deployment,
  rss: DeploymentReplicaSets,
  events: readonly Event[] | undefined,
  ctx: DescribeContext,
): string {
  const w = new PrefixWriter();
  const spec = (d.spec ?? {}) as Any;
  const st = (d.status ?? {}) as Any;
  w.write(LEVEL_0, `Name:\t${d.metadata?.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${d.metadata?.namespace ?? ""}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
  printLabelsMultiline(w, "Labels", d.metadata?.labels);
  printAnnotationsMultiline(w, "Annotations", d.metadata?.annotations);
  w.write(LEVEL_0, `Selector:\t${selectorToString(spec.selector)}\n`);
  w.write(
    LEVEL_0,
    `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ` +
      `${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ""}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) {
    w.write(
      LEVEL_0,
      `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ""} max unavailable, ${ru.maxSurge ?? ""} max surge\n`,
    );
  }
  describePodTemplate(spec.template, w);
  describeConditionsTable(st.conditions, w);
  if (rss.newRS || rss.oldRSs.length > 0) {
    w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsText(rss.oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsText(rss.newRS ? [rss.newRS] : [])}\n`);
  }
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}

function podsStatusText(c: PodPhaseCounts): string {
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
}

/** What `kubectl describe replicaset` prints; `events` undefined leaves the Events section out. */
export function describeReplicaSet(
  rs: ReplicaSet,
  pods: PodPhaseCounts,
  events: readonly Event[] | undefined,
  ctx: DescribeContext,
): string {
  const w = new PrefixWriter();
  const spec = (rs.spec ?? {}) as Any;
  w.write(LEVEL_0, `Name:\t${rs.metadata?.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${rs.metadata?.namespace ?? ""}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  printLabelsMultiline(w, "Labels", rs.metadata?.labels);
  printAnnotationsMultiline(w, "Annotations", rs.metadata?.annotations);
  const controlledBy = controllerText(rs);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${spec.replicas ?? 1} desired\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatusText(pods)}\n`);
  describePodTemplate(spec.template, w);
  describeConditionsTable((rs.status as Any)?.conditions, w);
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}

/** describeVolumeClaimTemplates: each claim's name, class, labels, annotations, capacity and modes. */
function describeVolumeClaims(templates: readonly Any[] | undefined, w: PrefixWriter): void {
  if (!templates?.length) {
    w.write(LEVEL_0, "Volume Claims:\t<none>\n");
    return;
  }
  w.write(LEVEL_0, "Volume Claims:\n");
  for (const pvc of templates) {
    const spec = (pvc.spec ?? {}) as Any;
    w.write(LEVEL_1, `Name:\t${pvc.metadata?.name ?? ""}\n`);
    w.write(LEVEL_1, `StorageClass:\t${spec.storageClassName ?? ""}\n`);
    printLabelsMultiline(w, "Labels", pvc.metadata?.labels, "  ");
    printLabelsMultiline(w, "Annotations", pvc.metadata?.annotations, "  ");
    const capacity = spec.resources?.requests?.storage;
    w.write(LEVEL_1, `Capacity:\t${capacity ?? "<default>"}\n`);
    w.write(LEVEL_1, `Access Modes:\t[${(spec.accessModes ?? []).join(" ")}]\n`);
  }
}

/** What `kubectl describe statefulset` prints; `events` undefined leaves the Events section out. */
export function describeStatefulSet(
  sts: StatefulSet,
  pods: PodPhaseCounts,
  events: readonly Event[] | undefined,
  ctx: DescribeContext,
): string {
  const w = new PrefixWriter();
  const spec = (sts.spec ?? {}) as Any;
  w.write(LEVEL_0, `Name:\t${sts.metadata?.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${sts.metadata?.namespace ?? ""}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(sts.metadata?.creationTimestamp)}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorToString(spec.selector)}\n`);
  printLabelsMultiline(w, "Labels", sts.metadata?.labels);
  printAnnotationsMultiline(w, "Annotations", sts.metadata?.annotations);
  w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
  w.write(LEVEL_0, `Update Strategy:\t${spec.updateStrategy?.type ?? ""}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
      w.write(LEVEL_1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
    }
  }
  w.write(LEVEL_0, `Pods Status:\t${podsStatusText(pods)}\n`);
  describePodTemplate(spec.template, w);
  describeVolumeClaims(spec.volumeClaimTemplates, w);
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}
