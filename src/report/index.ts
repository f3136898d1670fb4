/** Timeline writers. */
export { jsonlWriter, type Write } from "./jsonl.js";
export { formatClock, formatTextRecord, textWriter } from "./text.js";
