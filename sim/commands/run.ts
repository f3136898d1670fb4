/** `kubesim run`: simulate and stream the timeline to stdout, or write timeline files into --out DIR. */
import type { RunSummary } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { formatDurationMs } from "../../src/engine/duration.js";
import { type HtmlSink, htmlWriter } from "../../src/report/html/index.js";
import { jsonlWriter, type Write } from "../../src/report/jsonl.js";
import { scenarioInfo } from "../../src/report/scenario-info.js";
import { type SummarySink, summaryWriter } from "../../src/report/summary.js";
import { textWriter } from "../../src/report/text.js";
import { type TraceSink, traceWriter } from "../../src/report/trace.js";
import type { Scenario } from "../../src/scenario/types.js";
import { EXIT } from "../errors.js";
import { ChunkedWriter, type Io } from "../io.js";
import { loadRun, newCluster } from "../options.js";
import { REPORT_FILES, ReportFiles, type ReportLang } from "../report-files.js";

/** Formats `run` can write to stdout. */
export const STREAM_FORMATS = ["text", "jsonl", "trace", "html", "summary"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

export interface RunOptions {
  seed?: number;
  untilMs?: number;
  format: StreamFormat;
  out?: string;
  /** Step records with every node's filter verdict and scores per scheduling attempt. */
  explainScheduling?: boolean;
  /** The report page's language. */
  lang?: ReportLang;
}

/** The files `--out DIR` receives. */
export const OUT_FILES = REPORT_FILES;

/** Runs the scenario; exit 1 when an expectation failed (the timeline is complete either way). */
export function runCommand(files: readonly string[], opts: RunOptions, io: Io): number {
  const scenario = loadRun(files);
  return opts.out === undefined ? runToStdout(scenario, opts, io) : runToDir(scenario, opts.out, opts, io);
}

function stdoutSink(
  scenario: Scenario,
  opts: RunOptions,
  write: Write,
): TraceSink | HtmlSink | SummarySink | ((r: TimelineRecord) => void) {
  if (opts.format === "jsonl") return jsonlWriter(write);
  // For very large runs: records are counted, not kept; the summary comes when the run is done.
  if (opts.format === "summary") return summaryWriter(write, { lang: opts.lang });
  if (opts.format === "trace") return traceWriter(write, scenarioInfo(scenario));
  if (opts.format === "html") return htmlWriter(write, scenario, opts.lang ?? "en", scenarioInfo(scenario));
  return textWriter(write, { lang: opts.lang });
}

function runToStdout(scenario: Scenario, opts: RunOptions, io: Io): number {
  const out = new ChunkedWriter(io.out);
  const sink = stdoutSink(scenario, opts, out.write);
  const summary = newCluster(scenario, {
    seed: opts.seed,
    sink,
    explainScheduling: opts.explainScheduling,
  }).run(opts.untilMs);
  if ("close" in sink) sink.close();
  out.flush();
  return summary.expectations.every((e) => e.ok) ? EXIT.ok : EXIT.failed;
}

function runToDir(scenario: Scenario, dir: string, opts: RunOptions, io: Io): number {
  const files = new ReportFiles(dir, scenario, { lang: opts.lang });
  let summary: RunSummary;
  try {
    summary = newCluster(scenario, {
      seed: opts.seed,
      sink: files.sink,
      explainScheduling: opts.explainScheduling,
    }).run(opts.untilMs);
  } catch (e) {
    files.abort();
    throw e;
  }
  const paths = files.commit();
  const failed = summary.expectations.filter((e) => !e.ok).length;
  const verdict = failed > 0 ? `; ${failed} expectation${failed === 1 ? "" : "s"} failed` : "";
  const names = `${paths.slice(0, -1).join(", ")} and ${paths[paths.length - 1]}`;
  io.out(
    `wrote ${names}: ${files.records} records, ${formatDurationMs(summary.endMs)} simulated, ` +
      `seed ${summary.seed}${verdict}\n`,
  );
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
