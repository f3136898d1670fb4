/** `kubesim demo` in-process: finding a demo, pacing (scaled, capped, time to read), exit codes. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoPlayCommand, findDemo, listDemos, pauseBeforeMs, readingMs } from "../../sim/commands/demo.js";
import type { TimelineRecord } from "../../src/cluster/records.js";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "kubesim-demo-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  return {
    io: { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) },
    text: () => out.join(""),
  };
}

describe("finding a demo", () => {
  const demos = listDemos();
  it.each([["pod-sandbox"], ["1"], ["01"], ["01-pod-sandbox"], ["01-pod-sandbox.yaml"]])(
    "%s names demo 01",
    (q) => expect(findDemo(demos, q).number).toBe(1),
  );

  it("suggests the closest name for a typo", () => {
    expect(() => findDemo(demos, "pod-sandbx")).toThrow(/did you mean "pod-sandbox"/);
  });

  it("gives every demo an English and a Chinese description", () => {
    for (const d of demos) {
      expect(d.description.en.length).toBeGreaterThan(20);
      expect(d.description.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("pacing", () => {
  const at = (t: number): TimelineRecord => ({ t, type: "narrate", en: "x" });
  it("shows one simulated minute in 1.5 s of real time", () => {
    expect(pauseBeforeMs(0, at(60_000))).toBe(1500);
    expect(pauseBeforeMs(10_000, at(10_000))).toBe(0);
  });

  it("waits at most 2.5 s however long the simulated gap", () => {
    expect(pauseBeforeMs(0, at(300_000))).toBe(2500);
  });

  it("leaves narration on screen long enough to read, within 1.5 s and 7 s", () => {
    expect(readingMs("short", "en")).toBe(1500);
    expect(readingMs("x".repeat(100), "en")).toBe(3500);
    expect(readingMs("x".repeat(1000), "en")).toBe(7000);
    expect(readingMs("中".repeat(30), "zh")).toBe(3300);
  });

  it("sleeps between records when not --fast, and not at all with --fast", () => {
    const slept: number[] = [];
    const a = capture();
    const code = demoPlayCommand(
      "broken-promise",
      { lang: "en", fast: false, out: join(tmp, "paced"), dir: FIXTURES },
      a.io,
      (ms) => slept.push(ms),
    );
    expect(code).toBe(1);
    expect(slept.some((ms) => ms >= 1500)).toBe(true); // the narration line
    expect(slept.every((ms) => ms >= 0 && ms <= 7000)).toBe(true);
    const total = slept.reduce((s, ms) => s + ms, 0);
    expect(total).toBeLessThan(20_000 / 40 + 7000 + 1); // 20 s simulated, plus reading time
    const fast: number[] = [];
    demoPlayCommand(
      "1",
      { lang: "en", fast: true, out: join(tmp, "fast"), dir: FIXTURES },
      capture().io,
      (ms) => fast.push(ms),
    );
    expect(fast).toEqual([]);
  });
});

describe("playing a demo", () => {
  it("exits 1 when an expectation fails, says so, and still writes the report", () => {
    const a = capture();
    const dir = join(tmp, "broken");
    expect(demoPlayCommand("broken-promise", { lang: "zh", fast: true, out: dir, dir: FIXTURES }, a.io)).toBe(
      1,
    );
    expect(a.text()).toContain("失败：1 条断言中有 1 条不成立。");
    expect(a.text()).toContain("» 一个永远不会就绪的 Pod。");
    expect(a.text()).not.toContain("One pod that never becomes ready.");
    const txt = readFileSync(join(dir, "timeline.txt"), "utf8");
    expect(txt).toContain("✗ expect pod/web ready == true");
    expect(readFileSync(join(dir, "timeline.jsonl"), "utf8")).toContain('"type":"narrate"');
  });
});
