// Container faults (`fault: {pod, container, type: crash|oom}`): the process exits as Kubernetes
// reports it (exit 1 Error, or 137 OOMKilled), and the kubelet restarts it by restartPolicy with
// the CrashLoopBackOff delays of reference §5.4: first restart at the next PLEG relist (≤ 1 s),
// then 10 s, 20 s, 40 s, 80 s, 160 s, 300 s after each exit, retried every 10–15 s on 1 s ticks.
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { INJECTED_CRASH_AFTER_START_MS as RUN_MS } from "../../src/kubelet/injected.js";
import {
  boundPod,
  cluster,
  events,
  fault,
  healAt,
  statusOf,
  steps,
  watchReady,
  watchStarts,
} from "./helpers.js";

const PLEG_MS = 1_000;
const CONTAINER_START_MS = 300; // FIXED_TIMING.containerStart
const RETRY_MAX_MS = 15_000 + 1_000; // pod worker: jitter(10 s, 0.5), on the kubelet's 1 s ticks
const CRASH_AT = 30_000;

const actionErrors = (records: { type: string; error?: string }[]) =>
  records.filter((r) => r.type === "action").map((r) => r.error ?? null);

describe("a container crash, once", () => {
  test.each([
    ["crash", 1, "Error"],
    ["oom", 137, "OOMKilled"],
  ] as const)(
    "%s: lastState shows exit code %i (%s); one restart at the next relist, no back-off",
    (type, code, reason) => {
      const { c, records } = cluster({
        objects: [boundPod("app", "node-1")],
        actions: [fault(CRASH_AT, { type: type === "crash" ? "container-crash" : "oom", pod: "app" })],
        untilMs: 90_000,
      });
      const starts = watchStarts(c, "app");
      c.run();
      const s = statusOf(c, "app");
      expect(s?.restartCount).toBe(1);
      expect(s?.lastState?.terminated).toMatchObject({ exitCode: code, reason });
      expect(c.clock.parse(s!.lastState!.terminated!.finishedAt!)).toBe(CRASH_AT);
      expect(s?.state?.running).toBeDefined();
      expect(starts).toHaveLength(2);
      expect(starts[1]! - CRASH_AT).toBeGreaterThan(CONTAINER_START_MS);
      expect(starts[1]! - CRASH_AT).toBeLessThanOrEqual(PLEG_MS + CONTAINER_START_MS);
      expect(events(records, "BackOff")).toEqual([]);
      expect(c.api.get<Pod>("Pod", "default", "app")?.status?.phase).toBe("Running");
    },
  );

  test.each([
    ["Always", 1, "Running"],
    ["OnFailure", 1, "Running"],
    ["Never", 0, "Failed"],
  ] as const)("restartPolicy %s: %i restart(s), phase %s", (policy, restarts, phase) => {
    const { c } = cluster({
      objects: [boundPod("app", "node-1", { restartPolicy: policy })],
      actions: [fault(CRASH_AT, { type: "container-crash", pod: "app" })],
      untilMs: 60_000,
    });
    c.run();
    expect(statusOf(c, "app")?.restartCount).toBe(restarts);
    expect(c.api.get<Pod>("Pod", "default", "app")?.status?.phase).toBe(phase);
  });

  test("the recovery timeline: not Ready at the relist, Ready again when the new run is Ready", () => {
    const { c, records } = cluster({
      objects: [boundPod("app", "node-1")],
      actions: [fault(CRASH_AT, { type: "container-crash", pod: "app", container: "web" })],
      untilMs: 60_000,
    });
    const ready = watchReady(c, "app");
    const starts = watchStarts(c, "app");
    c.run();
    // No readiness probe: Ready with the running container (§5.2), so Ready again at its start.
    expect(ready.filter(([t]) => t >= CRASH_AT)).toEqual([
      [expect.any(Number), false],
      [starts[1], true],
    ]);
    expect(steps(records).map((s) => s.step)).toEqual(
      expect.arrayContaining(["ContainerFault", "PodNotReady", "PodReadyAgain", "RecoverySummary"]),
    );
    const summary = steps(records, "RecoverySummary").find((s) => s.object === "Pod/default/app")!;
    expect(summary.data).toMatchObject({
      fault: "container-crash",
      pod: "default/app",
      container: "web",
      exitCode: 1,
      lasting: false,
      recoveredMs: starts[1],
      totalMs: starts[1]! - CRASH_AT,
      restarts: 1,
    });
  });

  test("a readiness probe result belongs to one container: the restarted one is not Ready until its own probe passes", () => {
    const probe = { readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 5 } };
    const { c } = cluster({
      objects: [boundPod("app", "node-1", { containers: [{ name: "web", image: "nginx:1.26", ...probe }] })],
      actions: [fault(CRASH_AT, { type: "container-crash", pod: "app" })],
      untilMs: 60_000,
    });
    const ready = watchReady(c, "app");
    const starts = watchStarts(c, "app");
    c.run();
    const back = ready.find(([t, r]) => t > CRASH_AT && r)![0];
    // nginx:* here is ready 1 s after start; the probe ticks every 5 s.
    expect(back - starts[1]!).toBeGreaterThanOrEqual(1_000);
    expect(back - starts[1]!).toBeLessThanOrEqual(1_000 + 5_000);
  });

  test("errors: an unknown pod, an unknown container, a container that is not running", () => {
    const { c, records } = cluster({
      objects: [boundPod("app", "node-1"), boundPod("late", "node-1")],
      actions: [
        fault(1_000, { type: "container-crash", pod: "nope" }),
        fault(1_000, { type: "container-crash", pod: "app", container: "sidecar" }),
        fault(100, { type: "oom", pod: "late" }),
        healAt(2_000, { pod: "app", type: "container-crash" }),
      ],
      untilMs: 5_000,
    });
    c.run();
    expect(actionErrors(records)).toEqual([
      "error: container web of pod default/late is not running",
      'error: pods "nope" not found in namespace "default"',
      "error: container sidecar is not valid for pod app (containers: web)",
      "error: pod default/app has no active container fault to heal",
    ]);
  });
});

describe("a lasting container fault (`for:` or a later `heal:`)", () => {
  test("every start crashes: restarts back off 0, 10, 20, 40, 80, 160, 300 s from each exit", () => {
    const { c, records } = cluster({
      objects: [boundPod("app", "node-1")],
      actions: [fault(CRASH_AT, { type: "oom", pod: "app", forMs: 30 * 60_000 })],
      untilMs: 20 * 60_000,
    });
    const starts = watchStarts(c, "app");
    c.run();
    const after = starts.filter((t) => t > CRASH_AT);
    const exits = [CRASH_AT, ...after.map((t) => t + RUN_MS)];
    const gaps = after.map((t, i) => t - exits[i]! - CONTAINER_START_MS);
    expect(gaps[0]).toBeGreaterThan(0);
    expect(gaps[0]).toBeLessThanOrEqual(PLEG_MS);
    for (const [i, b] of [10, 20, 40, 80, 160, 300, 300].map((s) => s * 1000).entries()) {
      expect(gaps[i + 1]).toBeGreaterThanOrEqual(b);
      expect(gaps[i + 1]).toBeLessThan(b + RETRY_MAX_MS);
    }
    const s = statusOf(c, "app");
    expect(s?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
    expect(events(records, "BackOff")[0]?.message).toMatch(
      /^Back-off restarting failed container web in pod app_default\([0-9a-f-]{36}\)$/,
    );
  });

  test("after the heal the next start runs on; the pod is Ready again then, and the summary says when", () => {
    const HEAL_AT = 3 * 60_000;
    const { c, records } = cluster({
      objects: [boundPod("app", "node-1")],
      actions: [fault(CRASH_AT, { type: "container-crash", pod: "app" }), healAt(HEAL_AT, { pod: "app" })],
      untilMs: 12 * 60_000,
    });
    const starts = watchStarts(c, "app");
    c.run();
    const before = starts.filter((t) => t > CRASH_AT && t < HEAL_AT);
    const later = starts.filter((t) => t >= HEAL_AT);
    expect(before.length).toBeGreaterThanOrEqual(4); // 0 + 10 + 20 + 40 + retries < 2m30s
    expect(later).toHaveLength(1);
    // The last crash before the heal was at most its back-off + one retry before the next start.
    const lastExit = before.at(-1)! + RUN_MS;
    const backoffMs = [10, 20, 40, 80, 160][before.length - 1]! * 1000;
    expect(later[0]!).toBeLessThanOrEqual(
      Math.max(HEAL_AT, lastExit + backoffMs) + RETRY_MAX_MS + CONTAINER_START_MS,
    );
    expect(statusOf(c, "app")?.state?.running).toBeDefined();
    const summary = steps(records, "RecoverySummary").find((s) => s.object === "Pod/default/app")!;
    expect(summary.data).toMatchObject({ lasting: true, healedMs: HEAL_AT, recoveredMs: later[0] });
  });

  test("without `for:` or a later heal of its pod, a fault is one crash", () => {
    const { c } = cluster({
      objects: [boundPod("app", "node-1"), boundPod("other", "node-2")],
      actions: [fault(CRASH_AT, { type: "container-crash", pod: "app" }), healAt(200_000, { pod: "other" })],
      untilMs: 5 * 60_000,
    });
    c.run();
    expect(statusOf(c, "app")?.restartCount).toBe(1);
  });

  test("the process dies even while the kubelet is stopped; the kubelet restarts it when it is back", () => {
    const { c } = cluster({
      objects: [boundPod("app", "node-1")],
      actions: [
        fault(20_000, { type: "kubelet-stop", node: "node-1", forMs: 30_000 }),
        fault(CRASH_AT, { type: "container-crash", pod: "app" }),
      ],
      untilMs: 90_000,
    });
    const starts = watchStarts(c, "app");
    c.run();
    expect(starts.filter((t) => t > CRASH_AT)).toHaveLength(1);
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(50_000);
    expect(statusOf(c, "app")?.restartCount).toBe(1);
  });
});
