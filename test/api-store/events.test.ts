import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { EVENT_TTL_MS, EventRecorder } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Event, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup() {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const pod = api.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [] },
  });
  return { engine, api, pod, rec: new EventRecorder(api) };
}

const events = (api: ApiServer) => api.list<Event>("Event", { namespace: "default" }) as Stored<Event>[];

describe("the event recorder (client-go's EventCorrelator)", () => {
  test("a repeated event is one Event with a growing count and a new lastTimestamp", () => {
    const { engine, api, pod, rec } = setup();
    rec.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "kubelet");
    engine.run({ untilMs: 10_000 });
    rec.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "kubelet");
    const [e] = events(api);
    expect(events(api)).toHaveLength(1);
    expect(e!.count).toBe(2);
    expect(e!.firstTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(e!.lastTimestamp).toBe("2025-01-01T00:00:10Z");
  });

  test("the 10th distinct message of the same reason within 10 minutes is combined", () => {
    const { api, pod, rec } = setup();
    for (let i = 1; i <= 12; i++) rec.record(pod, "Normal", "Scaled", `message ${i}`, "x");
    const all = events(api);
    const combined = all.filter((e) => e.message?.startsWith("(combined from similar events): "));
    expect(all).toHaveLength(10);
    expect(combined).toHaveLength(1);
    expect(combined[0]!.count).toBe(3);
    expect(combined[0]!.message).toBe("(combined from similar events): message 12");
  });

  test("the spam filter lets 25 events of one object through, then one per 5 minutes", () => {
    const { engine, api, pod, rec } = setup();
    for (let i = 0; i < 30; i++) rec.record(pod, "Normal", `R${i}`, "m", "x");
    expect(events(api)).toHaveLength(25);
    engine.run({ untilMs: 300_000 });
    rec.record(pod, "Normal", "Later", "m", "x");
    rec.record(pod, "Normal", "Later2", "m", "x");
    expect(events(api).map((e) => e.reason)).toContain("Later");
    expect(events(api).map((e) => e.reason)).not.toContain("Later2");
  });

  test("an Event expires an hour after its last write", () => {
    const { engine, api, pod, rec } = setup();
    rec.record(pod, "Normal", "A", "m", "x");
    engine.run({ untilMs: EVENT_TTL_MS - 1000 });
    rec.record(pod, "Normal", "A", "m", "x");
    engine.run({ untilMs: EVENT_TTL_MS + 1000 });
    rec.record(pod, "Normal", "B", "m", "x");
    expect(
      events(api)
        .map((e) => e.reason)
        .sort(),
    ).toEqual(["A", "B"]);
    engine.run({ untilMs: 2 * EVENT_TTL_MS });
    rec.record(pod, "Normal", "C", "m", "x");
    expect(
      events(api)
        .map((e) => e.reason)
        .sort(),
    ).toEqual(["B", "C"]);
  });
});
