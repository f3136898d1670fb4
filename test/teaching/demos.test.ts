/** Every teaching demo proves what it teaches: its expectations hold, its narration is in English and Chinese. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NarrateRecord } from "../../src/cluster/records.js";
import { readRepoFile, runFile } from "../support/files.js";

const DIR = "scenarios/teaching";
const ROOT = new URL("../../", import.meta.url).pathname;
const files = readdirSync(join(ROOT, DIR))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("teaching demos", () => {
  it("are numbered 01, 02, ... in teaching order, with no gap and no repeat", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    files.forEach((f, i) => {
      expect(f).toMatch(new RegExp(`^${String(i + 1).padStart(2, "0")}-[a-z0-9-]+\\.yaml$`));
    });
  });

  it.each(files)("%s: every expectation holds", (file) => {
    const { summary } = runFile(`${DIR}/${file}`);
    expect(summary.expectations.length).toBeGreaterThanOrEqual(2);
    const failed = summary.expectations.filter((e) => !e.ok).map((e) => `${e.expect} — ${e.detail}`);
    expect(failed).toEqual([]);
  });

  it.each(files)("%s: narrates in English and Chinese and describes itself in both", (file) => {
    const text = readRepoFile(`${DIR}/${file}`)!;
    expect(text).toMatch(/^# zh: \S/m);
    expect(text).toMatch(new RegExp(`^# Demo ${file.slice(0, 2)} · \\S`));
    const { records } = runFile(`${DIR}/${file}`);
    const narration = records.filter((r): r is NarrateRecord => r.type === "narrate");
    expect(narration.length).toBeGreaterThanOrEqual(1);
    for (const n of narration) {
      expect(n.en, `English narration at ${n.t} ms`).toBeTruthy();
      expect(n.zh, `Chinese narration at ${n.t} ms`).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("checked-in sample reports", () => {
  it("hold the report files of two demos and stay under 1 MB in all", () => {
    const dir = join(ROOT, "reports/samples");
    const demos = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(demos.length).toBeGreaterThanOrEqual(2);
    let bytes = 0;
    for (const d of demos) {
      const files = readdirSync(join(dir, d.name));
      expect(files).toEqual(
        expect.arrayContaining(["report.html", "timeline.jsonl", "timeline.txt", "trace.json"]),
      );
      for (const f of files) bytes += statSync(join(dir, d.name, f)).size;
    }
    expect(bytes).toBeLessThan(1024 * 1024);
  });
});
