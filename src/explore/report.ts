/** The text `kubesim explore` prints about a result, and the command that explores again. */
import { formatDurationMs } from "../engine/duration.js";
import type { ExploreResult } from "./result.js";
import type { Failure } from "./run.js";
import { describeFault, type ExploreSpace } from "./schedule.js";

/** Quotes a word for a POSIX shell when it needs it, so printed commands can be pasted back. */
function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A broken promise as `kubesim check` prints it. */
export function failureText(f: Failure): string {
  if (f.kind === "expect") return `${f.what} — ${f.detail}`;
  return `invariant ${f.what} at ${formatDurationMs(f.atMs ?? 0)} — ${f.detail}`;
}

/** `crash,partition on node-1, node-2; up to 3 a run in 1m0s..10m0s`. */
export function describeSpace(space: ExploreSpace): string {
  const window = `${formatDurationMs(space.windowFromMs)}..${formatDurationMs(space.windowToMs)}`;
  return `faults ${space.types.join(",")} on ${space.nodes.join(", ")}; up to ${space.maxFaults} a run in ${window}`;
}

/** The flags that draw the same schedules again (`--seed 1 --runs 100 --faults crash ...`). */
export function exploreFlags(r: ExploreResult): string[] {
  const s = r.space;
  const flags = [
    "--seed",
    String(r.seed),
    "--runs",
    String(r.runs),
    "--faults",
    s.types.join(","),
    "--max-faults",
    String(s.maxFaults),
    "--window",
    `${formatDurationMs(s.windowFromMs)}..${formatDurationMs(s.windowToMs)}`,
    "--nodes",
    s.nodes.join(","),
  ];
  if (r.jitter) flags.push("--jitter");
  if (r.invariants.length > 0) flags.push("--invariants", r.invariants.join(","));
  return flags;
}

/** `kubesim explore FILE... <flags>`: explores the same runs again. */
export function exploreCommandLine(r: ExploreResult): string {
  return ["kubesim explore", ...r.files.map(shellWord), ...exploreFlags(r).map(shellWord)].join(" ");
}

/** The first line: what was explored. */
export function headline(r: ExploreResult): string {
  const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : "";
  const invariants = r.invariants.length > 0 ? `; invariants ${r.invariants.join(",")}` : "";
  return `explore ${r.scenario}: ${plural(r.runs, "run")}${shard} from seed ${r.seed}; ${describeSpace(r.space)}${invariants}${r.jitter ? "; cluster seeds jittered" : ""}`;
}

/**
 * The verdict lines. `counterexample` is the written file's path (with the replay command), when
 * one was written.
 */
export function verdictLines(r: ExploreResult, counterexample?: string): string[] {
  const f = r.failure;
  if (!f) {
    const scope = r.shard ? `of shard ${r.shard.index}/${r.shard.count} ` : "";
    return [`PASS: all ${plural(r.runsHeld, "run")} ${scope}held.`];
  }
  const lines = [
    `FAIL: run ${f.index} broke the scenario; ${plural(r.runsHeld, "run")} before it held (cluster seed ${f.clusterSeed}).`,
    `Drawn schedule (${plural(f.original.length, "fault")}):`,
    ...f.original.map((x) => `  ${describeFault(x)}`),
    `Shrunk in ${plural(f.shrinks, "step")} to ${plural(f.schedule.length, "fault")}:`,
    ...(f.schedule.length === 0 ? ["  (none: the scenario fails without faults)"] : []),
    ...f.schedule.map((x) => `  ${describeFault(x)}`),
    "which breaks:",
    ...f.failures.map((x) => `  ✗ ${failureText(x)}`),
  ];
  if (counterexample !== undefined) {
    lines.push(`Counterexample: ${counterexample}`, `Replay: kubesim check ${shellWord(counterexample)}`);
  } else if (r.shard) {
    lines.push("Merge the shard results (kubesim explore-merge) for the counterexample file.");
  }
  lines.push(
    `Explore again: ${exploreCommandLine(r)}${r.shard ? ` --shard ${r.shard.index}/${r.shard.count}` : ""}`,
  );
  return lines;
}
