/** `kubectl describe node` on a hand-built node: lease, conditions, resources, pods and allocation. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { Event, Lease, Node, Pod } from "../../src/api/types.js";
import { podResourceTotals } from "../../src/report/kubectl/describe-node.js";
import { describeObject } from "../../src/report/kubectl/index.js";

const clock = new SimClock();
const ctx = { nowMs: 120_000, clock };

const node: Node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: "node-1",
    uid: "node-uid",
    creationTimestamp: clock.time(0),
    labels: { "kubernetes.io/hostname": "node-1", "node-role.kubernetes.io/control-plane": "" },
  },
  spec: {
    podCIDR: "10.244.0.0/24",
    podCIDRs: ["10.244.0.0/24"],
    taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
  },
  status: {
    capacity: { cpu: "2", memory: "4Gi", pods: "110" },
    allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
    conditions: [
      {
        type: "Ready",
        status: "True",
        lastHeartbeatTime: clock.time(100_000),
        lastTransitionTime: clock.time(0),
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
      },
    ],
    addresses: [
      { type: "InternalIP", address: "192.168.0.2" },
      { type: "Hostname", address: "node-1" },
    ],
    nodeInfo: {
      machineID: "m1",
      systemUUID: "s1",
      bootID: "b1",
      kernelVersion: "6.1.0",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      operatingSystem: "linux",
      architecture: "amd64",
      containerRuntimeVersion: "containerd://2.0.0",
      kubeletVersion: "v1.33.0",
      kubeProxyVersion: "",
    },
  },
};

const lease: Lease = {
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: { name: "node-1", namespace: "kube-node-lease" },
  spec: { holderIdentity: "node-1", renewTime: clock.microTime(110_250) },
};

function pod(
  name: string,
  nodeName: string,
  phase: string,
  createdMs: number,
  spec: Record<string, unknown>,
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", creationTimestamp: clock.time(createdMs) },
    spec: { nodeName, containers: [], ...spec } as Pod["spec"],
    status: { phase },
  };
}

const web = pod("web-1", "node-1", "Running", 30_000, {
  containers: [
    { name: "a", resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } } },
  ],
});
const initPod = pod("init-pod", "node-1", "Pending", 0, {
  initContainers: [{ name: "i", resources: { requests: { cpu: "1" } } }],
  containers: [{ name: "a", resources: { requests: { cpu: "250m" } } }],
});
const done = pod("done", "node-1", "Succeeded", 0, {
  containers: [{ name: "a", resources: { requests: { cpu: "1" } } }],
});
const elsewhere = pod("elsewhere", "node-2", "Running", 0, {
  containers: [{ name: "a", resources: { requests: { cpu: "1" } } }],
});

const started: Event = {
  metadata: { name: "node-1.1", namespace: "default" },
  involvedObject: { kind: "Node", name: "node-1", uid: "node-1" },
  type: "Normal",
  reason: "Starting",
  message: "Starting kubelet.",
  source: { component: "kubelet", host: "node-1" },
  firstTimestamp: clock.time(0),
  lastTimestamp: clock.time(0),
  count: 1,
};

/** One row of a table whose column widths were worked out by hand (widest cell + 2). */
const row = (widths: number[], cells: string[]) =>
  cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join("");

describe("describe node", () => {
  it("prints the node, its lease, conditions, resources, non-terminated pods and events", () => {
    const conditions = [10, 8, 34, 34, 15];
    const pods = [30, 10, 2, 14, 12, 17, 15];
    const allocated = [21, 13];
    const events = [10, 10, 6, 9];
    const expected = [
      "Name:               node-1",
      "Roles:              control-plane",
      "Labels:             kubernetes.io/hostname=node-1",
      "                    node-role.kubernetes.io/control-plane=",
      "Annotations:        <none>",
      "CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000",
      "Taints:             node-role.kubernetes.io/control-plane:NoSchedule",
      "Unschedulable:      false",
      "Lease:",
      "  HolderIdentity:  node-1",
      "  AcquireTime:     <unset>",
      "  RenewTime:       Wed, 01 Jan 2025 00:01:50 +0000",
      "Conditions:",
      row(conditions, ["  Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"]),
      row(conditions, ["  ----", "------", "-----------------", "------------------", "------", "-------"]),
      row(conditions, [
        "  Ready ",
        "True ",
        "Wed, 01 Jan 2025 00:01:40 +0000 ",
        "Wed, 01 Jan 2025 00:00:00 +0000 ",
        "KubeletReady ",
        "kubelet is posting ready status",
      ]),
      "Addresses:",
      "  InternalIP:  192.168.0.2",
      "  Hostname:    node-1",
      "Capacity:",
      "  cpu:     2",
      "  memory:  4Gi",
      "  pods:    110",
      "Allocatable:",
      "  cpu:     2",
      "  memory:  4Gi",
      "  pods:    110",
      "System Info:",
      row([30], ["  Machine ID:", "m1"]),
      row([30], ["  System UUID:", "s1"]),
      row([30], ["  Boot ID:", "b1"]),
      row([30], ["  Kernel Version:", "6.1.0"]),
      row([30], ["  OS Image:", "Debian GNU/Linux 12 (bookworm)"]),
      row([30], ["  Operating System:", "linux"]),
      row([30], ["  Architecture:", "amd64"]),
      row([30], ["  Container Runtime Version:", "containerd://2.0.0"]),
      row([30], ["  Kubelet Version:", "v1.33.0"]),
      row([30], ["PodCIDR:", "10.244.0.0/24"]),
      row([30], ["PodCIDRs:", "10.244.0.0/24"]),
      row([30], ["Non-terminated Pods:", "(2 in total)"]),
      row(pods, [
        "  Namespace",
        "Name",
        "",
        "CPU Requests",
        "CPU Limits",
        "Memory Requests",
        "Memory Limits",
        "Age",
      ]),
      row(pods, [
        "  ---------",
        "----",
        "",
        "------------",
        "----------",
        "---------------",
        "-------------",
        "---",
      ]),
      row(pods, ["  default", "web-1", "", "500m (25%)", "0 (0%)", "1Gi (25%)", "2Gi (50%)", "90s"]),
      row(pods, ["  default", "init-pod", "", "1 (50%)", "0 (0%)", "0 (0%)", "0 (0%)", "2m"]),
      "Allocated resources:",
      "  (Total limits may be over 100 percent, i.e., overcommitted.)",
      row(allocated, ["  Resource", "Requests", "Limits"]),
      row(allocated, ["  --------", "--------", "------"]),
      row(allocated, ["  cpu", "1500m (75%)", "0 (0%)"]),
      row(allocated, ["  memory", "1Gi (25%)", "2Gi (50%)"]),
      row(allocated, ["  ephemeral-storage", "0 (0%)", "0 (0%)"]),
      "Events:",
      row(events, ["  Type", "Reason", "Age", "From", "Message"]),
      row(events, ["  ----", "------", "----", "----", "-------"]),
      row(events, ["  Normal", "Starting", "2m", "kubelet", "Starting kubelet."]),
      "",
    ].join("\n");
    const text = describeObject(
      node,
      { leases: [lease], pods: [web, done, elsewhere, initPod], events: [started] },
      ctx,
    );
    expect(text).toBe(expected);
  });

  it("says so when the node has no Lease", () => {
    expect(describeObject(node, { pods: [] }, ctx)).toContain(
      'Lease:              Failed to get lease: leases.coordination.k8s.io "node-1" not found\n',
    );
  });
});

describe("pod requests and limits (PodRequests / PodLimits)", () => {
  const cpu = (p: Pod, field: "requests" | "limits") => podResourceTotals(p, field).get("cpu")?.nano;

  it("an init container's request is a peak the pod must also fit", () => {
    expect(cpu(initPod, "requests")).toBe(1_000_000_000n);
  });

  it("sidecars add to the containers and to later init containers", () => {
    const p = pod("p", "node-1", "Running", 0, {
      initContainers: [
        { name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "100m" } } },
        { name: "migrate", resources: { requests: { cpu: "1" } } },
      ],
      containers: [{ name: "a", resources: { requests: { cpu: "200m" } } }],
    });
    // max(200m + 100m sidecar, 1 + 100m sidecar) = 1100m
    expect(cpu(p, "requests")).toBe(1_100_000_000n);
  });
});
