// Storage state of a stateful pod: a pod recreated with the same claim gets the same volume (the
// notes' "Pod A reads the same data ten minutes later, even after it was recreated").
import { describe, expect, test } from "vitest";
import { events, nodeOf } from "../scheduler/helpers.js";
import {
  eventsWith,
  getClaim,
  getVolume,
  podWithClaims,
  pvc,
  storageClass,
  storageCluster,
} from "./helpers.js";

const FIXED = { volumeProvision: { minMs: 2_000, maxMs: 2_000 } };

describe("a recreated pod with the same claim", () => {
  test("network disk (Immediate): the second web-0 mounts the volume provisioned for the first", () => {
    const { c, records } = storageCluster(3, FIXED);
    c.engine.at(0, () => {
      c.api.create(storageClass("disk"));
      c.api.create(pvc("data-web-0", { className: "disk" }));
      c.api.create(podWithClaims("web-0", ["data-web-0"]));
    });
    c.engine.at(30_000, () => c.api.delete("Pod", "default", "web-0"));
    c.engine.at(40_000, () => c.api.create(podWithClaims("web-0", ["data-web-0"])));
    c.run(60_000);
    const claim = getClaim(c, "data-web-0")!;
    const first = `pvc-${claim.metadata.uid}`;
    expect(claim.spec?.volumeName).toBe(first);
    expect(getVolume(c, first)?.status?.phase).toBe("Bound");
    expect(eventsWith(records, "ProvisioningSucceeded")).toHaveLength(1);
    expect(c.api.list("PersistentVolume").map((v) => v.metadata.name)).toEqual([first]);
    // Both pods mounted the same volume (each also mounts its own service account token volume).
    const mounts = records.flatMap((r) =>
      r.type === "step" && r.step === "MountVolume" && !r.message.includes("kube-api-access-")
        ? [r.message]
        : [],
    );
    expect(mounts).toEqual([
      `MountVolume.SetUp succeeded for volume "${first}"`,
      `MountVolume.SetUp succeeded for volume "${first}"`,
    ]);
    expect(events(records, "Scheduled")).toHaveLength(2);
  });

  test("local disk (WaitForFirstConsumer, local-path): the second web-0 can only go where the volume is", () => {
    const { c, records } = storageCluster(3, FIXED);
    c.engine.at(0, () => {
      c.api.create(
        storageClass("standard", { provisioner: "rancher.io/local-path", mode: "WaitForFirstConsumer" }),
      );
      c.api.create(pvc("data-web-0", { className: "standard" }));
      c.api.create(podWithClaims("web-0", ["data-web-0"]));
    });
    let firstNode = "";
    c.engine.at(30_000, () => {
      firstNode = nodeOf(c, "web-0");
      c.api.delete("Pod", "default", "web-0");
    });
    c.engine.at(40_000, () => c.api.create(podWithClaims("web-0", ["data-web-0"])));
    c.run(60_000);
    expect(firstNode).toMatch(/^node-[123]$/);
    expect(nodeOf(c, "web-0")).toBe(firstNode);
    expect(eventsWith(records, "ProvisioningSucceeded")).toHaveLength(1);
    const claim = getClaim(c, "data-web-0")!;
    expect(claim.spec?.volumeName).toBe(`pvc-${claim.metadata.uid}`);
    // The claim was bound already: the second pod needed no PreBind wait.
    const scheduled = events(records, "Scheduled");
    expect(scheduled[1]!.t).toBeLessThan(40_020);
  });
});
