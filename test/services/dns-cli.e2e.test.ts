// `kubesim dns` end to end: answers like dig +short, NXDOMAIN on stderr with exit 1, bad input exit 2.
import { beforeAll, describe, expect, test } from "vitest";
import { kubesim, requireBuild } from "../e2e/helpers.js";

const HEADLESS = "scenarios/services/headless-stateful.yaml";
const CLUSTERIP = "scenarios/services/clusterip-deployment.yaml";

beforeAll(() => requireBuild());

describe("kubesim dns", () => {
  test("prints a ClusterIP Service's address, and the same for its short and full names", () => {
    const short = kubesim(["dns", "web", "-f", CLUSTERIP, "--at", "30s"]);
    expect(short.code).toBe(0);
    expect(short.stderr).toBe("");
    expect(short.stdout).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+\n$/);
    expect(kubesim(["dns", "web.default.svc.cluster.local", "-f", CLUSTERIP, "--at", "30s"]).stdout).toBe(
      short.stdout,
    );
  });

  test("prints one line per A record of a headless Service and SRV records with --type SRV", () => {
    const a = kubesim(["dns", "web", "-f", HEADLESS, "--at", "30s"]);
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split("\n")).toHaveLength(2);
    const srv = kubesim(["dns", "_web._tcp.web", "--type", "SRV", "-f", HEADLESS, "--at", "30s"]);
    expect(srv.stdout).toBe(
      "0 50 80 web-0.web.default.svc.cluster.local.\n0 50 80 web-1.web.default.svc.cluster.local.\n",
    );
  });

  test("a pod's stable name resolves to its IP; a missing name is NXDOMAIN on stderr with exit 1", () => {
    const ok = kubesim(["dns", "web-0.web", "-f", HEADLESS, "--at", "30s"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^10\.244\.\d+\.\d+\n$/);
    const nx = kubesim(["dns", "web-2.web", "-f", HEADLESS, "--at", "30s"]);
    expect(nx.code).toBe(1);
    expect(nx.stdout).toBe("");
    expect(nx.stderr).toBe("** server can't find web-2.web: NXDOMAIN\n");
  });

  test("bad input exits 2: an unknown record type, a missing -f", () => {
    const t = kubesim(["dns", "web", "--type", "MX", "-f", HEADLESS]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("allowed types are A, SRV.");
    const f = kubesim(["dns", "web"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe("error: -f FILE is required: the scenario or manifests to simulate\n");
  });
});
