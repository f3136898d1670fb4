// kubesim sweep: metrics read from a run's timeline, nearest-rank percentiles, and the command's
// table and JSON over a few seeds.
import { describe, expect, test } from "vitest";
import { parseSeedRange, sweepTable } from "../../sim/commands/sweep.js";
import { runProgram } from "../../sim/program.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { distributions, MetricsCollector, percentile } from "../../src/explore/metrics.js";

const deploy = (t: number, available: number, progressing: string): TimelineRecord => ({
  t,
  type: "object",
  verb: "MODIFIED",
  kind: "Deployment",
  namespace: "default",
  name: "web",
  state: { availableReplicas: available, conditions: [`Progressing=True(${progressing})`] },
});

describe("percentile (nearest rank)", () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  test.each([
    [ten, 50, 5],
    [ten, 90, 9],
    [ten, 99, 10],
    [ten, 0, 1],
    [[42], 99, 42],
    [[1, 2], 50, 1],
  ])("of %j at p%i is %i", (values, p, want) => {
    expect(percentile(values, p)).toBe(want);
  });
});

describe("MetricsCollector", () => {
  test("rollout-duration: from leaving NewReplicaSetAvailable to regaining it, the last rollout", () => {
    const m = new MetricsCollector(new Set(["rollout-duration", "min-available"]));
    for (const r of [
      deploy(0, 0, "NewReplicaSetCreated"),
      deploy(11_000, 3, "NewReplicaSetAvailable"),
      deploy(60_000, 3, "NewReplicaSetCreated"),
      deploy(61_000, 2, "ReplicaSetUpdated"),
      deploy(75_500, 3, "NewReplicaSetAvailable"),
    ])
      m.sink(r);
    expect(m.finish()).toEqual({
      "rollout-duration deployment/web": 15_500,
      // Counted from the first time it was complete: the 0 before its pods started is not a dip.
      "min-available deployment/web": 2,
    });
  });

  test("a rollout that never completes has no duration; recovery-time comes from RecoverySummary", () => {
    const m = new MetricsCollector(new Set(["rollout-duration", "recovery-time"]));
    m.sink(deploy(0, 0, "NewReplicaSetCreated"));
    m.sink({
      t: 480_000,
      type: "step",
      component: "kubesim/recovery",
      object: "Node/node-2",
      step: "RecoverySummary",
      message: "",
      data: { fault: "crash", node: "node-2", atMs: 60_000, totalMs: 355_125 },
    });
    expect(m.finish()).toEqual({ "recovery-time crash node-2 at 1m0s": 355_125 });
  });
});

describe("distributions", () => {
  test("per metric over the runs that reached it", () => {
    const d = distributions([{ a: 3, b: 1 }, { a: 1 }, { a: 2 }]);
    expect(d.map((x) => [x.metric, x.n, x.min, x.p50, x.max])).toEqual([
      ["a", 3, 1, 2, 3],
      ["b", 1, 1, 1, 1],
    ]);
  });
});

describe("kubesim sweep", () => {
  async function sweep(args: string[]) {
    let out = "";
    let err = "";
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
    const code = await runProgram(["sweep", ...args], io, { version: "0", debug: true });
    return { code, out, err };
  }

  test("prints a table of each metric's distribution over the seeds", async () => {
    const r = await sweep(["scenarios/hello.yaml", "--seeds", "1..3", "--workers", "1"]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("sweep hello: seeds 1..3 (3 runs)");
    expect(lines[1]).toMatch(/^METRIC\s+RUNS\s+MIN\s+P50\s+P90\s+P99\s+MAX$/);
    expect(lines[2]).toMatch(/^min-available deployment\/web\s+3\s+3\s+3\s+3\s+3\s+3$/);
    expect(lines[3]).toMatch(/^rollout-duration deployment\/web\s+3\s+\d/);
    expect(lines[4]).toBe("All 3 runs kept every expectation.");
  });

  test("--json gives the same distributions as data; the same seeds give the same bytes", async () => {
    const a = await sweep([
      "scenarios/hello.yaml",
      "--seeds",
      "2..3",
      "--json",
      "--metric",
      "rollout-duration",
    ]);
    const b = await sweep([
      "scenarios/hello.yaml",
      "--seeds",
      "2..3",
      "--json",
      "--metric",
      "rollout-duration",
    ]);
    expect(a.out).toBe(b.out);
    const result = JSON.parse(a.out);
    expect(result).toMatchObject({
      kind: "kubesim-sweep-result",
      runs: 2,
      seeds: { from: 2, to: 3 },
      failedSeeds: [],
    });
    expect(result.distributions.map((d: { metric: string }) => d.metric)).toEqual([
      "rollout-duration deployment/web",
    ]);
    expect(sweepTable(result)[1]).toMatch(/^rollout-duration deployment\/web/);
  });

  test.each([
    [["--seeds", "5..1"], /--seeds 5..1: expected FROM..TO/],
    [["--seeds", "1..2", "--metric", "latency"], /unknown metric/],
    [[], /--seeds FROM..TO is required/],
  ])("bad input %j exits 2", async (args, message) => {
    const r = await sweep(["scenarios/hello.yaml", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test("seed ranges", () => {
    expect(parseSeedRange("1..1000")).toEqual({ from: 1, to: 1000 });
    expect(parseSeedRange("7")).toEqual({ from: 7, to: 7 });
  });
});
