/** The compact per-kind `state` of timeline object records (DESIGN.md "The timeline"). */

import { byType } from "../api/lists.js";
import { sameJson } from "../api/same-json.js";
import type { Stored } from "../api/types.js";

type Any = Record<string, any>;

function cond(status: Any | undefined, type: string): string | undefined {
  return byType(status?.conditions as Any[] | undefined, type)?.status;
}

// The text `Kind/name` of a controller reference, one string per reference object: a controller's
// pods share their ownerReferences (api/share.ts), so their summaries share one text (memory at
// scale) and comparing two summaries' owners is a pointer comparison.
const ownerTexts = new WeakMap<object, string>();

function ownerText(ref: Any): string {
  let text = ownerTexts.get(ref);
  if (text === undefined) ownerTexts.set(ref, (text = `${ref.kind}/${ref.name}`));
  return text;
}

// The pod's controller as its summary shows it (`Kind/name`), or null.
function podOwner(o: Stored): string | null {
  const refs = o.metadata.ownerReferences;
  if (refs) for (const r of refs) if (r.controller) return ownerText(r);
  return null;
}

function podRestarts(status: Any): number {
  let restarts = 0;
  for (const c of (status.containerStatuses ?? []) as Any[]) restarts += c.restartCount ?? 0;
  return restarts;
}

function podState(o: Stored): Any {
  const spec = o.spec as Any;
  const status = (o.status ?? {}) as Any;
  const s: Any = {
    phase: status.phase ?? "Pending",
    node: spec?.nodeName ?? null,
    ready: podReady(status),
    owner: podOwner(o),
    restarts: podRestarts(status),
  };
  if (o.metadata.deletionTimestamp) s.deleting = true;
  return s;
}

// Equal as JSON texts; the identity test first (summaries' values are mostly shared or scalars).
function same(a: unknown, b: unknown): boolean {
  return a === b || sameJson(a, b);
}

function podReady(status: Any): boolean {
  return cond(status, "Ready") === "True";
}

/**
 * Whether two versions of a pod have the same summary: what `sameJson(summarize(a),
 * summarize(b))` says, without building either. Most pod writes change nothing the timeline
 * shows (a probe time, a container's start time), and unchanged parts are shared between versions.
 */
export function samePodSummary(a: Stored, b: Stored): boolean {
  const ma = a.metadata;
  const mb = b.metadata;
  if (!ma.deletionTimestamp !== !mb.deletionTimestamp) return false;
  if (ma.ownerReferences !== mb.ownerReferences && !same(podOwner(a), podOwner(b))) return false;
  const sa = a.spec as Any;
  const sb = b.spec as Any;
  if (sa !== sb && !same(sa?.nodeName ?? null, sb?.nodeName ?? null)) return false;
  if (a.status === b.status) return true;
  const ta = (a.status ?? {}) as Any;
  const tb = (b.status ?? {}) as Any;
  return (
    same(ta.phase ?? "Pending", tb.phase ?? "Pending") &&
    podReady(ta) === podReady(tb) &&
    same(podRestarts(ta), podRestarts(tb))
  );
}

// Status fields a Deployment's summary shows, besides its conditions.
const DEPLOYMENT_COUNTS = [
  "replicas",
  "updatedReplicas",
  "readyReplicas",
  "availableReplicas",
  "unavailableReplicas",
  "observedGeneration",
] as const;

// A sufficient test: the fields a summary is made of are equal, so its texts are. (Unequal
// fields may still make equal texts; `sameSummary` then compares the summaries.)
function sameFields(a: Stored, b: Stored): boolean {
  const sa = (a.status ?? {}) as Any;
  const sb = (b.status ?? {}) as Any;
  switch (b.kind) {
    case "Node":
      return a.spec === b.spec && cond(sa, "Ready") === cond(sb, "Ready");
    case "ReplicaSet":
      return (
        a.spec === b.spec &&
        a.metadata.annotations === b.metadata.annotations &&
        sa.readyReplicas === sb.readyReplicas &&
        sa.availableReplicas === sb.availableReplicas
      );
    case "Deployment":
      for (const f of DEPLOYMENT_COUNTS) if (sa[f] !== sb[f]) return false;
      return sameConditionTexts(sa.conditions, sb.conditions);
    default:
      return a.spec === b.spec && a.status === b.status && b.kind !== "Endpoints";
  }
}

// Conditions with the same type, status and reason, in the same order (as the summary shows them).
function sameConditionTexts(a: Any[] | undefined, b: Any[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.type !== y.type || x.status !== y.status || x.reason !== y.reason) return false;
  }
  return true;
}

/**
 * Whether two versions of an object have the same summary: what `sameJson(summarize(a),
 * summarize(b))` says. Pods (most writes) are compared without building either summary, and so
 * are the other kinds when the fields their summary shows are equal (heartbeats, status counts).
 */
export function sameSummary(a: Stored, b: Stored): boolean {
  if (b.kind === "Pod") return samePodSummary(a, b);
  return sameFields(a, b) || sameJson(summarize(a), summarize(b));
}

/**
 * The state summary of an object for the timeline, by kind. `sameFields` and `samePodSummary`
 * name the fields each summary reads: a field added here must be added there too (the property
 * tests in test/timeline/summary.test.ts compare them with the built summaries).
 */
export function summarize(o: Stored): Any {
  const spec = (o.spec ?? {}) as Any;
  const st = (o.status ?? {}) as Any;
  const ann = o.metadata.annotations ?? {};
  switch (o.kind) {
    case "Pod":
      return podState(o);
    case "ReplicaSet":
      return {
        replicas: spec.replicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        availableReplicas: st.availableReplicas ?? 0,
        revision: ann["deployment.kubernetes.io/revision"] ?? null,
      };
    case "Deployment":
      return {
        replicas: st.replicas ?? 0,
        updatedReplicas: st.updatedReplicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        availableReplicas: st.availableReplicas ?? 0,
        unavailableReplicas: st.unavailableReplicas ?? 0,
        observedGeneration: st.observedGeneration ?? 0,
        conditions: ((st.conditions ?? []) as Any[]).map(
          (c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ""}`,
        ),
      };
    case "StatefulSet":
      return {
        replicas: st.replicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        currentRevision: st.currentRevision ?? null,
        updateRevision: st.updateRevision ?? null,
      };
    case "Node":
      return {
        ready: cond(st, "Ready") ?? "Unknown",
        unschedulable: spec.unschedulable === true,
        taints: ((spec.taints ?? []) as Any[]).map(
          (t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`,
        ),
      };
    case "PersistentVolumeClaim":
      return { phase: st.phase ?? "Pending", volume: spec.volumeName ?? null };
    case "PersistentVolume":
      return {
        phase: st.phase ?? "Pending",
        claim: spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : null,
      };
    case "Service":
      return { type: spec.type ?? "ClusterIP", clusterIP: spec.clusterIP ?? null };
    case "Endpoints": {
      const ready: string[] = [];
      const notReady: string[] = [];
      for (const ss of ((o as Any).subsets ?? []) as Any[]) {
        for (const a of ss.addresses ?? []) ready.push(a.ip);
        for (const a of ss.notReadyAddresses ?? []) notReady.push(a.ip);
      }
      return { ready, notReady };
    }
    default:
      return {};
  }
}

/** Kinds whose changes appear as `object` records. */
export const TIMELINE_KINDS = new Set([
  "Pod",
  "Node",
  "ReplicaSet",
  "Deployment",
  "StatefulSet",
  "Service",
  "Endpoints",
  "PersistentVolumeClaim",
  "PersistentVolume",
]);
