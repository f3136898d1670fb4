/** Timeline writers. */

export {
  type HtmlSink,
  htmlWriter,
  LANGS,
  type Lang,
  type ReportModel,
  ReportModelBuilder,
  reportHtml,
} from "./html/index.js";
export { jsonlWriter, type Write } from "./jsonl.js";
export { type PodRequests, type ScenarioInfo, scenarioInfo } from "./scenario-info.js";
export { formatRecordCounts, isSummaryRecord, type SummarySink, summaryWriter } from "./summary.js";
export { formatClock, formatTextRecord, textWriter } from "./text.js";
export { type TraceEvent, type TraceSink, traceJson, traceWriter } from "./trace.js";
