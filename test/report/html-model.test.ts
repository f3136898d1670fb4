import { describe, expect, it } from "vitest";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { WORDS } from "../../src/report/html/i18n.js";
import { POD_STATES, ReportModelBuilder, reportHtml, rolloutBand } from "../../src/report/html/index.js";
import { scenarioInfo } from "../../src/report/scenario-info.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile, runFile } from "../support/files.js";

function modelOf(file: string) {
  const { records } = runFile(file);
  const scenario = loadScenario([file], readRepoFile);
  const b = new ReportModelBuilder(scenario, "en", scenarioInfo(scenario));
  for (const r of records) b.add(r);
  return { records, model: b.model() };
}

const state = (name: (typeof POD_STATES)[number]) => POD_STATES.indexOf(name);

describe("the report page's model", () => {
  it("keeps each pod from creation to deletion with its states, node and owner", () => {
    const { model } = modelOf("scenarios/failures/node-crash.yaml");
    expect(model.pods).toHaveLength(4);
    const lost = model.pods.find((p) => p.name === "web-7cf77c887b-sfj6k")!;
    expect(lost.node).toBe("node-2");
    expect(lost.deletedMs).toBeNull(); // its kubelet is dead: it stays Terminating
    expect(lost.segs.map(([, s]) => POD_STATES[s])).toEqual([
      "Pending",
      "ContainerCreating",
      "Running",
      "Ready",
      "Running",
      "Terminating",
    ]);
    expect(model.owners[lost.owner]).toEqual({
      owner: "ReplicaSet/web-7cf77c887b",
      workload: "Deployment/web",
      revision: "1",
    });
  });

  it("records available replicas, desired replicas and ReplicaSet sizes per workload", () => {
    const { model } = modelOf("scenarios/failures/node-crash.yaml");
    const web = model.workloads.find((w) => w.key === "Deployment/web")!;
    expect(web.available.map(([, v]) => v)).toEqual([0, 1, 2, 3, 2, 3]);
    expect(web.desired).toEqual([[0, 3]]);
    expect(web.replicaSets["web-7cf77c887b"]?.map(([, v]) => v)).toEqual([3]);
    expect(web.strategy).toMatchObject({ strategy: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" });
  });

  it("keeps the recovery summary of each fault, narration, actions and every event", () => {
    const { model, records } = modelOf("scenarios/failures/node-crash.yaml");
    expect(model.faults).toHaveLength(1);
    expect(model.faults[0]?.data).toMatchObject({ fault: "crash", node: "node-2", totalMs: 355_125 });
    expect(model.narration).toHaveLength(3);
    expect(model.actions).toEqual([{ t: 60_000, action: "fault", args: '{"type":"crash","node":"node-2"}' }]);
    expect(model.events).toHaveLength(records.filter((r) => r.type === "event").length);
    expect(model.expectations.every((e) => e.ok)).toBe(true);
    expect(model.seed).toBe(1);
  });

  it("follows kubectl scale for the desired replicas", () => {
    const b = new ReportModelBuilder({ name: "s", file: "s.yaml" });
    const recs: TimelineRecord[] = [
      {
        t: 0,
        type: "object",
        verb: "ADDED",
        kind: "Deployment",
        namespace: "default",
        name: "web",
        state: { availableReplicas: 0 },
      },
      {
        t: 10,
        type: "action",
        action: "kubectl",
        args: "scale deployment/web --replicas=5",
        output: "deployment.apps/web scaled",
      },
    ];
    for (const r of recs) b.add(r);
    // No manifest known: the desired count starts unknown, then follows the scale.
    expect(b.model().workloads[0]?.desired).toEqual([[10, 5]]);
  });

  it("keeps broken invariants", () => {
    const b = new ReportModelBuilder({ name: "s", file: "s.yaml" });
    b.add({
      t: 7,
      type: "violation",
      invariant: "rollout-bounds",
      message: "too many",
      objects: [],
      chain: [],
      seed: 1,
    });
    expect(b.model().violations).toEqual([{ t: 7, invariant: "rollout-bounds", message: "too many" }]);
  });

  it("records a Failed pod and its restarts", () => {
    const b = new ReportModelBuilder({ name: "s", file: "s.yaml" });
    const pod = (t: number, s: Record<string, unknown>): TimelineRecord => ({
      t,
      type: "object",
      verb: t === 0 ? "ADDED" : "MODIFIED",
      kind: "Pod",
      namespace: "default",
      name: "p",
      state: { node: "n1", ready: false, restarts: 0, ...s },
    });
    for (const r of [
      pod(0, { phase: "Pending" }),
      pod(5, { phase: "Running", restarts: 2 }),
      pod(9, { phase: "Failed", restarts: 2 }),
    ])
      b.add(r);
    const p = b.model().pods[0]!;
    expect(p.segs).toEqual([
      [0, state("ContainerCreating")],
      [5, state("Running")],
      [9, state("Failed")],
    ]);
    expect(p.restartsMs).toEqual([5, 5]);
    expect(p.owner).toBe(-1);
  });

  it.each([
    [{ replicas: 4, strategy: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" }, 4, [3, 5]],
    [{ replicas: 3, strategy: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" }, 3, [3, 4]],
    [{ replicas: 10, strategy: "RollingUpdate", maxSurge: 0, maxUnavailable: "0%" }, 10, [9, 10]],
    [{ replicas: 10, strategy: "RollingUpdate", maxSurge: "35%", maxUnavailable: 2 }, 10, [8, 14]],
    [{ replicas: 3, strategy: "Recreate", maxSurge: "25%", maxUnavailable: "25%" }, 3, [0, 3]],
  ] as const)("band of %j at %i desired: %j (surge rounds up, unavailable down)", (p, desired, band) => {
    expect(rolloutBand(p, desired)).toEqual(band);
  });
});

describe("report.html", () => {
  it("is one self-contained page: no external URLs, the data embedded, safe against </script> in names", () => {
    const b = new ReportModelBuilder({ name: "</script><b>x", file: "x.yaml" });
    b.add({ t: 0, type: "narrate", en: "</script> <!-- x" });
    const html = reportHtml(b.model());
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('<script type="application/json" id="kubesim-data">');
    expect(html).toContain("\\u003c/script>\\u003cb>x");
  });

  it("is the same bytes for the same run", () => {
    const html = () => reportHtml(modelOf("scenarios/rollouts/undo.yaml").model);
    expect(html()).toBe(html());
  });

  it("has every word in both languages", () => {
    expect(Object.keys(WORDS.zh).sort()).toEqual(Object.keys(WORDS.en).sort());
    for (const [k, v] of Object.entries(WORDS.zh)) expect(v, k).not.toBe("");
  });
});
