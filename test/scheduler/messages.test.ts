import { describe, expect, test } from "vitest";
import { fitErrorMessage, truncateMessage } from "../../src/scheduler/messages.js";
import { Fixture } from "./fixture.js";

const UNREACHABLE = [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" as const }];

describe("FitError message", () => {
  test("counts reasons per node, sorted as strings, then the PostFilter message", () => {
    const reasons = new Map([
      ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }", 1],
      ["Insufficient cpu", 2],
    ]);
    expect(fitErrorMessage(3, reasons, "preemption: x.")).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. preemption: x.",
    );
  });

  test("sorts whole strings, so 10 comes before 2 (as Go's sort.Strings does)", () => {
    const reasons = new Map([
      ["Insufficient memory", 2],
      ["Insufficient cpu", 10],
    ]);
    expect(fitErrorMessage(12, reasons)).toBe(
      "0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.",
    );
  });

  test("a long message is cut to 1024 characters ending in ' ...'", () => {
    const long = "x".repeat(2000);
    const cut = truncateMessage(long);
    expect(cut.length).toBe(1024);
    expect(cut.endsWith(" ...")).toBe(true);
    expect(truncateMessage("short")).toBe("short");
  });
});

describe("FailedScheduling message of a real attempt (v1.33 DefaultPreemption postfix)", () => {
  test("taints are not helpful to preempt; too-small nodes without lower-priority pods have no victims", () => {
    const f = new Fixture();
    f.node("node-1", { cpu: "4", taints: UNREACHABLE });
    f.node("node-2", { cpu: "1" });
    f.node("node-3", { cpu: "1" });
    const a = f.algorithm().schedule(f.pod("web", { cpu: "2" }));
    expect(a.failure?.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. " +
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  test("when no node could be helped by preemption, all are 'not helpful'", () => {
    const f = new Fixture();
    f.node("node-1", { unschedulable: true });
    f.node("node-2", { labels: { disk: "hdd" } });
    const a = f.algorithm().schedule(f.pod("web", { spec: { nodeSelector: { disk: "ssd" } } }));
    expect(a.failure?.message).toBe(
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. " +
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  test("preemptionPolicy Never says the pod is not eligible", () => {
    const f = new Fixture();
    f.node("node-1", { cpu: "1" });
    const a = f.algorithm().schedule(f.pod("web", { cpu: "2", spec: { preemptionPolicy: "Never" } }));
    expect(a.failure?.message).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
    );
  });

  test("a node with several insufficient resources counts each of them", () => {
    const f = new Fixture();
    f.node("node-1", { cpu: "1", memory: "1Gi", pods: "1" });
    f.bound("other", "node-1");
    const a = f.algorithm().schedule(f.pod("web", { cpu: "2", memory: "2Gi" }));
    expect(a.failure?.message).toBe(
      "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods. " +
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
  });

  test("with no nodes at all the message is Kubernetes' ErrNoNodesAvailable", () => {
    const f = new Fixture();
    expect(f.algorithm().schedule(f.pod("web")).failure?.message).toBe("no nodes available to schedule pods");
  });
});
