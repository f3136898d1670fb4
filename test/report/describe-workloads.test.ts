/** `kubectl describe deployment|replicaset` and the generic describer on hand-built objects. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { Deployment, Pod, ReplicaSet } from "../../src/api/types.js";
import { deploymentReplicaSets, podPhaseCounts } from "../../src/report/kubectl/describe-workloads.js";
import { describeObject } from "../../src/report/kubectl/index.js";

const clock = new SimClock();
const ctx = { nowMs: 120_000, clock };

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: "web", ...(hash ? { "pod-template-hash": hash } : {}) } },
  spec: { containers: [{ name: "web", image, ports: [{ containerPort: 80, protocol: "TCP" }] }] },
});

const deployment: Deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "default",
    uid: "d-uid",
    creationTimestamp: clock.time(0),
    labels: { app: "web" },
    annotations: { "deployment.kubernetes.io/revision": "2" },
    generation: 2,
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    template: template("nginx:1.27"),
  },
  status: {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    conditions: [
      { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
      { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
    ],
  },
};

function replicaSet(
  name: string,
  hash: string,
  image: string,
  replicas: number,
  createdMs: number,
): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      namespace: "default",
      uid: `${name}-uid`,
      creationTimestamp: clock.time(createdMs),
      labels: { app: "web", "pod-template-hash": hash },
      annotations: { "deployment.kubernetes.io/revision": createdMs === 0 ? "1" : "2" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-uid", controller: true },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web", "pod-template-hash": hash } },
      template: template(image, hash),
    },
    status: { replicas },
  };
}

const oldRS = replicaSet("web-769dbcbf67", "769dbcbf67", "nginx:1.26", 0, 0);
const newRS = replicaSet("web-554c8db778", "554c8db778", "nginx:1.27", 3, 60_000);
const strayRS = {
  ...replicaSet("other-1", "1", "nginx:1.27", 1, 0),
  metadata: { ...oldRS.metadata, name: "other-1", ownerReferences: [] },
};

describe("describe deployment", () => {
  it("finds the new ReplicaSet by template (ignoring pod-template-hash) and the old ones it controls", () => {
    const { newRS: found, oldRSs } = deploymentReplicaSets(deployment, [newRS, strayRS, oldRS]);
    expect(found?.metadata?.name).toBe("web-554c8db778");
    expect(oldRSs.map((rs) => rs.metadata?.name)).toEqual(["web-769dbcbf67"]);
  });

  it("prints the Deployment with its pod template, conditions, ReplicaSets and events", () => {
    const events = [
      {
        metadata: { name: "web.1", namespace: "default" },
        involvedObject: { kind: "Deployment", name: "web", namespace: "default", uid: "d-uid" },
        type: "Normal",
        reason: "ScalingReplicaSet",
        message: "Scaled up replica set web-554c8db778 from 0 to 1",
        source: { component: "deployment-controller" },
        firstTimestamp: clock.time(60_000),
        lastTimestamp: clock.time(60_000),
        count: 1,
      },
    ];
    expect(describeObject(deployment, { replicaSets: [oldRS, newRS], events }, ctx)).toBe(
      [
        "Name:                   web",
        "Namespace:              default",
        "CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000",
        "Labels:                 app=web",
        "Annotations:            deployment.kubernetes.io/revision: 2",
        "Selector:               app=web",
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:  app=web",
        "  Containers:",
        "   web:",
        "    Image:         nginx:1.27",
        "    Port:          80/TCP",
        "    Host Port:     0/TCP",
        "    Environment:   <none>",
        "    Mounts:        <none>",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "Conditions:",
        "  Type           Status  Reason",
        "  ----           ------  ------",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    True    NewReplicaSetAvailable",
        "OldReplicaSets:  web-769dbcbf67 (0/0 replicas created)",
        "NewReplicaSet:   web-554c8db778 (3/3 replicas created)",
        "Events:",
        "  Type    Reason             Age   From                   Message",
        "  ----    ------             ----  ----                   -------",
        "  Normal  ScalingReplicaSet  60s   deployment-controller  Scaled up replica set web-554c8db778 from 0 to 1",
        "",
      ].join("\n"),
    );
  });

  it("prints <none> for OldReplicaSets before any rollout, and no RS lines without ReplicaSets", () => {
    const text = describeObject(deployment, { replicaSets: [newRS] }, ctx);
    expect(text).toContain(
      "OldReplicaSets:  <none>\nNewReplicaSet:   web-554c8db778 (3/3 replicas created)\n",
    );
    expect(describeObject(deployment, { replicaSets: [] }, ctx)).not.toContain("OldReplicaSets:");
  });
});

describe("describe replicaset", () => {
  const pod = (name: string, phase: string, ownerUid: string): Pod => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      labels: { app: "web", "pod-template-hash": "554c8db778" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: ownerUid, controller: true },
      ],
    },
    status: { phase },
  });

  it("counts only the pods it controls, by phase", () => {
    const pods = [
      pod("a", "Running", "web-554c8db778-uid"),
      pod("b", "Pending", "web-554c8db778-uid"),
      pod("c", "Running", "someone-else"),
    ];
    expect(podPhaseCounts(newRS, pods)).toEqual({ running: 1, waiting: 1, succeeded: 0, failed: 0 });
  });

  it("prints the ReplicaSet with its owner, replicas, pod counts and template", () => {
    expect(
      describeObject(newRS, { pods: [pod("a", "Running", "web-554c8db778-uid")], events: [] }, ctx),
    ).toBe(
      [
        "Name:           web-554c8db778",
        "Namespace:      default",
        "Selector:       app=web,pod-template-hash=554c8db778",
        "Labels:         app=web",
        "                pod-template-hash=554c8db778",
        "Annotations:    deployment.kubernetes.io/revision: 2",
        "Controlled By:  Deployment/web",
        "Replicas:       3 current / 3 desired",
        "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "  Labels:  app=web",
        "           pod-template-hash=554c8db778",
        "  Containers:",
        "   web:",
        "    Image:         nginx:1.27",
        "    Port:          80/TCP",
        "    Host Port:     0/TCP",
        "    Environment:   <none>",
        "    Mounts:        <none>",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "Events:            <none>",
        "",
      ].join("\n"),
    );
  });
});

describe("generic describer (kinds without a describer of their own)", () => {
  it("prints metadata, then every other field with kubectl's smart labels, then events", () => {
    const lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "node-1", namespace: "kube-node-lease", uid: "l-uid", resourceVersion: "7" },
      spec: { holderIdentity: "node-1", leaseDurationSeconds: 40, preferredHolders: ["node-1", "node-2"] },
    };
    expect(describeObject(lease, { events: [] }, ctx)).toBe(
      [
        "Name:         node-1",
        "Namespace:    kube-node-lease",
        "Labels:       <none>",
        "Annotations:  <none>",
        "API Version:  coordination.k8s.io/v1",
        "Kind:         Lease",
        "Metadata:",
        "  Resource Version:  7",
        "  UID:               l-uid",
        "Spec:",
        "  Holder Identity:         node-1",
        "  Lease Duration Seconds:  40",
        "  Preferred Holders:",
        "    node-1",
        "    node-2",
        "Events:  <none>",
        "",
      ].join("\n"),
    );
  });
});
