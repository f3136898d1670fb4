// The project's own property suite: under random node-fault schedules (crash, partition,
// kubelet-stop, each healing) during a rollout, the Deployment, ReplicaSet, StatefulSet, PV,
// scheduler and pod GC controllers keep every built-in invariant — rollout bounds outside faults,
// one pod per StatefulSet identity, no over-committed node, no pod on a missing node, one claim
// per volume, and convergence within 10 minutes of the last heal. A generated scenario replays
// to the same bytes.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { faults, simulate } from "../../src/library/index.js";
import { load, scenarioText } from "./helpers.js";

const NODES = ["node-1", "node-2", "node-3", "node-4"];

const SCENARIO = load(
  scenarioText(
    `until: 25m
nodes: [{count: 4}]
images:
  "app:*": {pull: 1s..3s, start: 200ms..1s}
  "db:*": {pull: 1s..3s, start: 500ms..2s}
actions:
  - {at: 2m, kubectl: set image deployment/web app=app:2}
  - {at: 4m, kubectl: set image statefulset/db db=db:2}`,
    `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: ebs.csi.aws.com
volumeBindingMode: Immediate
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: app:1
          resources: {requests: {cpu: "1", memory: 1Gi}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: db:1
          resources: {requests: {cpu: 500m, memory: 1Gi}}
          readinessProbe: {tcpSocket: {port: 5432}, periodSeconds: 2}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    "controllers-under-faults",
  ),
);

const schedules = faults.schedule({
  nodes: NODES,
  types: ["crash", "partition", "kubelet-stop"],
  maxFaults: 4,
  windowMs: [30_000, 10 * 60_000],
  forMs: [5_000, 5 * 60_000],
});

describe("controllers under random node faults", () => {
  test("every invariant holds", () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 1_000 }), (schedule, seed) => {
        const sim = simulate(SCENARIO, { seed, faults: schedule });
        expect(sim.violations, faults.describe(schedule)).toEqual([]);
        expect(sim.stateAt("statefulset", "db")?.readyReplicas).toBe(3);
      }),
      { seed: 7, numRuns: 10 },
    );
  });

  test("a generated scenario replays to the same bytes", () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 1_000 }), (schedule, seed) => {
        const a = JSON.stringify(simulate(SCENARIO, { seed, faults: schedule }).records);
        const b = JSON.stringify(simulate(SCENARIO, { seed, faults: schedule }).records);
        expect(a === b).toBe(true);
      }),
      { seed: 11, numRuns: 3 },
    );
  });
});
