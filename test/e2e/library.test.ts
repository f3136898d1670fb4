/** The library entry (src/index.ts) runs a scenario in-process to the same timeline the program prints. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster, jsonlWriter, loadScenario, ScenarioError } from "../../src/index.js";
import { kubesim, ROOT, requireBuild } from "./helpers.js";

beforeAll(requireBuild);

const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};

describe("library entry", () => {
  it("streams the same JSONL timeline as `kubesim run --format jsonl`", () => {
    const file = "test/e2e/fixtures/pass.yaml";
    let text = "";
    const summary = new Cluster(loadScenario([file], read), { sink: jsonlWriter((s) => (text += s)) }).run();
    expect(summary.expectations.every((e) => e.ok)).toBe(true);
    expect(text).toBe(kubesim(["run", file, "--format", "jsonl"]).stdout);
  });

  it("throws ScenarioError with the position for a bad file", () => {
    expect(() => loadScenario(["test/e2e/bad/bad-duration.yaml"], read)).toThrow(ScenarioError);
  });
});
