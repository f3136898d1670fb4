/**
 * The end-of-run summary, for runs too large to print: records are counted as they stream and
 * only the summary's own lines are kept (the lines the text timeline ends with).
 */
import type { TimelineRecord } from "../cluster/records.js";
import type { Write } from "./jsonl.js";
import { formatTextRecord, type TextOptions } from "./text.js";

/** Record types in the order the count line lists them. */
const RECORD_TYPES: readonly TimelineRecord["type"][] = [
  "object",
  "event",
  "action",
  "step",
  "narrate",
  "expect",
  "violation",
  "end",
];

/** A record sink that writes the summary on `close()` (nothing before: no half-written output). */
export interface SummarySink {
  (rec: TimelineRecord): void;
  close(): void;
}

/**
 * The records of the summary: expectations, broken invariants, each fault's recovery summary and
 * the end record. There are as many as the scenario has expectations, invariants and faults.
 */
export function isSummaryRecord(rec: TimelineRecord): boolean {
  if (rec.type === "step") return rec.step === "RecoverySummary";
  return rec.type === "expect" || rec.type === "violation" || rec.type === "end";
}

/** `1402 records: 812 object, 560 event, 2 action, 5 expect, 1 end` (types with none left out). */
export function formatRecordCounts(counts: ReadonlyMap<string, number>): string {
  let total = 0;
  for (const n of counts.values()) total += n;
  const parts = RECORD_TYPES.filter((t) => (counts.get(t) ?? 0) > 0).map((t) => `${counts.get(t)} ${t}`);
  return `${total} record${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

/**
 * Returns a sink that counts every record by type and keeps only the summary's records; `close()`
 * writes them as text lines, then the counts, indented under the end line.
 */
export function summaryWriter(write: Write, opts: TextOptions = {}): SummarySink {
  const counts = new Map<string, number>(RECORD_TYPES.map((t) => [t, 0]));
  const kept: TimelineRecord[] = [];
  const sink = (rec: TimelineRecord): void => {
    counts.set(rec.type, (counts.get(rec.type) ?? 0) + 1);
    if (isSummaryRecord(rec)) kept.push(rec);
  };
  let closed = false;
  return Object.assign(sink, {
    close(): void {
      if (closed) return;
      closed = true;
      const lines = kept.map((rec) => formatTextRecord(rec, opts));
      lines.push(`${" ".repeat(14)}${formatRecordCounts(counts)}`);
      write(`${lines.join("\n")}\n`);
    },
  });
}
