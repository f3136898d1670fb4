/** Restarts end to end: crash loops and their back-off, liveness and startup kills, postStart failures, image pull back-off. */
import { describe, expect, test } from "vitest";
import type { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { cluster, createPodAt, events, getPod, pod } from "./helpers.js";

const ms = (n: number) => ({ minMs: n, maxMs: n });
const CONTAINER_START_MS = 300;

/** Every back-off message the container's waiting state showed, in order, without repeats. */
function backoffMessages(c: Cluster, name: string, untilMs: number): string[] {
  const seen: string[] = [];
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    const m = (
      ev.object as { status?: { containerStatuses?: { state?: { waiting?: { message?: string } } }[] } }
    ).status?.containerStatuses?.[0]?.state?.waiting?.message;
    const d = m && /^back-off (\S+) restarting/.exec(m)?.[1];
    if (d && seen.at(-1) !== d) seen.push(d);
  });
  c.run(untilMs);
  return seen;
}

const startedTimes = (records: TimelineRecord[], name: string) =>
  events(records, `Pod/default/${name}`)
    .filter((e) => e.reason === "Started")
    .map((e) => e.t);

/**
 * When each run of the pod's first container started, from its status (state.running.startedAt
 * changes). Events can't tell: after 25 events of one pod, client-go's spam filter drops them.
 */
function watchStarts(c: Cluster, name: string): number[] {
  const starts: number[] = [];
  let last: string | undefined;
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    const at = (
      ev.object as { status?: { containerStatuses?: { state?: { running?: { startedAt?: string } } }[] } }
    ).status?.containerStatuses?.[0]?.state?.running?.startedAt;
    if (at && at !== last) {
      last = at;
      starts.push(c.engine.nowMs);
    }
  });
  return starts;
}

describe("CrashLoopBackOff", () => {
  test("restarts back off 10 s, 20 s, 40 s, 80 s, 160 s, then 5 min, counted from each exit", () => {
    const { c } = cluster({
      images: [{ pattern: "app:crash", exit: { after: ms(1_000), exitCode: 1 } }],
    });
    createPodAt(c, 20_000, pod("crash", { containers: [{ name: "app", image: "app:crash" }] }));
    const starts = watchStarts(c, "crash");
    const messages = backoffMessages(c, "crash", 20 * 60_000);
    expect(messages).toEqual(["10s", "20s", "40s", "1m20s", "2m40s", "5m0s"]);
    // The first restart is immediate (at the PLEG relist after the exit, ≤ 1 s); then each waits
    // its back-off, and is retried by the pod worker every 10–15 s on the kubelet's 1 s ticks.
    const gaps = starts.slice(1).map((t, i) => t - (starts[i]! + 1_000) - CONTAINER_START_MS);
    expect(gaps[0]).toBeGreaterThan(0);
    expect(gaps[0]).toBeLessThanOrEqual(1_000);
    const backoffs = [10, 20, 40, 80, 160, 300, 300].map((s) => s * 1000);
    for (const [i, b] of backoffs.entries()) {
      expect(gaps[i + 1]).toBeGreaterThanOrEqual(b);
      expect(gaps[i + 1]).toBeLessThan(b + 16_000);
    }
  });

  test("the status shows the waiting reason, the last termination and the restart count", () => {
    const { c } = cluster({ images: [{ pattern: "app:crash", exit: { after: ms(1_000), exitCode: 2 } }] });
    createPodAt(c, 20_000, pod("crash", { containers: [{ name: "app", image: "app:crash" }] }));
    c.run(60_000);
    const p = getPod(c, "crash");
    const cs = p?.status?.containerStatuses?.[0];
    expect(p?.status?.phase).toBe("Running");
    expect(cs?.state?.waiting?.reason).toBe("CrashLoopBackOff");
    expect(cs?.state?.waiting?.message).toMatch(
      /^back-off \d+s restarting failed container=app pod=crash_default\([0-9a-f-]{36}\)$/,
    );
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
    expect(cs?.restartCount).toBeGreaterThanOrEqual(2);
    expect(cs?.ready).toBe(false);
  });

  test("a container that ran for more than 10 minutes restarts at once: the back-off was reset", () => {
    const { c, records } = cluster({
      untilMs: 40 * 60_000,
      images: [
        { pattern: "app:leaky", exit: { after: ms(11 * 60_000), exitCode: 137, reason: "OOMKilled" } },
      ],
    });
    createPodAt(c, 20_000, pod("leaky", { containers: [{ name: "app", image: "app:leaky" }] }));
    c.run(40 * 60_000);
    expect(events(records, "Pod/default/leaky").filter((e) => e.reason === "BackOff")).toEqual([]);
    const starts = startedTimes(records, "leaky");
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(11 * 60_000 + 1_300);
    expect(getPod(c, "leaky")?.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({
      exitCode: 137,
      reason: "OOMKilled",
    });
  });

  test("restartPolicy OnFailure leaves a container that exited 0 alone: the pod Succeeds", () => {
    const { c } = cluster({ images: [{ pattern: "job:ok", exit: { after: ms(3_000), exitCode: 0 } }] });
    createPodAt(
      c,
      20_000,
      pod("job", { restartPolicy: "OnFailure", containers: [{ name: "job", image: "job:ok" }] }),
    );
    c.run(60_000);
    const p = getPod(c, "job");
    expect(p?.status?.phase).toBe("Succeeded");
    expect(p?.status?.conditions?.find((x) => x.type === "Ready")).toMatchObject({
      status: "False",
      reason: "PodCompleted",
    });
    expect(p?.status?.conditions?.find((x) => x.type === "PodReadyToStartContainers")?.status).toBe("False");
  });

  test("restartPolicy Never: a container that failed stays failed and so does the pod", () => {
    const { c, records } = cluster({
      images: [{ pattern: "job:bad", exit: { after: ms(3_000), exitCode: 1 } }],
    });
    createPodAt(
      c,
      20_000,
      pod("job", { restartPolicy: "Never", containers: [{ name: "job", image: "job:bad" }] }),
    );
    c.run(60_000);
    expect(getPod(c, "job")?.status?.phase).toBe("Failed");
    expect(startedTimes(records, "job")).toHaveLength(1);
  });
});

describe("probe kills", () => {
  test("a failing liveness probe: three Unhealthy events, Killing, and a restart", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:sick", livenessFailsAfter: ms(20_000) }] });
    const livenessProbe = { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5 };
    createPodAt(c, 20_000, pod("sick", { containers: [{ name: "app", image: "app:sick", livenessProbe }] }));
    c.run(60_000);
    const evs = events(records, "Pod/default/sick").filter((e) =>
      ["Unhealthy", "Killing", "Started"].includes(e.reason),
    );
    const start = evs[0]!.t;
    const firstFailure = evs[1]!.t;
    expect(firstFailure).toBeGreaterThanOrEqual(start + 20_000);
    expect(evs.slice(1, 6).map((e) => [e.t - firstFailure, e.reason, e.message])).toEqual([
      [0, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"],
      [5_000, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"],
      [10_000, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"],
      [10_000, "Killing", "Container app failed liveness probe, will be restarted"],
      // SIGTERM, the process exits in 100 ms, the first restart is immediate.
      [10_000 + 100 + CONTAINER_START_MS, "Started", "Started container app"],
    ]);
    expect(getPod(c, "sick")?.status?.containerStatuses?.[0]?.restartCount).toBe(1);
  });

  test("with restartPolicy Never a liveness failure kills the container for good", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:sick", livenessFailsAfter: ms(5_000) }] });
    const livenessProbe = { tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 1 };
    createPodAt(
      c,
      20_000,
      pod("sick", {
        restartPolicy: "Never",
        containers: [{ name: "app", image: "app:sick", livenessProbe }],
      }),
    );
    c.run(60_000);
    const killing = events(records, "Pod/default/sick").find((e) => e.reason === "Killing");
    expect(killing?.message).toBe("Container app failed liveness probe");
    // SIGTERM ends the process (exit 143): with nothing to restart, the pod has failed.
    expect(getPod(c, "sick")?.status?.phase).toBe("Failed");
    expect(getPod(c, "sick")?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 143,
      reason: "Error",
    });
  });

  test("a startup probe holds liveness and readiness back, and kills a container that never comes up", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:stuck", start: ms(10 * 60_000) }] });
    const startupProbe = { httpGet: { path: "/", port: 80 }, periodSeconds: 2, failureThreshold: 5 };
    const livenessProbe = { httpGet: { path: "/", port: 80 } };
    createPodAt(
      c,
      20_000,
      pod("stuck", { containers: [{ name: "app", image: "app:stuck", startupProbe, livenessProbe }] }),
    );
    c.run(60_000);
    const evs = events(records, "Pod/default/stuck");
    expect(evs.some((e) => e.message.startsWith("Liveness"))).toBe(false);
    expect(evs.find((e) => e.reason === "Killing")?.message).toBe(
      "Container app failed startup probe, will be restarted",
    );
    expect(getPod(c, "stuck")?.status?.containerStatuses?.[0]?.started).toBe(false);
  });
});

describe("hooks", () => {
  test("a postStart httpGet to an app that is not listening yet fails: FailedPostStartHook, and the container is killed", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:slow", start: ms(5_000) }] });
    const lifecycle = { postStart: { httpGet: { path: "/warm", port: 8080 } } };
    createPodAt(c, 20_000, pod("hook", { containers: [{ name: "app", image: "app:slow", lifecycle }] }));
    c.run(40_000);
    const evs = events(records, "Pod/default/hook").map((e) => [e.reason, e.message]);
    expect(evs).toContainEqual(["FailedPostStartHook", "PostStartHook failed"]);
    expect(evs).toContainEqual(["Killing", "FailedPostStartHook"]);
    expect(getPod(c, "hook")?.status?.containerStatuses?.[0]?.ready).toBe(false);
  });

  test("the next container starts only after the previous one's postStart hook finished", () => {
    const { c, records } = cluster();
    const a = { name: "a", image: "nginx:1.25", lifecycle: { postStart: { sleep: { seconds: 3 } } } };
    const b = { name: "b", image: "nginx:1.25" };
    createPodAt(c, 20_000, pod("two", { containers: [a, b] }));
    c.run(40_000);
    const started = events(records, "Pod/default/two").filter((e) => e.reason === "Started");
    expect(started[1]!.t - started[0]!.t).toBe(3_000 + CONTAINER_START_MS);
  });
});

describe("image pulls that fail", () => {
  test("ErrImagePull, then ImagePullBackOff with the 10 s doubling back-off", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:missing", pullFails: true, pull: ms(500) }] });
    createPodAt(c, 20_000, pod("missing", { containers: [{ name: "app", image: "app:missing" }] }));
    // Created at 20 s: watch 5 ms, token volume mounted 300 ms later, sandbox 500 ms, failed pull 500 ms.
    c.runTo(21_400);
    expect(getPod(c, "missing")?.status?.containerStatuses?.[0]?.state?.waiting).toEqual({
      reason: "ErrImagePull",
      message:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/app:missing": failed to resolve reference "docker.io/library/app:missing": docker.io/library/app:missing: not found',
    });
    c.run(120_000);
    const evs = events(records, "Pod/default/missing");
    expect(evs.slice(0, 3).map((e) => [e.eventType, e.reason, e.message.split(": rpc error")[0]])).toEqual([
      ["Normal", "Pulling", 'Pulling image "app:missing"'],
      ["Warning", "Failed", 'Failed to pull image "app:missing"'],
      ["Warning", "Failed", "Error: ErrImagePull"],
    ]);
    const backoff = evs.find((e) => e.reason === "BackOff");
    expect(backoff).toMatchObject({ eventType: "Normal", message: 'Back-off pulling image "app:missing"' });
    // Pull attempts are spaced at least 10 s, then 20 s, then 40 s apart.
    const pulls = evs.filter((e) => e.reason === "Pulling").map((e) => e.t);
    const spacing = pulls.slice(1).map((t, i) => t - pulls[i]!);
    expect(spacing.length).toBeGreaterThanOrEqual(3);
    for (const [i, b] of [10_000, 20_000, 40_000].entries())
      expect(spacing[i]).toBeGreaterThanOrEqual(b + 500);
    expect(getPod(c, "missing")?.status?.phase).toBe("Pending");
  });
});
