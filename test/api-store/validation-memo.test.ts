import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { deepCopy, deepFreeze } from "../../src/api/copy.js";
import { applyDefaults } from "../../src/api/defaults.js";
import type { KubeObject } from "../../src/api/types.js";
import { validateObject } from "../../src/api/validation.js";

type Any = Record<string, any>;

// Parts pods of one template share, valid and invalid, so a sequence of pods built from them
// repeats parts (as copies, or as the same frozen objects) and changes them now and then.
const LABELS: unknown[] = [
  { app: "web" },
  { app: "web", "pod-template-hash": "7f89cb9bf8" },
  { "pod-template-hash": "7f89cb9bf8", app: "web" },
  { "bad key!": "x" },
  { app: "-bad-" },
  { app: 5 },
  {},
  undefined,
];
const REF = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u-1", controller: true };
const OWNER_REFS: unknown[] = [
  [REF],
  [REF, { ...REF, name: "web-2", uid: "u-2" }],
  [{ ...REF, kind: "" }],
  [{ ...REF, apiVersion: "apps/" }],
  [],
  undefined,
];
const TOLERATIONS: unknown[] = [
  [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    {
      key: "node.kubernetes.io/unreachable",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    },
  ],
  [{ key: "", operator: "Equal" }],
  [{ key: "a", operator: "Exists", value: "x" }],
  [{ key: "a/b/c", operator: "Equal", value: "v", effect: "Sometimes" }],
  [],
  undefined,
];
const mount = (name: string, mountPath: string) => ({ name, mountPath });
const CONTAINERS: unknown[] = [
  { name: "web", image: "nginx:1.26", resources: { requests: { cpu: "100m", memory: "128Mi" } } },
  { name: "web", image: "nginx:1.26", volumeMounts: [mount("v1", "/a")] },
  { image: "nginx:1.26", name: "web", volumeMounts: [mount("v1", "/a")] },
  { name: "web", image: "nginx:1.26", volumeMounts: [mount("v2", "/a")] },
  { name: "web", image: "nginx:1.26", volumeMounts: [mount("v1", "/a"), mount("v1", "/a")] },
  { name: "side", image: "busybox", volumeMounts: [mount("v1", "/b")] },
  { name: "Web_1", image: "nginx:1.26" },
  { name: "web", image: " nginx " },
  { name: "web", image: "" },
  { name: "web", image: "nginx", resources: { requests: { cpu: "lots" } } },
  { name: "web", image: "nginx", resources: { limits: { cpu: "1" }, requests: { cpu: "2" } } },
  { name: "web", image: "nginx", livenessProbe: { periodSeconds: 10 } },
  { name: "web", image: "nginx", restartPolicy: "Always" },
  { name: "web", image: "nginx", ports: [{ containerPort: 80 }, { containerPort: 0, name: "x--y" }] },
  { name: "web", image: "nginx", env: [{ name: "" }, { name: "A" }] },
];
const GENERATE_NAMES = ["web-7f89cb9bf8-", "Web_", "", `${"a".repeat(300)}-`, "9web-"];
const NAMESPACES = ["default", "kube-system", "Bad_NS", ""];
const SERVICE_ACCOUNTS = ["default", "builder", "Bad SA", ""];
const VOLUMES: unknown[] = [
  [{ name: "v1", emptyDir: {} }],
  [{ name: "v2", emptyDir: {} }],
  [
    { name: "v1", emptyDir: {} },
    { name: "v2", emptyDir: {} },
  ],
  [{ name: "v1" }, { name: "v1" }],
  [{ name: "Bad" }],
  [],
  undefined,
];

// Each pick: an index into a pool, and whether the pod gets a fresh copy or the pool's frozen
// part (only when no defaults are applied: defaulting writes into the parts).
const pick = (pool: unknown[]) => fc.tuple(fc.nat(pool.length - 1), fc.boolean());
let shareFrozen = true;
const partOf = (pool: unknown[], [i, same]: [number, boolean]) =>
  same && shareFrozen ? deepFreeze(pool[i]) : deepCopy(pool[i]);

const podArb = fc.record({
  labels: pick(LABELS),
  refs: pick(OWNER_REFS),
  tolerations: pick(TOLERATIONS),
  containers: fc.array(pick(CONTAINERS), { minLength: 0, maxLength: 3 }),
  volumes: pick(VOLUMES),
  generateName: fc.constantFrom(...GENERATE_NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  serviceAccount: fc.constantFrom(...SERVICE_ACCOUNTS),
  defaults: fc.boolean(),
  kind: fc.constantFrom("Pod", "Pod", "Pod", "Deployment", "Node", "Service"),
});

type PodChoice = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function podSpec(c: PodChoice): Any {
  const spec: Any = {
    containers: c.containers.map((p) => partOf(CONTAINERS, p)),
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
    terminationGracePeriodSeconds: 30,
  };
  const volumes = partOf(VOLUMES, c.volumes);
  if (volumes !== undefined) spec.volumes = volumes;
  const tolerations = partOf(TOLERATIONS, c.tolerations);
  if (tolerations !== undefined) spec.tolerations = tolerations;
  if (c.serviceAccount) spec.serviceAccountName = c.serviceAccount;
  return spec;
}

function build(c: PodChoice, n: number): KubeObject {
  shareFrozen = !c.defaults;
  const metadata: Any = { name: `web-${n}`, generateName: c.generateName, namespace: c.namespace };
  const labels = partOf(LABELS, c.labels);
  if (labels !== undefined) metadata.labels = labels;
  const refs = partOf(OWNER_REFS, c.refs);
  if (refs !== undefined) metadata.ownerReferences = refs;
  let o: Any;
  if (c.kind === "Pod") o = { apiVersion: "v1", kind: "Pod", metadata, spec: podSpec(c) };
  else if (c.kind === "Node") o = { apiVersion: "v1", kind: "Node", metadata, spec: {} };
  else if (c.kind === "Service")
    o = { apiVersion: "v1", kind: "Service", metadata, spec: { type: "ClusterIP" } };
  else {
    const template = { metadata: { labels: { app: "web" } }, spec: podSpec(c) };
    const spec = { replicas: 1, selector: { matchLabels: { app: "web" } }, template };
    o = { apiVersion: "apps/v1", kind: "Deployment", metadata, spec };
  }
  if (c.defaults) applyDefaults(o as KubeObject);
  return o as KubeObject;
}

const plain = (o: KubeObject) => validateObject(deepCopy(o), undefined, { memo: false });

describe("validation memo (a part identical to the last that passed is not checked again)", () => {
  test("memoised validation reports exactly what plain validation reports, for pods sharing parts", () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 1, maxLength: 12 }), (choices) => {
        choices.forEach((c, n) => {
          const o = build(c, n);
          expect(validateObject(o)).toEqual(plain(o));
        });
      }),
      { numRuns: 1500 },
    );
  });

  test("a container that passed is checked again against the next pod's volumes", () => {
    const withVolume = (volumes: unknown[]): KubeObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default" },
      spec: {
        containers: [{ name: "web", image: "nginx", volumeMounts: [mount("v1", "/a")] }],
        volumes,
        restartPolicy: "Always",
        dnsPolicy: "ClusterFirst",
        terminationGracePeriodSeconds: 30,
      },
    });
    const good = withVolume([{ name: "v1", emptyDir: {} }]);
    applyDefaults(good);
    expect(validateObject(good)).toEqual([]);
    const bad = withVolume([{ name: "v2", emptyDir: {} }]);
    applyDefaults(bad);
    expect(validateObject(bad).map((e) => e.field)).toEqual(["spec.containers[0].volumeMounts[0].name"]);
    expect(validateObject(bad)).toEqual(plain(bad));
  });

  test("a part changed in place after it passed is checked again (the memo keeps its own copy)", () => {
    const pod: Any = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default", labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx" }], restartPolicy: "Always" },
    };
    applyDefaults(pod as KubeObject);
    expect(validateObject(pod as KubeObject)).toEqual([]);
    pod.metadata.labels.app = "-bad-";
    pod.spec.containers[0].name = "Web_1";
    const errs = validateObject(pod as KubeObject);
    expect(errs.map((e) => e.field)).toEqual(["metadata.labels", "spec.containers[0].name"]);
    expect(errs).toEqual(plain(pod as KubeObject));
  });
});
