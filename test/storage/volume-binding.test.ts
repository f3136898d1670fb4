// The scheduler's VolumeBinding plugin (framework/plugins/volumebinding): PreFilter rejections,
// node filtering by volume reach, and the PreBind wait for binding and provisioning.
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { events, getPod, nodeOf } from "../scheduler/helpers.js";
import {
  eventsWith,
  getClaim,
  getVolume,
  podWithClaims,
  pv,
  pvc,
  storageClass,
  storageCluster,
} from "./helpers.js";

const NOT_HELPFUL = (n: number) =>
  `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
const LOCAL = () =>
  storageClass("local", { provisioner: "kubernetes.io/no-provisioner", mode: "WaitForFirstConsumer" });
const condition = (p: Pod) => p.status?.conditions?.find((x) => x.type === "PodScheduled");

describe("PreFilter", () => {
  test("a missing claim: Unschedulable with the claim's name; its creation brings the pod back at once", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => c.api.create(podWithClaims("web-0", ["data-web-0"])));
    c.engine.at(10_000, () => {
      c.api.create(pv("disk"));
      c.api.create(pvc("data-web-0"));
    });
    c.run(12_000);
    const message = `0/3 nodes are available: persistentvolumeclaim "data-web-0" not found. ${NOT_HELPFUL(3)}`;
    expect(events(records, "FailedScheduling").map((e) => e.message)).toEqual([message]);
    const scheduled = events(records, "Scheduled");
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.t).toBeGreaterThan(10_000);
    expect(scheduled[0]!.t).toBeLessThan(10_020);
  });

  test("an unbound Immediate claim: 'pod has unbound immediate PersistentVolumeClaims', reason Unschedulable", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pvc("data"));
      c.api.create(podWithClaims("web", ["data"]));
    });
    c.run(5_000);
    const message = `0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${NOT_HELPFUL(3)}`;
    expect(events(records, "FailedScheduling")[0]?.message).toBe(message);
    expect(condition(getPod(c, "web"))).toMatchObject({ status: "False", reason: "Unschedulable", message });
  });

  test("a pod with preemptionPolicy Never says so after the PreFilter reason", () => {
    const { c, records } = storageCluster(2);
    c.engine.at(0, () => c.api.create(podWithClaims("web", ["nope"], { preemptionPolicy: "Never" })));
    c.run(2_000);
    expect(events(records, "FailedScheduling")[0]?.message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "nope" not found. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});

describe("Filter and PreBind with WaitForFirstConsumer", () => {
  test("a local volume on node-2: the pod goes to node-2 after the PV controller bound the claim there", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(LOCAL());
      c.api.create(pv("local-2", { className: "local", nodes: ["node-2"], capacity: "100Gi" }));
      c.api.create(pvc("data", { className: "local" }));
      c.api.create(pvc("more", { className: "local" }));
    });
    c.engine.at(1_000, () => c.api.create(podWithClaims("db", ["data"])));
    c.engine.at(5_000, () => c.api.create(podWithClaims("extra", ["more"])));
    c.run(10_000);
    expect(nodeOf(c, "db")).toBe("node-2");
    expect(getClaim(c, "data")?.spec?.volumeName).toBe("local-2");
    // PreBind polls every second: the binding the PV controller finished is seen at the first poll.
    const scheduled = events(records, "Scheduled");
    expect(scheduled.map((e) => e.message)).toEqual(["Successfully assigned default/db to node-2"]);
    const preBound = records.find(
      (r) => r.type === "object" && r.name === "local-2" && r.state.claim !== null,
    )!;
    expect(scheduled[0]!.t).toBe(preBound.t + 1_000);
    // The only local volume is taken: the other claim has nowhere to go.
    expect(events(records, "FailedScheduling")[0]?.message).toBe(
      `0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. ${NOT_HELPFUL(3)}`,
    );
    expect(getPod(c, "extra").spec?.nodeName).toBeUndefined();
  });

  test("a claim bound to a volume of node-2, node-2 cordoned: volume node affinity conflict elsewhere", () => {
    const { c, records } = storageCluster();
    c.engine.at(0, () => {
      c.api.create(pv("local-2", { nodes: ["node-2"] }));
      c.api.create(pvc("data"));
    });
    c.engine.at(1_000, () => {
      c.api.patch("Node", undefined, "node-2", { spec: { unschedulable: true } });
      c.api.create(podWithClaims("db", ["data"]));
    });
    c.run(3_000);
    expect(events(records, "FailedScheduling")[0]?.message).toBe(
      `0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict. ${NOT_HELPFUL(3)}`,
    );
  });

  test("a claim to provision: the scheduler picks the node, writes selected-node, binds the pod once provisioned", () => {
    const timing = { volumeProvision: { minMs: 3_000, maxMs: 3_000 } };
    const { c, records } = storageCluster(3, timing);
    c.engine.at(0, () => {
      c.api.create(
        storageClass("standard", {
          provisioner: "rancher.io/local-path",
          mode: "WaitForFirstConsumer",
          isDefault: true,
        }),
      );
      c.api.create(pvc("data", { className: null }));
      c.api.create(podWithClaims("db", ["data"]));
    });
    c.run(10_000);
    const node = nodeOf(c, "db");
    const claim = getClaim(c, "data")!;
    expect(claim.metadata.annotations?.["volume.kubernetes.io/selected-node"]).toBe(node);
    const volume = getVolume(c, claim.spec!.volumeName!)!;
    // local-path: a directory on the chosen node, reachable from that node only.
    expect(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] },
    ]);
    expect(volume.spec?.hostPath?.path).toBe(
      `/var/local-path-provisioner/${volume.metadata.name}_default_data`,
    );
    const provisioned = eventsWith(records, "ProvisioningSucceeded")[0]!.t;
    const scheduled = events(records, "Scheduled")[0]!;
    expect(scheduled.message).toBe(`Successfully assigned default/db to ${node}`);
    expect(scheduled.t).toBeGreaterThan(provisioned);
    expect(scheduled.t).toBeLessThanOrEqual(provisioned + 1_010);
    expect(events(records, "FailedScheduling")).toEqual([]);
  });

  test("a provisioner that gives up (selected-node removed): PreBind fails, SchedulerError, then a new attempt", () => {
    const timing = { volumeProvision: { minMs: 10_000, maxMs: 10_000 } };
    const { c, records } = storageCluster(3, timing);
    c.engine.at(0, () => {
      c.api.create(storageClass("slow", { mode: "WaitForFirstConsumer" }));
      c.api.create(pvc("data", { className: "slow" }));
      c.api.create(podWithClaims("db", ["data"]));
    });
    c.engine.at(2_500, () =>
      c.api.patch("PersistentVolumeClaim", "default", "data", {
        metadata: { annotations: { "volume.kubernetes.io/selected-node": null } },
      }),
    );
    c.run(4_000);
    const failed = events(records, "FailedScheduling");
    const message =
      'running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data"';
    expect(failed.map((e) => e.message)).toEqual([message]);
    // Seen at PreBind's first poll after the change (polls are 1 s apart from the cycle's end).
    expect(failed[0]!.t).toBeGreaterThan(3_000);
    expect(failed[0]!.t).toBeLessThan(3_010);
    expect(condition(getPod(c, "db"))).toMatchObject({ status: "False", reason: "SchedulerError", message });
    // After its back-off the pod is scheduled again and asks for provisioning once more.
    c.run(30_000);
    expect(getPod(c, "db").spec?.nodeName).toBeDefined();
    expect(getClaim(c, "data")?.status?.phase).toBe("Bound");
  });

  test("a pod deleted while PreBind waits is simply forgotten", () => {
    const timing = { volumeProvision: { minMs: 5_000, maxMs: 5_000 } };
    const { c, records } = storageCluster(3, timing);
    c.engine.at(0, () => {
      c.api.create(storageClass("slow", { mode: "WaitForFirstConsumer" }));
      c.api.create(pvc("data", { className: "slow" }));
      c.api.create(podWithClaims("db", ["data"]));
    });
    c.engine.at(2_000, () => c.api.delete("Pod", "default", "db"));
    c.run(10_000);
    expect(events(records, "Scheduled")).toEqual([]);
    expect(events(records, "FailedScheduling")).toEqual([]);
  });
});
