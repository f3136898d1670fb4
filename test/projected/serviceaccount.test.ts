// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go) and the
// controllers behind it: the default ServiceAccount and kube-root-ca.crt in every namespace.

import { describe, expect, test } from "vitest";
import type { ConfigMap, Pod, ServiceAccount } from "../../src/api/types.js";
import { podView } from "../../src/kubelet/projected.js";
import { getPod } from "../scheduler/helpers.js";
import { storageCluster } from "../storage/helpers.js";

const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

function pod(name: string, automount?: boolean, serviceAccountName?: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: "node-1",
      ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}),
      ...(serviceAccountName ? { serviceAccountName } : {}),
      initContainers: [{ name: "init", image: "busybox:1.36" }],
      containers: [{ name: "app", image: "nginx:1.27" }],
    },
  };
}

// The controllers and the admission plugin start with every cluster (startControllers).
const cluster = () => storageCluster(1);

describe("ServiceAccount admission", () => {
  test("a pod gets serviceAccountName default and the kube-api-access volume, read-only in every container", () => {
    const { c } = cluster();
    c.api.create(pod("web"));
    const spec = getPod(c, "web").spec!;
    expect(spec.serviceAccountName).toBe("default");
    expect(spec.volumes).toHaveLength(1);
    const v = spec.volumes![0]!;
    expect(v.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(v.projected).toEqual({
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
    });
    for (const ctr of [...spec.initContainers!, ...spec.containers]) {
      expect(ctr.volumeMounts).toEqual([{ name: v.name, readOnly: true, mountPath: MOUNT }]);
    }
  });

  const automount: { what: string; pod?: boolean; sa?: boolean; mounted: boolean }[] = [
    { what: "by default", mounted: true },
    { what: "pod says false", pod: false, mounted: false },
    { what: "ServiceAccount says false", sa: false, mounted: false },
    { what: "pod true overrides ServiceAccount false", pod: true, sa: false, mounted: true },
    { what: "pod false overrides ServiceAccount true", pod: false, sa: true, mounted: false },
  ];
  for (const a of automount) {
    test(`automount ${a.what}: ${a.mounted ? "mounted" : "no volume"}`, () => {
      const { c } = cluster();
      const sa: ServiceAccount = {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "robot", namespace: "default" },
      };
      if (a.sa !== undefined) sa.automountServiceAccountToken = a.sa;
      c.api.create(sa);
      c.api.create(pod("web", a.pod, "robot"));
      const spec = getPod(c, "web").spec!;
      expect(spec.serviceAccountName).toBe("robot");
      expect((spec.volumes ?? []).length).toBe(a.mounted ? 1 : 0);
      expect(spec.containers[0]!.volumeMounts ?? []).toHaveLength(a.mounted ? 1 : 0);
    });
  }

  test("a pod naming a ServiceAccount that does not exist is Forbidden", () => {
    const { c } = cluster();
    expect(() => c.api.create(pod("web", undefined, "ghost"))).toThrow(
      'pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
    );
  });

  test("a pod without imagePullSecrets gets its ServiceAccount's", () => {
    const { c } = cluster();
    c.api.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "puller", namespace: "default" },
      imagePullSecrets: [{ name: "regcred" }],
    } as ServiceAccount);
    c.api.create(pod("web", undefined, "puller"));
    expect(getPod(c, "web").spec?.imagePullSecrets).toEqual([{ name: "regcred" }]);
  });

  test("a container already mounting something at the token path is left alone", () => {
    const { c } = cluster();
    const p = pod("web");
    p.spec!.volumes = [{ name: "mine", emptyDir: {} }];
    p.spec!.containers[0]!.volumeMounts = [{ name: "mine", mountPath: MOUNT }];
    c.api.create(p);
    const spec = getPod(c, "web").spec!;
    expect(spec.containers[0]!.volumeMounts).toEqual([{ name: "mine", mountPath: MOUNT }]);
    expect(spec.initContainers![0]!.volumeMounts?.[0]?.mountPath).toBe(MOUNT);
  });
});

describe("ServiceAccounts and root CA publisher", () => {
  test("every namespace, present or new, gets the default ServiceAccount and kube-root-ca.crt", () => {
    const { c } = cluster();
    c.engine.at(1_000, () =>
      c.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } }),
    );
    c.run(5_000);
    for (const ns of ["default", "team-a"]) {
      expect(c.api.get<ServiceAccount>("ServiceAccount", ns, "default")).toBeDefined();
      expect(c.api.get<ConfigMap>("ConfigMap", ns, "kube-root-ca.crt")?.data?.["ca.crt"]).toContain(
        "BEGIN CERTIFICATE",
      );
    }
  });

  test("a deleted default ServiceAccount or kube-root-ca.crt comes back", () => {
    const { c } = cluster();
    c.engine.at(1_000, () => {
      c.api.delete("ServiceAccount", "default", "default");
      c.api.delete("ConfigMap", "default", "kube-root-ca.crt");
    });
    c.engine.at(1_001, () => expect(c.api.get("ServiceAccount", "default", "default")).toBeUndefined());
    c.run(2_000);
    expect(c.api.get("ServiceAccount", "default", "default")).toBeDefined();
    expect(c.api.get("ConfigMap", "default", "kube-root-ca.crt")).toBeDefined();
  });

  test("once its volumes are mounted the pod sees token, ca.crt and namespace at the mount path", () => {
    const { c } = cluster();
    c.engine.at(0, () => c.api.create(pod("web")));
    c.run(30_000);
    const p = getPod(c, "web");
    const files = podView(c, p)!.files[MOUNT]!;
    expect(Object.keys(files).sort()).toEqual(["ca.crt", "namespace", "token"]);
    expect(files.namespace?.content).toBe("default");
  });
});
