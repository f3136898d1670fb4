/**
 * StatefulSet pod identity (stateful_set_utils.go): ordinals parsed from names, the ordinal range,
 * pod and claim names, the identity labels, hostname and subdomain, the claim volumes, and the
 * pod built from a template at a revision.
 */
import { deepCopy } from "../../api/copy.js";
import type {
  Mutable,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  PodTemplateSpec,
  StatefulSet,
  Stored,
} from "../../api/types.js";

/** apps.StatefulSetPodNameLabel. */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
/** apps.PodIndexLabel (PodIndexLabel, GA in v1.32). */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
/** apps.StatefulSetRevisionLabel: the name of the ControllerRevision a pod was made from. */
export const REVISION_LABEL = "controller-revision-hash";

const STATEFUL_POD_RE = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2147483647;

/** getParentNameAndOrdinal: `web-2` → {parent: "web", ordinal: 2}; ordinal −1 when the name has none. */
export function parentNameAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_RE.exec(name);
  if (!m) return { parent: "", ordinal: -1 };
  // strconv.ParseInt(.., 10, 32): an ordinal beyond int32 does not parse.
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: n <= MAX_INT32 ? n : -1 };
}

/** getOrdinal. */
export function ordinalOf(pod: Pod): number {
  return parentNameAndOrdinal(pod.metadata?.name ?? "").ordinal;
}

/** spec.replicas (defaulted to 1). */
export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** getStartOrdinal: spec.ordinals.start (StatefulSetStartOrdinal, GA in v1.31), else 0. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** getEndOrdinal (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + replicasOf(set) - 1;
}

/** podInOrdinalRange. */
export function inOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** getPodName: `<set>-<ordinal>`. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name}-${ordinal}`;
}

/** getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata?.name}-${ordinal}`;
}

/** isMemberOf: the pod's name says it belongs to this set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod.metadata?.name ?? "").parent === set.metadata?.name;
}

/** identityMatches: name, namespace and pod-name label agree with the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const name = pod.metadata?.name ?? "";
  const { parent, ordinal } = parentNameAndOrdinal(name);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    name === podName(set, ordinal) &&
    (pod.metadata?.namespace ?? "default") === (set.metadata?.namespace ?? "default") &&
    pod.metadata?.labels?.[POD_NAME_LABEL] === name
  );
}

/** storageMatches: every claim template has a volume of its name pointing at this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = pod.spec?.volumes ?? [];
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.find((x) => x.name === t.metadata?.name);
    if (v?.persistentVolumeClaim?.claimName !== claimName(set, t, ordinal)) return false;
  }
  return true;
}

/** updateIdentity: name, namespace, the pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Mutable<Pod>): void {
  const ordinal = ordinalOf(pod);
  const meta = (pod.metadata ??= {});
  meta.name = podName(set, ordinal);
  meta.namespace = set.metadata?.namespace;
  const labels = (meta.labels ??= {});
  labels[POD_NAME_LABEL] = meta.name;
  labels[POD_INDEX_LABEL] = String(ordinal);
}

/**
 * updateStorage: one volume per claim template, named as the template, on this ordinal's claim;
 * same-named volumes of the pod template are replaced, others kept after them.
 * (Kubernetes walks a Go map here, so its order varies; template order is used instead.)
 */
export function updateStorage(set: StatefulSet, pod: Mutable<Pod>): void {
  const ordinal = ordinalOf(pod);
  const spec = (pod.spec ??= { containers: [] });
  const templates = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const names = new Set(templates.map((t) => t.metadata?.name ?? ""));
  const volumes: Mutable<NonNullable<Pod["spec"]>>["volumes"] = templates.map((t) => ({
    name: t.metadata?.name ?? "",
    persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
  }));
  for (const v of spec.volumes ?? []) if (!names.has(v.name)) volumes.push(v);
  spec.volumes = volumes;
}

/** metav1.NewControllerRef for the set. */
export function controllerRefTo(set: Stored<StatefulSet>): OwnerReference {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    name: set.metadata.name,
    uid: set.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * newStatefulSetPod: GetPodFromTemplate (labels, annotations, finalizers, spec, generateName
 * `<set>-`, the controller reference), then initIdentity (hostname = pod name, subdomain =
 * serviceName) and updateStorage.
 */
export function newStatefulSetPod(
  set: Stored<StatefulSet>,
  template: PodTemplateSpec | undefined,
  ordinal: number,
): Mutable<Pod> {
  const t = template ?? {};
  const pod: Mutable<Pod> = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName(set, ordinal),
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ...(t.metadata?.finalizers ? { finalizers: [...t.metadata.finalizers] } : {}),
      ownerReferences: [controllerRefTo(set)],
    },
    spec: deepCopy(t.spec ?? { containers: [] }) as Mutable<NonNullable<Pod["spec"]>>,
  };
  updateIdentity(set, pod);
  pod.spec!.hostname = pod.metadata!.name;
  if (set.spec?.serviceName) pod.spec!.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

/**
 * newVersionedStatefulSetPod: ordinals below start+partition take the current revision's template,
 * others the update revision's. Go's operator precedence makes this
 * `(RollingUpdate && rollingUpdate == nil && ordinal < start+currentReplicas) ||
 *  (rollingUpdate != nil && ordinal < start+partition)`, so OnDelete always uses the update revision.
 */
export function newVersionedStatefulSetPod(
  set: Stored<StatefulSet>,
  current: { name: string; template: PodTemplateSpec | undefined },
  update: { name: string; template: PodTemplateSpec | undefined },
  ordinal: number,
): Mutable<Pod> {
  const strategy = set.spec?.updateStrategy;
  const ru = strategy?.rollingUpdate;
  const start = startOrdinal(set);
  const useCurrent =
    (strategy?.type === "RollingUpdate" && !ru && ordinal < start + (set.status?.currentReplicas ?? 0)) ||
    (ru !== undefined && ru !== null && ordinal < start + (ru.partition ?? 0));
  const rev = useCurrent ? current : update;
  const pod = newStatefulSetPod(set, rev.template, ordinal);
  pod.metadata!.labels![REVISION_LABEL] = rev.name;
  return pod;
}
