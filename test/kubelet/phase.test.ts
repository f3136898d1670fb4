/** getPhase and the pod conditions, as tables from kubelet_pods.go getPhase and status/generate.go. */
import { describe, expect, test } from "vitest";
import type { ContainerStatus } from "../../src/api/types.js";
import {
  containersReadyCondition,
  getPhase,
  initializedCondition,
  type PhaseSpec,
  podReadyCondition,
} from "../../src/kubelet/phase.js";

const running = (name: string, ready = true): ContainerStatus => ({
  name,
  ready,
  restartCount: 0,
  image: "x",
  imageID: "",
  state: { running: { startedAt: "2025-01-01T00:00:00Z" } },
});
const terminated = (name: string, exitCode: number): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: "x",
  imageID: "",
  state: { terminated: { exitCode } },
});
const waiting = (name: string, reason = "ContainerCreating"): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: "x",
  imageID: "",
  state: { waiting: { reason } },
});
/** Waiting after a crash: CrashLoopBackOff with the last run's exit code. */
const crashLoop = (name: string, exitCode: number): ContainerStatus => ({
  ...waiting(name, "CrashLoopBackOff"),
  lastState: { terminated: { exitCode } },
});

const spec = (policy: "Always" | "OnFailure" | "Never", init: string[] = []): PhaseSpec => ({
  restartPolicy: policy,
  initContainers: init.map((name) => ({ name })),
  containers: [{ name: "a" }, { name: "b" }],
});

type Row = [string, "Always" | "OnFailure" | "Never", ContainerStatus[], string];

describe("getPhase (regular containers)", () => {
  const rows: Row[] = [
    ["all running", "Always", [running("a"), running("b")], "Running"],
    ["one still creating", "Always", [running("a"), waiting("b")], "Pending"],
    ["none reported yet", "Always", [], "Pending"],
    ["one unknown, one running", "Always", [running("a")], "Pending"],
    ["one exited 0, one running", "Never", [terminated("a", 0), running("b")], "Running"],
    ["all exited 0, Always restarts them", "Always", [terminated("a", 0), terminated("b", 0)], "Running"],
    ["all exited 0, OnFailure", "OnFailure", [terminated("a", 0), terminated("b", 0)], "Succeeded"],
    ["all exited 0, Never", "Never", [terminated("a", 0), terminated("b", 0)], "Succeeded"],
    ["one failed, Never", "Never", [terminated("a", 1), terminated("b", 0)], "Failed"],
    ["one failed, OnFailure restarts it", "OnFailure", [terminated("a", 1), terminated("b", 0)], "Running"],
    ["one failed, Always restarts it", "Always", [terminated("a", 1), terminated("b", 0)], "Running"],
    ["CrashLoopBackOff counts as stopped", "Always", [crashLoop("a", 1), crashLoop("b", 1)], "Running"],
    ["CrashLoopBackOff with one running", "Always", [crashLoop("a", 1), running("b")], "Running"],
    ["CrashLoopBackOff, OnFailure", "OnFailure", [crashLoop("a", 1), terminated("b", 0)], "Running"],
    ["image pull failing on first start", "Always", [waiting("a", "ErrImagePull"), running("b")], "Pending"],
  ];
  test.each(rows)("%s (restartPolicy %s)", (_name, policy, statuses, phase) => {
    expect(getPhase(spec(policy), statuses, false, true)).toBe(phase);
  });
});

describe("getPhase (terminal pods end by exit codes, whatever the policy)", () => {
  test.each([
    ["Always", [terminated("a", 0), terminated("b", 0)], "Succeeded"],
    ["Always", [terminated("a", 137), terminated("b", 0)], "Failed"],
    ["OnFailure", [terminated("a", 1), terminated("b", 0)], "Failed"],
  ] as const)("restartPolicy %s", (policy, statuses, phase) => {
    expect(getPhase(spec(policy), [...statuses], true, true)).toBe(phase);
  });
});

describe("getPhase (init containers)", () => {
  const init = ["i1", "i2"];
  test("an init container still running keeps the pod Pending", () => {
    expect(getPhase(spec("Always", init), [terminated("i1", 0), running("i2")], false, false)).toBe(
      "Pending",
    );
  });
  test("a failed init container fails the pod when restartPolicy is Never", () => {
    expect(getPhase(spec("Never", init), [terminated("i1", 1), waiting("i2")], false, false)).toBe("Failed");
  });
  test("a failed init container is retried (Pending) under Always and OnFailure", () => {
    expect(getPhase(spec("Always", init), [crashLoop("i1", 1)], false, false)).toBe("Pending");
    expect(getPhase(spec("OnFailure", init), [terminated("i1", 1)], false, false)).toBe("Pending");
  });
  test("completed init containers let the regular containers decide", () => {
    const st = [terminated("i1", 0), terminated("i2", 0), running("a"), running("b")];
    expect(getPhase(spec("Always", init), st, false, true)).toBe("Running");
  });
});

describe("pod conditions", () => {
  const s = spec("Always");
  test("ContainersReady and Ready name the unready containers", () => {
    const st = [running("a", true), running("b", false)];
    expect(containersReadyCondition(s, st, "Running")).toEqual({
      type: "ContainersReady",
      status: "False",
      reason: "ContainersNotReady",
      message: "containers with unready status: [b]",
    });
    expect(podReadyCondition(s, [], st, "Running")).toMatchObject({ type: "Ready", status: "False" });
  });
  test("unknown and unready containers are both listed", () => {
    expect(containersReadyCondition(s, [waiting("a")], "Pending").message).toBe(
      "containers with unknown status: [b], containers with unready status: [a]",
    );
  });
  test("a Succeeded pod is not ready, reason PodCompleted; a Failed one PodFailed", () => {
    const st = [terminated("a", 0), terminated("b", 0)];
    expect(podReadyCondition(s, [], st, "Succeeded")).toEqual({
      type: "Ready",
      status: "False",
      reason: "PodCompleted",
    });
    expect(podReadyCondition(s, [], st, "Failed").reason).toBe("PodFailed");
  });
  test("readiness gates hold Ready back until their condition is True", () => {
    const gated: PhaseSpec = { ...s, readinessGates: [{ conditionType: "example.com/lb" }] };
    const st = [running("a"), running("b")];
    expect(podReadyCondition(gated, [], st, "Running")).toMatchObject({
      status: "False",
      reason: "ReadinessGatesNotReady",
    });
    const ok = [{ type: "example.com/lb", status: "True" }];
    expect(podReadyCondition(gated, ok, st, "Running").status).toBe("True");
  });
  test("Initialized lists init containers that have not completed", () => {
    const si = spec("Always", ["i1", "i2"]);
    const st = [{ ...terminated("i1", 0), ready: true }, running("i2", false)];
    expect(initializedCondition(si, st, "Pending")).toEqual({
      type: "Initialized",
      status: "False",
      reason: "ContainersNotInitialized",
      message: "containers with incomplete status: [i2]",
    });
  });
});
