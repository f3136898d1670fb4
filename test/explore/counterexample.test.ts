// The counterexample file: the scenario's own documents with the faults appended and the seed
// pinned, loadable from its new directory (relative paths rewritten), and plain manifests get a
// Scenario document of their own.
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { Cluster } from "../../src/cluster/cluster.js";
import { counterexampleYaml } from "../../src/explore/counterexample.js";
import type { FaultSchedule } from "../../src/explore/schedule.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile } from "../support/files.js";

const SCHEDULE: FaultSchedule = [
  { atMs: 90_000, type: "partition", node: "node-2", forMs: 30_000 },
  { atMs: 30_000, type: "crash", node: "node-1" },
];

/** The counterexample of `file` as if written to reports/x/, read back through a file map. */
function rewrite(file: string, clusterSeed = 9, invariants: string[] = []) {
  const scenario = loadScenario([file], readRepoFile);
  const text = counterexampleYaml({
    files: [file],
    read: readRepoFile,
    scenario,
    clusterSeed,
    invariants,
    schedule: SCHEDULE,
    relocate: (p) => `../../${p}`,
    header: [
      "Counterexample found by kubesim explore.",
      "Replay: kubesim check reports/x/counterexample.yaml",
    ],
  });
  const read = (p: string) => (p === "reports/x/counterexample.yaml" ? text : readRepoFile(p));
  return { scenario, text, loaded: loadScenario(["reports/x/counterexample.yaml"], read) };
}

describe("counterexampleYaml", () => {
  test("appends the faults in time order after the scenario's actions and pins the cluster seed", () => {
    const { scenario, text, loaded } = rewrite("scenarios/hello.yaml");
    expect(text.startsWith("# Counterexample found by kubesim explore.\n# Replay: kubesim check")).toBe(true);
    expect(text).toContain("# The smallest useful scenario"); // the scenario's own comments stay
    expect(loaded.seed).toBe(9);
    expect(loaded.actions.slice(0, scenario.actions.length).map((a) => a.kind)).toEqual(["kubectl"]);
    expect(loaded.actions.slice(scenario.actions.length)).toMatchObject([
      { kind: "fault", atMs: 30_000, fault: { type: "crash", node: "node-1" } },
      { kind: "fault", atMs: 90_000, fault: { type: "partition", node: "node-2", forMs: 30_000 } },
    ]);
    expect(text).toContain("fault: {node: node-1, type: crash}");
    expect(loaded.objects.map((o) => o.object)).toEqual(scenario.objects.map((o) => o.object));
    expect(loaded.expect.map((e) => e.that.text)).toEqual(scenario.expect.map((e) => e.that.text));
  });

  test("lists the invariants the runs checked, so kubesim check checks them too", () => {
    const { loaded, text } = rewrite("scenarios/hello.yaml", 9, ["rollout-bounds", "convergence"]);
    expect(loaded.invariants).toEqual(["rollout-bounds", "convergence"]);
    expect(text).toContain("  invariants:\n    - rollout-bounds\n    - convergence\n");
    expect(rewrite("scenarios/hello.yaml").loaded.invariants).toBeUndefined();
  });

  test("rewrites kubectl -f paths so the files are found from the counterexample's directory", () => {
    const { scenario, text, loaded } = rewrite("scenarios/storage/failed-mount.yaml");
    expect(text).toContain("kubectl: apply -f ../../scenarios/storage/manifests/late-secret.yaml");
    const applied = (s: typeof scenario) =>
      s.actions.flatMap((a) => (a.kind === "kubectl" ? (a.command.objects ?? []) : []));
    expect(applied(loaded)).toEqual(applied(scenario));
  });

  test("the counterexample runs exactly as the scenario with the faults added", () => {
    const { scenario, loaded } = rewrite("scenarios/hello.yaml", 1);
    const original = new Cluster(
      { ...scenario, actions: [...scenario.actions, ...loaded.actions.slice(scenario.actions.length)] },
      {},
    ).run();
    expect(new Cluster(loaded).run()).toEqual(original);
  });

  test("plain manifests get a Scenario document with the run's length and the faults", () => {
    const { text, loaded, scenario } = rewrite("scenarios/examples/plain-manifest.yaml");
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs[0]).toMatchObject({
      kind: "Scenario",
      metadata: { name: "plain-manifest" },
      spec: { seed: 9 },
    });
    expect(loaded.untilMs).toBe(scenario.untilMs);
    expect(loaded.nodes).toEqual(scenario.nodes);
    expect(loaded.objects.map((o) => o.object)).toEqual(scenario.objects.map((o) => o.object));
    expect(loaded.actions.map((a) => a.kind)).toEqual(["fault", "fault"]);
  });
});
