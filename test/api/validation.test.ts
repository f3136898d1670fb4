import { describe, expect, test } from "vitest";
import { applyDefaults } from "../../src/api/defaults.js";
import { formatFieldError, invalidError } from "../../src/api/errors.js";
import type { KubeObject } from "../../src/api/types.js";
import { POD_UPDATE_FORBIDDEN, semanticEqual, validateObject } from "../../src/api/validation.js";

type Any = any;

function prepared(obj: Record<string, unknown>): Any {
  const copy = structuredClone(obj) as KubeObject;
  applyDefaults(copy);
  return copy;
}

/** Defaults then validates, returning the formatted messages. */
function messages(obj: Record<string, unknown>, old?: Record<string, unknown>): string[] {
  const o = prepared(obj);
  return validateObject(o, old ? prepared(old) : undefined).map(formatFieldError);
}

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const deployment = (spec: Record<string, unknown> = {}, name = "web"): Any => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "default" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx:1.25" }] },
    },
    ...spec,
  },
});

const pod = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Any => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "default", ...meta },
  spec: { containers: [{ name: "app", image: "nginx:1.25" }], ...spec },
});

const statefulSet = (spec: Record<string, unknown> = {}): Any => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db", namespace: "default" },
  spec: {
    serviceName: "db",
    replicas: 3,
    selector: { matchLabels: { app: "db" } },
    template: {
      metadata: { labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "postgres:16" }] },
    },
    ...spec,
  },
});

describe("valid objects pass", () => {
  test.each([
    ["a Deployment", deployment()],
    ["a Pod", pod()],
    ["a StatefulSet", statefulSet()],
    [
      "a Service",
      {
        kind: "Service",
        metadata: { name: "web" },
        spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
      },
    ],
    [
      "a headless Service",
      { kind: "Service", metadata: { name: "db" }, spec: { clusterIP: "None", selector: { app: "db" } } },
    ],
    ["a Namespace", { kind: "Namespace", metadata: { name: "team-a" } }],
    [
      "a PVC",
      {
        kind: "PersistentVolumeClaim",
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    ],
    [
      "a PV",
      {
        kind: "PersistentVolume",
        metadata: { name: "pv1" },
        spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data" } },
      },
    ],
    [
      "a Node",
      {
        kind: "Node",
        metadata: { name: "node-1" },
        status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } },
      },
    ],
    ["a ConfigMap", { kind: "ConfigMap", metadata: { name: "cfg" }, data: { "app.properties": "x=1" } }],
    [
      "a StorageClass",
      { kind: "StorageClass", metadata: { name: "standard" }, provisioner: "kubernetes.io/no-provisioner" },
    ],
    [
      "a PDB",
      {
        kind: "PodDisruptionBudget",
        metadata: { name: "web" },
        spec: { minAvailable: "50%", selector: { matchLabels: { app: "web" } } },
      },
    ],
  ])("%s", (_, obj) => {
    expect(messages(obj)).toEqual([]);
  });
});

describe("metadata", () => {
  test("a name or generateName is required", () => {
    expect(messages(deployment({}, ""))).toEqual([
      "metadata.name: Required value: name or generateName is required",
    ]);
  });

  test("object names follow their kind's DNS rule", () => {
    expect(messages(deployment({}, "Web"))).toEqual([
      `metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`,
    ]);
    expect(
      messages({ kind: "Service", metadata: { name: "1web" }, spec: { ports: [{ port: 80 }] } })[0],
    ).toMatch(/^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of/);
    expect(messages({ kind: "Namespace", metadata: { name: "a.b" } })).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    expect(messages({ ...statefulSet(), metadata: { name: "db.v1" } })).toEqual([
      'metadata.name: Invalid value: "db.v1": must not contain dots',
    ]);
  });

  test("a generateName prefix may end in a dash", () => {
    expect(messages(pod({}, { name: "web-abcde", generateName: "web-" }))).toEqual([]);
  });

  test("label keys and values are checked", () => {
    const out = messages(pod({}, { labels: { "bad key": "v", ok: "bad value" } }));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^metadata\.labels: Invalid value: "bad key": name part must consist of/);
    expect(out[1]).toMatch(
      /^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string/,
    );
  });

  test("a non-string label value is refused as Go's decoder refuses it", () => {
    expect(messages(pod({}, { labels: { version: 1.5 } }))).toEqual([
      "metadata.labels: Invalid value: 1.5: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ]);
  });

  test("only one owner reference may be the controller", () => {
    const ref = (name: string) => ({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name,
      uid: name,
      controller: true,
    });
    const out = messages(pod({}, { ownerReferences: [ref("a"), ref("b")] }));
    expect(out[0]).toContain(
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    );
  });

  test("an unprefixed finalizer must be a standard one", () => {
    expect(messages(pod({}, { finalizers: ["foregroundDeletion", "example.com/cleanup"] }))).toEqual([]);
    expect(messages(pod({}, { finalizers: ["cleanup"] }))).toEqual([
      'metadata.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe("Deployment", () => {
  test("replicas: -1 is refused", () => {
    expect(messages(deployment({ replicas: -1 }))).toEqual([
      "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });

  test("replicas: 1e12 overflows int32 and is refused as Go's JSON decoder refuses it", () => {
    expect(messages(deployment({ replicas: 1e12 }))).toEqual([
      "spec.replicas: Invalid value: 1000000000000: cannot unmarshal number 1000000000000 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ]);
  });

  test("replicas given as a string is refused", () => {
    expect(messages(deployment({ replicas: "3" }))).toEqual([
      'spec.replicas: Invalid value: "3": cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  });

  test("a selector that does not match the template labels is refused", () => {
    expect(messages(deployment({ selector: { matchLabels: { app: "api" } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  test("a missing selector is required and, matching nothing, mismatches the template too", () => {
    expect(messages(deployment({ selector: undefined }))).toEqual([
      "spec.selector: Required value",
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  test("an empty selector is refused", () => {
    expect(messages(deployment({ selector: {} }))).toEqual([
      "spec.selector: Invalid value: {}: empty selector is invalid for deployment",
    ]);
  });

  test("maxUnavailable and maxSurge may not both be 0", () => {
    expect(messages(deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }))).toEqual(
      ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
    );
    expect(
      messages(deployment({ strategy: { rollingUpdate: { maxSurge: "0%", maxUnavailable: "0%" } } })),
    ).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    ]);
  });

  test("maxUnavailable may not exceed 100%, maxSurge may", () => {
    expect(
      messages(deployment({ strategy: { rollingUpdate: { maxSurge: "200%", maxUnavailable: "101%" } } })),
    ).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
    ]);
  });

  test("int-or-percent strings must be percentages", () => {
    const out = messages(deployment({ strategy: { rollingUpdate: { maxSurge: "1", maxUnavailable: 1 } } }));
    expect(out).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"1\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });

  test("Recreate may not carry rollingUpdate; unknown strategies are unsupported", () => {
    expect(messages(deployment({ strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(messages(deployment({ strategy: { type: "BlueGreen" } }))).toEqual([
      'spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"',
    ]);
  });

  test("progressDeadlineSeconds must exceed minReadySeconds; revisionHistoryLimit ≥ 0", () => {
    expect(messages(deployment({ minReadySeconds: 600, revisionHistoryLimit: -1 }))).toEqual([
      "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
      "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    ]);
  });

  test("the template must restart Always and has its pod spec validated", () => {
    const d = deployment();
    d.spec.template.spec.restartPolicy = "Never";
    d.spec.template.spec.containers.push({ name: "web", image: "" });
    expect(messages(d)).toEqual([
      "spec.template.spec.containers[1].image: Required value",
      'spec.template.spec.containers[1].name: Duplicate value: "web"',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  test("the selector is immutable on update", () => {
    const old = deployment();
    const next = deployment({
      selector: { matchLabels: { app: "web", tier: "fe" } },
      template: { metadata: { labels: { app: "web", tier: "fe" } }, spec: old.spec.template.spec },
    });
    expect(messages(next, old)).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable',
    ]);
    expect(messages(deployment({ replicas: 10 }), old)).toEqual([]);
  });

  test("the error reads like the apiserver's", () => {
    const errs = validateObject(prepared(deployment({ replicas: -1 })));
    expect(invalidError("Deployment.apps", "web", errs).message).toBe(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });
});

describe("Pod spec", () => {
  test("containers are required", () => {
    expect(messages(pod({ containers: [] }))).toEqual(["spec.containers: Required value"]);
  });

  test("container names must be DNS labels and unique; images are required", () => {
    const out = messages(
      pod({ containers: [{ name: "App", image: "x" }, { name: "b" }, { name: "b", image: "y" }] }),
    );
    expect(out[0]).toMatch(/^spec\.containers\[0\]\.name: Invalid value: "App": a lowercase RFC 1123 label/);
    expect(out.slice(1)).toEqual([
      "spec.containers[1].image: Required value",
      'spec.containers[2].name: Duplicate value: "b"',
    ]);
  });

  test("restartPolicy and dnsPolicy take Kubernetes' values", () => {
    expect(messages(pod({ restartPolicy: "Sometimes", dnsPolicy: "Google" }))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });

  test("resource quantities must parse, be non-negative and requests must not exceed limits", () => {
    const resources = { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "2", memory: "-1" } };
    expect(messages(pod({ containers: [{ name: "a", image: "x", resources }] }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
    const bad = { requests: { cpu: "lots", gpu: "1" } };
    expect(messages(pod({ containers: [{ name: "a", image: "x", resources: bad }] }))).toEqual([
      "spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]);
  });

  test("extended resources must be whole and have requests equal to limits", () => {
    const resources = { limits: { "example.com/gpu": "2" }, requests: { "example.com/gpu": "1" } };
    expect(messages(pod({ containers: [{ name: "a", image: "x", resources }] }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
    ]);
  });

  test("probes need one handler, non-negative numbers, and liveness successThreshold 1", () => {
    const c = {
      name: "a",
      image: "x",
      livenessProbe: { httpGet: { port: 80 }, successThreshold: 2, failureThreshold: -1 },
      readinessProbe: { periodSeconds: 5 },
      startupProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } },
    };
    expect(messages(pod({ containers: [c] }))).toEqual([
      "spec.containers[0].livenessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0",
      "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
      "spec.containers[0].readinessProbe: Required value: must specify a handler type",
      "spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
    ]);
  });

  test("container ports must be in range, named well and unique", () => {
    const ports = [
      { containerPort: 70000, name: "http" },
      { containerPort: 81, name: "http" },
      { name: "x--y" },
    ];
    expect(messages(pod({ containers: [{ name: "a", image: "x", ports }] }))).toEqual([
      "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[2].name: Invalid value: "x--y": must not contain consecutive hyphens',
      "spec.containers[0].ports[2].containerPort: Required value",
    ]);
  });

  test("volume mounts must name a volume", () => {
    expect(
      messages(
        pod({ containers: [{ name: "a", image: "x", volumeMounts: [{ name: "data", mountPath: "/d" }] }] }),
      ),
    ).toEqual(['spec.containers[0].volumeMounts[0].name: Not found: "data"']);
  });

  test("init containers may not have probes unless they are sidecars", () => {
    const init = { name: "init", image: "busybox", readinessProbe: { exec: { command: ["x"] } } };
    expect(messages(pod({ initContainers: [init] }))).toEqual([
      "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
    ]);
    expect(messages(pod({ initContainers: [{ ...init, restartPolicy: "Always" }] }))).toEqual([]);
  });

  test("a pod image may not be padded with spaces", () => {
    expect(messages(pod({ containers: [{ name: "a", image: " nginx" }] }))).toEqual([
      'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
    ]);
  });

  test("tolerations follow the operator rules", () => {
    expect(
      messages(
        pod({
          tolerations: [
            { operator: "Equal", value: "x" },
            { key: "k", operator: "Exists", value: "v" },
          ],
        }),
      ),
    ).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
    ]);
  });
});

describe("Pod updates", () => {
  const old = pod({
    nodeName: "node-1",
    tolerations: [{ key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }],
  });

  test("changing the image, adding a toleration or changing tolerationSeconds is allowed", () => {
    const next = structuredClone(old);
    next.spec.containers[0].image = "nginx:1.26";
    next.spec.tolerations[0].tolerationSeconds = 30;
    next.spec.tolerations.push({ key: "b", operator: "Exists" });
    next.metadata.labels = { changed: "yes" };
    expect(messages(next, old)).toEqual([]);
  });

  test("other spec changes are forbidden", () => {
    const next = structuredClone(old);
    next.spec.containers[0].ports = [{ containerPort: 80 }];
    expect(messages(next, old)).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
    expect(POD_UPDATE_FORBIDDEN).toBe(
      "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    );
  });

  test("containers may not be added or removed", () => {
    const next = structuredClone(old);
    next.spec.containers.push({ name: "b", image: "x" });
    expect(messages(next, old)).toEqual([
      "spec.containers: Forbidden: pod updates may not add or remove containers",
    ]);
  });

  test("existing tolerations may not be removed", () => {
    const next = structuredClone(old);
    next.spec.tolerations = [];
    expect(messages(next, old)).toContain(
      "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
    );
  });

  test("a status update may not move the pod to another node; a binding is not validated here", () => {
    const a = prepared(pod());
    const b = prepared(pod({ nodeName: "node-2" }));
    expect(validateObject(b, a, { subresource: "status" }).map(formatFieldError)).toEqual([
      "status.nodeName: Forbidden: may not be changed directly",
    ]);
    expect(validateObject(b, a, { subresource: "binding" })).toEqual([]);
  });
});

describe("StatefulSet", () => {
  test("the template must restart Always; policies take Kubernetes' values", () => {
    const s = statefulSet({ podManagementPolicy: "Random", updateStrategy: { type: "Rolling" } });
    s.spec.template.spec.restartPolicy = "OnFailure";
    expect(messages(s)).toEqual([
      "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
      "spec.updateStrategy: Invalid value: {\"type\":\"Rolling\"}: must be 'RollingUpdate' or 'OnDelete'",
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    ]);
  });

  test("the template's pod spec is not validated at the API, as in Kubernetes", () => {
    const s = statefulSet();
    s.spec.template.spec.containers = [];
    expect(messages(s)).toEqual([]);
  });

  test("an empty selector is refused with the StatefulSet wording", () => {
    expect(messages(statefulSet({ selector: {} }))).toEqual([
      "spec.selector: Invalid value: {}: empty selector is invalid for statefulset",
    ]);
  });

  test("only replicas, template, updateStrategy and a few more may change", () => {
    const old = statefulSet();
    expect(messages(statefulSet({ replicas: 5, minReadySeconds: 10 }), old)).toEqual([]);
    expect(messages(statefulSet({ serviceName: "db-headless" }), old)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  test("partition must be non-negative", () => {
    expect(
      messages(statefulSet({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: -1 } } })),
    ).toEqual([
      "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
});

test("ReplicaSet selectors must match and are immutable", () => {
  const rs = { ...deployment(), kind: "ReplicaSet" };
  rs.spec = { replicas: 1, selector: rs.spec.selector, template: rs.spec.template };
  expect(messages(rs)).toEqual([]);
  const moved = structuredClone(rs);
  moved.spec.selector = { matchLabels: { app: "x" } };
  moved.spec.template.metadata.labels = { app: "x" };
  expect(messages(moved, rs)).toEqual([
    'spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: field is immutable',
  ]);
});

describe("Service", () => {
  const svc = (spec: Record<string, unknown>) => ({ kind: "Service", metadata: { name: "web" }, spec });

  test("ports are required unless headless; multiple ports need names", () => {
    expect(messages(svc({ selector: { app: "web" } }))).toEqual(["spec.ports: Required value"]);
    expect(messages(svc({ ports: [{ port: 80 }, { port: 443 }] }))).toEqual([
      "spec.ports[0].name: Required value",
      "spec.ports[1].name: Required value",
    ]);
  });

  test("port numbers, protocols and types take Kubernetes' values", () => {
    expect(messages(svc({ type: "Magic", ports: [{ port: 0, protocol: "HTTP" }] }))).toEqual([
      "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
      'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  test("the selector keys and values must be valid labels", () => {
    expect(messages(svc({ selector: { app: "no way" }, ports: [{ port: 80 }] }))[0]).toMatch(
      /^spec\.selector: Invalid value: "no way": a valid label must be/,
    );
  });

  test("a clusterIP must be an IP or None, and may not change once set", () => {
    expect(messages(svc({ clusterIP: "10.0.0.300", ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    const old = svc({ clusterIP: "10.0.0.10", ports: [{ port: 80 }] });
    expect(messages(svc({ clusterIP: "10.0.0.11", ports: [{ port: 80 }] }), old)).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.11": may not change once set',
    ]);
  });
});

describe("storage", () => {
  test("a PVC needs access modes and a storage request", () => {
    expect(messages({ kind: "PersistentVolumeClaim", metadata: { name: "d" }, spec: {} })).toEqual([
      "spec.accessModes: Required value: at least 1 access mode is required",
      "spec.resources[storage]: Required value",
    ]);
    expect(
      messages({
        kind: "PersistentVolumeClaim",
        metadata: { name: "d" },
        spec: { accessModes: ["ReadWriteSometimes"], resources: { requests: { storage: "0" } } },
      }),
    ).toEqual([
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]);
  });

  test("a PVC spec is immutable except binding and growing a bound claim", () => {
    const pvc = (storage: string, extra: Record<string, unknown> = {}) => ({
      kind: "PersistentVolumeClaim",
      metadata: { name: "d" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } }, ...extra },
    });
    expect(messages(pvc("1Gi", { volumeName: "pv1" }), pvc("1Gi"))).toEqual([]);
    expect(messages({ ...pvc("2Gi"), status: { phase: "Bound" } }, pvc("1Gi"))).toEqual([]);
    expect(messages(pvc("2Gi"), pvc("1Gi"))).toEqual([
      "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
    ]);
  });

  test("a PV needs capacity, access modes and exactly one source", () => {
    expect(messages({ kind: "PersistentVolume", metadata: { name: "pv" }, spec: {} })).toEqual([
      "spec.accessModes: Required value",
      "spec.capacity: Required value",
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      "spec: Required value: must specify a volume type",
    ]);
  });

  test("a StorageClass needs a provisioner and keeps its parameters", () => {
    expect(messages({ kind: "StorageClass", metadata: { name: "sc" } })).toEqual([
      "provisioner: Required value",
    ]);
    const old = {
      kind: "StorageClass",
      metadata: { name: "sc" },
      provisioner: "a.io/x",
      parameters: { t: "1" },
    };
    expect(messages({ ...old, parameters: { t: "2" } }, old)).toEqual([
      "parameters: Forbidden: updates to parameters are forbidden.",
    ]);
  });
});

describe("ConfigMap, Secret, Node, PDB, Lease", () => {
  test("data keys must be config keys", () => {
    expect(messages({ kind: "ConfigMap", metadata: { name: "c" }, data: { "a b": "x" } })[0]).toMatch(
      /^data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/,
    );
  });

  test("an immutable ConfigMap keeps its data", () => {
    const old = { kind: "ConfigMap", metadata: { name: "c" }, immutable: true, data: { a: "1" } };
    expect(messages({ ...old, data: { a: "2" } }, old)).toEqual([
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });

  test("a TLS secret needs its keys and keeps its type", () => {
    const s = {
      kind: "Secret",
      metadata: { name: "s" },
      type: "kubernetes.io/tls",
      data: { "tls.crt": "eA==" },
    };
    expect(messages(s)).toEqual(["data[tls.key]: Required value"]);
    expect(messages({ ...s, type: "Opaque" }, s)).toContain(
      'type: Invalid value: "Opaque": field is immutable',
    );
  });

  test("node taints need a valid effect and are unique by key and effect", () => {
    const taint = { key: "k", effect: "NoSchedule" };
    expect(
      messages({
        kind: "Node",
        metadata: { name: "n" },
        spec: { taints: [taint, taint, { key: "x", effect: "Never" }] },
      }),
    ).toEqual([
      'spec.taints[1]: Duplicate value: {"key":"k","effect":"NoSchedule"}',
      'spec.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  test("a PDB may not set both minAvailable and maxUnavailable", () => {
    const out = messages({
      kind: "PodDisruptionBudget",
      metadata: { name: "p" },
      spec: { minAvailable: 1, maxUnavailable: "120%" },
    });
    expect(out[0]).toMatch(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
    expect(out[1]).toBe('spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%');
  });

  test("a lease duration must be positive", () => {
    expect(
      messages({ kind: "Lease", metadata: { name: "node-1" }, spec: { leaseDurationSeconds: 0 } }),
    ).toEqual(["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"]);
  });
});

test("semanticEqual treats absent, null, [] and {} alike", () => {
  expect(semanticEqual({ a: [], b: null }, {})).toBe(true);
  expect(semanticEqual({ a: [1] }, { a: [1] })).toBe(true);
  expect(semanticEqual({ a: 0 }, {})).toBe(false);
});
