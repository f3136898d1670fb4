// Cluster DNS answers, as CoreDNS's kubernetes plugin gives them from Services and EndpointSlices.
import { describe, expect, test } from "vitest";
import type { Service } from "../../src/api/types.js";
import { type DnsType, lookup, resolveDns } from "../../src/cluster/dns.js";
import { addPod, type Plane, plane, service } from "./helpers.js";

/**
 * default/web: ClusterIP, ports http (80→8080) and admin (9000). default/db: headless over
 * db-0 (ready), db-1 (ready), db-2 (not ready), each with hostname and subdomain db; db-x is ready
 * but has no hostname. other/cache: ClusterIP in another namespace. default/ext: ExternalName.
 */
function cluster(): { p: Plane; webIP: string } {
  const p = plane({ controllers: true });
  const web = p.api.create(
    service("web", {
      ports: [
        { name: "http", port: 80, targetPort: 8080 },
        { name: "admin", port: 9000 },
      ],
    }),
  );
  p.api.create(service("db", { clusterIP: "None", ports: [{ name: "pg", port: 5432 }] }));
  p.api.create(service("cache", {}, "other"));
  p.api.create(service("ext", { type: "ExternalName", externalName: "example.com", selector: undefined }));
  p.api.create(service("empty", { clusterIP: "None" }));
  const db = (name: string, ip: string, ready: boolean, hostname = true) =>
    addPod(p, name, {
      ip,
      ready,
      labels: { app: "db" },
      ports: [{ name: "pg", containerPort: 5432 }],
      ...(hostname ? { hostname: name, subdomain: "db" } : {}),
    });
  db("db-0", "10.244.0.5", true);
  db("db-1", "10.244.1.5", true);
  db("db-2", "10.244.2.5", false);
  db("db-x", "10.244.0.9", true, false);
  addPod(p, "w", { ip: "10.244.0.7", ready: true });
  p.runTo(100);
  return { p, webIP: web.spec!.clusterIP! };
}

const answers = (p: Plane, name: string, type: DnsType = "A", namespace?: string) => {
  const r = resolveDns(p.api, name, { type, ...(namespace ? { namespace } : {}) });
  return r.rcode === "NXDOMAIN" ? "NXDOMAIN" : r.answers.map((a) => a.data);
};

describe("cluster DNS", () => {
  const { p, webIP } = cluster();

  test.each([
    { name: "web.default.svc.cluster.local", want: "clusterIP", why: "a Service's name is its ClusterIP" },
    { name: "web", want: "clusterIP", why: "a short name goes through the pod's search list" },
    { name: "web.default", want: "clusterIP", why: "<svc>.<ns> resolves via svc.cluster.local" },
    { name: "web.default.svc", want: "clusterIP", why: "<svc>.<ns>.svc resolves via cluster.local" },
    {
      name: "WEB.Default.svc.cluster.local.",
      want: "clusterIP",
      why: "names are case-insensitive; a trailing dot is absolute",
    },
    { name: "kubernetes", want: ["10.96.0.1"], why: "the kubernetes Service is 10.96.0.1" },
    {
      name: "db",
      want: ["10.244.0.5", "10.244.0.9", "10.244.1.5"],
      why: "a headless Service is its ready pods' IPs",
    },
    { name: "db-0.db", want: ["10.244.0.5"], why: "<hostname>.<subdomain> is the pod's IP" },
    { name: "db-2.db", want: "NXDOMAIN", why: "a pod that is not ready has no record" },
    {
      name: "10-244-0-9.db",
      want: ["10.244.0.9"],
      why: "an endpoint without hostname is named by its dashed IP",
    },
    { name: "db-9.db", want: "NXDOMAIN", why: "no such endpoint" },
    { name: "w.web", want: "NXDOMAIN", why: "hostname records exist only under headless Services" },
    { name: "empty", want: "NXDOMAIN", why: "a headless Service without ready endpoints is NXDOMAIN" },
    { name: "nope", want: "NXDOMAIN", why: "no such Service" },
    { name: "cache", want: "NXDOMAIN", why: "another namespace's Service needs its namespace" },
    { name: "ext", want: ["example.com."], why: "an ExternalName Service is a CNAME" },
    {
      name: "10-244-0-7.default.pod",
      want: ["10.244.0.7"],
      why: "pod records: the dashed IP (pods insecure)",
    },
    { name: "10-244-0-7.nowhere.pod", want: "NXDOMAIN", why: "pod records need an existing namespace" },
    { name: "example.com", want: "NXDOMAIN", why: "there is no upstream DNS" },
  ])("A $name: $why", ({ name, want }) => {
    expect(answers(p, name)).toEqual(want === "clusterIP" ? [webIP] : want);
  });

  test("another namespace's pods search their own namespace first", () => {
    expect(answers(p, "cache", "A", "other")).toEqual([
      p.api.get<Service>("Service", "other", "cache")!.spec!.clusterIP,
    ]);
    expect(answers(p, "web", "A", "other")).toBe("NXDOMAIN");
    expect(answers(p, "web.default", "A", "other")).toEqual([webIP]);
  });

  test.each([
    {
      name: "_http._tcp.web",
      want: ["0 100 80 web.default.svc.cluster.local."],
      why: "a named port of a ClusterIP Service",
    },
    {
      name: "web",
      want: ["0 50 80 web.default.svc.cluster.local.", "0 50 9000 web.default.svc.cluster.local."],
      why: "every port when the query names none",
    },
    { name: "_https._tcp.web", want: "NXDOMAIN", why: "no port of that name" },
    { name: "_http._udp.web", want: "NXDOMAIN", why: "the protocol must match" },
    {
      name: "_pg._tcp.db",
      want: [
        "0 33 5432 10-244-0-9.db.default.svc.cluster.local.",
        "0 33 5432 db-0.db.default.svc.cluster.local.",
        "0 33 5432 db-1.db.default.svc.cluster.local.",
      ],
      why: "headless: one record per ready endpoint, naming it, with the pod's port",
    },
  ])("SRV $name: $why", ({ name, want }) => {
    expect(answers(p, name, "SRV")).toEqual(want);
  });

  test("a name with no records of the asked type answers NOERROR with none (not NXDOMAIN)", () => {
    expect(lookup(p.api, "10-244-0-7.default.pod.cluster.local", "SRV")).toEqual({
      rcode: "NOERROR",
      name: "10-244-0-7.default.pod.cluster.local",
      answers: [],
    });
  });

  test("answers follow the endpoints: a pod that stops being ready leaves the headless answer", () => {
    const { p: q } = cluster();
    q.api.delete("Pod", "default", "db-1");
    q.runTo(200);
    expect(answers(q, "db")).toEqual(["10.244.0.5", "10.244.0.9"]);
    expect(answers(q, "db-1.db")).toBe("NXDOMAIN");
  });
});
