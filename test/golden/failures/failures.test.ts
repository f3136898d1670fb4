/**
 * Golden timelines of the failure scenarios: each scenarios/failures/NAME.yaml, run with its own
 * seed, must print exactly the JSONL pinned in test/golden/failures/NAME.jsonl, so that a change to
 * a fault, the kubelet or the node lifecycle chain cannot silently change a recovery. When a model
 * change alters a timeline on purpose, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * (after `npm run build`) and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kubesim, ROOT, requireBuild } from "../../e2e/helpers.js";
import { expectGolden } from "../compare.js";

const SCENARIOS = "scenarios/failures";
const DIR = "test/golden/failures";
const scenarios = readdirSync(join(ROOT, SCENARIOS))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

beforeAll(requireBuild);

describe("failure golden timelines", () => {
  it("covers every failure scenario, the pod-level faults among them", () => {
    expect(scenarios).toEqual(
      expect.arrayContaining(["container-crash.yaml", "image-pull-fail.yaml", "apiserver-delay.yaml"]),
    );
  });

  it.each(scenarios)("%s prints its pinned JSONL timeline byte for byte", (file) => {
    const r = kubesim(["run", `${SCENARIOS}/${file}`, "--format", "jsonl"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0); // every expectation of a failure scenario holds
    expectGolden(r.stdout, join(ROOT, DIR, file.replace(/\.yaml$/, ".jsonl")));
  });
});
