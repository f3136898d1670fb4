// Dynamic provisioning: the PV controller's hand-off to the class's provisioner and kubesim's
// external provisioner (pv_controller.go provisionClaim, sig-storage-lib-external-provisioner).
import { describe, expect, test } from "vitest";
import { eventsOf, eventsWith, getClaim, getVolume, pvc, storageClass, storageCluster } from "./helpers.js";

const FIXED_2S = { volumeProvision: { minMs: 2_000, maxMs: 2_000 } };
const waiting = (p: string) =>
  `Waiting for a volume to be created either by the external provisioner '${p}' or manually by the system ` +
  "administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

describe("Immediate binding with a provisioner", () => {
  test("ExternalProvisioning, Provisioning, then a PV pvc-<uid> with the class's policy, bound to the claim", () => {
    const { c, records } = storageCluster(3, FIXED_2S);
    c.engine.at(0, () => {
      c.api.create(storageClass("fast", { policy: "Retain" }));
      c.api.create(pvc("data", { className: "fast", storage: "10Gi" }));
    });
    c.run(10_000);
    const claim = getClaim(c, "data")!;
    const pvName = `pvc-${claim.metadata.uid}`;
    expect(eventsOf(records, "PersistentVolumeClaim/default/data")).toEqual([
      `Normal ExternalProvisioning: ${waiting("ebs.csi.aws.com")}`,
      'Normal Provisioning: External provisioner is provisioning volume for claim "default/data"',
      `Normal ProvisioningSucceeded: Successfully provisioned volume ${pvName}`,
    ]);
    const sources = eventsWith(records, "Provisioning").map((e) => e.source);
    expect(sources).toEqual(["ebs.csi.aws.com"]);
    expect(eventsWith(records, "ExternalProvisioning")[0]?.source).toBe("persistentvolume-controller");
    // The provisioner took exactly the configured 2 s.
    const started = eventsWith(records, "Provisioning")[0]!.t;
    expect(eventsWith(records, "ProvisioningSucceeded")[0]!.t).toBe(started + 2_000);
    const volume = getVolume(c, pvName)!;
    expect(volume.metadata.annotations).toEqual({ "pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com" });
    expect(volume.spec).toMatchObject({
      accessModes: ["ReadWriteOnce"],
      capacity: { storage: "10Gi" },
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "fast",
      volumeMode: "Filesystem",
      csi: { driver: "ebs.csi.aws.com", volumeHandle: pvName },
      claimRef: { name: "data", namespace: "default", uid: claim.metadata.uid },
    });
    expect(volume.status?.phase).toBe("Bound");
    expect(claim.spec?.volumeName).toBe(pvName);
    expect(claim.metadata.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
      "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
      "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
    });
  });

  test("a migrated in-tree provisioner name is served by its CSI driver", () => {
    const { c, records } = storageCluster(1, FIXED_2S);
    c.engine.at(0, () => {
      c.api.create(storageClass("gp2", { provisioner: "kubernetes.io/aws-ebs" }));
      c.api.create(pvc("data", { className: "gp2" }));
    });
    c.run(5_000);
    expect(eventsWith(records, "ExternalProvisioning")[0]?.message).toBe(waiting("ebs.csi.aws.com"));
    expect(getClaim(c, "data")?.status?.phase).toBe("Bound");
  });

  test.each([
    {
      what: "a class that does not exist",
      objects: [],
      message: 'storageclass.storage.k8s.io "fast" not found',
    },
    {
      what: "kubernetes.io/no-provisioner with Immediate binding",
      objects: [storageClass("fast", { provisioner: "kubernetes.io/no-provisioner" })],
      message: "no volume plugin matched name: kubernetes.io/no-provisioner",
    },
  ])("$what: Warning ProvisioningFailed, again at every sync", ({ objects, message }) => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => {
      for (const o of objects) c.api.create(o);
      c.api.create(pvc("data", { className: "fast" }));
    });
    c.run(20_000);
    const failed = eventsWith(records, "ProvisioningFailed");
    expect(failed.map((e) => [e.t, e.eventType, e.message, e.count ?? 1])).toEqual([
      [5, "Warning", message, 1],
      [15_000, "Warning", message, 2],
    ]);
    expect(getClaim(c, "data")?.status?.phase).toBe("Pending");
  });

  test("reclaimPolicy Delete: once the claim is gone the volume is Released, and its provisioner deletes it", () => {
    const { c, records } = storageCluster(1, FIXED_2S);
    c.engine.at(0, () => {
      c.api.create(storageClass("fast"));
      c.api.create(pvc("data", { className: "fast" }));
    });
    c.engine.at(10_000, () => c.api.delete("PersistentVolumeClaim", "default", "data"));
    c.run(20_000);
    const pvRecords = records.flatMap((r) =>
      r.type === "object" && r.kind === "PersistentVolume" ? [`${r.t} ${r.verb} ${r.state.phase}`] : [],
    );
    // The provisioner sees the Released phase one watch latency later, and takes its 2 s.
    expect(pvRecords.slice(-2)).toEqual(["10005 MODIFIED Released", "12010 DELETED Released"]);
    expect(c.api.list("PersistentVolume")).toEqual([]);
  });
});
