/**
 * Golden timelines: each test/golden/NAME.yaml, run with its own seed, must print exactly the
 * JSONL pinned in NAME.jsonl. When a change to a model alters a timeline on purpose, regenerate
 * with `UPDATE_GOLDEN=1 npx vitest run test/golden` (after `npm run build`) and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expectGolden } from "./compare.js";
import { kubesim, ROOT, requireBuild } from "../e2e/helpers.js";

const DIR = "test/golden";
const scenarios = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith(".yaml"));

beforeAll(requireBuild);

describe("golden timelines", () => {
  it.each(scenarios)("%s prints its pinned JSONL timeline byte for byte", (file) => {
    const r = kubesim(["run", `${DIR}/${file}`, "--format", "jsonl"]);
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.code);
    expectGolden(r.stdout, join(ROOT, DIR, file.replace(/\.yaml$/, ".jsonl")));
  });
});
