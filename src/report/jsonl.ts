/** The JSONL timeline (DESIGN.md contract): one record a line, streamed. */
import type { TimelineRecord } from "../cluster/records.js";

/** A writer of text chunks (a file, stdout, a string buffer): the program supplies it. */
export type Write = (chunk: string) => void;

/** Returns a record sink that writes each record as one JSON line. */
export function jsonlWriter(write: Write): (rec: TimelineRecord) => void {
  return (rec) => write(JSON.stringify(rec) + "\n");
}
