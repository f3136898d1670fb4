/**
 * The apiserver keeps Events packed (src/api/event-pack.ts): every read gives back an object
 * equal, key order included, to the one written, and an Event of any other shape is kept as it is.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { ObjectCache, Packed } from "../../src/api/cache.js";
import { PackedEvent, packEvent } from "../../src/api/event-pack.js";
import { EventRecorder } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Event, Node, Pod, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup() {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(7), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
  const pod = api.create<Pod>({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "shop" },
    spec: { containers: [] },
  });
  const node = api.create<Node>({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
  // Every Event as written, by name: what watchers and the timeline saw.
  const written = new Map<string, Stored<Event>>();
  api.observe((ev) => {
    if (ev.object.kind === "Event" && ev.type !== "DELETED")
      written.set(ev.object.metadata.name, ev.object as Stored<Event>);
  });
  return { engine, api, pod, node, written, rec: new EventRecorder(api) };
}

/** Keys in order, at every depth: JSON.stringify writes them in insertion order. */
const exact = (o: unknown) => JSON.stringify(o);

describe("packed Events", () => {
  test("read back equal to the Events written, key order included, and frozen", () => {
    const { engine, api, pod, node, written, rec } = setup();
    const field = "spec.containers{web}";
    rec.record(pod, "Normal", "Scheduled", "Successfully assigned shop/p to n1", "default-scheduler");
    rec.record(pod, "Normal", "Pulled", "Container image pulled", "kubelet", {
      host: "n1",
      fieldPath: field,
    });
    rec.record(node, "Normal", "Starting", "Starting kubelet.", "kubelet", { host: "n1" });
    rec.record(node, "Warning", "NodeNotReady", "Node n1 status is now: NodeNotReady", "node-controller");
    // Repeats (count 2 and 3): the store replaces the Event, and packs the new version.
    engine.at(1500, () =>
      rec.record(pod, "Warning", "BackOff", "Back-off restarting", "kubelet", { host: "n1" }),
    );
    engine.at(2500, () =>
      rec.record(pod, "Warning", "BackOff", "Back-off restarting", "kubelet", { host: "n1" }),
    );
    engine.at(3500, () =>
      rec.record(pod, "Warning", "BackOff", "Back-off restarting", "kubelet", { host: "n1" }),
    );
    engine.run();

    const listed = api.list<Event>("Event");
    expect(listed.length).toBe(5);
    expect(listed.map((e) => e.metadata.name).sort()).toEqual([...written.keys()].sort());
    const backOff = listed.find((e) => e.reason === "BackOff")!;
    expect(backOff.count).toBe(3);
    for (const e of listed) {
      const w = written.get(e.metadata.name)!;
      expect(exact(e)).toBe(exact(w));
      expect(e).toEqual(w);
      expect(Object.isFrozen(e) && Object.isFrozen(e.metadata)).toBe(true);
      // Every read path: get, a namespace's map, a whole-kind scan.
      const ns = e.metadata.namespace!;
      expect(exact(api.get("Event", ns, e.metadata.name))).toBe(exact(w));
      expect(exact(api.cache("Event").objectsIn(ns).get(e.metadata.name))).toBe(exact(w));
      expect(api.cache("Event").keptIn(ns, e.metadata.name)).toBeInstanceOf(PackedEvent);
    }
    expect([...api.cache("Event").values()].map(exact).sort()).toEqual(listed.map(exact).sort());
    expect(api.list<Event>("Event", { namespace: "shop" }).map((e) => e.reason)).toEqual(
      listed.filter((e) => e.metadata.namespace === "shop").map((e) => e.reason),
    );
  });

  test("an Event of another shape is kept as it is", () => {
    const { api, pod } = setup();
    const base = {
      apiVersion: "v1" as const,
      kind: "Event" as const,
      involvedObject: { kind: "Pod", name: "p", namespace: "shop", uid: pod.metadata.uid },
      reason: "Custom",
      message: "made through the API",
      source: { component: "me" },
      firstTimestamp: "2024-01-01T00:00:00Z",
      lastTimestamp: "2024-01-01T00:00:00Z",
      count: 1,
      type: "Normal",
    };
    // Created through the API: the apiserver writes its own creationTimestamp, and no reporting fields.
    const made = api.create<Event>({
      ...base,
      metadata: { name: "custom", namespace: "shop", labels: { a: "b" } },
    });
    expect(api.cache("Event").keptIn("shop", "custom")).toBe(made);
    expect(api.get("Event", "shop", "custom")).toBe(made);
    expect(api.list("Event", { indexLabel: ["a", "b"] })).toEqual([made]);
  });

  test("packEvent declines anything it could not give back exactly", () => {
    const { api, pod, rec, written } = setup();
    rec.record(pod, "Normal", "Pulled", "Container image pulled", "kubelet", { host: "n1" });
    const e = [...written.values()][0]!;
    expect(packEvent(e)?.unpack()).toEqual(e);
    const m = e.metadata;
    const variants: Record<string, unknown>[] = [
      { ...e, metadata: { ...m, uid: m.uid.toUpperCase() } },
      { ...e, metadata: { ...m, uid: `${m.uid}0` } },
      { ...e, metadata: { ...m, resourceVersion: `0${m.resourceVersion}` } },
      { ...e, metadata: { ...m, resourceVersion: "99999999999" } },
      { ...e, metadata: { ...m, creationTimestamp: "2020-01-01T00:00:00Z" } },
      { ...e, metadata: { ...m, labels: {} } },
      { ...e, reportingInstance: "elsewhere" },
      { ...e, reportingComponent: "other" },
      { ...e, count: 1.5 },
      { ...e, action: "Pull" },
      { ...e, source: { ...e.source } },
      { ...e, apiVersion: "events.k8s.io/v1" },
    ];
    expect(api.cache("Event").keptIn(m.namespace, m.name)).toBeInstanceOf(Packed);
    for (const v of variants) expect(packEvent(v as unknown as Stored), exact(v)).toBeUndefined();
  });

  test("every uid round-trips through its four words", () => {
    const { pod, rec, written } = setup();
    rec.record(pod, "Normal", "Pulled", "Container image pulled", "kubelet", { host: "n1" });
    const e = [...written.values()][0]!;
    const hex = (n: number) =>
      fc.array(fc.constantFrom(..."0123456789abcdef"), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(hex(32), (d) => {
        const s = d.join("");
        const uid = [s.slice(0, 8), s.slice(8, 12), s.slice(12, 16), s.slice(16, 20), s.slice(20)].join("-");
        const packed = packEvent({ ...e, metadata: { ...e.metadata, uid } } as Stored)!;
        expect(packed.unpack().metadata.uid).toBe(uid);
      }),
    );
  });

  test("a cache without a packer hands out the very objects put in", () => {
    const cache = new ObjectCache();
    const { written, rec, pod } = setup();
    rec.record(pod, "Normal", "Pulled", "Container image pulled", "kubelet", { host: "n1" });
    const e = [...written.values()][0]!;
    cache.put(e);
    expect(cache.getIn(e.metadata.namespace, e.metadata.name)).toBe(e);
    expect(cache.keptIn(e.metadata.namespace, e.metadata.name)).toBe(e);
  });
});
