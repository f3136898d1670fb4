// The Endpoints controller: which pods are listed, ready or not, with which ports, labels and annotations.
import { describe, expect, test } from "vitest";
import type { Event, Pod } from "../../src/api/types.js";
import { type EndpointSubset, repackSubsets } from "../../src/controllers/endpoints/subsets.js";
import { addPod, endpointsOf, type Plane, plane, service, setPodStatus } from "./helpers.js";

const ips = (ss: EndpointSubset[] | undefined, ready = true) =>
  (ss ?? []).flatMap((s) => ((ready ? s.addresses : s.notReadyAddresses) ?? []).map((a) => a.ip));

function webService(p: Plane, spec: Parameters<typeof service>[1] = {}) {
  const svc = service("web", { ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec });
  return p.api.create({ ...svc, metadata: { ...svc.metadata, labels: { app: "web" } } });
}

describe("Endpoints controller", () => {
  test("ready pods are addresses, unready ones notReadyAddresses; pods without IP, terminal or terminating are left out", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "ready", { ip: "10.244.0.2", ready: true });
    addPod(p, "starting", { ip: "10.244.0.3", ready: false });
    addPod(p, "no-ip", { ready: false });
    addPod(p, "done", { ip: "10.244.0.4", ready: false, phase: "Succeeded" });
    addPod(p, "leaving", { ip: "10.244.0.5", ready: true, node: "node-1" });
    p.api.delete("Pod", "default", "leaving");
    addPod(p, "other-app", { ip: "10.244.0.6", ready: true, labels: { app: "db" } });
    p.runTo(100);
    const ep = endpointsOf(p, "web")!;
    expect(ips(ep.subsets)).toEqual(["10.244.0.2"]);
    expect(ips(ep.subsets, false)).toEqual(["10.244.0.3"]);
    expect(ep.subsets![0]!.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(ep.subsets![0]!.addresses![0]).toEqual({
      ip: "10.244.0.2",
      nodeName: "node-1",
      targetRef: {
        kind: "Pod",
        namespace: "default",
        name: "ready",
        uid: p.api.get<Pod>("Pod", "default", "ready")!.metadata.uid,
      },
    });
  });

  test("a named targetPort is looked up in each pod: pods disagreeing on the number get separate subsets", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true, ports: [{ name: "http", containerPort: 8080 }] });
    addPod(p, "b", { ip: "10.244.0.3", ready: true, ports: [{ name: "http", containerPort: 9090 }] });
    addPod(p, "c", { ip: "10.244.0.4", ready: true, ports: [{ name: "metrics", containerPort: 9100 }] });
    p.runTo(100);
    const ss = endpointsOf(p, "web")!.subsets!;
    expect(ss.map((s) => [ips([s]), s.ports!.map((x) => x.port)])).toEqual([
      [["10.244.0.2"], [8080]],
      [["10.244.0.3"], [9090]],
    ]);
  });

  test("addresses are sorted as Kubernetes sorts them: by IP text, so .10 before .2", () => {
    const p = plane({ controllers: true });
    webService(p);
    for (const last of [2, 10, 3]) addPod(p, `p${last}`, { ip: `10.244.0.${last}`, ready: true });
    p.runTo(100);
    expect(ips(endpointsOf(p, "web")!.subsets)).toEqual(["10.244.0.10", "10.244.0.2", "10.244.0.3"]);
  });

  test("publishNotReadyAddresses lists every pod with an IP as ready, terminating ones too", () => {
    const p = plane({ controllers: true });
    webService(p, { clusterIP: "None", publishNotReadyAddresses: true });
    addPod(p, "a", { ip: "10.244.0.2", ready: false });
    addPod(p, "b", { ip: "10.244.0.3", ready: true });
    p.api.delete("Pod", "default", "b");
    p.runTo(100);
    expect(ips(endpointsOf(p, "web")!.subsets)).toEqual(["10.244.0.2", "10.244.0.3"]);
    expect(ips(endpointsOf(p, "web")!.subsets, false)).toEqual([]);
  });

  test("a headless Service without ports lists addresses without ports; hostnames come from a matching subdomain", () => {
    const p = plane({ controllers: true });
    webService(p, { clusterIP: "None", ports: [] });
    addPod(p, "web-0", { ip: "10.244.0.2", ready: true, hostname: "web-0", subdomain: "web" });
    addPod(p, "web-1", { ip: "10.244.0.3", ready: true, hostname: "web-1", subdomain: "elsewhere" });
    p.runTo(100);
    const ep = endpointsOf(p, "web")!;
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0]!.ports).toBeUndefined();
    expect(ep.subsets![0]!.addresses!.map((a) => [a.ip, a.hostname])).toEqual([
      ["10.244.0.2", "web-0"],
      ["10.244.0.3", undefined],
    ]);
    expect(ep.metadata.labels).toEqual({ app: "web", "service.kubernetes.io/headless": "" });
  });

  test("labels follow the Service; the trigger time is the Service's creation, then the latest Ready transition", () => {
    const p = plane({ controllers: true });
    p.runTo(2000);
    const svc = webService(p);
    p.runTo(3000);
    const first = endpointsOf(p, "web")!;
    expect(first.subsets).toBeUndefined();
    expect(first.metadata.labels).toEqual({ app: "web" });
    expect(first.metadata.annotations).toEqual({
      "endpoints.kubernetes.io/last-change-trigger-time": svc.metadata.creationTimestamp,
    });
    addPod(p, "a", { ip: "10.244.0.2", ready: true, readySince: "2025-01-01T00:00:03Z" });
    p.runTo(4000);
    expect(endpointsOf(p, "web")!.metadata.annotations).toEqual({
      "endpoints.kubernetes.io/last-change-trigger-time": "2025-01-01T00:00:03Z",
    });
    p.api.patch("Service", "default", "web", { metadata: { labels: { app: "web", tier: "front" } } });
    p.runTo(5000);
    expect(endpointsOf(p, "web")!.metadata.labels).toEqual({ app: "web", tier: "front" });
  });

  test("changes that arrive together are written in one sync per Service", () => {
    const p = plane({ controllers: true });
    webService(p);
    for (let i = 0; i < 10; i++) addPod(p, `p${i}`, { ip: `10.244.1.${i + 2}`, ready: false });
    p.runTo(1000);
    let writes = 0;
    p.api.observe((ev) => {
      if (ev.object.kind === "Endpoints") writes++;
    });
    for (let i = 0; i < 10; i++) setPodStatus(p, `p${i}`, { ip: `10.244.1.${i + 2}`, ready: true });
    p.runTo(2000);
    expect(writes).toBe(1);
    expect(ips(endpointsOf(p, "web")!.subsets)).toHaveLength(10);
    // A write that changes nothing the Endpoints show (a label on the pod) does not sync at all.
    p.api.patch("Pod", "default", "p0", { metadata: { annotations: { note: "x" } } });
    p.runTo(3000);
    expect(writes).toBe(1);
  });

  test("a pod relabelled out of the selector leaves; deleting the Service deletes its Endpoints", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    addPod(p, "b", { ip: "10.244.0.3", ready: true });
    p.runTo(100);
    p.api.patch("Pod", "default", "b", { metadata: { labels: { app: "debug" } } });
    p.runTo(200);
    expect(ips(endpointsOf(p, "web")!.subsets)).toEqual(["10.244.0.2"]);
    p.api.delete("Service", "default", "web");
    p.runTo(300);
    expect(endpointsOf(p, "web")).toBeUndefined();
  });

  test("Services without a selector and ExternalName Services get no Endpoints from the controller", () => {
    const p = plane({ controllers: true });
    p.api.create(service("manual", { selector: undefined }));
    p.api.create(
      service("ext", { type: "ExternalName", externalName: "example.com", selector: { app: "web" } }),
    );
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    p.runTo(100);
    expect(endpointsOf(p, "manual")).toBeUndefined();
    expect(endpointsOf(p, "ext")).toBeUndefined();
    expect(endpointsOf(p, "kubernetes")).toBeUndefined();
  });

  test("past 1000 addresses the Endpoints are truncated and annotated over-capacity", () => {
    const p = plane({ controllers: true });
    webService(p);
    for (let i = 0; i < 1001; i++)
      addPod(p, `p${i}`, { ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`, ready: true });
    p.runTo(100);
    const ep = endpointsOf(p, "web")!;
    expect(ips(ep.subsets)).toHaveLength(1000);
    expect(ep.metadata.annotations?.["endpoints.kubernetes.io/over-capacity"]).toBe("truncated");
  });

  test("no events are recorded when all goes well", () => {
    const p = plane({ controllers: true });
    webService(p);
    addPod(p, "a", { ip: "10.244.0.2", ready: true });
    p.runTo(100);
    expect(p.api.list<Event>("Event").filter((e) => e.source?.component === "endpoint-controller")).toEqual(
      [],
    );
  });
});

describe("RepackSubsets", () => {
  const addr = (ip: string, uid = ip) => ({
    ip,
    targetRef: { kind: "Pod", name: ip, namespace: "default", uid },
  });
  const port = (name: string, n: number) => ({ name, port: n, protocol: "TCP" });

  test.each([
    {
      why: "ports offered by the same addresses share one subset",
      input: [
        { addresses: [addr("10.0.0.1")], ports: [port("a", 80)] },
        { addresses: [addr("10.0.0.1")], ports: [port("b", 81)] },
      ],
      want: [{ addresses: [addr("10.0.0.1")], ports: [port("a", 80), port("b", 81)] }],
    },
    {
      why: "not ready wins over ready for the same address and port",
      input: [
        { addresses: [addr("10.0.0.1")], ports: [port("a", 80)] },
        { notReadyAddresses: [addr("10.0.0.1")], ports: [port("a", 80)] },
      ],
      want: [{ notReadyAddresses: [addr("10.0.0.1")], ports: [port("a", 80)] }],
    },
    {
      why: "addresses are merged by IP and target uid, then sorted",
      input: [
        { addresses: [addr("10.0.0.2")], ports: [port("a", 80)] },
        { addresses: [addr("10.0.0.1")], ports: [port("a", 80)] },
        { addresses: [addr("10.0.0.1")], ports: [port("a", 80)] },
      ],
      want: [{ addresses: [addr("10.0.0.1"), addr("10.0.0.2")], ports: [port("a", 80)] }],
    },
    {
      why: "subsets without ports keep their addresses",
      input: [{ addresses: [addr("10.0.0.1")] }, { notReadyAddresses: [addr("10.0.0.2")] }],
      want: [{ addresses: [addr("10.0.0.1")], notReadyAddresses: [addr("10.0.0.2")] }],
    },
  ])("$why", ({ input, want }) => {
    expect(repackSubsets(input as EndpointSubset[])).toEqual(want);
  });
});
