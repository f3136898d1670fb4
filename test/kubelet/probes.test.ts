/** Probe workers: thresholds, periods, initial delay and the initial results of prober/worker.go. */

import type { Probe } from "kubernetes-types/core/v1.js";
import { describe, expect, test } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { type ContainerRecord, newRecord } from "../../src/kubelet/container-record.js";
import { type ProbeHost, type ProbeKind, type ProbeResult, ProbeWorker } from "../../src/kubelet/probes.js";
import type { ContainerInstance, ProcessPlan } from "../../src/kubelet/runtime.js";

interface Harness {
  engine: Engine;
  record: ContainerRecord;
  worker: ProbeWorker;
  results: { t: number; result: ProbeResult }[];
  failures: { t: number; message: string }[];
}

/** A running container started at 0 whose process follows `plan`, probed by one worker ticking from 0. */
function harness(kind: ProbeKind, probe: Probe, plan: Partial<ProcessPlan>, started = true): Harness {
  const engine = new Engine();
  const record = newRecord(
    { name: "web", image: "nginx:1.25", ports: [{ name: "http", containerPort: 8080 }] },
    "regular",
    undefined,
  );
  const inst = {
    id: "containerd://1",
    podUid: "u",
    name: "web",
    image: "nginx:1.25",
    behavior: undefined,
    plan: { upMs: 0, readyMs: 0, unhealthyMs: undefined, exitAfterMs: undefined, terminateMs: 100, ...plan },
    state: "running",
    startedAtMs: 0,
    finishedAtMs: 0,
    exitCode: 0,
    reason: "",
    exitTimer: undefined,
    stopping: false,
  } satisfies ContainerInstance;
  record.current = inst;
  record.observed = "running";
  record.started = started;
  const results: Harness["results"] = [];
  const failures: Harness["failures"] = [];
  const host: ProbeHost = {
    engine,
    podIp: () => "10.244.0.2",
    onProbeResult: (_r, _k, result) => results.push({ t: engine.nowMs, result }),
    probeFailed: (_r, message) => failures.push({ t: engine.nowMs, message }),
  };
  const worker = new ProbeWorker(host, record, kind, probe);
  worker.start(0);
  return { engine, record, worker, results, failures };
}

const http: Probe = { httpGet: { path: "/healthz", port: "http" } };

describe("readiness", () => {
  test("failureThreshold 3, period 10 s: NotReady after the 3rd consecutive failure", () => {
    const h = harness(
      "readiness",
      { ...http, periodSeconds: 10, failureThreshold: 3 },
      { unhealthyMs: 25_000 },
    );
    h.engine.run({ untilMs: 60_000 });
    expect(h.failures.map((f) => f.t)).toEqual([30_000, 40_000, 50_000, 60_000]);
    expect(h.results).toEqual([
      { t: 0, result: "success" },
      { t: 50_000, result: "failure" },
    ]);
    expect(h.worker.cached).toBe("failure");
  });

  test("successThreshold 2: Ready after the 2nd consecutive success", () => {
    const h = harness("readiness", { ...http, periodSeconds: 10, successThreshold: 2 }, { readyMs: 15_000 });
    h.engine.run({ untilMs: 60_000 });
    expect(h.results).toEqual([{ t: 30_000, result: "success" }]);
    expect(h.failures.map((f) => f.t)).toEqual([0, 10_000]);
  });

  test("the initial result is Failure until a probe passes; never-ready containers fail every period", () => {
    const h = harness("readiness", { ...http, periodSeconds: 5 }, { readyMs: null });
    h.engine.run({ untilMs: 20_000 });
    expect(h.worker.cached).toBe("failure");
    expect(h.results).toEqual([]);
    expect(h.failures).toHaveLength(5);
    expect(h.failures[0]?.message).toBe("Readiness probe failed: HTTP probe failed with statuscode: 503");
  });

  test("no probing before initialDelaySeconds", () => {
    const h = harness("readiness", { ...http, initialDelaySeconds: 25, periodSeconds: 10 }, {});
    h.engine.run({ untilMs: 40_000 });
    expect(h.results).toEqual([{ t: 30_000, result: "success" }]);
  });

  test("a process not listening yet is refused, with Go's dial error", () => {
    const h = harness("readiness", { ...http, periodSeconds: 10 }, { upMs: 5_000, readyMs: 5_000 });
    h.engine.run({ untilMs: 10_000 });
    expect(h.failures[0]?.message).toBe(
      'Readiness probe failed: Get "http://10.244.0.2:8080/healthz": dial tcp 10.244.0.2:8080: connect: connection refused',
    );
    expect(h.results).toEqual([{ t: 10_000, result: "success" }]);
  });
});

describe("liveness", () => {
  test("default thresholds: the kill is asked for at the 3rd failure, then the worker holds", () => {
    const h = harness("liveness", { ...http, periodSeconds: 10 }, { unhealthyMs: 45_000 });
    h.engine.run({ untilMs: 120_000 });
    expect(h.results).toEqual([{ t: 70_000, result: "failure" }]);
    expect(h.failures.map((f) => f.t)).toEqual([50_000, 60_000, 70_000]);
    expect(h.failures[0]?.message).toBe("Liveness probe failed: HTTP probe failed with statuscode: 500");
  });

  test("the initial liveness result is Success: a healthy container reports nothing", () => {
    const h = harness("liveness", { tcpSocket: { port: 8080 } }, {});
    h.engine.run({ untilMs: 100_000 });
    expect(h.results).toEqual([]);
    expect(h.worker.cached).toBe("success");
  });

  test("liveness does not probe until the container has started (startup probe pending)", () => {
    const h = harness("liveness", { ...http, periodSeconds: 10 }, { upMs: 30_000 }, false);
    h.engine.run({ untilMs: 50_000 });
    expect(h.failures).toEqual([]);
  });
});

describe("startup", () => {
  test("startup succeeds once the process is up; its initial result is Unknown", () => {
    const h = harness("startup", { ...http, periodSeconds: 2, failureThreshold: 30 }, { upMs: 7_000 }, false);
    expect(h.worker.cached).toBeUndefined();
    h.engine.run({ untilMs: 20_000 });
    expect(h.results).toEqual([{ t: 8_000, result: "success" }]);
    expect(h.failures.map((f) => f.t)).toEqual([0, 2_000, 4_000, 6_000]);
  });

  test("startup fails after failureThreshold × period", () => {
    const h = harness(
      "startup",
      { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 5, failureThreshold: 4 },
      { upMs: 60_000 },
      false,
    );
    h.engine.run({ untilMs: 60_000 });
    expect(h.results).toEqual([{ t: 15_000, result: "failure" }]);
    expect(h.failures[0]?.message).toBe("Startup probe failed: ");
  });
});
