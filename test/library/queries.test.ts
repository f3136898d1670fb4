// simulate() answers questions from the timeline: state at a time, counts over windows, the
// fewest available replicas in a window; its faults option adds fault actions to the scenario.
import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../src/index.js";
import { simulate } from "../../src/library/index.js";

const TEXT = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: q}
spec:
  until: 4m
  actions:
    - {at: 1m, kubectl: scale deployment/web --replicas=4}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, readinessProbe: {httpGet: {path: /, port: 80}}}]
`;

describe("simulate", () => {
  const sim = simulate(TEXT);

  test("runs the YAML text to its end, checking every invariant by default", () => {
    expect(sim.summary.endMs).toBe(4 * 60_000);
    expect(sim.ok).toBe(true);
    expect(sim.records.at(-1)?.type).toBe("end");
  });

  test("stateAt gives the compact state at a time, by any kind spelling", () => {
    expect(sim.stateAt("Deployment", "api")).toBeUndefined();
    expect(sim.stateAt("deploy", "web", 59_000)?.availableReplicas).toBe(2);
    expect(sim.stateAt("deployments", "default/web")?.availableReplicas).toBe(4);
    expect(sim.stateAt("node", "node-1")?.ready).toBe("True");
  });

  test("count counts objects that matched at some moment in a window", () => {
    expect(sim.count("pods")).toBe(4);
    expect(sim.count("pods", (s) => s.ready === true, 0, 59_000)).toBe(2);
    expect(sim.count("Node", (s) => s.ready !== "True", 30_000)).toBe(0);
  });

  test("minAvailable and maxUnavailable read a window of the Deployment's status", () => {
    expect(sim.minAvailable("web", 30_000, 59_000)).toBe(2);
    expect(sim.minAvailable("web", 30_000)).toBe(2);
    expect(sim.maxUnavailable("web", 60_000)).toBe(2);
    expect(() => sim.minAvailable("api")).toThrow(/Deployment api does not exist/);
  });

  test("events filter by reason", () => {
    const scaled = sim
      .events({ reason: "ScalingReplicaSet" })
      .map((e) => e.message.replace(/web-\w+/, "web-*"));
    expect(scaled).toEqual([
      "Scaled up replica set web-* from 0 to 2",
      "Scaled up replica set web-* from 2 to 4",
    ]);
  });

  test("faults add fault actions; the same seed and faults give the same records", () => {
    const faults = [{ atMs: 90_000, fault: { type: "crash" as const, node: "node-1" }, forMs: 60_000 }];
    const a = simulate(TEXT, { faults, seed: 7 });
    const b = simulate(TEXT, { faults, seed: 7 });
    expect(a.records.filter((r) => r.type === "action" && r.action === "fault")).toHaveLength(1);
    expect(JSON.stringify(a.records)).toBe(JSON.stringify(b.records));
  });

  test("bad text throws ScenarioError naming scenario.yaml", () => {
    expect(() => simulate("kind: Scenario\napiVersion: kubesim.dev/v1alpha1\nspec: {until: soon}")).toThrow(
      ScenarioError,
    );
  });
});
