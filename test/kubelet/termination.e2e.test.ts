/** Deleting pods end to end: Killing, preStop, SIGTERM, the grace period, SIGKILL, the terminal status and the final delete. */
import { describe, expect, test } from "vitest";
import type { Pod, Stored } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { cluster, createPodAt, events, getPod, pod } from "./helpers.js";

const ms = (n: number) => ({ minMs: n, maxMs: n });
const DELETE_AT = 30_000;
const SEEN = DELETE_AT + 5; // the kubelet sees the deletionTimestamp after the watch latency

/** Deletes the pod at DELETE_AT; returns when it disappeared and its last status before that. */
function deleteAndWatch(c: Cluster, name: string, grace?: number): { goneAt?: number; last?: Stored<Pod> } {
  const out: { goneAt?: number; last?: Stored<Pod> } = {};
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    if (ev.type === "DELETED") out.goneAt = c.engine.nowMs;
    else out.last = ev.object as Stored<Pod>;
  });
  c.engine.at(DELETE_AT, () => {
    c.api.delete("Pod", "default", name, grace === undefined ? {} : { gracePeriodSeconds: grace });
  });
  c.run(120_000);
  return out;
}

describe("graceful deletion", () => {
  test("Killing, SIGTERM, the process exits in ~100 ms, the pod ends Failed (143) and is deleted", () => {
    const { c, records } = cluster();
    createPodAt(c, 20_000, pod("web", {}));
    const { goneAt, last } = deleteAndWatch(c, "web");
    expect(events(records, "Pod/default/web").at(-1)).toMatchObject({
      t: SEEN,
      reason: "Killing",
      message: "Stopping container web",
    });
    expect(goneAt).toBe(SEEN + 100);
    expect(last?.status?.phase).toBe("Failed");
    expect(last?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 143,
      reason: "Error",
    });
    expect(last?.status?.conditions?.find((x) => x.type === "Ready")).toMatchObject({
      status: "False",
      reason: "PodFailed",
    });
  });

  test("a preStop `sleep 5` runs first; SIGTERM follows 5 s later", () => {
    const { c } = cluster();
    const lifecycle = { preStop: { exec: { command: ["/bin/sh", "-c", "sleep 5"] } } };
    createPodAt(c, 20_000, pod("web", { containers: [{ name: "web", image: "nginx:1.25", lifecycle }] }));
    expect(deleteAndWatch(c, "web").goneAt).toBe(SEEN + 5_000 + 100);
  });

  test("a process that ignores SIGTERM is killed at the end of the grace period (137)", () => {
    const { c } = cluster({ images: [{ pattern: "app:stubborn", terminate: ms(120_000) }] });
    createPodAt(
      c,
      20_000,
      pod("app", { terminationGracePeriodSeconds: 10, containers: [{ name: "app", image: "app:stubborn" }] }),
    );
    const { goneAt, last } = deleteAndWatch(c, "app");
    expect(goneAt).toBe(SEEN + 10_000);
    expect(last?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 137,
      reason: "Error",
    });
  });

  test("a preStop hook longer than the grace period is cut short, and StopContainer still gets 2 s", () => {
    const { c } = cluster({ images: [{ pattern: "app:stubborn", terminate: ms(120_000) }] });
    const lifecycle = { preStop: { sleep: { seconds: 20 } } };
    createPodAt(
      c,
      20_000,
      pod("app", {
        terminationGracePeriodSeconds: 10,
        containers: [{ name: "app", image: "app:stubborn", lifecycle }],
      }),
    );
    expect(deleteAndWatch(c, "app").goneAt).toBe(SEEN + 10_000 + 2_000);
  });

  test("the delete's grace period overrides the pod's", () => {
    const { c } = cluster({ images: [{ pattern: "app:stubborn", terminate: ms(120_000) }] });
    createPodAt(c, 20_000, pod("app", { containers: [{ name: "app", image: "app:stubborn" }] }));
    expect(deleteAndWatch(c, "app", 5).goneAt).toBe(SEEN + 5_000);
  });

  test("a pod deleted while its image is still pulling ends at once; its container is ContainerStatusUnknown", () => {
    const { c } = cluster({ images: [{ pattern: "big:1", pull: ms(60_000) }] });
    createPodAt(c, 20_000, pod("big", { containers: [{ name: "app", image: "big:1" }] }));
    const { goneAt, last } = deleteAndWatch(c, "big");
    expect(goneAt).toBe(SEEN);
    expect(last?.status?.phase).toBe("Failed");
    expect(last?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 137,
      reason: "ContainerStatusUnknown",
      message: "The container could not be located when the pod was terminated",
    });
  });

  test("the sandbox is removed and its IP handed to the next pod", () => {
    const { c } = cluster();
    createPodAt(c, 20_000, pod("a", {}));
    createPodAt(c, 20_000, pod("b", {}));
    createPodAt(c, 40_000, pod("c", {}));
    deleteAndWatch(c, "a");
    expect(getPod(c, "b")?.status?.podIP).toBe("10.244.0.3");
    expect(getPod(c, "c")?.status?.podIP).toBe("10.244.0.2");
  });
});

describe("force deletion", () => {
  test("grace 0 removes the pod at once; the kubelet stops its containers without a word", () => {
    const { c, records } = cluster();
    createPodAt(c, 20_000, pod("web", {}));
    c.runTo(25_000);
    const uid = getPod(c, "web")!.metadata.uid;
    const { goneAt } = deleteAndWatch(c, "web", 0);
    expect(goneAt).toBe(DELETE_AT);
    expect(events(records, "Pod/default/web").some((e) => e.reason === "Killing")).toBe(false);
    const runtime = kubeletFor(c, "node-1")!.runtime;
    expect(runtime.containers(uid)).toEqual([]);
    expect(runtime.sandbox(uid)).toBeUndefined();
  });
});
