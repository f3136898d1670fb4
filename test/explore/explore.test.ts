// kubesim explore on the planted bug (scenarios/explore/planted-bug.yaml): only node-1 and node-2
// down together break its promise. Exploration finds it, shrinks the schedule to exactly those two
// faults, writes a counterexample that `kubesim check` replays, and shards merged give the result
// of one process. Run counts stay small: seed 3 fails at run 0.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runProgram } from "../../sim/program.js";
import { type ExploreConfig, Explorer } from "../../src/explore/explore.js";
import { type ExploreResult, mergeResults } from "../../src/explore/result.js";
import { failuresOf } from "../../src/explore/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile } from "../support/files.js";

const FILE = "scenarios/explore/planted-bug.yaml";
const scenario = loadScenario([FILE], readRepoFile);

const config = (over: Partial<ExploreConfig> = {}): ExploreConfig => ({
  seed: 3,
  runs: 4,
  jitter: false,
  invariants: [],
  shard: null,
  space: {
    types: ["crash", "partition", "kubelet-stop"],
    nodes: ["node-1", "node-2", "node-3", "node-4"],
    maxFaults: 3,
    windowFromMs: 60_000,
    windowToMs: 300_000,
  },
  ...over,
});

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "kubesim-explore-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  let text = "";
  return { text: () => text, write: (s: string) => void (text += s) };
}

async function kubesim(args: string[]) {
  const out = capture();
  const err = capture();
  const code = await runProgram(args, { out: out.write, err: err.write }, { version: "0", debug: true });
  return { code, out: out.text(), err: err.text() };
}

describe("explore on the planted bug", () => {
  let single: ExploreResult;
  beforeAll(() => {
    single = new Explorer(scenario, [FILE], config()).exploreSerial();
  });

  test("finds it and shrinks the schedule to exactly node-1 and node-2 failing together", () => {
    expect(single.failure).not.toBeNull();
    const f = single.failure!;
    expect(f.schedule.map((x) => x.node).sort()).toEqual(["node-1", "node-2"]);
    // Minimal in every dimension the arbitrary shrinks: first type, window start, never healed.
    expect(f.schedule).toEqual([
      { atMs: 60_000, type: "crash", node: "node-1" },
      { atMs: 60_000, type: "crash", node: "node-2" },
    ]);
    expect(f.failures).toEqual([
      {
        kind: "expect",
        what: "always deployment/web available >= 1",
        detail: expect.stringMatching(/^0 at /),
      },
    ]);
    expect(single.runsHeld).toBe(f.index);
  });

  test("shard results merged equal the single process's result", () => {
    const shards = [0, 1, 2].map((index) =>
      new Explorer(scenario, [FILE], config({ shard: { index, count: 3 } })).exploreSerial(),
    );
    expect(shards.map((s) => s.shard)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
    expect(mergeResults(shards.reverse())).toEqual(single);
  });

  test("the written counterexample replays: kubesim check fails it with the same violation", async () => {
    const out = join(tmp, "planted");
    const json = join(tmp, "planted.json");
    const args = ["explore", FILE, "--seed", "3", "--runs", "4", "--window", "1m..5m", "--workers", "1"];
    const run = await kubesim([...args, "--out", out, "--json", json]);
    expect(run.code).toBe(1);
    expect(run.out).toContain("FAIL: run 0 broke the scenario");
    expect(run.out).toContain("  at 1m0s crash node-1\n  at 1m0s crash node-2\n");
    expect(run.out).toContain(`Replay: kubesim check ${join(out, "counterexample.yaml")}`);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual(single);
    const check = await kubesim(["check", join(out, "counterexample.yaml")]);
    expect(check.code).toBe(1);
    const violation = single.failure!.failures[0]!;
    expect(check.out).toContain(`✗ ${violation.what} — ${violation.detail}\n`);
    expect(check.out).toContain("FAIL: 1 of 2 expectations failed");
  });
});

describe("what counts as a failure", () => {
  test("failed expectations, then broken invariants with their time", () => {
    const summary = {
      seed: 1,
      endMs: 60_000,
      eventsRun: 10,
      expectations: [
        { expect: "deployment/web available == 2", ok: true, detail: "2 at 11s" },
        { expect: "always deployment/web available >= 1", ok: false, detail: "0 at 45s" },
      ],
      violations: [
        { invariant: "node-capacity", atMs: 30_000, seed: 1, message: "node-1 over", objects: [], chain: [] },
      ],
    };
    expect(failuresOf(summary)).toEqual([
      { kind: "expect", what: "always deployment/web available >= 1", detail: "0 at 45s" },
      { kind: "invariant", what: "node-capacity", detail: "node-1 over", atMs: 30_000 },
    ]);
  });
});

describe("explore when every run holds", () => {
  test("exits 0 and says so; faults on nodes that run nothing of it never break it", async () => {
    const run = await kubesim(["explore", FILE, "--runs", "3", "--nodes", "node-3,node-4", "--workers", "1"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("PASS: all 3 runs held.");
    expect(run.out).toContain(
      "faults crash,partition,kubelet-stop on node-3, node-4; up to 3 a run in 0s..6m0s",
    );
  });
});
