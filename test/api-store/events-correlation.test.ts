/** The event correlator's field-by-field matching gives the Events the joined keys of client-go's EventCorrelator give. */
import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { EventRecorder, type EventType } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Event, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup() {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const pod = (name: string) =>
    api.create({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [] } });
  return { engine, api, pods: [pod("a"), pod("b")], rec: new EventRecorder(api) };
}

/** client-go's getEventKey: every identifying field joined (host "" and absent are one). */
function referenceKey(
  pod: Stored,
  component: string,
  host: string | undefined,
  type: string,
  reason: string,
  fieldPath: string | undefined,
  message: string,
): string {
  return [component, host ?? "", pod.metadata.uid, type, reason, fieldPath ?? "", message].join("|");
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

describe("the event correlator's matching", () => {
  test("repeats are counted per source, object, type, reason, fieldPath and message, as with joined keys", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { engine, api, pods, rec } = setup();
      const rng = new Rng(seed);
      const expected = new Map<string, number>();
      for (let i = 0; i < 120; i++) {
        engine.run({ untilMs: (i + 1) * 20_000 });
        const pod = pick(rng, pods);
        const component = pick(rng, ["kubelet", "default-scheduler"]);
        const host = pick(rng, [undefined, "", "node-1"]);
        const type = pick(rng, ["Normal", "Warning"] as EventType[]);
        const reason = pick(rng, ["Pulled", "BackOff"]);
        const fieldPath = pick(rng, [undefined, "", "spec.containers{web}"]);
        // Built from pieces, as callers build them: matching must compare contents, not identity.
        const message = ["Created container ", pick(rng, ["web", "db"])].join("");
        rec.record(pod, type, reason, message, component, { host, fieldPath });
        const key = referenceKey(pod, component, host, type, reason, fieldPath, message);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const got = new Map<string, number>();
      for (const e of api.list<Event>("Event", { namespace: "default" })) {
        const pod = pods.find((p) => p.metadata.uid === e.involvedObject.uid)!;
        const key = referenceKey(
          pod,
          e.source!.component!,
          e.source!.host,
          e.type!,
          e.reason!,
          e.involvedObject.fieldPath,
          e.message!,
        );
        expect(got.has(key), `seed=${seed}: two Events for ${key}`).toBe(false);
        got.set(key, e.count!);
      }
      expect(got, `seed=${seed}`).toEqual(expected);
    }
  });

  test("the aggregate of similar events is one Event whatever the fieldPath", () => {
    const { api, pods, rec } = setup();
    for (let i = 1; i <= 12; i++)
      rec.record(pods[0]!, "Normal", "Scaled", `message ${i}`, "x", { fieldPath: `f${i % 2}` });
    const combined = api
      .list<Event>("Event", { namespace: "default" })
      .filter((e) => e.message?.startsWith("(combined from similar events): "));
    expect(combined.map((e) => [e.count, e.message])).toEqual([
      [3, "(combined from similar events): message 12"],
    ]);
  });

  test("a message that Unicode normalization would change is stored as given", () => {
    const { api, pods, rec } = setup();
    const decomposed = "Pulling image cafe\u0301";
    rec.record(pods[0]!, "Normal", "Pulling", decomposed, "kubelet");
    rec.record(pods[0]!, "Normal", "Pulling", decomposed, "kubelet");
    const [e] = api.list<Event>("Event", { namespace: "default" });
    expect([e!.message, e!.count]).toEqual([decomposed, 2]);
  });

  test("Events of one source share their source object; equal messages share one string value", () => {
    const { api, pods, rec } = setup();
    rec.record(pods[0]!, "Normal", "Created", "Created container: web", "kubelet", { host: "n" });
    rec.record(pods[1]!, "Normal", "Created", "Created container: web", "kubelet", { host: "n" });
    const [a, b] = api.list<Event>("Event", { namespace: "default" });
    expect(a!.source).toBe(b!.source);
    expect(a!.source).toEqual({ component: "kubelet", host: "n" });
    expect(Object.isFrozen(a!.source)).toBe(true);
  });

  test("with storage off, a repeat is announced with its count and the first Event's name", () => {
    const { engine, api, pods, rec } = setup();
    rec.store = false;
    const seen: Event[] = [];
    api.observe((ev) => {
      if (ev.object.kind === "Event") seen.push(ev.object as Event);
    });
    rec.record(pods[0]!, "Warning", "BackOff", "Back-off restarting", "kubelet", { host: "n" });
    engine.run({ untilMs: 10_000 });
    rec.record(pods[0]!, "Warning", "BackOff", "Back-off restarting", "kubelet", { host: "n" });
    expect(api.list("Event")).toHaveLength(0);
    expect(seen.map((e) => [e.metadata!.name === seen[0]!.metadata!.name, e.count, e.lastTimestamp])).toEqual(
      [
        [true, 1, "2025-01-01T00:00:00Z"],
        [true, 2, "2025-01-01T00:00:10Z"],
      ],
    );
  });
});
