// The Service scenarios run, their expectations hold, and the timeline and DNS show what they narrate.
import { describe, expect, test } from "vitest";
import type { Pod, Service } from "../../src/api/types.js";
import { resolveDns } from "../../src/cluster/dns.js";
import type { ObjectRecord, TimelineRecord } from "../../src/cluster/records.js";
import { runFile } from "./helpers.js";

const DIR = "scenarios/services";
const objects = (records: TimelineRecord[], kind: string, name: string) =>
  records.filter((r): r is ObjectRecord => r.type === "object" && r.kind === kind && r.name === name);
const a = (c: ReturnType<typeof runFile>["c"], name: string) => {
  const r = resolveDns(c.api, name);
  return r.rcode === "NXDOMAIN" ? "NXDOMAIN" : r.answers.map((x) => x.data);
};

describe("service scenarios", () => {
  test.each([
    "clusterip-deployment.yaml",
    "headless-stateful.yaml",
    "publish-not-ready.yaml",
    "statefulset-dns.yaml",
  ])("%s: every expectation holds, and a second run prints the same timeline", (file) => {
    const one = runFile(`${DIR}/${file}`);
    expect(one.summary!.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(JSON.stringify(runFile(`${DIR}/${file}`).records)).toBe(JSON.stringify(one.records));
  });

  test("clusterip-deployment: a terminating pod leaves the ready endpoints within one watch latency", () => {
    const { records } = runFile(`${DIR}/clusterip-deployment.yaml`);
    const endpoints = objects(records, "Endpoints", "web");
    const terminating = records.filter(
      (r): r is ObjectRecord =>
        r.type === "object" &&
        r.kind === "Pod" &&
        r.verb === "MODIFIED" &&
        (r.state as { deleting?: boolean }).deleting === true,
    );
    const firstByPod = new Map<string, number>();
    for (const r of terminating) if (!firstByPod.has(r.name)) firstByPod.set(r.name, r.t);
    expect(firstByPod.size).toBe(3);
    for (const t of firstByPod.values()) {
      const next = endpoints.find((e) => e.t >= t)!;
      expect(next.t - t).toBeLessThanOrEqual(5);
    }
  });

  test("clusterip-deployment: the name resolves to the ClusterIP, not to pods, before and after the rollout", () => {
    const at = (ms: number) => runFile(`${DIR}/clusterip-deployment.yaml`, ms).c;
    const c = at(30_000);
    const ip = c.api.get<Service>("Service", "default", "web")!.spec!.clusterIP!;
    expect(a(c, "web")).toEqual([ip]);
    expect(a(at(150_000), "web")).toEqual([ip]);
  });

  test("headless-stateful: per-pod names while ready; web-2 never; web-0 gone as soon as it terminates", () => {
    const at30 = runFile(`${DIR}/headless-stateful.yaml`, 30_000).c;
    const ip = (name: string) =>
      at30.api.get<{ status?: { podIP?: string } }>("Pod", "default", name)!.status!.podIP!;
    expect(a(at30, "web-0.web")).toEqual([ip("web-0")]);
    expect(a(at30, "web-1.web")).toEqual([ip("web-1")]);
    expect(a(at30, "web-2.web")).toBe("NXDOMAIN");
    expect(a(at30, "web")).toEqual([ip("web-0"), ip("web-1")].sort());
    const at61 = runFile(`${DIR}/headless-stateful.yaml`, 61_000).c;
    expect(a(at61, "web-0.web")).toBe("NXDOMAIN");
    expect(at61.api.get("Pod", "default", "web-0")).toBeDefined();
  });

  test("publish-not-ready: the peers Service resolves never-ready pods, the client Service does not", () => {
    const c = runFile(`${DIR}/publish-not-ready.yaml`, 20_000).c;
    expect(a(c, "db")).toBe("NXDOMAIN");
    expect(a(c, "db-peers")).toHaveLength(3);
    expect(a(c, "db-1.db-peers")).toHaveLength(1);
  });

  test("statefulset-dns: web-1.nginx names whichever pod is web-1, and nothing while it is replaced", () => {
    const before = runFile(`${DIR}/statefulset-dns.yaml`, 50_000).c;
    const old = before.api.get<Pod>("Pod", "default", "web-1")!;
    expect(a(before, "web-1.nginx")).toEqual([old.status!.podIP]);
    expect(a(runFile(`${DIR}/statefulset-dns.yaml`, 62_000).c, "web-1.nginx")).toBe("NXDOMAIN");
    const after = runFile(`${DIR}/statefulset-dns.yaml`).c;
    const now = after.api.get<Pod>("Pod", "default", "web-1")!;
    expect(now.metadata.uid).not.toBe(old.metadata.uid);
    expect(now.spec).toMatchObject({ hostname: "web-1", subdomain: "nginx" });
    expect(a(after, "web-1.nginx")).toEqual([now.status!.podIP]);
  });
});
