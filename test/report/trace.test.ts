import { describe, expect, it } from "vitest";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { scenarioInfo } from "../../src/report/scenario-info.js";
import { podPhaseName, type TraceEvent, traceJson } from "../../src/report/trace.js";
import { loadScenario } from "../../src/scenario/load.js";
import { readRepoFile, runFile } from "../support/files.js";
import { traceProblems } from "./trace-check.js";

const SCENARIOS = [
  "scenarios/failures/node-crash.yaml",
  "scenarios/rollouts/undo.yaml",
  "scenarios/statefulsets/delete-recreate.yaml",
  "scenarios/probes-and-restarts.yaml",
];

function traceOf(file: string) {
  const { records } = runFile(file);
  const info = scenarioInfo(loadScenario([file], readRepoFile));
  const text = traceJson(records, info);
  return { records, text, events: (JSON.parse(text) as { traceEvents: TraceEvent[] }).traceEvents };
}

describe("trace.json (Chrome trace event format)", () => {
  it.each(SCENARIOS)(
    "%s: every event has name, ph, ts, pid, tid; slices pair; every process is named",
    (file) => {
      const { text } = traceOf(file);
      expect(traceProblems(JSON.parse(text))).toEqual([]);
    },
  );

  it.each(SCENARIOS)("%s: one pod slice per pod, from its creation to its deletion or the end", (file) => {
    const { records, events } = traceOf(file);
    const pods = records.filter((r) => r.type === "object" && r.kind === "Pod");
    const created = pods.filter((r) => r.type === "object" && r.verb === "ADDED");
    const outer = events.filter((e) => e.ph === "b" && e.args?.pod !== undefined);
    expect(outer.map((e) => e.ts)).toEqual(expect.arrayContaining(created.map((r) => r.t * 1000)));
    expect(outer).toHaveLength(created.length);
    const ends = new Map(
      events.filter((e) => e.ph === "e" && e.args === undefined).map((e) => [`${e.id}/${e.name}`, e]),
    );
    const endMs = records.at(-1)!.t;
    for (const b of outer) {
      const e = ends.get(`${b.id}/${b.name}`);
      const deleted = pods.find(
        (r) =>
          r.type === "object" &&
          r.verb === "DELETED" &&
          `${r.namespace}/${r.name}` === b.name &&
          r.t * 1000 >= b.ts,
      );
      expect(e?.ts).toBe((deleted?.t ?? endMs) * 1000);
    }
  });

  it("puts each pod in its node's process, with a process for the control plane", () => {
    const { events } = traceOf("scenarios/failures/node-crash.yaml");
    const names = events.filter((e) => e.name === "process_name").map((e) => e.args?.name);
    expect(names).toEqual(["control plane", "node node-1", "node node-2", "node node-3"]);
    const replacement = events.find((e) => e.ph === "b" && e.name === "default/web-7cf77c887b-sv876");
    expect(replacement?.pid).toBe(2);
  });

  it("writes instants for actions, faults and rollout steps, and counters for requests and availability", () => {
    const { events } = traceOf("scenarios/failures/node-crash.yaml");
    const instants = events.filter((e) => e.ph === "i").map((e) => e.name);
    expect(instants).toContain("fault crash node-2");
    expect(instants.some((n) => n.startsWith("rollout Deployment/default/web"))).toBe(true);
    expect(instants.some((n) => n.startsWith("Recovered Node/node-2"))).toBe(true);
    const available = events.filter((e) => e.ph === "C" && e.name === "available deployment/web");
    expect(available.map((e) => e.args?.available)).toEqual([0, 1, 2, 3, 2, 3]);
    const node1 = events.filter((e) => e.ph === "C" && e.name === "requests" && e.pid === 2);
    expect(node1.at(-1)?.args).toEqual({ "cpu (m)": 200, "memory (Mi)": 256 });
  });

  it("nests the pod's phases: Pending, ContainerCreating, Running, Ready, Terminating", () => {
    const { events } = traceOf("scenarios/failures/node-crash.yaml");
    const phases = events
      .filter((e) => e.id === "pod-2" && e.ph === "b" && e.args === undefined)
      .map((e) => e.name);
    expect(phases).toEqual(["Pending", "ContainerCreating", "Running", "Ready", "Running", "Terminating"]);
  });

  it("is the same bytes on every run", () => {
    expect(traceOf("scenarios/rollouts/undo.yaml").text).toBe(traceOf("scenarios/rollouts/undo.yaml").text);
  });

  it("marks a broken invariant with a global instant", () => {
    const recs: TimelineRecord[] = [
      {
        t: 7,
        type: "violation",
        invariant: "rollout-bounds",
        message: "too many",
        objects: [],
        chain: [],
        seed: 1,
      },
    ];
    const doc = JSON.parse(traceJson(recs));
    expect(traceProblems(doc)).toEqual([]);
    expect(doc.traceEvents).toContainEqual(
      expect.objectContaining({ name: "✗ rollout-bounds", ph: "i", s: "g", ts: 7000 }),
    );
  });

  it("is a complete document for an empty or unfinished stream", () => {
    expect(traceProblems(JSON.parse(traceJson([])))).toEqual([]);
    const partial: TimelineRecord[] = [
      {
        t: 5,
        type: "object",
        verb: "ADDED",
        kind: "Pod",
        namespace: "default",
        name: "p",
        state: { phase: "Pending", node: null },
      },
    ];
    expect(traceProblems(JSON.parse(traceJson(partial)))).toEqual([]);
  });

  it.each([
    [{ phase: "Pending", node: null }, "Pending"],
    [{ phase: "Pending", node: "n" }, "ContainerCreating"],
    [{ phase: "Running", ready: false }, "Running"],
    [{ phase: "Running", ready: true }, "Ready"],
    [{ phase: "Running", ready: true, deleting: true }, "Terminating"],
    [{ phase: "Succeeded" }, "Succeeded"],
  ])("names the phase of %j %s", (state, name) => {
    expect(podPhaseName(state)).toBe(name);
  });
});
