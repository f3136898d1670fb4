/** Claiming through the orphan index: a Deployment adopts a matching orphan ReplicaSet, a ReplicaSet its matching orphan pods. */
import { describe, expect, it } from "vitest";
import type { KubeObject, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import { loadScenario } from "../../src/scenario/load.js";

const SCENARIO = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: adoption}
spec: {until: 2m}
`;
const template = {
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image: "nginx:1.26" }] },
};

const controllerUid = (o: Stored | undefined) => o?.metadata.ownerReferences?.find((r) => r.controller)?.uid;

describe("adoption of orphans", () => {
  it("a Deployment adopts an orphan ReplicaSet it selects, and that ReplicaSet adopts an orphan pod", () => {
    const c = new Cluster(
      loadScenario(["a.yaml"], () => SCENARIO),
      {},
    );
    c.runTo(1000);
    const pod = c.api.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stray", namespace: "default", labels: { app: "web", "pod-template-hash": "abc" } },
      spec: template.spec,
    } as KubeObject);
    const rs = c.api.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "web-abc", namespace: "default", labels: { app: "web", "pod-template-hash": "abc" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web", "pod-template-hash": "abc" } },
        template: { ...template, metadata: { labels: { app: "web", "pod-template-hash": "abc" } } },
      },
    } as KubeObject);
    c.runTo(5000);
    expect(controllerUid(c.api.get("Pod", "default", "stray"))).toBe(rs.metadata.uid);
    const d = c.api.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template },
    } as KubeObject);
    c.runTo(10_000);
    expect(controllerUid(c.api.get("ReplicaSet", "default", "web-abc"))).toBe(d.metadata.uid);
    expect(pod.metadata.uid).toBeDefined();
  });
});
