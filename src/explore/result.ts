/** The result of an exploration (a whole one or one shard's) as JSON, and merging shard results. */
import type { Failure } from "./run.js";
import type { ExploreSpace, ScheduledFault } from "./schedule.js";

/** Which slice of the run indices a result covers: indices i with i % count == index. */
export interface Shard {
  index: number;
  count: number;
}

/** The failing run: the schedule drawn, the one it shrank to, and what that one broke. */
export interface FoundFailure {
  /** The run index (its schedule is drawn from runSeed(seed, index)). */
  index: number;
  clusterSeed: number;
  original: ScheduledFault[];
  schedule: ScheduledFault[];
  failures: Failure[];
  shrinks: number;
}

/** What `explore --json` writes; a merged set of shards equals the result of one unsharded process. */
export interface ExploreResult {
  kind: "kubesim-explore-result";
  version: 1;
  scenario: string;
  /** The files as given on the command line (the merge writes the counterexample from them). */
  files: string[];
  seed: number;
  runs: number;
  /** Each run's cluster seed drawn from the run's seed (timing jitter), instead of the scenario's. */
  jitter: boolean;
  /** The invariants every run checked (besides the scenario's expectations). */
  invariants: string[];
  space: ExploreSpace;
  /** Null when the result covers every run index. */
  shard: Shard | null;
  /** Runs that held: every run index below the failing one (or every run) in this result's slice. */
  runsHeld: number;
  /** The lowest-indexed failing run of the slice, shrunk; null when every run held. */
  failure: FoundFailure | null;
}

/** Why shard results cannot be merged. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

const sameRun = (r: ExploreResult) =>
  JSON.stringify([r.scenario, r.seed, r.runs, r.jitter, r.invariants, r.space, r.shard?.count ?? 1]);

/**
 * Merges the results of shards 0..N-1 of one exploration into the result a single process gives:
 * the failure with the lowest run index wins (every shard ran all of its indices below its own first
 * failure, so every index below the winner held), otherwise every run held.
 */
export function mergeResults(results: readonly ExploreResult[]): ExploreResult {
  const first = results[0];
  if (!first) throw new MergeError("no shard results to merge");
  const key = sameRun(first);
  const count = first.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const r of results) {
    if (sameRun(r) !== key) {
      throw new MergeError(
        "the results come from different explorations (scenario, seed, runs, faults or shard count differ)",
      );
    }
    const index = r.shard?.index ?? 0;
    if (seen.has(index)) throw new MergeError(`shard ${index}/${count} is given twice`);
    seen.add(index);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new MergeError(`shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${count} missing`);
  }
  const failed = results
    .map((r) => r.failure)
    .filter((f): f is FoundFailure => f !== null)
    .sort((a, b) => a.index - b.index)[0];
  const runsHeld = failed ? failed.index : results.reduce((n, r) => n + r.runsHeld, 0);
  return { ...first, shard: null, runsHeld, failure: failed ?? null };
}

/**
 * Parses a result file's text: one JSON object, or one a line as `kubectl logs` gathers them from
 * a Job's pods (lines that are not JSON objects, such as the runs' own reports, are skipped).
 */
export function parseResults(text: string, source: string): ExploreResult[] {
  const chunks = [text.trim()];
  try {
    JSON.parse(chunks[0]!);
  } catch {
    chunks.splice(0, 1, ...text.split("\n").filter((line) => line.startsWith("{")));
  }
  if (chunks.length === 0 || chunks[0] === "") throw new MergeError(`${source}: no explore result in it`);
  return chunks.map((chunk, i) => {
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch (e) {
      throw new MergeError(`${source}: result ${i + 1} is not JSON: ${(e as Error).message}`);
    }
    const r = value as Partial<ExploreResult>;
    if (r.kind !== "kubesim-explore-result" || r.version !== 1) {
      throw new MergeError(
        `${source}: not a kubesim explore result (kind "kubesim-explore-result", version 1)`,
      );
    }
    return r as ExploreResult;
  });
}
