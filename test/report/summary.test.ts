import { describe, expect, test } from "vitest";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { summaryWriter } from "../../src/report/summary.js";
import { formatTextRecord } from "../../src/report/text.js";

const records: TimelineRecord[] = [
  { t: 0, type: "object", verb: "ADDED", kind: "Node", name: "node-1", state: { ready: "True" } },
  {
    t: 5,
    type: "event",
    eventType: "Normal",
    reason: "Scheduled",
    involved: "Pod/default/p",
    source: "s",
    message: "m",
  },
  {
    t: 9,
    type: "step",
    component: "kubelet/node-1",
    object: "Pod/default/p",
    step: "SandboxReady",
    message: "m",
  },
  { t: 60_000, type: "action", action: "fault", args: "crash node-1" },
  { t: 60_000, type: "expect", ok: false, expect: "deployment/web available == 3", detail: "2 at 1m0s" },
  {
    t: 60_000,
    type: "step",
    component: "kubesim/recovery",
    object: "Node/node-1",
    step: "RecoverySummary",
    message: "crash of node-1: recovered in 40s",
  },
  { t: 60_000, type: "end", events: 42, objects: { Node: 1 }, seed: 3 },
];

describe("summaryWriter", () => {
  test("writes nothing until closed, then the summary records as text lines and the counts, once", () => {
    const out: string[] = [];
    const sink = summaryWriter((c) => out.push(c));
    for (const r of records) sink(r);
    expect(out).toEqual([]);
    sink.close();
    sink.close();
    const summary = [records[4]!, records[5]!, records[6]!].map((r) => formatTextRecord(r));
    expect(out).toEqual([
      `${summary.join("\n")}\n              7 records: 1 object, 1 event, 1 action, 2 step, 1 expect, 1 end\n`,
    ]);
  });
});
