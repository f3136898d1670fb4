/** Kubelet admission (lifecycle/predicate.go): reasons and messages as the kubelet writes them. */
import { describe, expect, test } from "vitest";
import type { Node, Pod } from "../../src/api/types.js";
import { admitPod, matchesNodeAffinity, sumRequests } from "../../src/kubelet/admission.js";

const node = (extra: Partial<Node> = {}): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "node-1", labels: { "kubernetes.io/hostname": "node-1", zone: "a", disk: "ssd" } },
  status: { allocatable: { cpu: "4", memory: "8Gi", pods: "3" } },
  ...extra,
});
const pod = (spec: Partial<NonNullable<Pod["spec"]>> = {}, cpu?: string): Pod => ({
  metadata: { name: "p" },
  spec: {
    containers: [{ name: "c", image: "x", ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
    ...spec,
  },
});
const used = (milliCpu: number, pods: number) => ({ milliCpu, memory: 0, ephemeralStorage: 0, pods });

describe("admitPod", () => {
  test("too little CPU left: OutOfcpu with requested, used and capacity in milli-CPU", () => {
    expect(admitPod(pod({}, "3"), node(), used(2000, 1), new Set())).toEqual({
      admit: false,
      reason: "OutOfcpu",
      message: "Node didn't have enough resource: cpu, requested: 3000, used: 2000, capacity: 4000",
    });
  });

  test("a pod that fits is admitted", () => {
    expect(admitPod(pod({}, "2"), node(), used(2000, 1), new Set())).toEqual({ admit: true });
  });

  test("the pod count is checked first: OutOfpods", () => {
    const v = admitPod(pod({}, "8"), node(), used(0, 3), new Set());
    expect(v).toMatchObject({
      reason: "OutOfpods",
      message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3",
    });
  });

  test("memory is compared in bytes: OutOfmemory", () => {
    const p = pod();
    p.spec!.containers[0]!.resources = { requests: { memory: "9Gi" } };
    expect(admitPod(p, node(), used(0, 0), new Set())).toMatchObject({ reason: "OutOfmemory" });
  });

  test("a nodeSelector that the node does not match: NodeAffinity", () => {
    expect(admitPod(pod({ nodeSelector: { zone: "b" } }), node(), used(0, 0), new Set())).toEqual({
      admit: false,
      reason: "NodeAffinity",
      message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    });
  });

  test("an untolerated NoExecute taint: TaintToleration; NoSchedule taints are the scheduler's business", () => {
    const tainted = node({ spec: { taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] } });
    expect(admitPod(pod(), tainted, used(0, 0), new Set())).toMatchObject({ reason: "TaintToleration" });
    const tolerated = pod({
      tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoExecute" }],
    });
    expect(admitPod(tolerated, tainted, used(0, 0), new Set())).toEqual({ admit: true });
    const soft = node({ spec: { taints: [{ key: "dedicated", effect: "NoSchedule" }] } });
    expect(admitPod(pod(), soft, used(0, 0), new Set())).toEqual({ admit: true });
  });

  test("a host port already taken: NodePorts", () => {
    const p = pod();
    p.spec!.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080 }];
    expect(admitPod(p, node(), used(0, 0), new Set(["TCP/8080"]))).toMatchObject({ reason: "NodePorts" });
  });
});

describe("matchesNodeAffinity", () => {
  const affinity = (terms: object[]) =>
    pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never },
        },
      },
    });
  test.each([
    ["In matches", [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] }], true],
    ["NotIn excludes", [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }], false],
    ["Exists", [{ matchExpressions: [{ key: "disk", operator: "Exists" }] }], true],
    ["DoesNotExist", [{ matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }], true],
    [
      "terms are ORed",
      [
        { matchExpressions: [{ key: "zone", operator: "In", values: ["z"] }] },
        { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] },
      ],
      true,
    ],
    [
      "matchFields on metadata.name",
      [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }] }],
      true,
    ],
    ["an empty term matches nothing", [{}], false],
  ])("%s", (_name, terms, expected) => {
    expect(matchesNodeAffinity(affinity(terms), node())).toBe(expected);
  });
});

test("sumRequests adds requests and counts pods", () => {
  expect(sumRequests([used(100, 1), used(250, 1)])).toEqual({
    milliCpu: 350,
    memory: 0,
    ephemeralStorage: 0,
    pods: 2,
  });
});
