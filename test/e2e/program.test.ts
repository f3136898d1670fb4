/** The program's plumbing in-process: error reporting and exit codes, and atomic output files. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, reportError, UsageError } from "../../sim/errors.js";
import { AtomicOutput, ChunkedWriter } from "../../sim/io.js";
import { runProgram } from "../../sim/program.js";
import { ScenarioError } from "../../src/scenario/errors.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "kubesim-program-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture(): { text: () => string; write: (s: string) => void } {
  let text = "";
  return { text: () => text, write: (s) => (text += s) };
}

describe("reportError", () => {
  it("prints a scenario error as one `error:` line and exits 2", () => {
    const err = capture();
    const e = new ScenarioError({ file: "s.yaml", line: 3, col: 7 }, "spec.until", 'invalid duration "x"');
    expect(reportError(e, err.write, false)).toBe(EXIT.badInput);
    expect(err.text()).toBe('error: s.yaml:3:7: spec.until: invalid duration "x"\n');
  });

  it("prints a usage error as one line and exits 2", () => {
    const err = capture();
    expect(reportError(new UsageError("bad flag"), err.write, false)).toBe(EXIT.badInput);
    expect(err.text()).toBe("error: bad flag\n");
  });

  it("calls anything else a kubesim bug: exit 3, asks for a report, no stack unless debugging", () => {
    const quiet = capture();
    expect(reportError(new TypeError("x is undefined"), quiet.write, false)).toBe(EXIT.internal);
    expect(quiet.text()).toMatch(/^kubesim: internal error: x is undefined\n.*report it.*KUBESIM_DEBUG=1/s);
    expect(quiet.text()).not.toMatch(/^\s+at /m);
    const loud = capture();
    reportError(new TypeError("x is undefined"), loud.write, true);
    expect(loud.text()).toMatch(/^\s+at /m);
  });
});

describe("runProgram", () => {
  it("prints the version and exits 0", () => {
    const out = capture();
    const code = runProgram(
      ["--version"],
      { out: out.write, err: out.write },
      { version: "9.9.9", debug: false },
    );
    expect(code).toBe(0);
    expect(out.text()).toBe("9.9.9\n");
  });

  it("exits 2 on an invalid flag value, with commander's message", () => {
    const err = capture();
    const io = { out: () => {}, err: err.write };
    expect(runProgram(["run", "x.yaml", "--seed", "1.5"], io, { version: "0", debug: false })).toBe(2);
    expect(err.text()).toMatch(/^error: option '--seed <n>' argument '1\.5' is invalid/);
  });
});

describe("ChunkedWriter", () => {
  it("passes small writes on in large chunks, in order, and flushes the rest", () => {
    const chunks: string[] = [];
    const w = new ChunkedWriter((c) => chunks.push(c));
    for (let i = 0; i < 10_000; i++) w.write(`line ${i}\n`);
    w.flush();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(10);
    expect(chunks.join("")).toBe(Array.from({ length: 10_000 }, (_, i) => `line ${i}\n`).join(""));
  });
});

describe("AtomicOutput", () => {
  it("shows the files only on commit, under their final names", () => {
    const dir = join(tmp, "commit");
    const out = new AtomicOutput(dir, ["a.txt", "b.txt"]);
    out.writer(0)("alpha\n");
    out.writer(1)("beta\n");
    expect(readdirSync(dir).every((f) => f.endsWith(".tmp"))).toBe(true);
    out.commit();
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "b.txt"]);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("alpha\n");
  });

  it("leaves nothing behind on abort, not even the directory it created", () => {
    const dir = join(tmp, "new", "nested");
    const out = new AtomicOutput(dir, ["a.txt"]);
    out.writer(0)("partial");
    out.abort();
    expect(existsSync(join(tmp, "new"))).toBe(false);
  });

  it("keeps a directory that existed before, and its other files, on abort", () => {
    const dir = join(tmp, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "keep.txt"), "mine");
    const out = new AtomicOutput(dir, ["a.txt"]);
    out.abort();
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });
});
