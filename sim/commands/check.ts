/** `kubesim check`: run, then print each expectation's verdict and a replayable summary line. */
import { formatDurationMs } from "../../src/engine/duration.js";
import { EXIT } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster, replayCommand } from "../options.js";

export interface CheckOptions {
  seed?: number;
  untilMs?: number;
}

/** Exit 1 when any expectation failed, else 0 (also when there is nothing to check). */
export function checkCommand(files: readonly string[], opts: CheckOptions, io: Io): number {
  const scenario = loadRun(files);
  const summary = newCluster(scenario, { seed: opts.seed }).run(opts.untilMs);
  const replay = replayCommand(files, summary.seed, opts.untilMs);
  const ran = `ran ${scenario.name} to ${formatDurationMs(summary.endMs)} with seed ${summary.seed}`;
  if (summary.expectations.length === 0) {
    io.out(
      `No expectations to check: ${ran}. Add \`expect:\` entries to the Scenario's spec to check something.\n`,
    );
    return EXIT.ok;
  }
  for (const r of summary.expectations) io.out(`${r.ok ? "✓" : "✗"} ${r.expect} — ${r.detail}\n`);
  const total = summary.expectations.length;
  const failed = summary.expectations.filter((r) => !r.ok).length;
  if (failed === 0) {
    io.out(`PASS: all ${total} expectation${total === 1 ? "" : "s"} held (${ran}). Replay: ${replay}\n`);
    return EXIT.ok;
  }
  io.out(
    `FAIL: ${failed} of ${total} expectation${total === 1 ? "" : "s"} failed (${ran}). Replay: ${replay}\n`,
  );
  return EXIT.failed;
}
