/** `kubesim check`: run, then print each expectation's verdict, each broken invariant and a replayable summary line. */

import { formatDurationMs } from "../../src/engine/duration.js";
import type { Violation } from "../../src/invariants/index.js";
import { EXIT } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster, replayCommand } from "../options.js";

export interface CheckOptions {
  seed?: number;
  untilMs?: number;
  /** Invariants to check besides the scenario's own (`--invariants`): true for all. */
  invariants?: boolean | readonly string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function printViolation(v: Violation, io: Io): void {
  io.out(`✗ invariant ${v.invariant} at ${formatDurationMs(v.atMs)} — ${v.message}\n`);
  if (v.chain.length > 0) {
    io.out("    what led there:\n");
    for (const line of v.chain) io.out(`      ${line}\n`);
  }
}

/** Exit 1 when any expectation failed or any invariant broke, else 0 (also when there is nothing to check). */
export function checkCommand(files: readonly string[], opts: CheckOptions, io: Io): number {
  const scenario = loadRun(files);
  const cluster = newCluster(scenario, { seed: opts.seed, invariants: opts.invariants });
  const summary = cluster.run(opts.untilMs);
  const replay = replayCommand(files, summary.seed, opts.untilMs);
  const ran = `ran ${scenario.name} to ${formatDurationMs(summary.endMs)} with seed ${summary.seed}`;
  const checked = cluster.monitor !== undefined;
  if (summary.expectations.length === 0 && !checked) {
    io.out(
      `No expectations to check: ${ran}. Add \`expect:\` entries to the Scenario's spec to check something.\n`,
    );
    return EXIT.ok;
  }
  for (const r of summary.expectations) io.out(`${r.ok ? "✓" : "✗"} ${r.expect} — ${r.detail}\n`);
  for (const v of summary.violations) printViolation(v, io);
  const total = summary.expectations.length;
  const failed = summary.expectations.filter((r) => !r.ok).length;
  const broken = summary.violations.length;
  const invariants = checked
    ? `, invariants: ${broken === 0 ? "all held" : `${plural(broken, "violation")}`}`
    : "";
  if (failed === 0 && broken === 0) {
    const what = total === 0 ? "no expectations" : `all ${plural(total, "expectation")} held`;
    io.out(`PASS: ${what}${invariants} (${ran}). Replay: ${replay}\n`);
    return EXIT.ok;
  }
  const parts: string[] = [];
  if (failed > 0) parts.push(`${failed} of ${plural(total, "expectation")} failed`);
  if (broken > 0) parts.push(`${plural(broken, "invariant violation")}`);
  io.out(`FAIL: ${parts.join(", ")} (${ran}). Replay: ${replay}\n`);
  return EXIT.failed;
}
