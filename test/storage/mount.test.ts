// The kubelet waits for a pod's volumes before it creates the sandbox (volumemanager
// WaitForAttachAndMount), with Kubernetes' FailedMount messages.

import type { Volume } from "kubernetes-types/core/v1.js";
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { getPod } from "../scheduler/helpers.js";
import { eventsWith, pv, pvc, storageCluster } from "./helpers.js";

/** A pod on node-1 (spec.nodeName: no scheduler) whose container mounts `volumes`. */
function pinned(name: string, volumes: Volume[], mounted = volumes.map((v) => v.name)): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: "node-1",
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          volumeMounts: mounted.map((n) => ({ name: n, mountPath: `/v/${n}` })),
        },
      ],
      volumes,
    },
  };
}

const claimVolume = (claim: string): Volume => ({
  name: "data",
  persistentVolumeClaim: { claimName: claim },
});
const waitingReason = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
const sandboxAt = (records: { type: string; step?: string; t: number }[]) =>
  records.find((r) => r.type === "step" && r.step === "RunPodSandbox")?.t;

describe("claims", () => {
  test("a missing claim: ContainerCreating, FailedMount at each sync (10–15 s apart), Running once it is bound", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(pinned("web", [claimVolume("data")])));
    c.engine.at(30_000, () => {
      c.api.create(pv("disk"));
      c.api.create(pvc("data"));
    });
    c.engine.at(29_000, () => {
      expect(getPod(c, "web").status?.phase).toBe("Pending");
      expect(waitingReason(getPod(c, "web"))).toBe("ContainerCreating");
    });
    c.run(60_000);
    const failed = eventsWith(records, "FailedMount");
    expect(failed[0]).toMatchObject({
      eventType: "Warning",
      source: "kubelet",
      message:
        "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: " +
        'error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    });
    // The first wait reports after its first 300 ms poll; the pod worker retries after wait.Jitter(10 s, 0.5).
    expect(failed[0]!.t).toBe(305);
    const gaps = failed.slice(1).map((e, i) => e.t - failed[i]!.t);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(10_300);
      expect(g).toBeLessThanOrEqual(16_300);
    }
    expect(failed.at(-1)!.t).toBeLessThan(30_000);
    expect(getPod(c, "web").status?.phase).toBe("Running");
    // The claim's volume is named after its PV; the service account token volume mounted at the first wait.
    const mounted = records.filter((r) => r.type === "step" && r.step === "MountVolume");
    expect(mounted.map((r) => (r.type === "step" ? r.message : ""))).toEqual([
      expect.stringMatching(/^MountVolume.SetUp succeeded for volume "kube-api-access-[a-z0-9]{5}"$/),
      'MountVolume.SetUp succeeded for volume "disk"',
    ]);
  });

  test("an unbound claim: 'PVC is not bound'", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => {
      c.api.create(pvc("data"));
      c.api.create(pinned("web", [claimVolume("data")]));
    });
    c.run(5_000);
    expect(eventsWith(records, "FailedMount")[0]?.message).toBe(
      "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: " +
        "error processing PVC default/data: PVC is not bound",
    );
  });

  test("a bound claim: mounted at the wait's first poll, 300 ms, before the sandbox", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => {
      c.api.create(pv("disk"));
      c.api.create(pvc("data"));
    });
    c.engine.at(1_000, () => c.api.create(pinned("web", [claimVolume("data")])));
    c.run(10_000);
    const mount = records.find((r) => r.type === "step" && r.step === "MountVolume")!;
    expect(mount.t).toBe(1_305);
    expect(sandboxAt(records)!).toBeGreaterThan(mount.t);
    expect(eventsWith(records, "FailedMount")).toEqual([]);
  });
});

describe("Secrets and ConfigMaps", () => {
  test("a missing Secret: MountVolume.SetUp failed, retried after 0.5, 1, 2, 4 … s; no event when the 2-minute wait ends", () => {
    const { c, records } = storageCluster(1, {}, 200_000);
    c.engine.at(0, () => c.api.create(pinned("app", [{ name: "creds", secret: { secretName: "db" } }])));
    c.run(125_000);
    const failed = eventsWith(records, "FailedMount");
    expect(new Set(failed.map((e) => e.message))).toEqual(
      new Set(['MountVolume.SetUp failed for volume "creds" : secret "db" not found']),
    );
    const gaps = failed.slice(1).map((e, i) => e.t - failed[i]!.t);
    expect(gaps.length).toBeGreaterThanOrEqual(7);
    gaps.forEach((g, i) => {
      const backoff = Math.min(500 * 2 ** i, 122_000);
      expect(g).toBeGreaterThanOrEqual(backoff);
      expect(g).toBeLessThan(backoff + 300);
    });
    // v1.33: a WaitForAttachAndMount that times out is an interruption, not an event; the failed
    // sync shows as a step, two minutes after the wait began.
    expect(failed.some((e) => e.message.startsWith("Unable to attach or mount volumes"))).toBe(false);
    const syncFailed = records.filter((r) => r.type === "step" && r.step === "SyncPod");
    expect(syncFailed).toHaveLength(1);
    expect(syncFailed[0]).toMatchObject({
      t: 120_005,
      message:
        "Error syncing pod, skipping: unmounted volumes=[creds], unattached volumes=[], failed to process volumes=[]: " +
        "context deadline exceeded",
    });
    expect(waitingReason(getPod(c, "app"))).toBe("ContainerCreating");
    c.api.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "default" },
      data: {},
    });
    c.run(400_000);
    expect(getPod(c, "app").status?.phase).toBe("Running");
  });

  test('a missing ConfigMap: configmap "cfg" not found', () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(pinned("app", [{ name: "config", configMap: { name: "cfg" } }])));
    c.run(2_000);
    expect(eventsWith(records, "FailedMount")[0]?.message).toBe(
      'MountVolume.SetUp failed for volume "config" : configmap "cfg" not found',
    );
  });

  test.each([
    {
      what: "an optional missing Secret",
      volume: { name: "creds", secret: { secretName: "db", optional: true } },
      mounted: true,
    },
    {
      what: "a missing Secret no container mounts",
      volume: { name: "creds", secret: { secretName: "db" } },
      mounted: false,
    },
  ])("$what does not hold the pod back", ({ volume, mounted }) => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(pinned("app", [volume], mounted ? ["creds"] : [])));
    c.run(10_000);
    expect(eventsWith(records, "FailedMount")).toEqual([]);
    expect(getPod(c, "app").status?.phase).toBe("Running");
  });
});
