/**
 * StatefulSet storage (stateful_set_utils.go, stateful_pod_control.go): the claims a pod's
 * ordinal needs (`<template>-<set>-<ordinal>`), and persistentVolumeClaimRetentionPolicy carried
 * out purely through ownerReferences that the garbage collector acts on:
 *   whenScaled Retain, whenDeleted Retain: no reference to the set or the pod;
 *   whenScaled Retain, whenDeleted Delete: the set controls the claim;
 *   whenScaled Delete, whenDeleted Retain: the pod controls the claim once it is scaled down;
 *   whenScaled Delete, whenDeleted Delete: the set while in range, the pod (only) once scaled down.
 */
import type { Mutable, OwnerReference, PersistentVolumeClaim, Pod, StatefulSet } from "../../api/types.js";
import { claimName, inOrdinalRange, ordinalOf } from "./identity.js";

/** The object a reference may point at: kind, name and (once created) uid. */
interface RefTarget {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string | undefined;
}

export type RetentionType = "Retain" | "Delete";

/** getPersistentVolumeClaimRetentionPolicy: Retain/Retain unless the set says otherwise. */
export function retentionPolicy(set: StatefulSet): { whenDeleted: RetentionType; whenScaled: RetentionType } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return {
    whenDeleted: p?.whenDeleted === "Delete" ? "Delete" : "Retain",
    whenScaled: p?.whenScaled === "Delete" ? "Delete" : "Retain",
  };
}

/** The claims of one ordinal, keyed by template name, in template order (getPersistentVolumeClaims). */
export function claimsFor(
  set: StatefulSet,
  ordinal: number,
): { template: string; claim: PersistentVolumeClaim }[] {
  const out: { template: string; claim: PersistentVolumeClaim }[] = [];
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const labels = { ...(t.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
    const claim: PersistentVolumeClaim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        ...(t.metadata ?? {}),
        name: claimName(set, t, ordinal),
        namespace: set.metadata?.namespace,
        labels,
      },
      ...(t.spec ? { spec: t.spec } : {}),
    };
    out.push({ template: t.metadata?.name ?? "", claim });
  }
  return out;
}

/** The claim names a pod's ordinal uses. */
export function claimNamesFor(set: StatefulSet, pod: Pod): string[] {
  const ordinal = ordinalOf(pod);
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => claimName(set, t, ordinal));
}

function setTarget(set: StatefulSet): RefTarget {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    name: set.metadata?.name ?? "",
    uid: set.metadata?.uid,
  };
}

function podTarget(pod: Pod): RefTarget {
  return { apiVersion: "v1", kind: "Pod", name: pod.metadata?.name ?? "", uid: pod.metadata?.uid };
}

/** matchesRef: same group/version, kind and name (the uid is not compared). */
function matchesRef(ref: OwnerReference, t: RefTarget): boolean {
  return ref.apiVersion === t.apiVersion && ref.kind === t.kind && ref.name === t.name;
}

/** hasOwnerRef: a reference with the target's uid. */
function hasOwnerRef(refs: readonly OwnerReference[], t: RefTarget): boolean {
  return t.uid !== undefined && refs.some((r) => r.uid === t.uid);
}

/** hasStaleOwnerRef: the first reference naming the target has another uid (an older object's). */
export function hasStaleOwnerRef(refs: readonly OwnerReference[], t: RefTarget): boolean {
  const ref = refs.find((r) => matchesRef(r, t));
  return ref !== undefined && ref.uid !== t.uid;
}

/** hasUnexpectedController: under a Delete policy, someone other than this set or pod controls the claim. */
function hasUnexpectedController(refs: readonly OwnerReference[], set: StatefulSet, pod: Pod): boolean {
  const p = retentionPolicy(set);
  if (p.whenScaled === "Retain" && p.whenDeleted === "Retain") return false;
  const s = setTarget(set);
  const q = podTarget(pod);
  for (const r of refs) {
    if (matchesRef(r, s)) {
      if (r.uid !== s.uid) return true;
      continue;
    }
    if (matchesRef(r, q)) {
      if (r.uid !== q.uid) return true;
      continue;
    }
    if (r.controller) return true;
  }
  return false;
}

/** hasNonControllerOwner: the set or pod owns the claim without being its controller. */
function hasNonControllerOwner(refs: readonly OwnerReference[], set: StatefulSet, pod: Pod): boolean {
  const su = set.metadata?.uid;
  const pu = pod.metadata?.uid;
  return refs.some((r) => (r.uid === su || (pu !== undefined && r.uid === pu)) && !r.controller);
}

/**
 * isClaimOwnerUpToDate: whether the claim's ownerReferences already carry out the retention
 * policy for this pod. Claims with stale references or another controller are left alone.
 */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const refs = claim.metadata?.ownerReferences ?? [];
  const s = setTarget(set);
  const q = podTarget(pod);
  if (hasStaleOwnerRef(refs, s) || hasStaleOwnerRef(refs, q)) return true;
  if (hasUnexpectedController(refs, set, pod)) return !(hasOwnerRef(refs, s) || hasOwnerRef(refs, q));
  if (hasNonControllerOwner(refs, set, pod)) return false;
  const want = wantedOwners(set, pod);
  return hasOwnerRef(refs, s) === want.set && hasOwnerRef(refs, q) === want.pod;
}

/** The §3.4 table: which of the set and the pod should control this pod's claims. */
export function wantedOwners(set: StatefulSet, pod: Pod): { set: boolean; pod: boolean } {
  const p = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  if (p.whenScaled === "Retain") return { set: p.whenDeleted === "Delete", pod: false };
  if (p.whenDeleted === "Retain") return { set: false, pod: scaledDown };
  return { set: !scaledDown, pod: scaledDown };
}

/**
 * updateClaimOwnerRefForSetAndPod: the claim's references with ours scrubbed and re-added as the
 * policy says (as controller references), unless another controller manages the claim.
 */
export function claimOwnerRefsFor(
  claim: PersistentVolumeClaim,
  set: StatefulSet,
  pod: Pod,
): OwnerReference[] {
  const refs0 = claim.metadata?.ownerReferences ?? [];
  const s = setTarget(set);
  const q = podTarget(pod);
  const unexpected = hasUnexpectedController(refs0, set, pod);
  const refs: Mutable<OwnerReference>[] = refs0.filter((r) => !matchesRef(r, s) && !matchesRef(r, q));
  if (unexpected) return refs;
  const want = wantedOwners(set, pod);
  const add = (t: RefTarget) => {
    if (t.uid === undefined || refs.some((r) => r.uid === t.uid)) return;
    refs.push({
      apiVersion: t.apiVersion,
      kind: t.kind,
      name: t.name,
      uid: t.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
  };
  if (want.pod) add(q);
  if (want.set) add(s);
  return refs;
}
