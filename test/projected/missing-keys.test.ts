// A Secret or ConfigMap volume whose items name a key the object lacks does not mount
// (pkg/volume/secret and pkg/volume/configmap MakePayload), unless the volume is optional.

import type { Volume } from "kubernetes-types/core/v1.js";
import { describe, expect, test } from "vitest";
import type { ConfigMap, Pod, Secret } from "../../src/api/types.js";
import { podView } from "../../src/kubelet/projected.js";
import { getPod } from "../scheduler/helpers.js";
import { eventsWith, storageCluster } from "../storage/helpers.js";

const secret: Secret = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db-pass", namespace: "default" },
  data: { user: btoa("u") },
};
const configMap: ConfigMap = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "default" },
  data: { mode: "fast" },
};

function pod(volume: Volume): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default" },
    spec: {
      nodeName: "node-1",
      automountServiceAccountToken: false,
      containers: [{ name: "app", image: "nginx:1.27", volumeMounts: [{ name: "x", mountPath: "/etc/x" }] }],
      volumes: [volume],
    },
  };
}

const item = (key: string) => [{ key, path: key }];

const rules: { what: string; volume: Volume; message?: string }[] = [
  {
    what: "a Secret volume naming a missing key",
    volume: { name: "x", secret: { secretName: "db-pass", items: item("password") } },
    message: 'MountVolume.SetUp failed for volume "x" : references non-existent secret key: password',
  },
  {
    what: "a ConfigMap volume naming a missing key",
    volume: { name: "x", configMap: { name: "settings", items: item("level") } },
    message: 'MountVolume.SetUp failed for volume "x" : configmap references non-existent config key: level',
  },
  {
    what: "a projected volume with both missing keys (an aggregate of the two errors)",
    volume: {
      name: "x",
      projected: {
        sources: [
          { secret: { name: "db-pass", items: item("password") } },
          { configMap: { name: "settings", items: item("level") } },
        ],
      },
    },
    message:
      'MountVolume.SetUp failed for volume "x" : [references non-existent secret key: password, configmap references non-existent config key: level]',
  },
  {
    what: "an optional Secret volume naming a missing key (the file is left out)",
    volume: { name: "x", secret: { secretName: "db-pass", optional: true, items: item("password") } },
  },
  {
    what: "an optional ConfigMap source naming a missing key",
    volume: {
      name: "x",
      projected: { sources: [{ configMap: { name: "settings", optional: true, items: item("level") } }] },
    },
  },
  {
    what: "keys that exist",
    volume: { name: "x", configMap: { name: "settings", items: item("mode") } },
  },
];

describe("items naming keys the object lacks", () => {
  test.each(rules)("$what", ({ volume, message }) => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => {
      c.api.create(secret);
      c.api.create(configMap);
    });
    c.engine.at(10, () => c.api.create(pod(volume)));
    c.run(30_000);
    const failed = eventsWith(records, "FailedMount");
    if (message === undefined) {
      expect(failed).toEqual([]);
      expect(getPod(c, "web").status?.phase).toBe("Running");
      return;
    }
    expect(failed[0]).toMatchObject({ eventType: "Warning", source: "kubelet", message });
    expect(getPod(c, "web").status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("ContainerCreating");
  });

  test("the pod starts once the missing key is added", () => {
    const { c, records } = storageCluster(1);
    c.engine.at(0, () => c.api.create(secret));
    c.engine.at(10, () =>
      c.api.create(pod({ name: "x", secret: { secretName: "db-pass", items: item("password") } })),
    );
    c.engine.at(5_000, () =>
      c.api.mutate<Secret>("Secret", "default", "db-pass", (d) => {
        d.data = { ...d.data, password: btoa("p") };
      }),
    );
    c.run(30_000);
    expect(eventsWith(records, "FailedMount").length).toBeGreaterThan(0);
    expect(getPod(c, "web").status?.phase).toBe("Running");
    expect(podView(c, getPod(c, "web"))!.files["/etc/x"]).toEqual({
      password: { content: "p", mode: 0o644 },
    });
  });
});
