// Which faults count as active, read from the timeline's action records: node faults until their
// heal, lasting pod faults until theirs, a one-off container kill as a moment's disruption, image
// faults per image (and node) apart from the node's own fault.
import { describe, expect, test } from "vitest";
import type { TimelineRecord } from "../../src/api/records.js";
import { FaultState, isUserDisruption } from "../../src/invariants/disturbance.js";

const fault = (args: object, t = 0): TimelineRecord => ({
  t,
  type: "action",
  action: "fault",
  args: JSON.stringify(args),
});
const heal = (args: object, t = 0): TimelineRecord => ({
  t,
  type: "action",
  action: "heal",
  args: JSON.stringify(args),
});

describe("FaultState", () => {
  test.each([
    ["a node crash until its heal", [fault({ type: "crash", node: "n1" })], 1],
    ["healed by node", [fault({ type: "crash", node: "n1" }), heal({ node: "n1" })], 0],
    [
      "healed by type",
      [
        fault({ type: "partition", node: "n1" }),
        fault({ type: "partition", node: "n2" }),
        heal({ type: "partition" }),
      ],
      0,
    ],
    [
      "an image fault on a node is not the node's fault",
      [
        fault({ type: "crash", node: "n1" }),
        fault({ type: "image-pull-fail", image: "a", node: "n1" }),
        heal({ type: "image-pull-fail", image: "a", node: "n1" }),
      ],
      1,
    ],
    ["a lasting container crash (for:)", [fault({ type: "container-crash", pod: "web-0", forMs: 5000 })], 1],
    ["a one-off container kill is not active", [fault({ type: "container-crash", pod: "web-0" })], 0],
    [
      "the apiserver delay until healed by type",
      [fault({ type: "apiserver-delay", delayMs: 100 }), heal({ type: "apiserver-delay" })],
      0,
    ],
  ] as const)("%s", (_name, records, active) => {
    const s = new FaultState(() => false);
    for (const r of records) s.apply(r);
    expect(s.count).toBe(active);
    expect(s.everFaulted).toBe(true);
  });

  test("a container crash the scenario heals later lasts; a failed action changes nothing", () => {
    const s = new FaultState((ns, pod) => ns === "default" && pod === "web-0");
    expect(s.apply(fault({ type: "oom", pod: "web-0" }))).toBe("changed");
    expect(s.apply(fault({ type: "oom", pod: "web-1" }))).toBe("pulse");
    expect(
      s.apply({ t: 0, type: "action", action: "fault", args: "{}", error: "error: nope" }),
    ).toBeUndefined();
    expect(s.count).toBe(1);
  });

  test("kubectl delete and drain are user disruptions; scale is not", () => {
    const kubectl = (args: string): TimelineRecord => ({ t: 0, type: "action", action: "kubectl", args });
    expect(isUserDisruption(kubectl("drain node-1 --ignore-daemonsets"))).toBe(true);
    expect(isUserDisruption(kubectl("delete pod web-0"))).toBe(true);
    expect(isUserDisruption(kubectl("scale deployment/web --replicas=3"))).toBe(false);
  });
});
