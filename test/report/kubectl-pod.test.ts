/** kubectl's pod STATUS, READY and RESTARTS columns (printPod), one row per rule of k8s-semantics §5.8. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { ContainerStatus, Pod } from "../../src/api/types.js";
import { formatRestarts, summarizePod } from "../../src/report/kubectl/index.js";

const clock = new SimClock();
const NOW = 10 * 60_000;

const waiting = (reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: "app",
  image: "app:1",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});
const running = (ready: boolean, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: "app",
  image: "app:1",
  imageID: "",
  ready,
  restartCount: 0,
  state: { running: { startedAt: clock.time(0) } },
  ...extra,
});
const terminated = (
  exitCode: number,
  reason?: string,
  extra: Partial<ContainerStatus> = {},
): ContainerStatus => ({
  name: "app",
  image: "app:1",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode, ...(reason ? { reason } : {}) } },
  ...extra,
});

function pod(
  status: Pod["status"],
  opts: { init?: number; sidecar?: boolean; deleting?: boolean } = {},
): Pod {
  const init = Array.from({ length: opts.init ?? 0 }, (_, i) => ({ name: `init-${i}`, image: "busybox" }));
  if (opts.sidecar) init.push({ name: "proxy", image: "envoy", restartPolicy: "Always" } as never);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-1",
      creationTimestamp: clock.time(0),
      ...(opts.deleting ? { deletionTimestamp: clock.time(NOW - 5000) } : {}),
    },
    spec: { containers: [{ name: "app", image: "app:1" }], ...(init.length ? { initContainers: init } : {}) },
    status,
  };
}

const initStatus = (name: string, s: ContainerStatus): ContainerStatus => ({ ...s, name });

describe("pod STATUS column", () => {
  it.each<[string, Pod, string, string]>([
    ["a pod with no status yet shows its phase", pod({ phase: "Pending" }), "Pending", "0/1"],
    [
      "a waiting container shows its reason",
      pod({ phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }),
      "ContainerCreating",
      "0/1",
    ],
    [
      "a running ready container",
      pod({ phase: "Running", containerStatuses: [running(true)] }),
      "Running",
      "1/1",
    ],
    [
      "a running unready container counts as not ready",
      pod({ phase: "Running", containerStatuses: [running(false)] }),
      "Running",
      "0/1",
    ],
    [
      "CrashLoopBackOff",
      pod({ phase: "Running", containerStatuses: [waiting("CrashLoopBackOff")] }),
      "CrashLoopBackOff",
      "0/1",
    ],
    [
      "ErrImagePull",
      pod({ phase: "Pending", containerStatuses: [waiting("ErrImagePull")] }),
      "ErrImagePull",
      "0/1",
    ],
    [
      "ImagePullBackOff",
      pod({ phase: "Pending", containerStatuses: [waiting("ImagePullBackOff")] }),
      "ImagePullBackOff",
      "0/1",
    ],
    [
      "Completed",
      pod({ phase: "Succeeded", containerStatuses: [terminated(0, "Completed")] }),
      "Completed",
      "0/1",
    ],
    ["Error", pod({ phase: "Failed", containerStatuses: [terminated(1, "Error")] }), "Error", "0/1"],
    [
      "OOMKilled",
      pod({ phase: "Running", containerStatuses: [terminated(137, "OOMKilled")] }),
      "OOMKilled",
      "0/1",
    ],
    [
      "an exit without a reason shows the code",
      pod({ phase: "Failed", containerStatuses: [terminated(3)] }),
      "ExitCode:3",
      "0/1",
    ],
    ["status.reason wins over the phase", pod({ phase: "Failed", reason: "Evicted" }), "Evicted", "0/1"],
    [
      "a scheduling-gated pod",
      pod({
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
      }),
      "SchedulingGated",
      "0/1",
    ],
    [
      "Init:0/2 while the first init container runs",
      pod(
        {
          phase: "Pending",
          initContainerStatuses: [
            initStatus("init-0", running(false)),
            initStatus("init-1", waiting("PodInitializing")),
          ],
        },
        { init: 2 },
      ),
      "Init:0/2",
      "0/1",
    ],
    [
      "Init:1/2 once the first init container succeeded",
      pod(
        {
          phase: "Pending",
          initContainerStatuses: [
            initStatus("init-0", terminated(0, "Completed")),
            initStatus("init-1", running(false)),
          ],
        },
        { init: 2 },
      ),
      "Init:1/2",
      "0/1",
    ],
    [
      "Init:CrashLoopBackOff",
      pod(
        { phase: "Pending", initContainerStatuses: [initStatus("init-0", waiting("CrashLoopBackOff"))] },
        { init: 1 },
      ),
      "Init:CrashLoopBackOff",
      "0/1",
    ],
    [
      "Init:Error",
      pod(
        { phase: "Pending", initContainerStatuses: [initStatus("init-0", terminated(1, "Error"))] },
        { init: 1 },
      ),
      "Init:Error",
      "0/1",
    ],
    [
      "Init:ExitCode:2 when the failed init container has no reason",
      pod({ phase: "Pending", initContainerStatuses: [initStatus("init-0", terminated(2))] }, { init: 1 }),
      "Init:ExitCode:2",
      "0/1",
    ],
    [
      "PodInitializing once init containers are done",
      pod(
        {
          phase: "Pending",
          initContainerStatuses: [initStatus("init-0", terminated(0, "Completed"))],
          containerStatuses: [waiting("PodInitializing")],
        },
        { init: 1 },
      ),
      "PodInitializing",
      "0/1",
    ],
    [
      "a started sidecar counts in READY",
      pod(
        {
          phase: "Running",
          initContainerStatuses: [initStatus("proxy", running(true, { started: true }))],
          containerStatuses: [running(true)],
        },
        { sidecar: true },
      ),
      "Running",
      "2/2",
    ],
    [
      "Terminating while being deleted",
      pod({ phase: "Running", containerStatuses: [running(true)] }, { deleting: true }),
      "Terminating",
      "1/1",
    ],
    [
      "Unknown when deleted on a lost node",
      pod({ phase: "Running", reason: "NodeLost" }, { deleting: true }),
      "Unknown",
      "0/1",
    ],
    [
      "a finished pod being deleted keeps its status",
      pod({ phase: "Succeeded", containerStatuses: [terminated(0, "Completed")] }, { deleting: true }),
      "Completed",
      "0/1",
    ],
  ])("%s", (_name, p, status, ready) => {
    const s = summarizePod(p, clock);
    expect(s.status).toBe(status);
    expect(`${s.ready}/${s.total}`).toBe(ready);
  });

  it("shows Running, not Completed, while another container still runs and the pod is Ready", () => {
    const p = pod({
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [running(true, { name: "a" }), terminated(0, "Completed", { name: "b" })],
    });
    p.spec!.containers.push({ name: "b", image: "job" });
    expect(summarizePod(p, clock).status).toBe("Running");
  });

  it("shows NotReady when a container completed, another runs, and the pod is not Ready", () => {
    const p = pod({
      phase: "Running",
      containerStatuses: [running(true, { name: "a" }), terminated(0, "Completed", { name: "b" })],
    });
    p.spec!.containers.push({ name: "b", image: "job" });
    expect(summarizePod(p, clock).status).toBe("NotReady");
  });
});

describe("pod RESTARTS column", () => {
  it("shows how long ago the last restart was", () => {
    const crashed = waiting("CrashLoopBackOff", {
      restartCount: 3,
      lastState: { terminated: { exitCode: 1, finishedAt: clock.time(NOW - 45_000) } },
    });
    const s = summarizePod(pod({ phase: "Running", containerStatuses: [crashed] }), clock);
    expect(formatRestarts(s, NOW)).toBe("3 (45s ago)");
  });

  it("shows the bare count when no termination time is recorded", () => {
    const s = summarizePod(
      pod({ phase: "Running", containerStatuses: [running(true, { restartCount: 2 })] }),
      clock,
    );
    expect(formatRestarts(s, NOW)).toBe("2");
  });

  it("shows 0 for a pod that never restarted", () => {
    const s = summarizePod(pod({ phase: "Running", containerStatuses: [running(true)] }), clock);
    expect(formatRestarts(s, NOW)).toBe("0");
  });
});
