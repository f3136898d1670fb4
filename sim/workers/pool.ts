/**
 * Worker threads for explore and sweep (tinypool): batches of run indices or seeds go out in order,
 * and the answer is the same as one thread's — explore keeps the lowest failing index, whatever
 * order the batches finish in.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Tinypool from "tinypool";
import type { ExploreConfig } from "../../src/explore/explore.js";
import type { SweepMetric } from "../../src/explore/metrics.js";
import type { SweepRun } from "../../src/explore/sweep.js";
import type { RunOutcome, WorkerTask } from "./explore-worker.js";

/** The compiled worker: next to this module when built, else in dist/ (tests run the sources). */
export function workerFile(): string | undefined {
  for (const rel of ["./explore-worker.js", "../../dist/sim/workers/explore-worker.js"]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Progress callback: runs done so far. */
export type OnProgress = (done: number) => void;

/** Batches of `size` from a list, in order. */
function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A batch size that keeps every thread busy and progress smooth, yet messages few. */
function batchSize(total: number, threads: number): number {
  return Math.max(1, Math.min(16, Math.ceil(total / (threads * 8))));
}

/**
 * Calls `fn` on the items in order with at most `limit` calls in flight, so a later item can still
 * be skipped once an earlier one has answered (`skip` is asked just before each call).
 */
async function inOrder<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  skip: (item: T) => boolean = () => false,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      if (!skip(items[i]!)) results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  return results;
}

function newPool(threads: number): Tinypool {
  const filename = workerFile();
  if (!filename)
    throw new Error("the worker thread's module is missing: build kubesim first (npm run build)");
  return new Tinypool({ filename, minThreads: threads, maxThreads: threads, isolateWorkers: false });
}

/**
 * Runs the explore indices on `threads` worker threads. Returns the lowest failing index (undefined
 * when none failed) and how many indices below it held. Batches past a known failure are skipped.
 */
export async function exploreOnThreads(
  files: string[],
  config: ExploreConfig,
  indices: readonly number[],
  threads: number,
  onProgress: OnProgress,
): Promise<{ failingIndex: number | undefined; runsHeld: number; ran: number }> {
  const pool = newPool(threads);
  let failing: number | undefined;
  let done = 0;
  try {
    await inOrder(
      batches(indices, batchSize(indices.length, threads)),
      threads * 2,
      async (batch) => {
        const task: WorkerTask = { kind: "explore", files, config, indices: batch };
        const outcomes = (await pool.run(task)) as RunOutcome[];
        done += outcomes.length;
        onProgress(done);
        const failed = outcomes.find((o) => o.failed);
        if (failed && (failing === undefined || failed.index < failing)) failing = failed.index;
      },
      (batch) => failing !== undefined && batch[0]! > failing,
    );
  } finally {
    await pool.destroy();
  }
  const runsHeld = failing === undefined ? indices.length : indices.filter((i) => i < failing!).length;
  return { failingIndex: failing, runsHeld, ran: done };
}

/** Runs a sweep's seeds on `threads` worker threads; results in seed order. */
export async function sweepOnThreads(
  files: string[],
  seeds: readonly number[],
  metrics: readonly SweepMetric[],
  threads: number,
  onProgress: OnProgress,
): Promise<SweepRun[]> {
  const pool = newPool(threads);
  let done = 0;
  try {
    const parts = await inOrder(
      batches(seeds, batchSize(seeds.length, threads)),
      threads * 2,
      async (batch) => {
        const task: WorkerTask = { kind: "sweep", files, seeds: batch, metrics: [...metrics] };
        const runs = (await pool.run(task)) as SweepRun[];
        done += runs.length;
        onProgress(done);
        return runs;
      },
    );
    return parts.flatMap((p) => p ?? []);
  } finally {
    await pool.destroy();
  }
}
