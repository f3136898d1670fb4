// Merging shard results: the lowest failing run wins and every run below it held; a merge refuses
// results of different explorations, a shard given twice, and missing shards.
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { indexedJobYaml, jobName } from "../../src/explore/job.js";
import { type ExploreResult, MergeError, mergeResults, parseResults } from "../../src/explore/result.js";

const space = {
  types: ["crash" as const],
  nodes: ["node-1"],
  maxFaults: 2,
  windowFromMs: 0,
  windowToMs: 60_000,
};

function shard(index: number, count: number, over: Partial<ExploreResult> = {}): ExploreResult {
  return {
    kind: "kubesim-explore-result",
    version: 1,
    scenario: "s",
    files: ["s.yaml"],
    seed: 1,
    runs: 10,
    jitter: false,
    invariants: [],
    space,
    shard: { index, count },
    runsHeld: 0,
    failure: null,
    ...over,
  };
}

const failure = (index: number) => ({
  index,
  clusterSeed: 1,
  original: [],
  schedule: [{ atMs: 0, type: "crash" as const, node: "node-1" }],
  failures: [{ kind: "expect" as const, what: `e${index}`, detail: "d" }],
  shrinks: 0,
});

describe("mergeResults", () => {
  test.each([
    ["no failure: every run held", [null, null, null], [4, 3, 3], null, 10],
    ["one failing shard: its failure, all runs below it held", [null, 4, null], [2, 1, 3], 4, 4],
    ["failures in two shards: the lower index wins", [6, 4, null], [2, 1, 3], 4, 4],
    ["failure at run 0", [0, 7, 2], [0, 2, 0], 0, 0],
  ])("%s", (_name, failures, held, wantIndex, wantHeld) => {
    const shards = failures.map((f, i) =>
      shard(i, 3, { failure: f === null ? null : failure(f), runsHeld: held[i]! }),
    );
    const merged = mergeResults(shards);
    expect(merged.shard).toBeNull();
    expect(merged.failure?.index ?? null).toBe(wantIndex);
    expect(merged.runsHeld).toBe(wantHeld);
  });

  test.each([
    ["different seeds", [shard(0, 2), shard(1, 2, { seed: 2 })], /different explorations/],
    ["a shard twice", [shard(0, 2), shard(0, 2)], /shard 0\/2 is given twice/],
    ["a missing shard", [shard(0, 3), shard(2, 3)], /shard 1 of 3 missing/],
    ["nothing", [], /no shard results/],
  ])("refuses %s", (_name, results, message) => {
    expect(() => mergeResults(results)).toThrow(MergeError);
    expect(() => mergeResults(results)).toThrow(message);
  });
});

describe("parseResults", () => {
  test("reads one JSON object, or JSON lines among other log lines (kubectl logs of a Job)", () => {
    const a = shard(0, 2);
    const b = shard(1, 2);
    expect(parseResults(JSON.stringify(a, null, 2), "a.json")).toEqual([a]);
    const logs = `explore s: 10 runs\nPASS: all 5 runs held.\n${JSON.stringify(a)}\n5 runs in 1s\n${JSON.stringify(b)}\n`;
    expect(parseResults(logs, "logs.txt")).toEqual([a, b]);
  });

  test("refuses what is not a result", () => {
    expect(() => parseResults('{"kind":"Pod"}', "x.json")).toThrow(/not a kubesim explore result/);
    expect(() => parseResults("hello", "x.txt")).toThrow(/no explore result/);
  });
});

describe("the Indexed Job", () => {
  const text = indexedJobYaml({
    result: { scenario: "planted-bug", seed: 3, runs: 1000, jitter: false, invariants: [], space },
    files: [{ name: "planted-bug.yaml", text: "kind: Scenario\n" }],
    completions: 8,
    parallelism: 4,
    image: "example.com/kubesim:0.1.0",
  });
  const [configMap, job] = parseAllDocuments(text).map((d) => d.toJS());

  test("runs shard JOB_COMPLETION_INDEX of N in each pod, from a ConfigMap of the scenario files", () => {
    expect(configMap).toMatchObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { "planted-bug.yaml": "kind: Scenario\n" },
    });
    expect(job).toMatchObject({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "kubesim-explore-planted-bug" },
      spec: { completionMode: "Indexed", completions: 8, parallelism: 4 },
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.volumes).toEqual([{ name: "scenario", configMap: { name: "kubesim-explore-planted-bug" } }]);
    const [container] = pod.containers;
    expect(container.image).toBe("example.com/kubesim:0.1.0");
    const script: string = container.command[2];
    expect(script).toContain("'kubesim' 'explore' '/scenario/planted-bug.yaml' '--seed' '3' '--runs' '1000'");
    expect(script).toContain('--shard "$JOB_COMPLETION_INDEX/8" --json -');
    // A violation found (exit 1) is a result: the pod succeeds so the Job completes.
    expect(script).toContain('[ "$code" -le 1 ]');
  });

  test("names are DNS labels of at most 63 characters", () => {
    expect(jobName("My_Scenario.v2")).toBe("kubesim-explore-my-scenario-v2");
    expect(jobName("x".repeat(100)).length).toBeLessThanOrEqual(63);
  });
});
