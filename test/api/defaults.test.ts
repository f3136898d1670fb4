import { describe, expect, test } from "vitest";
import { applyDefaults, defaultImagePullPolicy, imageTag } from "../../src/api/defaults.js";
import type { KubeObject } from "../../src/api/types.js";

type Any = any;

function defaulted(obj: Record<string, unknown>): Any {
  const copy = structuredClone(obj) as KubeObject;
  applyDefaults(copy);
  return copy;
}

const container = (extra: Record<string, unknown> = {}) => ({ name: "app", image: "nginx:1.25", ...extra });

describe("imagePullPolicy defaults by tag, as SetDefaults_Container", () => {
  test.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.25", "IfNotPresent"],
    ["registry.example.com:5000/team/app", "Always"],
    ["registry.example.com:5000/team/app:v2", "IfNotPresent"],
    ["nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"],
    ["nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always"],
    ["Nginx", "IfNotPresent"],
    ["", "IfNotPresent"],
  ])("%j → %s", (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });

  test("imageTag reports the parser's tag", () => {
    expect(imageTag("localhost:5000/app")).toBe("latest");
    expect(imageTag("app:1.0")).toBe("1.0");
  });

  test("an explicit pull policy is kept", () => {
    const pod = defaulted({
      kind: "Pod",
      spec: { containers: [container({ image: "x", imagePullPolicy: "Never" })] },
    });
    expect(pod.spec.containers[0].imagePullPolicy).toBe("Never");
  });
});

describe("Pod defaults", () => {
  const pod = defaulted({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: {
      containers: [
        container({
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: 0.5, memory: "128Mi" }, requests: { memory: "64Mi" } },
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        }),
      ],
      volumes: [{ name: "scratch" }, { name: "cfg", configMap: { name: "c" } }],
    },
  });
  const c = pod.spec.containers[0];

  test("pod spec fields get SetDefaults_PodSpec's values", () => {
    expect(pod.spec).toMatchObject({
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
    });
  });

  test("containers get pull policy, termination message and port protocol defaults", () => {
    expect(c).toMatchObject({
      imagePullPolicy: "IfNotPresent",
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
    });
    expect(c.ports[0].protocol).toBe("TCP");
  });

  test("probes get 1s timeout, 10s period, thresholds 1 and 3; explicit values stay", () => {
    expect(c.livenessProbe).toMatchObject({
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.livenessProbe.httpGet).toEqual({ port: 80, path: "/", scheme: "HTTP" });
    expect(c.readinessProbe.periodSeconds).toBe(5);
  });

  test("a pod's missing requests are copied from its limits, in canonical form", () => {
    expect(c.resources.requests).toEqual({ memory: "64Mi", cpu: "500m" });
    expect(c.resources.limits).toEqual({ cpu: "500m", memory: "128Mi" });
  });

  test("volumes without a source become emptyDir; configMap volumes get mode 0644", () => {
    expect(pod.spec.volumes[0]).toEqual({ name: "scratch", emptyDir: {} });
    expect(pod.spec.volumes[1].configMap.defaultMode).toBe(420);
  });

  test("a negative grace period becomes 1, as the pod strategy does", () => {
    const p = defaulted({
      kind: "Pod",
      spec: { terminationGracePeriodSeconds: -5, containers: [container()] },
    });
    expect(p.spec.terminationGracePeriodSeconds).toBe(1);
  });

  test("host-network pods get hostPort = containerPort", () => {
    const p = defaulted({
      kind: "Pod",
      spec: { hostNetwork: true, containers: [container({ ports: [{ containerPort: 8080 }] })] },
    });
    expect(p.spec.containers[0].ports[0].hostPort).toBe(8080);
  });
});

describe("Deployment defaults", () => {
  const template = {
    metadata: { labels: { app: "web" } },
    spec: { containers: [container({ resources: { limits: { cpu: "1" } } })] },
  };

  test("replicas 1, RollingUpdate 25%/25%, history 10, deadline 600", () => {
    const d = defaulted({ kind: "Deployment", spec: { template } });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.spec.restartPolicy).toBe("Always");
  });

  test("a template does not get requests from limits (only Pods do)", () => {
    const d = defaulted({ kind: "Deployment", spec: { template } });
    expect(d.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: "1" } });
  });

  test("Recreate gets no rollingUpdate; explicit values and replicas: 0 stay", () => {
    const d = defaulted({
      kind: "Deployment",
      spec: { replicas: 0, strategy: { type: "Recreate" }, template },
    });
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
    expect(d.spec.replicas).toBe(0);
  });

  test("a partly given rollingUpdate is completed", () => {
    const d = defaulted({
      kind: "Deployment",
      spec: { strategy: { rollingUpdate: { maxSurge: 0 } }, template },
    });
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: "25%" });
  });
});

test("ReplicaSet replicas default to 1", () => {
  expect(defaulted({ kind: "ReplicaSet", spec: {} }).spec.replicas).toBe(1);
});

test("StatefulSet defaults: OrderedReady, RollingUpdate partition 0, Retain/Retain, no maxUnavailable", () => {
  const s = defaulted({
    kind: "StatefulSet",
    spec: {
      template: { spec: { containers: [container()] } },
      volumeClaimTemplates: [
        { metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } },
      ],
    },
  });
  expect(s.spec).toMatchObject({
    replicas: 1,
    podManagementPolicy: "OrderedReady",
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
  });
  expect(s.spec.updateStrategy.rollingUpdate.maxUnavailable).toBeUndefined();
  expect(s.spec.volumeClaimTemplates[0]).toMatchObject({
    spec: { volumeMode: "Filesystem" },
    status: { phase: "Pending" },
  });
});

test("an OnDelete StatefulSet keeps no rollingUpdate", () => {
  const s = defaulted({ kind: "StatefulSet", spec: { updateStrategy: { type: "OnDelete" } } });
  expect(s.spec.updateStrategy).toEqual({ type: "OnDelete" });
});

describe("Service defaults", () => {
  test("ClusterIP, no affinity, TCP, targetPort = port, Cluster internal traffic", () => {
    const svc = defaulted({
      kind: "Service",
      spec: { selector: { app: "web" }, ports: [{ port: 80 }, { port: 443, targetPort: "https" }] },
    });
    expect(svc.spec).toEqual({
      selector: { app: "web" },
      ports: [
        { port: 80, protocol: "TCP", targetPort: 80 },
        { port: 443, targetPort: "https", protocol: "TCP" },
      ],
      sessionAffinity: "None",
      type: "ClusterIP",
      internalTrafficPolicy: "Cluster",
    });
  });

  test("NodePort and LoadBalancer services get external traffic defaults", () => {
    const lb = defaulted({ kind: "Service", spec: { type: "LoadBalancer", ports: [{ port: 80 }] } });
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true });
  });

  test("ClientIP affinity gets a 10800s timeout", () => {
    const svc = defaulted({ kind: "Service", spec: { sessionAffinity: "ClientIP", ports: [{ port: 80 }] } });
    expect(svc.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

describe("storage defaults", () => {
  test("a PVC is Filesystem and Pending", () => {
    const pvc = defaulted({
      kind: "PersistentVolumeClaim",
      spec: { resources: { requests: { storage: "1Gi" } } },
    });
    expect(pvc.spec.volumeMode).toBe("Filesystem");
    expect(pvc.status.phase).toBe("Pending");
  });

  test("a PV is Retain, Filesystem and Pending", () => {
    const pv = defaulted({ kind: "PersistentVolume", spec: { capacity: { storage: "10Gi" } } });
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" });
    expect(pv.status.phase).toBe("Pending");
  });

  test("a StorageClass is Delete and Immediate", () => {
    expect(defaulted({ kind: "StorageClass", provisioner: "x" })).toMatchObject({
      reclaimPolicy: "Delete",
      volumeBindingMode: "Immediate",
    });
  });
});

test("a Namespace is labelled with its own name and is Active", () => {
  const ns = defaulted({ kind: "Namespace", metadata: { name: "team-a", labels: { owner: "me" } } });
  expect(ns.metadata.labels).toEqual({ owner: "me", "kubernetes.io/metadata.name": "team-a" });
  expect(ns.status.phase).toBe("Active");
});

test("a Node's allocatable defaults to its capacity", () => {
  const node = defaulted({ kind: "Node", status: { capacity: { cpu: 4, memory: "8Gi", pods: "110" } } });
  expect(node.status.allocatable).toEqual({ cpu: "4", memory: "8Gi", pods: "110" });
});

test("a Secret is Opaque; kinds without defaults are untouched", () => {
  expect(defaulted({ kind: "Secret" }).type).toBe("Opaque");
  const cm = { kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } };
  expect(defaulted(cm)).toEqual(cm);
  const pdb = { kind: "PodDisruptionBudget", spec: { minAvailable: 1 } };
  expect(defaulted(pdb)).toEqual(pdb);
});

test("malformed quantities are left for validation to report", () => {
  const pod = defaulted({
    kind: "Pod",
    spec: { containers: [container({ resources: { requests: { cpu: "lots" } } })] },
  });
  expect(pod.spec.containers[0].resources.requests.cpu).toBe("lots");
});

test("defaulting an already defaulted, deeply frozen object writes nothing", () => {
  const deepFreeze = (o: Any): Any => {
    for (const v of Object.values(o)) if (typeof v === "object" && v !== null) deepFreeze(v);
    return Object.freeze(o);
  };
  for (const kind of [
    "Pod",
    "Deployment",
    "StatefulSet",
    "Service",
    "Namespace",
    "PersistentVolumeClaim",
    "Node",
  ]) {
    const once = defaulted({
      kind,
      metadata: { name: "x" },
      spec: {
        template: { spec: { containers: [container({ resources: { limits: { cpu: "1" } } })] } },
        containers: [container({ resources: { limits: { cpu: 0.5 } } })],
        ports: [{ port: 80 }],
        resources: { requests: { storage: "1Gi" } },
      },
      status: { capacity: { cpu: "2" } },
    });
    const frozen = deepFreeze(structuredClone(once));
    const shallow = { ...frozen };
    expect(() => applyDefaults(shallow)).not.toThrow();
    expect(shallow).toEqual(once);
  }
});
