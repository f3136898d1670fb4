/**
 * The parts every `kubectl describe` shares (staging/src/k8s.io/kubectl/pkg/describe/describe.go):
 * timestamps, labels and annotations, taints and tolerations, "Controlled By", and the Events
 * table with kubectl's own event search and ordering.
 */
import { parseRfc3339UnixMs } from "../../api/time.js";
import type { Event, KubeObject } from "../../api/types.js";
import { ageSince, type TimestampParser } from "./age.js";
import type { Any } from "./columns.js";
import { LEVEL_0, LEVEL_1, type PrefixWriter } from "./describe-writer.js";

/** What every describer needs besides the objects: the simulated time and timestamp parsing. */
export interface DescribeContext {
  nowMs: number;
  clock: TimestampParser;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * A timestamp as Go's time.RFC1123Z prints it: `Wed, 01 Jan 2025 00:01:05 +0000`. kubectl uses the
 * reader's local zone; kubesim prints UTC so that output is the same on every machine.
 */
export function rfc1123z(timestamp: string | null | undefined): string {
  const unixMs = timestamp ? parseRfc3339UnixMs(timestamp) : undefined;
  // A zero metav1.Time formats as Go's zero time.
  if (unixMs === undefined) return "Mon, 01 Jan 0001 00:00:00 +0000";
  const totalSec = Math.floor(unixMs / 1000);
  const days = Math.floor(totalSec / 86400);
  const secOfDay = totalSec - days * 86400;
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday.
  const weekday = (((days + 4) % 7) + 7) % 7;
  const hms = `${pad2(Math.floor(secOfDay / 3600))}:${pad2(Math.floor((secOfDay % 3600) / 60))}:${pad2(secOfDay % 60)}`;
  return `${DAYS[weekday]}, ${pad2(d)} ${MONTHS[m - 1]} ${String(y).padStart(4, "0")} ${hms} +0000`;
}

/** translateTimestampSince: `45s`, `5m30s`; `<unknown>` when unset; `<invalid>` when in the future. */
export function since(timestamp: string | null | undefined, ctx: DescribeContext): string {
  return ageSince(timestamp, ctx.nowMs, ctx.clock);
}

/** Byte order, as Go's sort.Strings. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * printLabelsMultilineWithIndent: `Title:\tk=v`, one label a line in key order, later lines
 * starting with the inner indent so they stay in the value column; `<none>` when empty.
 */
export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Readonly<Record<string, string>> | null | undefined,
  initialIndent = "",
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  if (keys.length === 0) {
    w.writeLine("<none>");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

/** kubectl shortens annotations longer than this (describe.go maxAnnotationLen). */
const MAX_ANNOTATION_LEN = 140;

/** Annotations kubectl never shows. */
const SKIPPED_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

/** Cuts to `max` bytes as Go slices a string (kubesim cuts at code points: same for ASCII). */
function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/**
 * printAnnotationsMultiline: `key: value` a line in key order; long or multi-line values go on
 * their own indented lines, each cut at 138 characters with `...`.
 */
export function printAnnotationsMultiline(
  w: PrefixWriter,
  title: string,
  annotations: Readonly<Record<string, string>> | null | undefined,
): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort(byteOrder);
  if (keys.length === 0) {
    w.writeLine("<none>");
    return;
  }
  const indent = "\t";
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = annotations![key]!.replace(/\n$/, "");
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split("\n"))
        w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Taint.ToString: `key=value:Effect`, `key:Effect`. */
export function taintText(t: Any): string {
  const kv = t.value ? `${t.key}=${t.value}` : `${t.key}`;
  return t.effect ? `${kv}:${t.effect}` : kv;
}

/** printTaintsMultilineWithIndent: sorted by effect, then key. */
export function printTaintsMultiline(
  w: PrefixWriter,
  title: string,
  taints: readonly Any[] | undefined,
): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints?.length) {
    w.writeLine("<none>");
    return;
  }
  const key = (t: Any) => `${t.effect ?? ""},${t.key ?? ""}`;
  const sorted = [...taints].sort((a, b) => byteOrder(key(a), key(b)));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, "\t");
    w.write(LEVEL_0, `${taintText(t)}\n`);
  });
}

/**
 * printTolerationsMultilineWithIndent: sorted by key; `key=value:Effect`, ` op=Exists` for an
 * Exists toleration without a value, ` for 300s` with tolerationSeconds.
 */
export function printTolerationsMultiline(
  w: PrefixWriter,
  title: string,
  tolerations: readonly Any[] | undefined,
  initialIndent = "",
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  if (!tolerations?.length) {
    w.writeLine("<none>");
    return;
  }
  const sorted = [...tolerations].sort((a, b) => byteOrder(a.key ?? "", b.key ?? ""));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
    let text = t.key ?? "";
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    // An Exists toleration without key and effect tolerates everything.
    if (t.operator === "Exists" && !t.value) text += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null)
      text += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${text}\n`);
  });
}

/** printController: `ReplicaSet/web-6d4cf56db6` from the controller owner reference, "" without one. */
export function controllerText(obj: KubeObject): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : "";
}

/**
 * The events kubectl's describe shows for an object (searchEvents): a field selector on the
 * involved object's name, namespace, kind and uid. Pods are searched without the kind; a Node's
 * events are also found under its name as uid (kubelets report that way).
 */
export function eventsFor(obj: KubeObject, events: readonly Event[]): Event[] {
  const meta = obj.metadata ?? {};
  const namespace = meta.namespace ?? "";
  const uids = new Set([meta.uid ?? ""]);
  if (obj.kind === "Node") uids.add(meta.name ?? "");
  return events.filter((e) => {
    const io = e.involvedObject ?? {};
    if ((io.name ?? "") !== meta.name || (io.namespace ?? "") !== namespace) return false;
    if (obj.kind !== "Pod" && io.kind !== obj.kind) return false;
    return !meta.uid || uids.has(io.uid ?? "");
  });
}

/** `2m (x3 over 5m)` when an event repeated, else its age. */
function eventAge(e: Event, ctx: DescribeContext): string {
  const first = e.eventTime ? since(e.eventTime, ctx) : since(e.firstTimestamp, ctx);
  if (e.series) return `${since(e.series.lastObservedTime, ctx)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, ctx)} (x${e.count} over ${first})`;
  return first;
}

/** Milliseconds of a timestamp for ordering; unset sorts first, as Go's zero time. */
function timeOf(ts: string | null | undefined, ctx: DescribeContext): number {
  return ts ? ctx.clock.parse(ts) : Number.NEGATIVE_INFINITY;
}

/**
 * DescribeEvents: `Events:\t<none>` or the `Type Reason Age From Message` table, oldest last
 * occurrence first. kubectl sorts by lastTimestamp with an unstable sort; kubesim keeps ties in
 * the apiserver's list order (by name, which for events is creation order) so output is stable.
 */
export function describeEvents(w: PrefixWriter, events: readonly Event[], ctx: DescribeContext): void {
  if (events.length === 0) {
    w.write(LEVEL_0, "Events:\t<none>\n");
    return;
  }
  const sorted = events
    .map((e, i) => ({ e, i, t: timeOf(e.lastTimestamp, ctx) }))
    .sort((a, b) => a.t - b.t || byteOrder(a.e.metadata?.name ?? "", b.e.metadata?.name ?? "") || a.i - b.i);
  w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
  for (const { e } of sorted) {
    const source = e.source?.component || e.reportingComponent || "";
    const message = (e.message ?? "").trim();
    w.write(LEVEL_1, `${e.type ?? ""}\t${e.reason ?? ""}\t${eventAge(e, ctx)}\t${source}\t${message}\n`);
  }
}
