/** Determinism end to end: the same scenario and seed give the same bytes; another seed other names. */
import { beforeAll, describe, expect, it } from "vitest";
import { kubesim, parseJsonl, requireBuild } from "./helpers.js";

const REPLAY = "test/e2e/fixtures/replay.yaml";

beforeAll(requireBuild);

/** Names of the pods the run created, in timeline order. */
function podNames(jsonl: string): string[] {
  return parseJsonl(jsonl)
    .filter((r) => r.type === "object" && r.kind === "Pod" && r.verb === "ADDED")
    .map((r) => r.name as string);
}

describe("replay", () => {
  it("prints identical bytes for the same scenario and seed, in both formats", () => {
    for (const format of ["jsonl", "text"]) {
      const a = kubesim(["run", REPLAY, "--seed", "42", "--format", format]);
      const b = kubesim(["run", REPLAY, "--seed", "42", "--format", format]);
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it("generates different pod names with a different seed", () => {
    const one = podNames(kubesim(["run", REPLAY, "--seed", "1", "--format", "jsonl"]).stdout);
    const two = podNames(kubesim(["run", REPLAY, "--seed", "2", "--format", "jsonl"]).stdout);
    expect(one).toHaveLength(2);
    expect(two).toHaveLength(2);
    for (const name of [...one, ...two]) expect(name).toMatch(/^worker-[a-z0-9]{5}$/);
    expect(two).not.toEqual(one);
  });

  it("uses seed 1 when neither the scenario nor --seed gives one", () => {
    const implicit = kubesim(["run", REPLAY, "--format", "jsonl"]).stdout;
    expect(implicit).toBe(kubesim(["run", REPLAY, "--format", "jsonl", "--seed", "1"]).stdout);
  });
});
