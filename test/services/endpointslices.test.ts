// The EndpointSlice controller: slice names, labels, owners, endpoint conditions, packing, placeholders.
import { describe, expect, test } from "vitest";
import type { EndpointSlice, Event, Pod, Service, Stored } from "../../src/api/types.js";
import { addPod, type Plane, plane, service, slicesOf } from "./helpers.js";

function webService(p: Plane, spec: Parameters<typeof service>[1] = {}): Stored<Service> {
  const svc = service("web", { ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec });
  return p.api.create({ ...svc, metadata: { ...svc.metadata, labels: { app: "web", tier: "front" } } });
}

const addresses = (slices: EndpointSlice[]) =>
  slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort();

describe("EndpointSlice controller", () => {
  test("one slice named <service>-<5 chars>, labelled, owned by the Service, with each pod's conditions", () => {
    const p = plane({ controllers: true });
    const svc = webService(p);
    addPod(p, "ready", { ip: "10.244.0.2", ready: true, node: "node-1" });
    addPod(p, "starting", { ip: "10.244.0.3", ready: false, node: "node-2" });
    addPod(p, "leaving", { ip: "10.244.0.4", ready: true, node: "node-1" });
    p.api.delete("Pod", "default", "leaving");
    p.api.patch("Node", undefined, "node-1", {
      metadata: { labels: { "topology.kubernetes.io/zone": "a" } },
    });
    p.runTo(100);
    const [slice, ...more] = slicesOf(p, "web");
    expect(more).toEqual([]);
    expect(slice!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice!.metadata.generateName).toBe("web-");
    expect(slice!.metadata.labels).toEqual({
      app: "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      "kubernetes.io/service-name": "web",
      tier: "front",
    });
    expect(slice!.metadata.ownerReferences).toEqual([
      {
        apiVersion: "v1",
        kind: "Service",
        name: "web",
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice!.addressType).toBe("IPv4");
    expect(slice!.ports).toEqual([{ name: "http", protocol: "TCP", port: 8080 }]);
    const uid = (n: string) => p.api.get<Pod>("Pod", "default", n)!.metadata.uid;
    const byPod = [...slice!.endpoints!].sort((a, b) => (a.targetRef!.name! < b.targetRef!.name! ? -1 : 1));
    expect(byPod).toEqual([
      {
        addresses: ["10.244.0.4"],
        conditions: { ready: false, serving: true, terminating: true },
        targetRef: { kind: "Pod", namespace: "default", name: "leaving", uid: uid("leaving") },
        nodeName: "node-1",
        zone: "a",
      },
      {
        addresses: ["10.244.0.2"],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: "Pod", namespace: "default", name: "ready", uid: uid("ready") },
        nodeName: "node-1",
        zone: "a",
      },
      {
        addresses: ["10.244.0.3"],
        conditions: { ready: false, serving: false, terminating: false },
        targetRef: { kind: "Pod", namespace: "default", name: "starting", uid: uid("starting") },
        nodeName: "node-2",
      },
    ]);
    expect(slice!.metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"]).toBeDefined();
  });

  test("with publishNotReadyAddresses every endpoint is ready, terminating ones too; headless slices are labelled so", () => {
    const p = plane({ controllers: true });
    webService(p, { clusterIP: "None", publishNotReadyAddresses: true });
    addPod(p, "a", { ip: "10.244.0.2", ready: false });
    addPod(p, "b", { ip: "10.244.0.3", ready: true });
    p.api.delete("Pod", "default", "b");
    p.runTo(100);
    const [slice] = slicesOf(p, "web");
    expect(slice!.endpoints!.map((e) => e.conditions)).toEqual([
      { ready: true, serving: false, terminating: false },
      { ready: true, serving: true, terminating: true },
    ]);
    expect(slice!.metadata.labels?.["service.kubernetes.io/headless"]).toBe("");
  });

  test("a Service without endpoints keeps one placeholder slice: no endpoints, no ports", () => {
    const p = plane({ controllers: true });
    webService(p);
    p.runTo(100);
    const slices = slicesOf(p, "web");
    expect(slices).toHaveLength(1);
    expect(slices[0]!.endpoints).toBeNull();
    expect(slices[0]!.ports).toBeNull();
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    p.runTo(200);
    // The placeholder's name is reused for the first real slice.
    expect(slicesOf(p, "web").map((s) => s.metadata.name)).toEqual([slices[0]!.metadata.name]);
    expect(addresses(slicesOf(p, "web"))).toEqual(["10.244.0.2"]);
  });

  test("250 endpoints make slices of 100, 100 and 50; removed pods leave holes that new pods fill", () => {
    const p = plane({ controllers: true });
    webService(p);
    const ip = (i: number) => `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`;
    for (let i = 0; i < 250; i++) addPod(p, `p${i}`, { ip: ip(i), ready: true });
    p.runTo(100);
    let slices = slicesOf(p, "web");
    expect(slices.map((s) => s.endpoints!.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    const names = slices.map((s) => s.metadata.name).sort();
    for (let i = 0; i < 30; i++) p.api.delete("Pod", "default", `p${i}`, { gracePeriodSeconds: 0 });
    p.runTo(200);
    for (let i = 250; i < 260; i++) addPod(p, `p${i}`, { ip: ip(i), ready: true });
    p.runTo(300);
    slices = slicesOf(p, "web");
    expect(slices.map((s) => s.metadata.name).sort()).toEqual(names);
    expect(slices.reduce((n, s) => n + s.endpoints!.length, 0)).toBe(230);
    expect(new Set(addresses(slices)).size).toBe(230);
  });

  test("pods resolving a named port to different numbers get separate slices", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true, ports: [{ name: "http", containerPort: 8080 }] });
    addPod(p, "b", { ip: "10.244.0.3", ready: true, ports: [{ name: "http", containerPort: 9090 }] });
    p.runTo(100);
    const byPort = slicesOf(p, "web")
      .map((s) => [s.ports![0]!.port, addresses([s])])
      .sort();
    expect(byPort).toEqual([
      [8080, ["10.244.0.2"]],
      [9090, ["10.244.0.3"]],
    ]);
  });

  test("a managed slice deleted by someone else comes back a second later", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    p.runTo(100);
    const [slice] = slicesOf(p, "web");
    p.api.delete("EndpointSlice", "default", slice!.metadata.name);
    p.runTo(1000);
    expect(slicesOf(p, "web")).toEqual([]);
    p.runTo(1200);
    expect(addresses(slicesOf(p, "web"))).toEqual(["10.244.0.2"]);
  });

  test("deleting the Service lets the garbage collector remove its slices", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    p.runTo(100);
    p.api.delete("Service", "default", "web");
    p.runTo(200);
    expect(slicesOf(p, "web")).toEqual([]);
  });

  test("a pod on a node that does not exist is skipped, and the sync fails with an event", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true, node: "ghost" });
    p.runTo(100);
    expect(slicesOf(p, "web")[0]!.endpoints).toBeNull();
    const ev = p.api.list<Event>("Event").find((e) => e.reason === "FailedToUpdateEndpointSlices");
    expect(ev?.message).toBe(
      "Error updating Endpoint Slices for Service default/web: skipping Pod a for Service default/web: Node ghost Not Found",
    );
    expect(ev?.source?.component).toBe("endpoint-slice-controller");
    expect(ev?.type).toBe("Warning");
  });
});
