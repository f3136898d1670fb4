// What a pod sees of Secrets, ConfigMaps and the Downward API: files follow updates at the pod's
// next periodic resync (syncFrequency 1 min ± jitter), env is fixed when a container starts, and a
// missing env source is CreateContainerConfigError (kubelet_pods.go makeEnvironmentVariables).

import type { Container, Volume } from "kubernetes-types/core/v1.js";
import { describe, expect, test } from "vitest";
import type { Pod, Secret } from "../../src/api/types.js";
import { expandEnv, podView } from "../../src/kubelet/projected.js";
import { getPod } from "../scheduler/helpers.js";
import { eventsWith, storageCluster } from "../storage/helpers.js";

const b64 = (s: string) => btoa(s);

function secret(name: string, data: Record<string, string>): Secret {
  const enc: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) enc[k] = b64(v);
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "default" }, data: enc };
}

function pod(
  name: string,
  container: Partial<Container>,
  volumes: Volume[] = [],
  labels = { app: "web" },
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels },
    spec: {
      nodeName: "node-1",
      containers: [{ name: "app", image: "nginx:1.27", ...container }],
      volumes,
    },
  };
}

const secretVolume: Volume = { name: "creds", secret: { secretName: "db-pass" } };
const mountCreds = { volumeMounts: [{ name: "creds", mountPath: "/etc/creds" }] };
const envFromSecret = {
  env: [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db-pass", key: "password" } } }],
};

describe("Secret volumes and env", () => {
  test("a rotated Secret reaches the mounted file at the pod's next resync (≤ 90 s); the env var keeps the old value", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(secret("db-pass", { password: "v1" })));
    c.engine.at(10, () => c.api.create(pod("web", { ...mountCreds, ...envFromSecret }, [secretVolume])));
    let before: unknown;
    c.engine.at(100_000, () => {
      before = podView(c, getPod(c, "web"));
      c.api.mutate<Secret>("Secret", "default", "db-pass", (d) => {
        d.data = { password: b64("v2") };
      });
    });
    c.run(200_000);
    expect(before).toMatchObject({
      env: { app: { PASSWORD: "v1" } },
      files: { "/etc/creds": { password: { content: "v1", mode: 0o644 } } },
    });
    const view = podView(c, getPod(c, "web"))!;
    expect(view.files["/etc/creds"]?.password?.content).toBe("v2");
    expect(view.env.app?.PASSWORD).toBe("v1");
    const seen = records.filter((r) => r.type === "step" && r.step === "VolumeUpdated");
    expect(seen).toHaveLength(1);
    const rv = c.api.get<Secret>("Secret", "default", "db-pass")!.metadata.resourceVersion;
    expect(seen[0]).toMatchObject({
      object: "Pod/default/web",
      message: `sees Secret db-pass v2 (resourceVersion ${rv})`,
    });
    expect(seen[0]!.t).toBeGreaterThan(100_000);
    expect(seen[0]!.t).toBeLessThanOrEqual(190_000);
  });

  test("every pod sees the rotation at its own next resync: within 30–90 s of its last one, never before the change", () => {
    const { c, records } = storageCluster(1);
    const names = Array.from({ length: 20 }, (_, i) => `web-${i}`);
    c.engine.at(0, () => c.api.create(secret("db-pass", { password: "v1" })));
    c.engine.at(10, () => {
      for (const n of names) c.api.create(pod(n, mountCreds, [secretVolume]));
    });
    c.engine.at(200_000, () =>
      c.api.mutate<Secret>("Secret", "default", "db-pass", (d) => {
        d.data = { password: b64("v2") };
      }),
    );
    c.run(400_000);
    const seen = records.filter((r) => r.type === "step" && r.step === "VolumeUpdated");
    expect(seen.map((r) => (r as { object: string }).object).sort()).toEqual(
      names.map((n) => `Pod/default/${n}`).sort(),
    );
    for (const r of seen) {
      expect(r.t).toBeGreaterThan(200_000);
      expect(r.t).toBeLessThanOrEqual(290_000);
    }
    // The jitter spreads the pods: they do not all update at once.
    expect(new Set(seen.map((r) => r.t)).size).toBeGreaterThan(10);
  });

  test("items map keys to paths with their own mode; defaultMode applies to the rest", () => {
    const { c } = storageCluster(1);
    const v: Volume = {
      name: "creds",
      secret: {
        secretName: "db-pass",
        defaultMode: 0o400,
        items: [{ key: "password", path: "db/pw", mode: 0o440 }],
      },
    };
    c.engine.at(0, () => c.api.create(secret("db-pass", { password: "p", user: "u" })));
    c.engine.at(10, () => c.api.create(pod("web", mountCreds, [v])));
    c.run(30_000);
    expect(podView(c, getPod(c, "web"))!.files["/etc/creds"]).toEqual({
      "db/pw": { content: "p", mode: 0o440 },
    });
  });

  const configErrors: { what: string; objects: Secret[]; message: string }[] = [
    { what: "the Secret is missing", objects: [], message: 'secret "db-pass" not found' },
    {
      what: "the key is missing",
      objects: [secret("db-pass", { user: "u" })],
      message: "couldn't find key password in Secret default/db-pass",
    },
  ];
  test("envFrom a missing ConfigMap: CreateContainerConfigError with the configmap's message", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(pod("web", { envFrom: [{ configMapRef: { name: "settings" } }] })));
    c.run(20_000);
    const waiting = getPod(c, "web").status?.containerStatuses?.[0]?.state?.waiting;
    expect(waiting).toEqual({
      reason: "CreateContainerConfigError",
      message: 'configmap "settings" not found',
    });
    expect(eventsWith(records, "Failed")[0]?.message).toBe('Error: configmap "settings" not found');
  });

  for (const { what, objects, message } of configErrors) {
    test(`CreateContainerConfigError when ${what}, then the container starts once it exists`, () => {
      const { c, records } = storageCluster(1);
      c.engine.at(0, () => {
        for (const o of objects) c.api.create(o);
      });
      c.engine.at(10, () => c.api.create(pod("web", envFromSecret)));
      c.engine.at(20_000, () => {
        const waiting = getPod(c, "web").status?.containerStatuses?.[0]?.state?.waiting;
        expect(waiting).toEqual({ reason: "CreateContainerConfigError", message });
        if (objects.length) c.api.delete("Secret", "default", "db-pass");
      });
      c.engine.at(21_000, () => c.api.create(secret("db-pass", { password: "late" })));
      c.run(120_000);
      const failed = eventsWith(records, "Failed");
      expect(failed[0]).toMatchObject({ eventType: "Warning", message: `Error: ${message}` });
      expect(getPod(c, "web").status?.phase).toBe("Running");
      expect(podView(c, getPod(c, "web"))!.env.app?.PASSWORD).toBe("late");
    });
  }

  test("an optional reference to a missing Secret is skipped", () => {
    const { c } = storageCluster(1);
    const env = [
      { name: "PW", valueFrom: { secretKeyRef: { name: "nope", key: "k", optional: true } } },
      { name: "PLAIN", value: "x" },
    ];
    c.engine.at(0, () =>
      c.api.create(pod("web", { env, envFrom: [{ configMapRef: { name: "nope", optional: true } }] })),
    );
    c.run(30_000);
    expect(podView(c, getPod(c, "web"))!.env.app).toEqual({ PLAIN: "x" });
  });
});

describe("Downward API", () => {
  const fields = (p: string) => ({ fieldRef: { fieldPath: p } });
  const container: Partial<Container> = {
    resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m" } },
    env: [
      { name: "NAME", valueFrom: fields("metadata.name") },
      { name: "NS", valueFrom: fields("metadata.namespace") },
      { name: "UID", valueFrom: fields("metadata.uid") },
      { name: "APP", valueFrom: fields("metadata.labels['app']") },
      { name: "NODE", valueFrom: fields("spec.nodeName") },
      { name: "IP", valueFrom: fields("status.podIP") },
      { name: "CPU_M", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
      { name: "CPU", valueFrom: { resourceFieldRef: { resource: "requests.cpu" } } },
      { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
    ],
    volumeMounts: [{ name: "info", mountPath: "/etc/podinfo" }],
  };
  const info: Volume = {
    name: "info",
    downwardAPI: {
      items: [
        { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
        { path: "name", fieldRef: { fieldPath: "metadata.name" } },
      ],
    },
  };

  test("env values at start; the labels file follows a label change at the next resync, the env does not", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(pod("web", container, [info])));
    c.engine.at(100_000, () =>
      c.api.mutate<Pod>("Pod", "default", "web", (d) => {
        d.metadata!.labels = { app: "api", tier: "b" };
      }),
    );
    c.run(200_000);
    const p = getPod(c, "web");
    const view = podView(c, p)!;
    expect(view.env.app).toEqual({
      NAME: "web",
      NS: "default",
      UID: p.metadata.uid,
      APP: "web",
      NODE: "node-1",
      IP: p.status?.podIP,
      CPU_M: "500",
      CPU: "1",
      MEM_MI: "128",
    });
    expect(p.status?.podIP).toBeTruthy();
    expect(view.files["/etc/podinfo"]).toEqual({
      labels: { content: 'app="api"\ntier="b"', mode: 0o644 },
      name: { content: "web", mode: 0o644 },
    });
    const seen = records.filter((r) => r.type === "step" && r.step === "VolumeUpdated");
    expect(seen.map((r) => (r as { message: string }).message)).toEqual([
      expect.stringMatching(/^sees Pod web v2 \(resourceVersion \d+\)$/),
    ]);
    expect(seen[0]!.t).toBeGreaterThan(100_000);
    expect(seen[0]!.t).toBeLessThanOrEqual(190_000);
  });
});

describe("$(VAR) expansion in env values", () => {
  const cases: [string, string][] = [
    ["$(A)-x", "1-x"],
    ["$(MISSING)", "$(MISSING)"],
    ["$$(A)", "$(A)"],
    ["$(A", "$(A"],
    ["a$$b", "a$b"],
  ];
  for (const [input, want] of cases) {
    test(`${input} → ${want}`, () => expect(expandEnv(input, { A: "1" })).toBe(want));
  }

  test("a later variable sees earlier ones only", () => {
    const { c } = storageCluster(1);
    const env = [
      { name: "B", value: "$(A)/b" },
      { name: "A", value: "a" },
      { name: "C", value: "$(A)/c" },
    ];
    c.engine.at(0, () => c.api.create(pod("web", { env })));
    c.run(30_000);
    expect(podView(c, getPod(c, "web"))!.env.app).toEqual({ B: "$(A)/b", A: "a", C: "a/c" });
  });
});
