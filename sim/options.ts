/** What the commands share: parsing --seed/--until, loading scenario files, building a cluster. */
import { InvalidArgumentError } from "commander";
import { Cluster, type ClusterOptions } from "../src/cluster/cluster.js";
import { formatDurationMs, parseDurationMs } from "../src/engine/duration.js";
import { loadScenario } from "../src/scenario/load.js";
import { SPEC_LIMITS } from "../src/scenario/spec.js";
import type { Scenario } from "../src/scenario/types.js";
import { readInputFile } from "./io.js";

/** `--seed N`: a non-negative integer. */
export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError("expected a non-negative integer, like 42.");
  }
  return Number(text);
}

/** `--until D`, `--at D`: a duration such as 90s, 5m or 1h30m, at most the scenario limit. */
export function parseDuration(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new InvalidArgumentError("expected a duration like 500ms, 10s, 5m or 1h30m.");
  if (ms > SPEC_LIMITS.untilMs) {
    throw new InvalidArgumentError(`too long: the limit is ${formatDurationMs(SPEC_LIMITS.untilMs)}.`);
  }
  return ms;
}

/** Loads scenario and manifest files (the loader applies the apiserver's defaulting and validation). */
export function loadRun(files: readonly string[]): Scenario {
  return loadScenario(files, readInputFile);
}

/** A cluster for the scenario (it wires the apiserver's defaulting and validation itself). */
export function newCluster(
  scenario: Scenario,
  opts: Pick<ClusterOptions, "seed" | "sink" | "explainScheduling" | "invariants"> = {},
): Cluster {
  return new Cluster(scenario, opts);
}

/** Quotes a word for a POSIX shell when it needs it, so printed commands can be pasted back. */
export function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `kubesim run FILE... --seed N [--until D]`: the command that replays a run. */
export function replayCommand(files: readonly string[], seed: number, untilMs: number | undefined): string {
  const until = untilMs === undefined ? "" : ` --until ${formatDurationMs(untilMs)}`;
  return `kubesim run ${files.map(shellWord).join(" ")} --seed ${seed}${until}`;
}
