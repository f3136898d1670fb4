import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPORT_FILES, writeReportFiles } from "../../sim/report-files.js";
import { jsonlWriter } from "../../src/report/jsonl.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile, runFile } from "../support/files.js";

const tmp = mkdtempSync(join(tmpdir(), "kubesim-report-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("writeReportFiles", () => {
  it("writes every report file of a finished run, and nothing else", () => {
    const file = "scenarios/failures/node-crash.yaml";
    const { records } = runFile(file);
    const dir = join(tmp, "node-crash");
    const paths = writeReportFiles(dir, loadScenario([file], readRepoFile), records);
    expect(paths).toEqual(REPORT_FILES.map((n) => join(dir, n)));
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
    const jsonl: string[] = [];
    const sink = jsonlWriter((c) => jsonl.push(c));
    for (const r of records) sink(r);
    expect(readFileSync(join(dir, "timeline.jsonl"), "utf8")).toBe(jsonl.join(""));
    expect(JSON.parse(readFileSync(join(dir, "trace.json"), "utf8")).traceEvents.length).toBeGreaterThan(50);
  });
});
