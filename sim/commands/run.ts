/** `kubesim run`: simulate and stream the timeline to stdout, or write timeline files into --out DIR. */
import type { RunSummary } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { formatDurationMs } from "../../src/engine/duration.js";
import { jsonlWriter } from "../../src/report/jsonl.js";
import { textWriter } from "../../src/report/text.js";
import type { Scenario } from "../../src/scenario/types.js";
import { EXIT } from "../errors.js";
import { AtomicOutput, ChunkedWriter, type Io } from "../io.js";
import { loadRun, newCluster } from "../options.js";

/** Formats `run` can stream to stdout today. */
export const STREAM_FORMATS = ["text", "jsonl"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** Formats of the contract that a later version writes (trace.json, report.html). */
export const LATER_FORMATS = ["trace", "html"] as const;

export interface RunOptions {
  seed?: number;
  untilMs?: number;
  format: StreamFormat;
  out?: string;
  /** Step records with every node's filter verdict and scores per scheduling attempt. */
  explainScheduling?: boolean;
}

/** The files `--out DIR` receives. */
export const OUT_FILES = ["timeline.jsonl", "timeline.txt"] as const;

/** Runs the scenario; exit 1 when an expectation failed (the timeline is complete either way). */
export function runCommand(files: readonly string[], opts: RunOptions, io: Io): number {
  const scenario = loadRun(files);
  return opts.out === undefined ? runToStdout(scenario, opts, io) : runToDir(scenario, opts.out, opts, io);
}

function runToStdout(scenario: Scenario, opts: RunOptions, io: Io): number {
  const out = new ChunkedWriter(io.out);
  const sink = opts.format === "jsonl" ? jsonlWriter(out.write) : textWriter(out.write);
  const summary = newCluster(scenario, {
    seed: opts.seed,
    sink,
    explainScheduling: opts.explainScheduling,
  }).run(opts.untilMs);
  out.flush();
  return summary.expectations.every((e) => e.ok) ? EXIT.ok : EXIT.failed;
}

function runToDir(scenario: Scenario, dir: string, opts: RunOptions, io: Io): number {
  const output = new AtomicOutput(dir, OUT_FILES);
  let records = 0;
  let summary: RunSummary;
  try {
    const jsonl = jsonlWriter(output.writer(0));
    const text = textWriter(output.writer(1));
    const sink = (rec: TimelineRecord) => {
      records++;
      jsonl(rec);
      text(rec);
    };
    summary = newCluster(scenario, { seed: opts.seed, sink, explainScheduling: opts.explainScheduling }).run(
      opts.untilMs,
    );
  } catch (e) {
    output.abort();
    throw e;
  }
  output.commit();
  const failed = summary.expectations.filter((e) => !e.ok).length;
  const verdict = failed > 0 ? `; ${failed} expectation${failed === 1 ? "" : "s"} failed` : "";
  io.out(
    `wrote ${output.paths.join(" and ")}: ${records} records, ${formatDurationMs(summary.endMs)} simulated, ` +
      `seed ${summary.seed}${verdict}\n`,
  );
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
