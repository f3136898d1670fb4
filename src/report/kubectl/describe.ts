/**
 * `kubectl describe`: picks the kind's describer, finds the object's events, and falls back to
 * kubectl's generic describer (metadata, every field, events) for kinds without one of their own.
 */
import type {
  Deployment,
  Event,
  KubeObject,
  Lease,
  Node,
  Pod,
  ReplicaSet,
  StatefulSet,
} from "../../api/types.js";
import type { Any } from "./columns.js";
import {
  byteOrder,
  type DescribeContext,
  describeEvents,
  eventsFor,
  printAnnotationsMultiline,
  printLabelsMultiline,
} from "./describe-common.js";
import { describeNode } from "./describe-node.js";
import { describePod } from "./describe-pod.js";
import {
  deploymentReplicaSets,
  describeDeployment,
  describeReplicaSet,
  describeStatefulSet,
  podPhaseCounts,
} from "./describe-workloads.js";
import { LEVEL_0, PrefixWriter } from "./describe-writer.js";

export type { DescribeContext } from "./describe-common.js";

/** What a describer may read besides the object itself (the command lists these from the apiserver). */
export interface DescribeSources {
  /** Candidate events (filtered here as kubectl's event search does); undefined leaves Events out. */
  events?: readonly Event[];
  /** ReplicaSets of the namespace (for a Deployment). */
  replicaSets?: readonly ReplicaSet[];
  /** Pods (of the namespace for a ReplicaSet or StatefulSet; bound to the node for a Node). */
  pods?: readonly Pod[];
  /** Leases of kube-node-lease (for a Node). */
  leases?: readonly Lease[];
}

/** The related objects a kind's describer reads, so a caller lists only those. */
export function describeNeeds(kind: string): { replicaSets: boolean; pods: boolean; leases: boolean } {
  return {
    replicaSets: kind === "Deployment",
    pods: kind === "ReplicaSet" || kind === "StatefulSet" || kind === "Node",
    leases: kind === "Node",
  };
}

/** Characters classes of fatih/camelcase: lower, upper, digit, other. */
function charClass(c: string): number {
  if (/\p{Ll}/u.test(c)) return 1;
  if (/\p{Lu}/u.test(c)) return 2;
  if (/\p{Nd}/u.test(c)) return 3;
  return 4;
}

/** camelcase.Split: runs of one class; an upper run's last letter starts the next lower run (`HTTPServer`). */
function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const cls = charClass(c);
    if (cls === last) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (charClass(runs[i]![0]!) === 2 && charClass(runs[i + 1]![0]!) === 1) {
      runs[i + 1]!.unshift(runs[i]!.pop()!);
    }
  }
  return runs.map((r) => r.join("")).filter((r) => r !== "");
}

const ACRONYMS = new Set(["API", "URL", "UID", "OSB", "GUID"]);

/** smartLabelFor: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(" ");
}

/** Go's %v of a JSON value. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort(byteOrder)
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

const GENERIC_SKIP = new Set([
  ".metadata.managedFields",
  ".metadata.name",
  ".metadata.namespace",
  ".metadata.labels",
  ".metadata.annotations",
]);

/** printUnstructuredContent: every field in key order, maps and lists as nested sections. */
function printContent(
  w: PrefixWriter,
  level: number,
  content: Record<string, unknown>,
  prefix: string,
): void {
  for (const field of Object.keys(content).sort(byteOrder)) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (value === undefined || GENERIC_SKIP.has(path)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === "object" && !Array.isArray(child)) {
          printContent(w, level + 1, child as Record<string, unknown>, path);
        } else {
          w.write(level + 1, `${goValue(child)}\n`);
        }
      }
    } else if (value !== null && typeof value === "object") {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else {
      w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
    }
  }
}

/** kubectl's genericDescriber: Name, Namespace, Labels, Annotations, every other field, Events. */
export function describeGeneric(
  obj: KubeObject,
  events: readonly Event[] | undefined,
  ctx: DescribeContext,
): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${obj.metadata?.name ?? ""}\n`);
  w.write(LEVEL_0, `Namespace:\t${obj.metadata?.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", obj.metadata?.labels);
  printAnnotationsMultiline(w, "Annotations", obj.metadata?.annotations);
  printContent(w, LEVEL_0, obj as Record<string, unknown>, "");
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}

/**
 * What `kubectl describe KIND NAME` prints for this object at `ctx.nowMs`, from the object and the
 * related objects in `sources`. Pure: the caller lists the objects (see describeNeeds).
 */
export function describeObject(obj: KubeObject, sources: DescribeSources, ctx: DescribeContext): string {
  const events = sources.events ? eventsFor(obj, sources.events) : undefined;
  const pods = sources.pods ?? [];
  switch (obj.kind) {
    case "Pod":
      return describePod(obj as Pod, events, ctx);
    case "Deployment":
      return describeDeployment(
        obj as Deployment,
        deploymentReplicaSets(obj as Deployment, sources.replicaSets ?? []),
        events,
        ctx,
      );
    case "ReplicaSet":
      return describeReplicaSet(obj as ReplicaSet, podPhaseCounts(obj, pods), events, ctx);
    case "StatefulSet":
      return describeStatefulSet(obj as StatefulSet, podPhaseCounts(obj, pods), events, ctx);
    case "Node": {
      const name = obj.metadata?.name;
      const lease = (sources.leases ?? []).find(
        (l) => l.metadata?.name === name && l.metadata?.namespace === "kube-node-lease",
      );
      return describeNode(obj as Node, { lease, pods }, events, ctx);
    }
    default:
      return describeGeneric(obj as Any, events, ctx);
  }
}
