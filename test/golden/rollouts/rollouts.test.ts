/**
 * Golden timelines of the rollout scenarios: each scenarios/rollouts/NAME.yaml, run with its own
 * seed, must print exactly the JSONL pinned in test/golden/rollouts/NAME.jsonl, so that a refactor
 * of the Deployment or ReplicaSet controller cannot silently change a rollout. When a change to a
 * model alters a timeline on purpose, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * (after `npm run build`) and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expectGolden } from "../compare.js";
import { kubesim, ROOT, requireBuild } from "../../e2e/helpers.js";

const SCENARIOS = "scenarios/rollouts";
const DIR = "test/golden/rollouts";
const scenarios = readdirSync(join(ROOT, SCENARIOS))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

beforeAll(requireBuild);

describe("rollout golden timelines", () => {
  it("covers every rollout scenario", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
  });

  it.each(scenarios)("%s prints its pinned JSONL timeline byte for byte", (file) => {
    const r = kubesim(["run", `${SCENARIOS}/${file}`, "--format", "jsonl"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0); // every expectation of a rollout scenario holds
    expectGolden(r.stdout, join(ROOT, DIR, file.replace(/\.yaml$/, ".jsonl")));
  });
});
