// The storage scenario files run, their expectations hold, and they show what they claim.
import { describe, expect, test } from "vitest";
import type { PersistentVolume } from "../../src/api/types.js";
import { events } from "../scheduler/helpers.js";
import { eventsOf, eventsWith, getClaim, getVolume, runFile } from "./helpers.js";

describe("scenarios/storage", () => {
  test("static-pv: the 3Gi claim gets pv-5g; deleting it leaves pv-5g Released (Retain)", () => {
    const { c, summary } = runFile("scenarios/storage/static-pv.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(getVolume(c, "pv-5g")?.status?.phase).toBe("Released");
    expect(getVolume(c, "pv-1g")?.status?.phase).toBe("Available");
    expect(getVolume(c, "pv-10g")?.status?.phase).toBe("Available");
  });

  test("dynamic-provisioning: two volumes provisioned; at the end the Delete one is gone, the Retain one Released", () => {
    const { c, records, summary } = runFile("scenarios/storage/dynamic-provisioning.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(eventsWith(records, "ProvisioningSucceeded")).toHaveLength(2);
    expect(events(records, "FailedScheduling")[0]?.message).toBe(
      "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    const left = c.api.list<PersistentVolume>("PersistentVolume");
    expect(left.map((v) => [v.spec?.storageClassName, v.status?.phase])).toEqual([["keep", "Released"]]);
  });

  test("wait-for-first-consumer: claims wait, db lands on node-2, cache is provisioned for node-3", () => {
    const { c, records, summary } = runFile("scenarios/storage/wait-for-first-consumer.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(eventsOf(records, "PersistentVolumeClaim/default/db-data")).toEqual([
      "Normal WaitForFirstConsumer: waiting for first consumer to be created before binding",
    ]);
    const cache = getClaim(c, "cache-data")!;
    expect(cache.spec?.storageClassName).toBe("standard");
    expect(cache.metadata.annotations?.["volume.kubernetes.io/selected-node"]).toBe("node-3");
    expect(eventsOf(records, "Pod/default/spare")[0]).toBe(
      "Warning FailedScheduling: 0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. " +
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  test("failed-mount: FailedMount for the claim and the Secret until each appears", () => {
    const { records, summary } = runFile("scenarios/storage/failed-mount.yaml");
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(eventsOf(records, "Pod/default/web")[0]).toBe(
      "Warning FailedMount: Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], " +
        'failed to process volumes=[data]: error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    );
    expect(eventsOf(records, "Pod/default/app")[1]).toBe(
      'Warning FailedMount: MountVolume.SetUp failed for volume "secret" : secret "db-password" not found',
    );
  });
});
