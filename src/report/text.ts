/** The human-readable text timeline, streamed: one line per record, time first. */
import type { ObjectRecord, TimelineRecord } from "../cluster/records.js";
import type { Write } from "./jsonl.js";

/** `  1:02.250` — minutes:seconds.millis (hours when needed), fixed width for alignment. */
export function formatClock(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const milli = ms % 1000;
  const tail = `${String(s).padStart(2, "0")}.${String(milli).padStart(3, "0")}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${tail}` : `${String(m).padStart(5, " ")}:${tail}`;
}

function describeState(r: ObjectRecord): string {
  const s = r.state as Record<string, unknown>;
  switch (r.kind) {
    case "Pod": {
      const parts = [String(s.phase)];
      parts.push(s.node ? `on ${s.node}` : "unscheduled");
      if (s.ready) parts.push("ready");
      if ((s.restarts as number) > 0) parts.push(`restarts=${s.restarts}`);
      if (s.deleting) parts.push("terminating");
      return parts.join(", ");
    }
    case "Deployment":
      return `replicas=${s.replicas} updated=${s.updatedReplicas} ready=${s.readyReplicas} available=${s.availableReplicas}`;
    case "ReplicaSet":
      return `replicas=${s.replicas} ready=${s.readyReplicas} available=${s.availableReplicas}${s.revision ? ` revision=${s.revision}` : ""}`;
    default:
      return Object.entries(s)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") || "[]" : v}`)
        .join(" ");
  }
}

/** A language of narration: one of the two a scenario may give. */
export type NarrationLang = "en" | "zh";

/** Text timeline options: `lang` shows narration in that language only (the other when it is missing). */
export interface TextOptions {
  lang?: NarrationLang;
}

function narrationText(rec: { en?: string; zh?: string }, lang: NarrationLang | undefined): string {
  if (lang === undefined) return [rec.en, rec.zh].filter(Boolean).join(" / ");
  return (lang === "zh" ? (rec.zh ?? rec.en) : (rec.en ?? rec.zh)) ?? "";
}

/** Formats one record as one line of the text timeline. */
export function formatTextRecord(rec: TimelineRecord, opts: TextOptions = {}): string {
  const t = formatClock(rec.t);
  switch (rec.type) {
    case "action":
      return `${t}  ▶ ${rec.action} ${rec.args}${rec.output ? `\n${indent(rec.output)}` : ""}${rec.error ? `\n${indent(rec.error)}` : ""}`;
    case "object": {
      const ns = rec.namespace && rec.namespace !== "default" ? `${rec.namespace}/` : "";
      return `${t}    ${rec.verb.padEnd(8)} ${rec.kind}/${ns}${rec.name}  ${describeState(rec)}`;
    }
    case "event":
      return `${t}    event    ${rec.eventType === "Warning" ? "Warning " : ""}${rec.reason} ${rec.involved}: ${rec.message}${rec.count ? ` (x${rec.count})` : ""}`;
    case "step":
      return `${t}    step     ${rec.object} [${rec.component}] ${rec.step}: ${rec.message}${explainLines(rec.data)}`;
    case "narrate":
      return `${t}  » ${narrationText(rec, opts.lang)}`;
    case "expect":
      return `${t}  ${rec.ok ? "✓" : "✗"} expect ${rec.expect} — ${rec.detail}`;
    case "violation":
      return `${t}  ✗ violation ${rec.invariant}: ${rec.message}`;
    case "end":
      return `${t}  ■ end: ${rec.events} events; ${Object.entries(rec.objects)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}; seed ${rec.seed}`;
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `             ${l}`)
    .join("\n");
}

/** Returns a record sink that writes the text timeline. */
export function textWriter(write: Write, opts: TextOptions = {}): (rec: TimelineRecord) => void {
  return (rec) => write(formatTextRecord(rec, opts) + "\n");
}

interface ExplainedNode {
  node: string;
  filter: "passed" | { plugin: string; reasons: string[] };
  scores?: Record<string, number>;
  total?: number;
}

/** The scheduler's per-node verdicts (explain mode), one indented line per node. */
function explainLines(data: unknown): string {
  const nodes = (data as { nodes?: ExplainedNode[] } | undefined)?.nodes;
  if (!Array.isArray(nodes)) return "";
  const lines = nodes.map((n) => {
    if (n.filter !== "passed")
      return `${n.node}: filtered by ${n.filter.plugin}: ${n.filter.reasons.join("; ")}`;
    const parts = Object.entries(n.scores ?? {}).map(([k, v]) => `${k} ${v}`);
    return `${n.node}: total ${n.total} (${parts.join(", ")})`;
  });
  return `\n${indent(lines.join("\n"))}`;
}
