// The scenarios in scenarios/volumes prove their point: what the pod sees, beyond the CLI's expectations.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { podView } from "../../src/kubelet/projected.js";
import { loadScenario } from "../../src/scenario/load.js";
import { getPod } from "../scheduler/helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
};

function cluster(file: string) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(loadScenario([file], read), { sink: (r) => records.push(r) });
  return { c, records };
}

describe("scenarios/volumes", () => {
  test("secret-rotation: the file shows v2 within 90 s of the rotation; PASSWORD stays v1 until the restart", () => {
    const { c, records } = cluster("scenarios/volumes/secret-rotation.yaml");
    const seen: Record<string, unknown> = {};
    for (const t of [59_000, 170_000]) c.engine.at(t, () => (seen[t] = podView(c, getPod(c, "web"))));
    const summary = c.run();
    expect(summary.expectations.every((e) => e.ok)).toBe(true);
    expect(seen[59_000]).toMatchObject({
      env: { app: { PASSWORD: "v1" } },
      files: { "/etc/creds": { password: { content: "v1" } } },
    });
    expect(seen[170_000]).toMatchObject({
      env: { app: { PASSWORD: "v1" } },
      files: { "/etc/creds": { password: { content: "v2" } } },
    });
    const step = records.find((r) => r.type === "step" && r.step === "VolumeUpdated");
    expect(step!.t).toBeGreaterThan(60_000);
    expect(step!.t).toBeLessThanOrEqual(150_000);
    expect(podView(c, getPod(c, "web"))!.env.app?.PASSWORD).toBe("v2");
  });

  test("service-account: only the pod with automount on gets the kube-api-access volume", () => {
    const { c } = cluster("scenarios/volumes/service-account.yaml");
    const summary = c.run();
    expect(summary.expectations.every((e) => e.ok)).toBe(true);
    const volumes = (name: string) => (getPod(c, name).spec?.volumes ?? []).map((v) => v.name);
    expect(volumes("with-token")).toEqual([expect.stringMatching(/^kube-api-access-[a-z0-9]{5}$/)]);
    expect(volumes("no-token")).toEqual([]);
    expect(volumes("robot-pod")).toEqual([]);
    expect(getPod(c, "no-token").spec?.serviceAccountName).toBe("default");
    const files = podView(c, getPod(c, "with-token"))!.files["/var/run/secrets/kubernetes.io/serviceaccount"];
    expect(Object.keys(files ?? {}).sort()).toEqual(["ca.crt", "namespace", "token"]);
  });
});
