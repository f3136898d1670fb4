/**
 * Golden text timelines of three teaching demos, as `kubesim demo NAME --fast --lang L` prints them
 * (English for two, Chinese for one), without the last line (it names the report directory). Regenerate with `UPDATE_GOLDEN=1 npx vitest run
 * test/golden` (after `npm run build`) and review the diff.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubesim, ROOT, requireBuild } from "../e2e/helpers.js";
import { expectGolden } from "./compare.js";

const DEMOS: [name: string, lang: "en" | "zh"][] = [
  ["pod-sandbox", "en"],
  ["control-loop", "zh"],
  ["rolling-update", "en"],
];

let tmp: string;
beforeAll(() => {
  requireBuild();
  tmp = mkdtempSync(join(tmpdir(), "kubesim-golden-demo-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("teaching demo timelines", () => {
  it.each(DEMOS)("%s (%s) prints its pinned text timeline byte for byte", (name, lang) => {
    const out = join(tmp, name);
    const r = kubesim(["demo", name, "--fast", "--lang", lang, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectGolden(r.stdout.replace(/\n[^\n]*\n$/, "\n"), join(ROOT, "test/golden/teaching", `${name}.${lang}.txt`));
  });
});
