// The scenarios in scenarios/failures/ run, their expectations hold for several seeds, and their
// recovery summaries say what the scenario claims.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";
import { events, steps } from "./helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};
const FILES = readdirSync(join(ROOT, "scenarios/failures"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `scenarios/failures/${f}`);

function runFile(file: string, seed?: number) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(loadScenario([file], read), {
    sink: (r) => records.push(r),
    ...(seed ? { seed } : {}),
  });
  const summary = c.run();
  return { c, records, summary };
}

describe("scenarios/failures", () => {
  test.each(FILES.flatMap((f) => [1, 2, 3].map((seed) => [f, seed] as const)))(
    "%s holds its expectations with seed %i",
    (file, seed) => {
      const { summary } = runFile(file, seed);
      expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    },
  );

  test("node-crash: one pod lost, replaced about 5m50s after the crash", () => {
    const { records } = runFile("scenarios/failures/node-crash.yaml");
    const [s] = steps(records, "RecoverySummary");
    const data = s!.data as { totalMs: number; pods: unknown[] };
    expect(data.pods).toHaveLength(1);
    expect(data.totalMs).toBeGreaterThanOrEqual(5 * 60_000 + 45_000);
    expect(data.totalMs).toBeLessThanOrEqual(6 * 60_000 + 15_000);
  });

  test("short-toleration: the same crash recovers about 4m30s sooner", () => {
    const total = (file: string) =>
      (steps(runFile(file).records, "RecoverySummary")[0]!.data as { totalMs: number }).totalMs;
    const saved =
      total("scenarios/failures/node-crash.yaml") - total("scenarios/failures/short-toleration.yaml");
    expect(saved).toBeGreaterThanOrEqual(270_000 - 5_000);
    expect(saved).toBeLessThanOrEqual(270_000 + 5_000);
  });

  test("partition-heals-early: the eviction is cancelled and the pod recovers in place", () => {
    const { records } = runFile("scenarios/failures/partition-heals-early.yaml");
    expect(events(records, "TaintManagerEviction").map((e) => e.message.split(" Pod ")[0])).toEqual([
      "Cancelling deletion of",
    ]);
    expect(steps(records, "PodReadyInPlace")).toHaveLength(1);
  });

  test("partition-heals-late: the old container is killed when the node is back", () => {
    const { records } = runFile("scenarios/failures/partition-heals-late.yaml");
    const killing = events(records, "Killing");
    expect(killing.map((e) => [e.t, e.source])).toEqual([[9 * 60_000, "kubelet"]]);
  });
});
