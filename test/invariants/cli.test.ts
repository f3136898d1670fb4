// `kubesim check` reports broken invariants with their causal chain and exits 1; `run` writes them
// as `violation` records; `--invariants` takes `all` or names and refuses unknown ones (exit 2).
import { beforeAll, describe, expect, test } from "vitest";
import { kubesim, parseJsonl, requireBuild } from "../e2e/helpers.js";

beforeAll(requireBuild);

const FORCE_DELETE = "test/invariants/fixtures/force-delete.yaml";

describe("kubesim check with invariants", () => {
  test("a broken invariant fails the check with what led there, and the replay command", () => {
    const r = kubesim(["check", FORCE_DELETE]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^✗ invariant statefulset-identity at 1m33\.588s — two pods run StatefulSet identity default\/db-0: the one on node-1 /,
    );
    expect(lines[1]).toBe("    what led there:");
    expect(lines).toContain("      1m30s kubectl delete pod db-0 --grace-period=0 --force");
    expect(lines).toContain('      1m0s fault {"type":"partition","node":"node-1"}');
    expect(lines.at(-2)).toBe(
      `FAIL: 1 invariant violation (ran force-delete-identity to 3m0s with seed 1). Replay: kubesim run ${FORCE_DELETE} --seed 1`,
    );
  });

  test("run --format jsonl writes the violation as a record", () => {
    const records = parseJsonl(kubesim(["run", FORCE_DELETE, "--format", "jsonl"]).stdout);
    const v = records.filter((r) => r.type === "violation");
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      // The replacement starts 300 ms after scheduling: its token volume is mounted first.
      t: 93_588,
      invariant: "statefulset-identity",
      objects: ["Pod/default/db-0", "Node/node-1", "Node/node-2"],
      seed: 1,
    });
  });

  test("--invariants all checks every invariant of a scenario that has none of its own", () => {
    const r = kubesim(["check", "scenarios/hello.yaml", "--invariants", "all"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").at(-2)).toMatch(
      /^PASS: all 5 expectations held, invariants: all held \(ran hello/,
    );
  });

  test("an unknown invariant name is bad input", () => {
    const r = kubesim(["check", "scenarios/hello.yaml", "--invariants", "rollout-bounds,identity"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown invariant "identity"');
  });
});
