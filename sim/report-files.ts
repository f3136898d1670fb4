/** The files of a run's report directory (timeline.jsonl, timeline.txt, trace.json, report.html), written atomically. */
import type { TimelineRecord } from "../src/cluster/records.js";
import { htmlWriter, type Lang } from "../src/report/html/index.js";
import { jsonlWriter } from "../src/report/jsonl.js";
import { scenarioInfo } from "../src/report/scenario-info.js";
import { textWriter } from "../src/report/text.js";
import { traceWriter } from "../src/report/trace.js";
import type { Scenario } from "../src/scenario/types.js";
import { AtomicOutput } from "./io.js";

/** The languages of the report's text. */
export type ReportLang = Lang;

export interface ReportFilesOptions {
  /** The report page's initial language (default en; the page can switch). */
  lang?: ReportLang;
}

/** The files a report directory receives, in this order. */
export const REPORT_FILES = ["timeline.jsonl", "timeline.txt", "trace.json", "report.html"] as const;

/**
 * A report directory being written while a run streams: feed `sink` every record, then
 * `commit` (files appear complete, all at once) or `abort` (nothing is left behind).
 */
export class ReportFiles {
  private readonly output: AtomicOutput;
  private readonly sinks: ((rec: TimelineRecord) => void)[];
  private readonly closers: (() => void)[] = [];
  /** Records received. */
  records = 0;

  constructor(dir: string, scenario: Scenario, opts: ReportFilesOptions = {}) {
    this.output = new AtomicOutput(dir, REPORT_FILES);
    const info = scenarioInfo(scenario);
    const trace = traceWriter(this.output.writer(2), info);
    const html = htmlWriter(this.output.writer(3), scenario, opts.lang ?? "en", info);
    this.closers.push(trace.close, html.close);
    this.sinks = [jsonlWriter(this.output.writer(0)), textWriter(this.output.writer(1)), trace, html];
  }

  readonly sink = (rec: TimelineRecord): void => {
    this.records++;
    for (const s of this.sinks) s(rec);
  };

  /** Final paths, in the order of REPORT_FILES. */
  get paths(): string[] {
    return this.output.paths;
  }

  /** Completes and renames the files; returns their paths. */
  commit(): string[] {
    try {
      for (const close of this.closers) close();
    } catch (e) {
      this.output.abort();
      throw e;
    }
    this.output.commit();
    return this.paths;
  }

  abort(): void {
    this.output.abort();
  }
}

/**
 * Writes the report files of a finished run into `dir` (created if needed) and returns their
 * paths. `kubesim run --out` streams into ReportFiles instead; both write the same bytes.
 */
export function writeReportFiles(
  dir: string,
  scenario: Scenario,
  records: Iterable<TimelineRecord>,
  opts: ReportFilesOptions = {},
): string[] {
  const files = new ReportFiles(dir, scenario, opts);
  try {
    for (const r of records) files.sink(r);
  } catch (e) {
    files.abort();
    throw e;
  }
  return files.commit();
}
