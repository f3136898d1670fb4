/** describe's text layout (Go's text/tabwriter as tabbedString sets it up) and the shared field printers. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { Event } from "../../src/api/types.js";
import {
  describeEvents,
  eventsFor,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
  printTolerationsMultiline,
  rfc1123z,
} from "../../src/report/kubectl/describe-common.js";
import { PrefixWriter, tabwriter } from "../../src/report/kubectl/index.js";

const clock = new SimClock();

describe("tabwriter (Go text/tabwriter: minwidth 0, padding 2)", () => {
  it.each<[string, string, string]>([
    ["pads a column to its widest cell plus two", "a\tb\nlonger\tc\n", "a       b\nlonger  c\n"],
    ["never pads the last cell of a line", "a\tb \nc\td\n", "a  b \nc  d\n"],
    [
      "a line without a tab ends the column block",
      "Name:\tx\nIPs:\n  IP:\t10\nControlled By:\tRS/x\n",
      "Name:  x\nIPs:\n  IP:           10\nControlled By:  RS/x\n",
    ],
    ["empty cells take the column's width", "a\t\tb\nccc\t\td\n", "a      b\nccc    d\n"],
    [
      "a column exists only on lines where its cell is tab-terminated",
      "x\ty\tz\nxx\ty\n",
      "x   y  z\nxx  y\n",
    ],
    ["inner columns form their own blocks", "a\tb\tc\nd\ne\tff\tg\n", "a  b  c\nd\ne  ff  g\n"],
    ["counts code points, not UTF-16 units", "é\tx\nab\ty\n", "é   x\nab  y\n"],
    ["keeps text after the last newline", "a\tb\nc", "a  b\nc"],
  ])("%s", (_, input, output) => {
    expect(tabwriter(input)).toBe(output);
  });

  it("PrefixWriter indents two spaces a level and keeps the raw tabs for printTemplate", () => {
    const w = new PrefixWriter();
    w.write(0, "Name:\tweb\n");
    w.write(2, "Image:\tnginx\n");
    w.writeLine("<none>");
    expect(w.raw()).toBe("Name:\tweb\n    Image:\tnginx\n<none>\n");
    expect(w.toString()).toBe("Name:       web\n    Image:  nginx\n<none>\n");
  });
});

describe("timestamps", () => {
  it.each<[string, string]>([
    ["2025-01-01T00:01:05Z", "Wed, 01 Jan 2025 00:01:05 +0000"],
    ["2024-02-29T23:59:59Z", "Thu, 29 Feb 2024 23:59:59 +0000"],
    ["2025-03-02T10:00:00.500000Z", "Sun, 02 Mar 2025 10:00:00 +0000"],
    ["2025-01-01T01:00:00+01:00", "Wed, 01 Jan 2025 00:00:00 +0000"],
  ])("%s prints as RFC 1123 with a numeric zone: %s", (ts, text) => {
    expect(rfc1123z(ts)).toBe(text);
  });

  it("an unset time prints as Go's zero time", () => {
    expect(rfc1123z(undefined)).toBe("Mon, 01 Jan 0001 00:00:00 +0000");
  });
});

describe("labels, annotations, taints and tolerations", () => {
  const render = (f: (w: PrefixWriter) => void) => {
    const w = new PrefixWriter();
    f(w);
    return w.toString();
  };

  it("prints labels one a line, sorted, aligned under the first", () => {
    const text = render((w) => printLabelsMultiline(w, "Labels", { "pod-template-hash": "abc", app: "web" }));
    expect(text).toBe("Labels:  app=web\n         pod-template-hash=abc\n");
  });

  it("prints <none> without labels", () => {
    expect(render((w) => printLabelsMultiline(w, "Node-Selectors", {}))).toBe("Node-Selectors:  <none>\n");
  });

  it("prints annotations as key: value, skips last-applied-configuration, wraps long values", () => {
    const long = "x".repeat(150);
    const text = render((w) =>
      printAnnotationsMultiline(w, "Annotations", {
        "deployment.kubernetes.io/revision": "2",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        note: long,
      }),
    );
    expect(text).toBe(
      "Annotations:  deployment.kubernetes.io/revision: 2\n" +
        "              note:\n" +
        `                ${"x".repeat(138)}...\n`,
    );
  });

  it("prints the default not-ready/unreachable tolerations as kubectl does", () => {
    const text = render((w) =>
      printTolerationsMultiline(w, "Tolerations", [
        {
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        { operator: "Exists" },
        { key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" },
      ]),
    );
    expect(text).toBe(
      "Tolerations:  op=Exists\n" +
        "              dedicated=db:NoSchedule\n" +
        "              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n" +
        "              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n",
    );
  });

  it("prints taints sorted by effect, then key", () => {
    const text = render((w) =>
      printTaintsMultiline(w, "Taints", [
        { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
        { key: "node.kubernetes.io/not-ready", effect: "NoExecute" },
        { key: "dedicated", value: "db", effect: "NoSchedule" },
      ]),
    );
    expect(text).toBe(
      "Taints:  node.kubernetes.io/not-ready:NoExecute\n" +
        "         dedicated=db:NoSchedule\n" +
        "         node.kubernetes.io/unschedulable:NoSchedule\n",
    );
  });
});

const event = (name: string, over: Partial<Event>): Event => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name, namespace: "default" },
  involvedObject: { kind: "Pod", name: "web-1", namespace: "default", uid: "pod-uid" },
  type: "Normal",
  count: 1,
  source: { component: "kubelet" },
  ...over,
});

describe("events", () => {
  const ctx = { nowMs: 120_000, clock };

  it("finds a pod's events by name, namespace and uid, not those of an earlier pod of the same name", () => {
    const mine = event("a", { reason: "Started" });
    const earlier = event("b", {
      involvedObject: { kind: "Pod", name: "web-1", namespace: "default", uid: "old" },
    });
    const other = event("c", {
      involvedObject: { kind: "Pod", name: "web-2", namespace: "default", uid: "x" },
    });
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-1", namespace: "default", uid: "pod-uid" },
    };
    expect(eventsFor(pod, [mine, earlier, other])).toEqual([mine]);
  });

  it("finds a node's events under its uid or its name, whatever their namespace", () => {
    const byUid = event("a", { involvedObject: { kind: "Node", name: "node-1", uid: "node-uid" } });
    const byName = event("b", { involvedObject: { kind: "Node", name: "node-1", uid: "node-1" } });
    const pod = event("c", {
      involvedObject: { kind: "Pod", name: "node-1", namespace: "default", uid: "node-uid" },
    });
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1", uid: "node-uid" } };
    expect(eventsFor(node, [byUid, byName, pod])).toEqual([byUid, byName]);
  });

  it("prints Events: <none> without events", () => {
    const w = new PrefixWriter();
    describeEvents(w, [], ctx);
    expect(w.toString()).toBe("Events:  <none>\n");
  });

  it("orders by last occurrence and shows repeats as `age (xN over first)`", () => {
    const w = new PrefixWriter();
    describeEvents(
      w,
      [
        event("web-1.2", {
          type: "Warning",
          reason: "Unhealthy",
          message: "Readiness probe failed: HTTP probe failed with statuscode: 503\n",
          firstTimestamp: clock.time(70_000),
          lastTimestamp: clock.time(110_000),
          count: 3,
        }),
        event("web-1.1", {
          reason: "Scheduled",
          message: "Successfully assigned default/web-1 to node-1",
          source: { component: "default-scheduler" },
          firstTimestamp: clock.time(60_000),
          lastTimestamp: clock.time(60_000),
        }),
      ],
      ctx,
    );
    expect(w.toString()).toBe(
      "Events:\n" +
        "  Type     Reason     Age                From               Message\n" +
        "  ----     ------     ----               ----               -------\n" +
        "  Normal   Scheduled  60s                default-scheduler  Successfully assigned default/web-1 to node-1\n" +
        "  Warning  Unhealthy  10s (x3 over 50s)  kubelet            Readiness probe failed: HTTP probe failed with statuscode: 503\n",
    );
  });
});
