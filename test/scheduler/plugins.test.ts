import { describe, expect, test } from "vitest";
import {
  balancedAllocation,
  balancedAllocationScore,
} from "../../src/scheduler/plugins/balanced-allocation.js";
import { imageLocality } from "../../src/scheduler/plugins/imagelocality.js";
import { interPodAffinity } from "../../src/scheduler/plugins/interpodaffinity.js";
import { nodeAffinity } from "../../src/scheduler/plugins/nodeaffinity.js";
import { leastRequestedScore, nodeResourcesFit } from "../../src/scheduler/plugins/noderesources-fit.js";
import { podTopologySpread } from "../../src/scheduler/plugins/podtopologyspread.js";
import { taintToleration } from "../../src/scheduler/plugins/tainttoleration.js";
import { Fixture } from "./fixture.js";

/** The verdicts as `plugin: reasons` strings, "ok" for feasible nodes. */
function verdicts(f: Fixture, ...args: Parameters<Fixture["pod"]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [node, st] of Object.entries(f.filter(f.pod(...args))))
    out[node] = st ? `${st.plugin}: ${st.reasons.join("; ")}` : "ok";
  return out;
}

describe("NodeUnschedulable", () => {
  test("a cordoned node takes no pod, unless the pod tolerates the unschedulable taint", () => {
    const f = new Fixture();
    f.node("a", { unschedulable: true });
    f.node("b");
    expect(verdicts(f, "p")).toEqual({ a: "NodeUnschedulable: node(s) were unschedulable", b: "ok" });
    const tol = {
      key: "node.kubernetes.io/unschedulable",
      operator: "Exists" as const,
      effect: "NoSchedule",
    };
    expect(verdicts(f, "q", { spec: { tolerations: [tol] } })).toEqual({ a: "ok", b: "ok" });
  });
});

describe("NodeName", () => {
  test("a pod naming a node fits only that node", () => {
    const f = new Fixture();
    f.node("a");
    f.node("b");
    expect(verdicts(f, "p", { spec: { nodeName: "b" } })).toEqual({
      a: "NodeName: node(s) didn't match the requested node name",
      b: "ok",
    });
  });
});

describe("TaintToleration", () => {
  const gpu = { key: "dedicated", value: "gpu", effect: "NoSchedule" as const };

  test("Filter rejects an untolerated NoSchedule or NoExecute taint, naming it", () => {
    const f = new Fixture();
    f.node("a", { taints: [gpu] });
    f.node("b", { taints: [{ key: "x", effect: "NoExecute" }] });
    f.node("c", { taints: [{ key: "soft", effect: "PreferNoSchedule" }] });
    expect(verdicts(f, "p")).toEqual({
      a: "TaintToleration: node(s) had untolerated taint {dedicated: gpu}",
      b: "TaintToleration: node(s) had untolerated taint {x: }",
      c: "ok",
    });
  });

  test("Equal needs the same value; Exists tolerates any value; an empty key with Exists tolerates all", () => {
    const f = new Fixture();
    f.node("a", { taints: [gpu] });
    const ok = (tolerations: object[]) =>
      verdicts(f, `p${Math.random()}`.replace(".", ""), { spec: { tolerations } }).a;
    expect(ok([{ key: "dedicated", value: "gpu", effect: "NoSchedule" }])).toBe("ok");
    expect(ok([{ key: "dedicated", value: "cpu", effect: "NoSchedule" }])).not.toBe("ok");
    expect(ok([{ key: "dedicated", operator: "Exists" }])).toBe("ok");
    expect(ok([{ operator: "Exists" }])).toBe("ok");
    expect(ok([{ key: "dedicated", operator: "Exists", effect: "NoExecute" }])).not.toBe("ok");
  });

  test("Score: fewer untolerated PreferNoSchedule taints is better (0 → 100, 1 → 50, 2 → 0)", () => {
    const f = new Fixture();
    const soft = (key: string) => ({ key, effect: "PreferNoSchedule" as const });
    f.node("none");
    f.node("one", { taints: [soft("a")] });
    f.node("two", { taints: [soft("a"), soft("b")] });
    expect(f.scores(f.pod("p"), taintToleration)).toEqual({ none: 100, one: 50, two: 0 });
    const tolerant = f.pod("q", {
      spec: { tolerations: [{ key: "a", operator: "Exists", effect: "PreferNoSchedule" }] },
    });
    expect(f.scores(tolerant, taintToleration)).toEqual({ none: 100, one: 100, two: 0 });
  });
});

describe("NodeAffinity", () => {
  test("Filter: nodeSelector and required terms (ORed terms, ANDed expressions, Gt, matchFields)", () => {
    const f = new Fixture();
    f.node("a", { labels: { disk: "ssd", cores: "16" } });
    f.node("b", { labels: { disk: "hdd", cores: "4" } });
    f.node("c");
    const miss = "NodeAffinity: node(s) didn't match Pod's node affinity/selector";
    expect(verdicts(f, "p1", { spec: { nodeSelector: { disk: "ssd" } } })).toEqual({
      a: "ok",
      b: miss,
      c: miss,
    });
    const required = (nodeSelectorTerms: object[]) => ({
      spec: {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
      },
    });
    const gt = [{ matchExpressions: [{ key: "cores", operator: "Gt", values: ["8"] }] }];
    expect(verdicts(f, "p2", required(gt) as never)).toEqual({ a: "ok", b: miss, c: miss });
    const either = [
      { matchExpressions: [{ key: "disk", operator: "In", values: ["hdd"] }] },
      { matchFields: [{ key: "metadata.name", operator: "In", values: ["c"] }] },
    ];
    expect(verdicts(f, "p3", required(either) as never)).toEqual({ a: miss, b: "ok", c: "ok" });
    const none = [{ matchExpressions: [{ key: "disk", operator: "DoesNotExist" }] }];
    expect(verdicts(f, "p4", required(none) as never)).toEqual({ a: miss, b: miss, c: "ok" });
  });

  test("Score: sum of matching preferred weights, scaled to the highest (80 → 100, 20 → 25, none → 0)", () => {
    const f = new Fixture();
    f.node("a", { labels: { zone: "x" } });
    f.node("b", { labels: { zone: "y" } });
    f.node("c");
    const pref = (zone: string, weight: number) => ({
      weight,
      preference: { matchExpressions: [{ key: "zone", operator: "In", values: [zone] }] },
    });
    const p = f.pod("p", {
      spec: {
        affinity: {
          nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref("x", 80), pref("y", 20)] },
        },
      },
    });
    expect(f.scores(p, nodeAffinity)).toEqual({ a: 100, b: 25, c: 0 });
    expect(f.scores(f.pod("q"), nodeAffinity)).toBe("skip");
  });
});

describe("NodePorts", () => {
  test("a host port in use on the node (same protocol, overlapping IP) rejects it", () => {
    const f = new Fixture();
    f.node("a");
    f.node("b");
    f.node("c");
    const port = (hostPort: number, hostIP?: string, protocol?: "UDP") => ({
      spec: {
        containers: [{ name: "c", image: "x", ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }],
      },
    });
    f.bound("on-a", "a", port(8080));
    f.bound("on-b", "b", port(8080, "10.0.0.1"));
    f.bound("on-c", "c", port(8080, undefined, "UDP"));
    const busy = "NodePorts: node(s) didn't have free ports for the requested pod ports";
    expect(verdicts(f, "p", port(8080))).toEqual({ a: busy, b: busy, c: "ok" });
    expect(verdicts(f, "q", port(8080, "10.0.0.2"))).toEqual({ a: busy, b: "ok", c: "ok" });
  });
});

describe("NodeResourcesFit", () => {
  test("Filter reports every insufficient resource: pods, cpu, memory, ephemeral-storage", () => {
    const f = new Fixture();
    f.node("a", { cpu: "2", memory: "4Gi" });
    f.bound("x", "a", { cpu: "1500m", memory: "2Gi" });
    f.node("b", { cpu: "2", memory: "4Gi", pods: "1" });
    f.bound("y", "b");
    f.node("c", { cpu: "2", memory: "4Gi" });
    expect(verdicts(f, "p", { cpu: "1", memory: "3Gi" })).toEqual({
      a: "NodeResourcesFit: Insufficient cpu; Insufficient memory",
      b: "NodeResourcesFit: Too many pods",
      c: "ok",
    });
  });

  test("Score (LeastAllocated): mean over cpu and memory of (allocatable − requested) × 100 / allocatable", () => {
    const f = new Fixture();
    f.node("a", { cpu: "4", memory: "8Gi" });
    f.bound("x", "a", { cpu: "1", memory: "2Gi" });
    f.node("b", { cpu: "4", memory: "8Gi" });
    // a: cpu (4000 − 2000)·100/4000 = 50, memory 50 → 50; b: 75 and 75 → 75.
    expect(f.scores(f.pod("p", { cpu: "1", memory: "2Gi" }), nodeResourcesFit)).toEqual({ a: 50, b: 75 });
  });

  test("Score counts a container without requests as 100m and 200Mi", () => {
    const f = new Fixture();
    f.node("a", { cpu: "1", memory: "2Gi" });
    // cpu (1000 − 100)·100/1000 = 90; memory (2048 − 200)·100/2048 = 90.2 → 90.
    expect(f.scores(f.pod("p"), nodeResourcesFit)).toEqual({ a: 90 });
    expect(leastRequestedScore(3, 2)).toBe(0);
  });
});

describe("NodeResourcesBalancedAllocation", () => {
  test("(1 − |f_cpu − f_mem| / 2) × 100 with the pod placed", () => {
    const f = new Fixture();
    f.node("a", { cpu: "4", memory: "8Gi" });
    f.node("b", { cpu: "4", memory: "8Gi" });
    f.bound("x", "b", { cpu: "1", memory: "6Gi" });
    // a: 0.25 cpu, 0.125 memory → 93.75 → 93; b: 0.5 and 0.875 → 81.25 → 81.
    expect(f.scores(f.pod("p", { cpu: "1", memory: "1Gi" }), balancedAllocation)).toEqual({ a: 93, b: 81 });
    expect(
      balancedAllocationScore(
        f.cycle(f.pod("q", { cpu: "8" })).info,
        f.cache.cols,
        f.cache.nodeInfo("a")!.id,
      ),
    ).toBe(50);
  });

  test("is skipped for a pod that requests nothing", () => {
    const f = new Fixture();
    f.node("a");
    expect(f.scores(f.pod("p"), balancedAllocation)).toBe("skip");
  });
});

describe("ImageLocality", () => {
  test("size × share of nodes having the image, clamped to 23..1000 MiB per container, scaled to 0..100", () => {
    const MiB = 1024 * 1024;
    const f = new Fixture();
    const img = [{ names: ["registry/app:1.0"], sizeBytes: 500 * MiB }];
    f.node("a", { images: img });
    f.node("b", { images: img });
    f.node("c");
    // 500 MiB × 2/3 = 333.3 MiB → 100 × (333.3 − 23) / (1000 − 23) = 31.8 → 31.
    expect(f.scores(f.pod("p", { image: "registry/app:1.0" }), imageLocality)).toEqual({
      a: 31,
      b: 31,
      c: 0,
    });
    // An untagged image name means :latest.
    expect(f.scores(f.pod("q", { image: "registry/app" }), imageLocality)).toEqual({ a: 0, b: 0, c: 0 });
  });

  test("a node that reports an image without a size counts it as 100 MiB (kubesim's default)", () => {
    const f = new Fixture();
    f.node("a", { images: [{ names: ["nginx:1.27"] }] });
    // 100 MiB × 1/1 → 100 × 77 / 977 = 7.9 → 7.
    expect(f.scores(f.pod("p", { image: "nginx:1.27" }), imageLocality)).toEqual({ a: 7 });
  });
});

describe("PodTopologySpread", () => {
  const spread = (
    whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway",
    topologyKey = "zone",
    maxSkew = 1,
  ) => ({
    labels: { app: "web" },
    spec: {
      topologySpreadConstraints: [
        { maxSkew, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: { app: "web" } } },
      ],
    },
  });

  test("Filter: matching pods in the domain + self − global minimum must not exceed maxSkew", () => {
    const f = new Fixture();
    f.node("a1", { labels: { zone: "a" } });
    f.node("a2", { labels: { zone: "a" } });
    f.node("b1", { labels: { zone: "b" } });
    f.node("nolabel");
    f.bound("w1", "a1", { labels: { app: "web" } });
    f.bound("w2", "a2", { labels: { app: "web" } });
    f.bound("other", "b1", { labels: { app: "db" } });
    expect(verdicts(f, "p", spread("DoNotSchedule"))).toEqual({
      a1: "PodTopologySpread: node(s) didn't match pod topology spread constraints",
      a2: "PodTopologySpread: node(s) didn't match pod topology spread constraints",
      b1: "ok",
      nolabel:
        "PodTopologySpread: node(s) didn't match pod topology spread constraints (missing required label)",
    });
  });

  test("Score with the system defaults for a ReplicaSet's pods: fewer matching pods on the node is better", () => {
    const f = new Fixture();
    const rs = f.api.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "web", namespace: "default" },
      spec: { selector: { matchLabels: { app: "web" } }, template: {} },
    });
    const owned = {
      labels: { app: "web" },
      spec: {},
    };
    const meta = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "web",
      uid: rs.metadata.uid,
      controller: true,
    };
    f.node("n1");
    f.node("n2");
    f.node("n3");
    for (const name of ["w1", "w2"]) {
      const p = f.api.create({
        ...f.pod(`${name}-tmpl`, owned),
        metadata: { name, namespace: "default", labels: { app: "web" }, ownerReferences: [meta] },
      });
      f.cache.addPod(f.cycle(p as never).info, "n1");
    }
    const incoming = f.api.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "new", namespace: "default", labels: { app: "web" }, ownerReferences: [meta] },
      spec: { containers: [{ name: "c", image: "x" }] },
    });
    // hostname weight ln(3 + 2) = 1.609: n1 = round(2 × 1.609 + 2) = 5, n2 = n3 = 2 (the zone constraint
    // is skipped: no node has a zone). Normalised 100·(max + min − s)/max: n1 = 40, n2 = n3 = 100.
    expect(f.scores(incoming as never, podTopologySpread)).toEqual({ n1: 40, n2: 100, n3: 100 });
    expect(f.scores(f.pod("loner", { labels: { app: "web" } }), podTopologySpread)).toBe("skip");
  });

  test("Score with an explicit ScheduleAnyway constraint ignores nodes without the key", () => {
    const f = new Fixture();
    f.node("a1", { labels: { zone: "a" } });
    f.node("b1", { labels: { zone: "b" } });
    f.node("nolabel");
    f.bound("w1", "a1", { labels: { app: "web" } });
    // Zones a (1 pod) and b (0): weight ln(2 + 2); a = round(1.386 + 0) = 1, b = 0 → a 0, b 100; nolabel 0.
    expect(f.scores(f.pod("p", spread("ScheduleAnyway")), podTopologySpread)).toEqual({
      a1: 0,
      b1: 100,
      nolabel: 0,
    });
  });
});

describe("InterPodAffinity", () => {
  const term = (app: string, topologyKey = "kubernetes.io/hostname") => ({
    topologyKey,
    labelSelector: { matchLabels: { app } },
  });

  test("Filter: the pod's required anti-affinity keeps it off nodes with a matching pod", () => {
    const f = new Fixture();
    f.node("a");
    f.node("b");
    f.bound("db-1", "a", { labels: { app: "db" } });
    const p = {
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("db")] } },
      },
    };
    expect(verdicts(f, "p", p)).toEqual({
      a: "InterPodAffinity: node(s) didn't match pod anti-affinity rules",
      b: "ok",
    });
  });

  test("Filter: an existing pod's required anti-affinity keeps matching pods away", () => {
    const f = new Fixture();
    f.node("a");
    f.node("b");
    f.bound("loner", "a", {
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("web")] } },
      },
    });
    expect(verdicts(f, "p", { labels: { app: "web" } })).toEqual({
      a: "InterPodAffinity: node(s) didn't satisfy existing pods anti-affinity rules",
      b: "ok",
    });
  });

  test("Filter: required affinity needs a matching pod in the domain; the first pod of a group may match itself", () => {
    const f = new Fixture();
    f.node("a", { labels: { zone: "x" } });
    f.node("b", { labels: { zone: "x" } });
    f.node("c", { labels: { zone: "y" } });
    const withCache = {
      spec: {
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("cache", "zone")] },
        },
      },
    };
    const first = verdicts(f, "first", { labels: { app: "cache" }, ...withCache });
    expect(first).toEqual({ a: "ok", b: "ok", c: "ok" });
    f.bound("cache-1", "a", { labels: { app: "cache" } });
    expect(verdicts(f, "p", withCache)).toEqual({
      a: "ok",
      b: "ok",
      c: "InterPodAffinity: node(s) didn't match pod affinity rules",
    });
  });

  test("Score: preferred affinity toward a node's pods scales min..max to 0..100", () => {
    const f = new Fixture();
    f.node("a");
    f.node("b");
    f.node("c");
    f.bound("db-1", "a", { labels: { app: "db" } });
    f.bound("db-2", "a", { labels: { app: "db" } });
    f.bound("db-3", "b", { labels: { app: "db" } });
    const p = f.pod("p", {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term("db") }],
          },
        },
      },
    });
    // a: 20, b: 10, c: 0 → 100, 50, 0.
    expect(f.scores(p, interPodAffinity)).toEqual({ a: 100, b: 50, c: 0 });
    expect(f.scores(f.pod("q"), interPodAffinity)).toBe("skip");
  });
});
