/** The `kubesim` command line end to end: run, check and get, their output, files and exit codes. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubesim, MAIN, parseJsonl, ROOT, requireBuild } from "./helpers.js";

const PASS = "test/e2e/fixtures/pass.yaml";
const FAIL = "test/e2e/fixtures/fail.yaml";
const REPLAY = "test/e2e/fixtures/replay.yaml";

let tmp: string;
beforeAll(() => {
  requireBuild();
  tmp = mkdtempSync(join(tmpdir(), "kubesim-e2e-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("kubesim run", () => {
  it("streams the text timeline to stdout and exits 0 when every expectation holds", () => {
    const r = kubesim(["run", PASS]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("▶ kubectl scale deployment/web --replicas=5");
    expect(r.stdout).toContain("✓ expect deployment/web desired == 5");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/■ end: \d+ events; .*seed 7$/);
  });

  it("prints one JSON record a line with --format jsonl, in time order, ending with the end record", () => {
    const r = kubesim(["run", PASS, "--format", "jsonl"]);
    expect(r.code).toBe(0);
    const records = parseJsonl(r.stdout);
    expect(records.length).toBeGreaterThan(3);
    for (const rec of records) {
      expect(typeof rec.t).toBe("number");
      expect(typeof rec.type).toBe("string");
    }
    const times = records.map((rec) => rec.t as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(records.at(-1)).toMatchObject({ type: "end", t: 180_000, seed: 7 });
    expect(records).toContainEqual(
      expect.objectContaining({
        type: "action",
        action: "kubectl",
        args: "scale deployment/web --replicas=5",
      }),
    );
  });

  it("honours --seed and --until", () => {
    const records = parseJsonl(
      kubesim(["run", PASS, "--format", "jsonl", "--seed", "99", "--until", "90s"]).stdout,
    );
    expect(records.at(-1)).toMatchObject({ type: "end", t: 90_000, seed: 99 });
  });

  it("writes the report files with --out, the same bytes as stdout, and no temporary files", () => {
    const dir = join(tmp, "out-pass");
    const r = kubesim(["run", PASS, "--out", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*timeline\.jsonl, .*timeline\.txt, .*trace\.json and .*report\.html: \d+ records, 3m0s simulated, seed 7\n$/,
    );
    expect(readdirSync(dir).sort()).toEqual(["report.html", "timeline.jsonl", "timeline.txt", "trace.json"]);
    expect(readFileSync(join(dir, "trace.json"), "utf8")).toBe(
      kubesim(["run", PASS, "--format", "trace"]).stdout,
    );
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe(
      kubesim(["run", PASS, "--format", "html"]).stdout,
    );
    const jsonl = readFileSync(join(dir, "timeline.jsonl"), "utf8");
    expect(() => parseJsonl(jsonl)).not.toThrow();
    expect(jsonl).toBe(kubesim(["run", PASS, "--format", "jsonl"]).stdout);
    expect(readFileSync(join(dir, "timeline.txt"), "utf8")).toBe(kubesim(["run", PASS]).stdout);
  });

  it("exits 1 when an expectation fails, with the timeline still complete", () => {
    const r = kubesim(["run", FAIL]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ expect deployment/web desired == 4 — 3 at 30s");
    expect(r.stdout).toContain("■ end:");
  });

  it("prints the Chrome trace event format with --format trace", () => {
    const r = kubesim(["run", PASS, "--format", "trace"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { traceEvents: { ph: string }[]; displayTimeUnit: string };
    expect(doc.displayTimeUnit).toBe("ms");
    expect(doc.traceEvents.some((e) => e.ph === "b")).toBe(true);
  });

  it("prints report.html with --format html, in the language of --lang", () => {
    const en = kubesim(["run", PASS, "--format", "html"]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    const zh = kubesim(["run", PASS, "--format", "html", "--lang", "zh"]);
    expect(zh.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    const bad = kubesim(["run", PASS, "--format", "html", "--lang", "fr"]);
    expect(bad.code).toBe(2);
  });

  it("prints only the summary with --format summary: the text timeline's last lines and the record counts", () => {
    const r = kubesim(["run", PASS, "--format", "summary"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const records = parseJsonl(kubesim(["run", PASS, "--format", "jsonl"]).stdout);
    const text = kubesim(["run", PASS]).stdout.trimEnd().split("\n");
    const summaryLines = text.filter((l) =>
      /^\s+\d+:\d{2}\.\d{3}\s+(✓ expect|✗ expect|✗ violation|■ end)/.test(l),
    );
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual(summaryLines);
    const count = (type: string) => records.filter((rec) => rec.type === type).length;
    expect(lines.at(-1)).toBe(
      `              ${records.length} records: ${count("object")} object, ${count("event")} event, ` +
        `${count("action")} action, ${count("step")} step, ${count("expect")} expect, 1 end`,
    );
  });

  it("exits 1 with --format summary when an expectation fails, the failure in the summary", () => {
    const r = kubesim(["run", FAIL, "--format", "summary"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ expect deployment/web desired == 4 — 3 at 30s");
    expect(r.stdout).not.toContain("▶ kubectl");
  });

  it("refuses an --out path that is a file (exit 2) and leaves it alone", () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "keep me");
    const r = kubesim(["run", PASS, "--out", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --out .*a-file: cannot write there/);
    expect(readFileSync(file, "utf8")).toBe("keep me");
  });
});

describe("kubesim check", () => {
  it("prints a ✓ line per expectation and a PASS verdict with the seed and the replay command", () => {
    const r = kubesim(["check", PASS]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^✓ node\/node-1 ready == true — true at \S+$/);
    expect(lines.slice(1, 3)).toEqual([
      "✓ deployment/web desired == 3 — 3 at 30s",
      "✓ deployment/web desired == 5 — 5 at 2m0s",
    ]);
    expect(lines[3]).toBe(
      `PASS: all 3 expectations held (ran pass to 3m0s with seed 7). Replay: kubesim run ${PASS} --seed 7`,
    );
  });

  it("prints ✗ with the detail and exits 1 when an expectation fails", () => {
    const r = kubesim(["check", FAIL, "--seed", "3"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ deployment/web desired == 4 — 3 at 30s\n");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(
      `FAIL: 1 of 3 expectations failed (ran fail to 3m0s with seed 3). Replay: kubesim run ${FAIL} --seed 3`,
    );
  });

  it("exits 0 with a note when there is nothing to check", () => {
    const r = kubesim(["check", "scenarios/examples/plain-manifest.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No expectations to check: ran plain-manifest to 10m0s with seed 1\./);
  });
});

describe("kubesim get", () => {
  it("prints nodes as kubectl's table", () => {
    const r = kubesim(["get", "nodes", "-f", PASS, "--at", "2m"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("NAME     STATUS   ROLES    AGE   VERSION");
    expect(lines[1]).toMatch(/^node-1 {3}Ready {4}<none> {3}\S+ +v1\.33/);
    expect(lines).toHaveLength(3);
  });

  it("prints deployments with READY as ready/desired", () => {
    const r = kubesim(["get", "deploy", "-f", PASS, "--at", "90s"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$/);
    expect(lines[1]).toMatch(
      /^web +\d+\/5 +\d+ +\d+ +30s$/.source.includes("30s") ? /^web +\d+\/5 +\d+ +\d+ +\S+$/ : /$/,
    );
  });

  it("prints pods, with the wide columns on -o wide", () => {
    const r = kubesim(["get", "pods", "-f", REPLAY, "--at", "10s", "-o", "wide"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/,
    );
    expect(lines.slice(1)).toHaveLength(2);
    for (const l of lines.slice(1)) expect(l).toMatch(/^worker-[a-z0-9]{5} +\d\/1 +\S+ +\d+ +10s /);
  });

  it("prints a List with -o json, shaped as kubectl prints it", () => {
    const r = kubesim(["get", "pods", "-f", REPLAY, "--at", "10s", "-o", "json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(Object.keys(list)).toEqual(["apiVersion", "items", "kind", "metadata"]);
    expect(list).toMatchObject({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } });
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).toMatchObject({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { namespace: "default" },
    });
    expect(r.stdout.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n')).toBe(true);
  });

  it("prints one named object by itself with -o json, and YAML with -o yaml", () => {
    const json = JSON.parse(kubesim(["get", "deployment/web", "-f", PASS, "-o", "json"]).stdout);
    expect(json).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } });
    const yaml = kubesim(["get", "deploy", "web", "-f", PASS, "-o", "yaml"]).stdout;
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);
  });

  it("separates several kinds by a blank line and names objects with their kind", () => {
    const r = kubesim(["get", "deploy,nodes", "-f", PASS, "--at", "1m"]);
    expect(r.code).toBe(0);
    const [deploys, nodes] = r.stdout.split("\n\n");
    expect(deploys).toMatch(/\ndeployment\.apps\/web /);
    expect(nodes).toMatch(/^NAME +STATUS/);
    expect(nodes).toMatch(/\nnode\/node-1 /);
  });

  it("says `No resources found in default namespace.` when there is nothing", () => {
    const r = kubesim(["get", "statefulsets", "-f", PASS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("No resources found in default namespace.\n");
    expect(kubesim(["get", "sts", "-f", PASS, "-A"]).stderr).toBe("No resources found\n");
  });

  it("reports a missing named object as kubectl does, with exit 1", () => {
    const r = kubesim(["get", "deploy/nope", "-f", PASS]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it("asks for -f FILE when it is missing (exit 2)", () => {
    const r = kubesim(["get", "pods"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: -f FILE is required: the scenario or manifests to simulate\n");
  });

  it("rejects an unknown resource type with exit 2", () => {
    const r = kubesim(["get", "widgets", "-f", PASS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
  });
});

/** Bad inputs: each exits 2 with one precise `error: file:line:col: field: message` line, no stack, no files. */
describe("bad input", () => {
  const bad = (name: string) => `test/e2e/bad/${name}`;
  it.each<[string, string[], RegExp]>([
    [
      "malformed YAML",
      [bad("malformed.yaml")],
      /^error: test\/e2e\/bad\/malformed\.yaml:7:3: invalid YAML: /,
    ],
    [
      "a YAML alias bomb",
      [bad("alias-bomb.yaml")],
      /^error: test\/e2e\/bad\/alias-bomb\.yaml:9:8: .*alias bomb/,
    ],
    [
      "a __proto__ key",
      [bad("proto-key.yaml")],
      /^error: test\/e2e\/bad\/proto-key\.yaml:6:5: metadata\.labels\.__proto__: forbidden key "__proto__"/,
    ],
    [
      "replicas: -1",
      [bad("replicas-negative.yaml")],
      /^error: test\/e2e\/bad\/replicas-negative\.yaml:8:13: .*spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    ],
    [
      "replicas: 1e12",
      [bad("replicas-huge.yaml")],
      /^error: test\/e2e\/bad\/replicas-huge\.yaml:8:13: .*spec\.replicas: Invalid value: 1000000000000/,
    ],
    [
      "a bad duration",
      [bad("bad-duration.yaml")],
      /^error: test\/e2e\/bad\/bad-duration\.yaml:6:10: spec\.until: invalid duration "5 minutes"/,
    ],
    [
      "an unknown kind",
      [bad("unknown-kind.yaml")],
      /^error: test\/e2e\/bad\/unknown-kind\.yaml:2:7: kind: unknown kind "Deploymnet" \(did you mean "Deployment"\?\)/,
    ],
    [
      "an unknown scenario key",
      [bad("unknown-key.yaml")],
      /^error: test\/e2e\/bad\/unknown-key\.yaml:7:3: spec\.nodez: unknown field "nodez" \(did you mean "nodes"\?\)/,
    ],
    [
      "a missing manifest file",
      [bad("missing-manifest.yaml")],
      /^error: test\/e2e\/bad\/missing-manifest\.yaml:7:15: spec\.manifests\[0\]: file not found: "manifests\/does-not-exist\.yaml"/,
    ],
    [
      "a missing scenario file",
      [bad("nope.yaml")],
      /^error: test\/e2e\/bad\/nope\.yaml: cannot read the file/,
    ],
    ["an empty file", [bad("empty.yaml")], /^error: test\/e2e\/bad\/empty\.yaml:1:1: file is empty/],
    [
      "a scenario that is a YAML list",
      [bad("list.yaml")],
      /^error: test\/e2e\/bad\/list\.yaml:1:1: expected a mapping/,
    ],
    ["a directory", ["test/e2e/bad"], /^error: test\/e2e\/bad: is a directory/],
    [
      "a negative --seed",
      [PASS, "--seed", "-1"],
      /^error: option '--seed <n>' argument '-1' is invalid\. expected a non-negative integer/,
    ],
    [
      "a --seed that is not a number",
      [PASS, "--seed", "abc"],
      /^error: option '--seed <n>' argument 'abc' is invalid/,
    ],
    [
      "a bad --until",
      [PASS, "--until", "5minutes"],
      /^error: option '--until <duration>' argument '5minutes' is invalid/,
    ],
    ["an unknown flag", [PASS, "--sed", "1"], /^error: unknown option '--sed'/],
  ])("%s", (_name, args, message) => {
    const out = join(tmp, `bad-${_name.replace(/\W+/g, "-")}`);
    const r = kubesim(["run", ...args, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 for commander's own usage errors, like a missing command argument", () => {
    const r = kubesim(["run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: missing required argument 'file'/);
  });
});

describe("the built program", () => {
  it("runs as an executable, as `npx kubesim` starts it (the build marks it executable)", () => {
    requireBuild();
    const r = spawnSync(MAIN, ["run", PASS, "--format", "summary"], { cwd: ROOT, encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("end");
  });
});
