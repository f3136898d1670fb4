// ClusterIP and NodePort allocation at Service create/update/delete, with Kubernetes' messages.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { ApiError } from "../../src/api/errors.js";
import { intToIp, ipToInt } from "../../src/api/service-admission.js";
import type { Service, Stored } from "../../src/api/types.js";
import { plane, service } from "./helpers.js";

const FIRST = ipToInt("10.96.0.1");
const LAST = ipToInt("10.111.255.254");
/** The first address of the dynamic band: 10.96.0.1 + min(max(16, 2^20/16), 256). */
const DYNAMIC_START = FIRST + 256;

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

const get = (p: ReturnType<typeof plane>, name: string) => p.api.get<Service>("Service", "default", name)!;

describe("ClusterIP allocation", () => {
  test("the kubernetes Service in default holds 10.96.0.1, single-stack IPv4", () => {
    const p = plane();
    const k = get(p, "kubernetes");
    expect(k.spec).toMatchObject({
      clusterIP: "10.96.0.1",
      clusterIPs: ["10.96.0.1"],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
    });
    expect(k.metadata.labels).toEqual({ component: "apiserver", provider: "kubernetes" });
    expect(p.allocator.ipOwner("10.96.0.1")).toBe("default/kubernetes");
  });

  test("dynamic IPs come from the upper band of 10.96.0.0/12, are unique, and follow the seed", () => {
    const ips = (seed: number) => {
      const p = plane({ seed });
      return Array.from({ length: 50 }, (_, i) => p.api.create(service(`s${i}`)).spec!.clusterIP!);
    };
    const a = ips(1);
    expect(new Set(a).size).toBe(50);
    for (const ip of a) {
      const n = ipToInt(ip);
      expect(n).toBeGreaterThanOrEqual(DYNAMIC_START);
      expect(n).toBeLessThanOrEqual(LAST);
    }
    expect(ips(1)).toEqual(a);
    expect(ips(2)).not.toEqual(a);
  });

  test("clusterIP and clusterIPs are set together; ipFamilies and ipFamilyPolicy are defaulted", () => {
    const p = plane();
    const s = p.api.create(service("web"));
    expect(s.spec!.clusterIPs).toEqual([s.spec!.clusterIP]);
    expect(s.spec).toMatchObject({ ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" });
  });

  test("a requested free IP in range is granted, even in the static band", () => {
    const p = plane();
    expect(p.api.create(service("dns", { clusterIP: "10.96.0.10" })).spec!.clusterIPs).toEqual([
      "10.96.0.10",
    ]);
    expect(p.allocator.ipOwner("10.96.0.10")).toBe("default/dns");
  });

  test("a requested IP that is taken is refused with the apiserver's message", () => {
    const p = plane();
    p.api.create(service("a", { clusterIP: "10.96.0.5" }));
    const e = errorOf(() => p.api.create(service("b", { clusterIP: "10.96.0.5" })));
    expect(e.reason).toBe("Invalid");
    expect(e.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: ' +
        "failed to allocate IP 10.96.0.5: provided IP is already allocated",
    );
    expect(p.api.get("Service", "default", "b")).toBeUndefined();
  });

  test("a requested IP outside the range is refused, naming the range", () => {
    const e = errorOf(() => plane().api.create(service("b", { clusterIP: "10.0.0.5" })));
    expect(e.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP ' +
        "10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
    );
  });

  test("deleting a Service releases its IP for reuse", () => {
    const p = plane();
    const ip = p.api.create(service("a")).spec!.clusterIP!;
    expect(errorOf(() => p.api.create(service("b", { clusterIP: ip }))).message).toContain(
      "already allocated",
    );
    p.api.delete("Service", "default", "a");
    expect(p.allocator.ipOwner(ip)).toBeUndefined();
    expect(p.api.create(service("b", { clusterIP: ip })).spec!.clusterIP).toBe(ip);
  });

  test("a create that fails after allocation (validation, name taken) holds nothing", () => {
    const p = plane();
    const bad = service("bad", { clusterIP: "10.96.0.50", ports: [{ port: 70000 }] });
    expect(errorOf(() => p.api.create(bad)).message).toContain("spec.ports[0].port");
    p.api.create(service("a"));
    expect(errorOf(() => p.api.create(service("a", { clusterIP: "10.96.0.51" }))).reason).toBe(
      "AlreadyExists",
    );
    expect(p.allocator.ipOwner("10.96.0.50")).toBeUndefined();
    expect(p.allocator.ipOwner("10.96.0.51")).toBeUndefined();
    p.api.create(service("c", { clusterIP: "10.96.0.50" }));
    p.api.create(service("d", { clusterIP: "10.96.0.51" }));
  });

  test("clusterIP: None is a headless Service: no IP is taken", () => {
    const p = plane();
    const s = p.api.create(service("h", { clusterIP: "None" }));
    expect(s.spec).toMatchObject({ clusterIP: "None", clusterIPs: ["None"], ipFamilyPolicy: "SingleStack" });
  });

  test("a headless Service without a selector requires dual stack, with both families listed", () => {
    const p = plane();
    const s = p.api.create(service("h", { clusterIP: "None", selector: undefined }));
    expect(s.spec).toMatchObject({ ipFamilyPolicy: "RequireDualStack", ipFamilies: ["IPv4", "IPv6"] });
  });

  test("ExternalName Services get no cluster IP", () => {
    const s = plane().api.create(service("ext", { type: "ExternalName", externalName: "example.com" }));
    expect(s.spec!.clusterIP).toBeUndefined();
    expect(s.spec!.clusterIPs).toBeUndefined();
  });

  test("dual stack and IPv6 are refused on this single-stack IPv4 cluster", () => {
    const p = plane();
    expect(errorOf(() => p.api.create(service("a", { ipFamilyPolicy: "RequireDualStack" }))).message).toBe(
      'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    expect(errorOf(() => p.api.create(service("b", { ipFamilies: ["IPv6"] }))).message).toBe(
      'Service "b" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    );
    // PreferDualStack is fine: the Service stays single-stack.
    expect(p.api.create(service("c", { ipFamilyPolicy: "PreferDualStack" })).spec!.ipFamilies).toEqual([
      "IPv4",
    ]);
  });

  test("clusterIPs must agree with clusterIP", () => {
    const e = errorOf(() =>
      plane().api.create(service("a", { clusterIP: "10.96.0.7", clusterIPs: ["10.96.0.8"] })),
    );
    expect(e.message).toBe(
      'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.8"}: first value must match `clusterIP`',
    );
  });

  test("a re-applied manifest without the IP keeps it; changing it is refused", () => {
    const p = plane();
    const ip = p.api.create(service("a")).spec!.clusterIP!;
    const updated = p.api.update({ ...service("a", { ports: [{ port: 81 }] }) });
    expect(updated.spec!.clusterIP).toBe(ip);
    expect(updated.spec!.clusterIPs).toEqual([ip]);
    const e = errorOf(() => p.api.patch("Service", "default", "a", { spec: { clusterIP: "10.96.0.9" } }));
    expect(e.message).toContain("may not change once set");
  });

  test("changing to ExternalName releases the IP; changing back allocates a new one", () => {
    const p = plane();
    const ip = p.api.create(service("a")).spec!.clusterIP!;
    const ext = p.api.patch<Service>("Service", "default", "a", {
      spec: { type: "ExternalName", externalName: "example.com" },
    });
    expect(ext.spec!.clusterIP).toBeUndefined();
    expect(ext.spec!.ipFamilies).toBeUndefined();
    expect(p.allocator.ipOwner(ip)).toBeUndefined();
    const back = p.api.patch<Service>("Service", "default", "a", {
      spec: { type: "ClusterIP", externalName: null },
    });
    expect(back.spec!.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
  });

  fcTest.prop([fc.array(fc.tuple(fc.boolean(), fc.nat(9)), { maxLength: 60 }), fc.nat()], { numRuns: 30 })(
    "after any creates and deletes, live Services hold distinct in-range IPs and no released IP stays held",
    (ops, seed) => {
      const p = plane({ seed });
      for (const [create, i] of ops) {
        const name = `s${i}`;
        const exists = p.api.get("Service", "default", name);
        if (create && !exists) p.api.create(service(name));
        else if (!create && exists) p.api.delete("Service", "default", name);
      }
      const live = p.api.list<Service>("Service", { namespace: "default" });
      const ips = live.map((s: Stored<Service>) => s.spec!.clusterIP!);
      expect(new Set(ips).size).toBe(ips.length);
      for (const s of live) {
        const n = ipToInt(s.spec!.clusterIP!);
        expect(n >= FIRST && n <= LAST).toBe(true);
        expect(p.allocator.ipOwner(s.spec!.clusterIP!)).toBe(`default/${s.metadata.name}`);
      }
      for (let n = DYNAMIC_START; n < DYNAMIC_START + 4; n++) {
        const owner = p.allocator.ipOwner(intToIp(n));
        if (owner) expect(p.api.get("Service", "default", owner.split("/")[1]!)).toBeDefined();
      }
    },
  );
});

describe("NodePort allocation", () => {
  test("NodePort Services get a port from the upper band of 30000-32767 for each service port", () => {
    const p = plane();
    const s = p.api.create(
      service("np", {
        type: "NodePort",
        ports: [
          { name: "a", port: 80 },
          { name: "b", port: 443 },
        ],
      }),
    );
    const ports = s.spec!.ports!.map((x) => x.nodePort!);
    expect(new Set(ports).size).toBe(2);
    for (const n of ports) {
      expect(n).toBeGreaterThanOrEqual(30000 + 86);
      expect(n).toBeLessThanOrEqual(32767);
    }
    expect(p.allocator.portOwner(ports[0]!)).toBe("default/np");
  });

  test("TCP and UDP of one port number share a node port", () => {
    const s = plane().api.create(
      service("dns", {
        type: "NodePort",
        ports: [
          { name: "dns", port: 53, protocol: "UDP" },
          { name: "dns-tcp", port: 53, protocol: "TCP" },
        ],
      }),
    );
    expect(s.spec!.ports![0]!.nodePort).toBe(s.spec!.ports![1]!.nodePort);
  });

  test("a requested node port that is taken, or out of range, is refused with the apiserver's message", () => {
    const p = plane();
    p.api.create(service("a", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    expect(
      errorOf(() => p.api.create(service("b", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })))
        .message,
    ).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(
      errorOf(() => p.api.create(service("c", { type: "NodePort", ports: [{ port: 80, nodePort: 8080 }] })))
        .message,
    ).toBe(
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  test("switching NodePort to ClusterIP wipes and releases the node ports", () => {
    const p = plane();
    const port = p.api.create(service("a", { type: "NodePort" })).spec!.ports![0]!.nodePort!;
    const s = p.api.patch<Service>("Service", "default", "a", { spec: { type: "ClusterIP" } });
    expect(s.spec!.ports![0]!.nodePort).toBeUndefined();
    expect(p.allocator.portOwner(port)).toBeUndefined();
    p.api.create(service("b", { type: "NodePort", ports: [{ port: 80, nodePort: port }] }));
  });

  test("switching ClusterIP to NodePort allocates; re-applying without nodePort keeps it", () => {
    const p = plane();
    p.api.create(service("a"));
    const np = p.api.patch<Service>("Service", "default", "a", { spec: { type: "NodePort" } });
    const port = np.spec!.ports![0]!.nodePort!;
    expect(port).toBeGreaterThanOrEqual(30000);
    const again = p.api.update(service("a", { type: "NodePort" }));
    expect(again.spec!.ports![0]!.nodePort).toBe(port);
  });

  test("LoadBalancer Services with externalTrafficPolicy Local also get a health check node port", () => {
    const p = plane();
    const s = p.api.create(service("lb", { type: "LoadBalancer", externalTrafficPolicy: "Local" }));
    expect(s.spec!.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(s.spec!.healthCheckNodePort).not.toBe(s.spec!.ports![0]!.nodePort);
    const off = p.api.create(service("lb2", { type: "LoadBalancer", allocateLoadBalancerNodePorts: false }));
    expect(off.spec!.ports![0]!.nodePort).toBeUndefined();
  });
});
