/** report.html from the timeline records: a sink that gathers the page's model and writes the page at the end. */
import type { TimelineRecord } from "../../cluster/records.js";
import type { Write } from "../jsonl.js";
import type { ScenarioInfo } from "../scenario-info.js";
import type { Lang } from "./i18n.js";
import { type ReportHeader, ReportModelBuilder } from "./model.js";
import { reportHtml } from "./page.js";

export { LANGS, type Lang } from "./i18n.js";
export { POD_STATES, type ReportModel, ReportModelBuilder, rolloutBand } from "./model.js";
export { reportHtml } from "./page.js";

/** A record sink for report.html; the page is written at the `end` record, or by `close`. */
export interface HtmlSink {
  (rec: TimelineRecord): void;
  close(): void;
}

/** Returns a sink that writes report.html (in `lang`, switchable on the page) once the run ends. */
export function htmlWriter(
  write: Write,
  header: ReportHeader,
  lang: Lang = "en",
  info?: ScenarioInfo,
): HtmlSink {
  const builder = new ReportModelBuilder(header, lang, info);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    write(reportHtml(builder.model()));
  };
  const sink = (rec: TimelineRecord) => {
    if (closed) return;
    builder.add(rec);
    if (rec.type === "end") close();
  };
  return Object.assign(sink, { close });
}
