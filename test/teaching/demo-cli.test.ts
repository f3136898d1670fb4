/** `kubesim demo` end to end: the list in both languages, one demo played with --fast, its report, exit codes. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubesim, parseJsonl, ROOT, requireBuild } from "../e2e/helpers.js";

let tmp: string;
beforeAll(() => {
  requireBuild();
  tmp = mkdtempSync(join(tmpdir(), "kubesim-demo-e2e-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const demoFiles = () => readdirSync(join(ROOT, "scenarios/teaching")).filter((f) => f.endsWith(".yaml"));

describe("kubesim demo (list)", () => {
  it("lists every demo with its number, name and English description", () => {
    const r = kubesim(["demo"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const rows = r.stdout.split("\n").filter((l) => /^ {2}\d{2} {2}/.test(l));
    expect(rows).toHaveLength(demoFiles().length);
    expect(rows[0]).toMatch(/^ {2}01 {2}pod-sandbox +The Pod sandbox/);
    expect(r.stdout).toMatch(/ {2}10 {2}control-loop +The control loop/);
  });

  it("lists them in Chinese with --lang zh", () => {
    const r = kubesim(["demo", "--lang", "zh"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("教学演示");
    expect(r.stdout).toMatch(/ {2}10 {2}control-loop +控制循环/);
  });

  it("refuses an unknown language with exit 2", () => {
    const r = kubesim(["demo", "--lang", "fr"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("allowed languages are en, zh");
  });
});

describe("kubesim demo NAME --fast", () => {
  it("plays the demo with its narration, proves its expectations, exits 0 and writes the report", () => {
    const out = join(tmp, "control-loop");
    const r = kubesim(["demo", "control-loop", "--fast", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kubesim demo 10 control-loop: The control loop/);
    expect(r.stdout).toContain("» Desired state: the ReplicaSet");
    expect(r.stdout).not.toContain("期望状态");
    expect(r.stdout).toContain("▶ kubectl delete pod web-brp5n");
    expect(r.stdout).toMatch(
      /PASS: all \d+ expectations held: the demo proved its point\. Report: .*control-loop\/\n$/,
    );
    expect(existsSync(join(out, "timeline.txt"))).toBe(true);
    const records = parseJsonl(readFileSync(join(out, "timeline.jsonl"), "utf8"));
    expect(records.at(-1)).toMatchObject({ type: "end", t: 180_000 });
    expect(records.filter((rec) => rec.type === "expect").every((rec) => rec.ok === true)).toBe(true);
  });

  it("narrates in Chinese with --lang zh, and finds the demo by its number", () => {
    const out = join(tmp, "zh");
    const r = kubesim(["demo", "10", "--fast", "--lang", "zh", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("» 期望状态：ReplicaSet “web” 要 3 个 Pod。");
    expect(r.stdout).toContain("通过：全部");
    // The report's text timeline keeps both languages.
    expect(readFileSync(join(out, "timeline.txt"), "utf8")).toContain("» Delete one pod by hand.");
    expect(readFileSync(join(out, "timeline.txt"), "utf8")).toContain("手动删除一个 Pod。");
  });

  it("writes to reports/NAME/ by default", () => {
    const cwd = mkdtempSync(join(tmp, "cwd-"));
    const r = spawnSync(process.execPath, [join(ROOT, "dist/sim/main.js"), "demo", "pod-sandbox", "--fast"], {
      cwd,
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(readdirSync(join(cwd, "reports/pod-sandbox"))).toEqual(
      expect.arrayContaining(["timeline.jsonl", "timeline.txt", "trace.json"]),
    );
  });

  it("names the closest demo for a typo and exits 2", () => {
    const r = kubesim(["demo", "control-lop", "--fast", "--out", join(tmp, "typo")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no demo named "control-lop"; did you mean "control-loop"?');
    expect(existsSync(join(tmp, "typo"))).toBe(false);
  });
});

describe("kubesim run --lang", () => {
  it("shows a demo's narration in the chosen language in the text timeline (English by default)", () => {
    const zh = kubesim(["run", "scenarios/teaching/10-control-loop.yaml", "--lang", "zh"]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain("» 手动删除一个 Pod。");
    expect(zh.stdout).not.toContain("Delete one pod by hand.");
    const en = kubesim(["run", "scenarios/teaching/10-control-loop.yaml"]);
    expect(en.stdout).toContain("» Delete one pod by hand.");
    expect(en.stdout).not.toContain("手动删除一个 Pod。");
  });
});
