// The explore command line: bad input exits 2 with one line, shards run as separate processes
// merge (explore-merge) into the single run's report, worker threads give the same result as one
// thread, and --emit-indexed-job prints a Job.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { runProgram } from "../../sim/program.js";
import { workerFile } from "../../sim/workers/pool.js";

const FILE = "scenarios/explore/planted-bug.yaml";
const BASE = [FILE, "--seed", "3", "--runs", "6", "--window", "1m..5m"];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "kubesim-explore-cli-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function kubesim(args: string[]) {
  let out = "";
  let err = "";
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
  const code = await runProgram(args, io, { version: "0", debug: true });
  return { code, out, err };
}

describe("explore: bad input exits 2", () => {
  test.each([
    [["--faults", "crash,meteor"], /--faults: explore cannot inject "meteor" faults yet/],
    [
      ["--nodes", "node-9"],
      /--nodes: no node named "node-9" \(the nodes are node-1, node-2, node-3, node-4\)/,
    ],
    [["--window", "5m..1m"], /--window 5m..1m: the window ends before it starts/],
    [["--window", "1m..1h"], /--window 1m..1h: the run ends at 6m0s/],
    [["--window", "soon"], /expected FROM..TO durations/],
    [["--shard", "2/2"], /--shard 2\/2: expected I\/N with 0 <= I < N/],
    [["--max-faults", "0"], /--max-faults 0: expected 1 to 50/],
    [["--runs", "many"], /expected a non-negative integer/],
    [["--invariants", "liveness"], /--invariants: unknown invariant "liveness"; known: rollout-bounds/],
  ])("%j", async (args, message) => {
    const r = await kubesim(["explore", FILE, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test("a missing scenario file", async () => {
    const r = await kubesim(["explore", "nope.yaml"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: nope.yaml/);
  });
});

describe("explore: shards in separate processes", () => {
  test("explore-merge of the shards' JSON reports what one process reports, and writes the same counterexample", async () => {
    const single = await kubesim([
      "explore",
      ...BASE,
      "--workers",
      "1",
      "--out",
      join(tmp, "one"),
      "--json",
      join(tmp, "one.json"),
    ]);
    expect(single.code).toBe(1);
    const shardFiles: string[] = [];
    for (const i of [0, 1]) {
      const json = join(tmp, `shard-${i}.json`);
      const r = await kubesim(["explore", ...BASE, "--workers", "1", "--shard", `${i}/2`, "--json", json]);
      expect(r.out).toContain(`(shard ${i}/2)`);
      shardFiles.push(json);
    }
    const merged = await kubesim([
      "explore-merge",
      ...shardFiles,
      "--out",
      join(tmp, "one"),
      "--json",
      join(tmp, "merged.json"),
    ]);
    expect(merged.code).toBe(1);
    expect(merged.out).toBe(single.out);
    expect(readFileSync(join(tmp, "merged.json"), "utf8")).toBe(readFileSync(join(tmp, "one.json"), "utf8"));
  });

  test("explore-merge refuses an incomplete set of shards", async () => {
    const json = join(tmp, "lonely.json");
    await kubesim(["explore", ...BASE, "--workers", "1", "--shard", "0/3", "--json", json]);
    const r = await kubesim(["explore-merge", json]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: explore-merge: shards 1, 2 of 3 missing\n");
  });
});

describe("explore --invariants", () => {
  test("every run checks them, and the counterexample makes kubesim check check them too", async () => {
    const out = join(tmp, "inv");
    const r = await kubesim(["explore", ...BASE, "--workers", "1", "--invariants", "all", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("; invariants rollout-bounds,statefulset-identity,node-capacity");
    expect(r.out).toContain("--invariants rollout-bounds,statefulset-identity,node-capacity,pod-node-exists");
    const check = await kubesim(["check", join(out, "counterexample.yaml")]);
    expect(check.code).toBe(1);
    const broke = r.out.split("which breaks:\n")[1]!.split("\nCounterexample")[0]!.split("\n");
    for (const line of broke) expect(check.out).toContain(`${line.trim()}\n`);
    expect(readFileSync(join(out, "counterexample.yaml"), "utf8")).toContain(
      "  invariants:\n    - rollout-bounds\n",
    );
  });
});

describe.runIf(workerFile() !== undefined)("explore on worker threads", () => {
  test("gives the same result as one thread", async () => {
    const args = [FILE, "--seed", "5", "--runs", "12", "--max-faults", "2"];
    const one = await kubesim([
      "explore",
      ...args,
      "--workers",
      "1",
      "--json",
      "-",
      "--out",
      join(tmp, "w1"),
    ]);
    const two = await kubesim([
      "explore",
      ...args,
      "--workers",
      "2",
      "--json",
      "-",
      "--out",
      join(tmp, "w2"),
    ]);
    expect(two.code).toBe(one.code);
    expect(two.out).toBe(one.out);
    expect(JSON.parse(one.out).runs).toBe(12);
  });
});

describe("explore --emit-indexed-job", () => {
  test("prints a ConfigMap with the scenario and an Indexed Job of N shards", async () => {
    const r = await kubesim([
      "explore",
      ...BASE,
      "--emit-indexed-job",
      "4",
      "--image",
      "registry.example/kubesim:1",
    ]);
    expect(r.code).toBe(0);
    const [cm, job] = parseAllDocuments(r.out).map((d) => d.toJS());
    expect(cm.data["planted-bug.yaml"]).toBe(readFileSync(FILE, "utf8"));
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: 4, parallelism: 4 });
    expect(job.spec.template.spec.containers[0].command[2]).toContain('--shard "$JOB_COMPLETION_INDEX/4"');
  });
});
