/**
 * Golden timelines of issue 5's scenarios (StatefulSets, Services, storage, volumes): each
 * scenarios/DIR/NAME.yaml, run with its own seed, must print exactly the JSONL pinned in
 * test/golden/stateful/DIR/NAME.jsonl and pass its expectations. When a change to a model alters a
 * timeline on purpose, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden` (after
 * `npm run build`) and review the diff.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kubesim, ROOT, requireBuild } from "../../e2e/helpers.js";
import { expectGolden } from "../compare.js";

const DIRS = ["statefulsets", "services", "storage", "volumes"];
const DIR = "test/golden/stateful";
const scenarios = DIRS.flatMap((d) =>
  readdirSync(join(ROOT, "scenarios", d))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${d}/${f}`),
);

beforeAll(requireBuild);

describe("StatefulSet, Service, storage and volume golden timelines", () => {
  it("covers every scenario of the four directories", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(16);
  });

  it.each(scenarios)("%s prints its pinned JSONL timeline byte for byte", (file) => {
    const r = kubesim(["run", `scenarios/${file}`, "--format", "jsonl"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0); // every expectation of these scenarios holds
    const golden = join(ROOT, DIR, file.replace(/\.yaml$/, ".jsonl"));
    mkdirSync(dirname(golden), { recursive: true });
    expectGolden(r.stdout, golden);
  });
});
