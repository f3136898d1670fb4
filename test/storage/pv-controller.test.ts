// The PV controller in a cluster: binding both ways, phases, annotations, events and reclaiming
// (pkg/controller/volume/persistentvolume/pv_controller.go).
import { describe, expect, test } from "vitest";
import type { PersistentVolumeClaim } from "../../src/api/types.js";
import {
  eventsOf,
  getClaim,
  getVolume,
  pv,
  pvc,
  storageClass,
  storageCluster,
  storedEventCounts,
} from "./helpers.js";

const PVC_EVENTS = "PersistentVolumeClaim/default/data";

describe("binding a claim to a static volume", () => {
  test("the smallest fitting volume is bound both ways, with the controller's annotations and phases", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      for (const [n, cap] of [
        ["pv-1g", "1Gi"],
        ["pv-5g", "5Gi"],
        ["pv-10g", "10Gi"],
      ] as const) {
        c.api.create(pv(n, { capacity: cap }));
      }
      c.api.create(pvc("data", { storage: "3Gi" }));
    });
    c.run(10_000);
    const claim = getClaim(c, "data")!;
    const volume = getVolume(c, "pv-5g")!;
    expect(volume.spec?.claimRef).toEqual({
      kind: "PersistentVolumeClaim",
      namespace: "default",
      name: "data",
      uid: claim.metadata.uid,
      apiVersion: "v1",
      resourceVersion: expect.any(String),
    });
    expect(volume.metadata.annotations).toEqual({ "pv.kubernetes.io/bound-by-controller": "yes" });
    expect(volume.status).toEqual({ phase: "Bound", lastPhaseTransitionTime: "2025-01-01T00:00:00Z" });
    expect(claim.spec?.volumeName).toBe("pv-5g");
    expect(claim.metadata.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
    });
    expect(claim.status).toEqual({
      phase: "Bound",
      accessModes: ["ReadWriteOnce"],
      capacity: { storage: "5Gi" },
    });
    expect(getVolume(c, "pv-1g")?.status?.phase).toBe("Available");
    expect(getVolume(c, "pv-10g")?.status?.phase).toBe("Available");
    // The volume first (claimRef, then phase), then the claim (volumeName, then phase), in one sync.
    const states = records.flatMap((r) =>
      r.type === "object" && (r.name === "pv-5g" || r.name === "data")
        ? [`${r.t} ${r.name} ${JSON.stringify(r.state)}`]
        : [],
    );
    expect(states).toEqual([
      '0 pv-5g {"phase":"Pending","claim":null}',
      '0 data {"phase":"Pending","volume":null}',
      '5 pv-5g {"phase":"Available","claim":null}',
      '5 pv-5g {"phase":"Available","claim":"default/data"}',
      '5 pv-5g {"phase":"Bound","claim":"default/data"}',
      '5 data {"phase":"Pending","volume":"pv-5g"}',
      '5 data {"phase":"Bound","volume":"pv-5g"}',
    ]);
    expect(eventsOf(records, PVC_EVENTS)).toEqual([]);
  });

  test("no volume and no class: FailedBinding at every sync; a volume created later binds at the next resync", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => c.api.create(pvc("data")));
    c.engine.at(40_000, () => c.api.create(pv("late")));
    c.run(50_000);
    const failed = records.flatMap((r) => (r.type === "event" && r.reason === "FailedBinding" ? [r] : []));
    expect(failed[0]).toMatchObject({
      t: 5,
      eventType: "Normal",
      source: "persistentvolume-controller",
      message: "no persistent volumes available for this claim and no storage class is set",
    });
    // Every 15 s resync syncs the claim again; the events aggregate.
    expect(failed.map((e) => [e.t, e.count ?? 1])).toEqual([
      [5, 1],
      [15_000, 2],
      [30_000, 3],
    ]);
    expect(getClaim(c, "data")?.status?.phase).toBe("Bound");
    const bound = records.find((r) => r.type === "object" && r.name === "data" && r.state.phase === "Bound");
    expect(bound?.t).toBe(45_000);
  });

  test("a claim naming its volume (spec.volumeName) gets it, even when a smaller one fits; not bound-by-controller", () => {
    const { c } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pv("small"));
      c.api.create(pv("big", { capacity: "100Gi" }));
      c.api.create(pvc("data", { volumeName: "big" }));
    });
    c.run(5_000);
    const claim = getClaim(c, "data")!;
    expect(claim.status?.phase).toBe("Bound");
    expect(claim.metadata.annotations).toEqual({ "pv.kubernetes.io/bind-completed": "yes" });
    expect(claim.status?.capacity).toEqual({ storage: "100Gi" });
    expect(getVolume(c, "big")?.metadata.annotations).toEqual({
      "pv.kubernetes.io/bound-by-controller": "yes",
    });
    expect(getVolume(c, "small")?.status?.phase).toBe("Available");
  });

  test("a named volume that cannot serve the claim: Warning VolumeMismatch, the claim stays Pending", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pv("small"));
      c.api.create(pvc("data", { storage: "2Gi", volumeName: "small" }));
    });
    c.run(5_000);
    expect(eventsOf(records, PVC_EVENTS)).toEqual([
      'Warning VolumeMismatch: Cannot bind to requested volume "small": requested PV is too small',
    ]);
    expect(getClaim(c, "data")?.status?.phase).toBe("Pending");
  });

  test("a volume pre-bound by claimRef waits for its claim and is not bound-by-controller", () => {
    const { c } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pv("reserved", { claimRef: { name: "data" } }));
      c.api.create(pvc("other"));
    });
    c.engine.at(10_000, () => c.api.create(pvc("data")));
    c.run(11_000);
    // Until its claim exists the volume is Available, but no other claim may take it.
    expect(getClaim(c, "other")?.status?.phase).toBe("Pending");
    const volume = getVolume(c, "reserved")!;
    expect(volume.status?.phase).toBe("Bound");
    expect(volume.spec?.claimRef?.uid).toBe(getClaim(c, "data")?.metadata.uid);
    expect(volume.metadata.annotations).toBeUndefined();
    expect(getClaim(c, "data")?.metadata.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
    });
  });
});

describe("default StorageClass", () => {
  test("admission fills in the default class for a claim without one; an explicit '' stays ''", () => {
    const { c } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(storageClass("standard", { isDefault: true, mode: "WaitForFirstConsumer" }));
      c.api.create(pvc("data", { className: null }));
      c.api.create(pvc("none", { className: "" }));
    });
    c.run(1_000);
    expect(getClaim(c, "data")?.spec?.storageClassName).toBe("standard");
    expect(getClaim(c, "none")?.spec?.storageClassName).toBe("");
  });

  test("a claim created before any default class gets it retroactively at the next sync, then is provisioned", () => {
    const { c, records } = storageCluster(3, { volumeProvision: { minMs: 1_000, maxMs: 1_000 } });
    c.engine.at(0, () => c.api.create(pvc("data", { className: null })));
    c.engine.at(10_000, () => c.api.create(storageClass("fast", { isDefault: true })));
    c.run(20_000);
    const claim = getClaim(c, "data")!;
    expect(claim.spec?.storageClassName).toBe("fast");
    expect(claim.status?.phase).toBe("Bound");
    const reasons = eventsOf(records, PVC_EVENTS).map((e) => e.split(":")[0]);
    expect(reasons).toEqual([
      "Normal FailedBinding",
      "Normal ExternalProvisioning",
      "Normal Provisioning",
      "Normal ProvisioningSucceeded",
    ]);
  });
});

describe("reclaiming", () => {
  function boundThenDeleted(volume: ReturnType<typeof pv>) {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(volume);
      c.api.create(pvc("data"));
    });
    c.engine.at(10_000, () => c.api.delete("PersistentVolumeClaim", "default", "data"));
    c.run(20_000);
    return { c, records };
  }

  test("Retain: the volume is Released at once and kept; a new claim of the same name does not get it", () => {
    const { c, records } = boundThenDeleted(pv("keep", { policy: "Retain" }));
    expect(getVolume(c, "keep")?.status?.phase).toBe("Released");
    const released = records.find(
      (r) => r.type === "object" && r.name === "keep" && r.state.phase === "Released",
    );
    expect(released?.t).toBe(10_005);
    c.api.create(pvc("data"));
    c.run(40_000);
    expect(getClaim(c, "data")?.status?.phase).toBe("Pending");
    expect(getVolume(c, "keep")?.spec?.claimRef?.name).toBe("data");
  });

  test("Delete, hostPath under /tmp: the controller's deleter removes the volume", () => {
    const { c } = boundThenDeleted(pv("scratch", { policy: "Delete", hostPath: "/tmp/scratch" }));
    expect(getVolume(c, "scratch")).toBeUndefined();
  });

  test.each([
    {
      volume: pv("data-dir", { policy: "Delete", hostPath: "/mnt/data" }),
      message: "host_path deleter only supports /tmp/.+ but received provided /mnt/data",
    },
    {
      volume: pv("disk", { policy: "Delete", nodes: ["node-1"] }),
      message: 'error getting deleter volume plugin for volume "disk": no deletable volume plugin matched',
    },
  ])("Delete without a deleter: Failed with Warning VolumeFailedDelete ($message)", ({ volume, message }) => {
    const { c, records } = boundThenDeleted(volume);
    const name = volume.metadata!.name!;
    expect(getVolume(c, name)?.status).toMatchObject({ phase: "Failed", message });
    expect(eventsOf(records, `PersistentVolume/${name}`)).toEqual([`Warning VolumeFailedDelete: ${message}`]);
    // Once Failed, later syncs retry without a new event.
    expect(storedEventCounts(c, name)).toEqual({ VolumeFailedDelete: 1 });
  });

  test("a bound claim whose volume is deleted is Lost at once, with Warning ClaimLost", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pv("gone"));
      c.api.create(pvc("data"));
    });
    c.engine.at(5_000, () => c.api.delete("PersistentVolume", undefined, "gone"));
    c.run(6_000);
    expect(getClaim(c, "data")?.status?.phase).toBe("Lost");
    expect(eventsOf(records, PVC_EVENTS)).toEqual([
      "Warning ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!",
    ]);
  });
});

describe("WaitForFirstConsumer claims in the PV controller", () => {
  test("no pod: WaitForFirstConsumer; an unscheduled pod: WaitForPodScheduled naming it", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => {
      c.api.create(
        storageClass("local", { provisioner: "kubernetes.io/no-provisioner", mode: "WaitForFirstConsumer" }),
      );
      c.api.create(pvc("data", { className: "local" }));
    });
    c.engine.at(20_000, () => {
      const p = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "user", namespace: "default" },
        spec: {
          containers: [{ name: "c", image: "nginx", volumeMounts: [{ name: "d", mountPath: "/d" }] }],
          volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
        },
      };
      c.api.create(p);
    });
    c.run(31_000);
    expect(eventsOf(records, PVC_EVENTS)).toEqual([
      "Normal WaitForFirstConsumer: waiting for first consumer to be created before binding",
      "Normal WaitForPodScheduled: waiting for pod user to be scheduled",
    ]);
    const claim = getClaim(c, "data") as PersistentVolumeClaim;
    expect(claim.status?.phase).toBe("Pending");
  });
});
