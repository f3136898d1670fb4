/** Test support for invariants: scenarios from YAML text, run with a chosen set of invariants. */
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";

/** A Scenario document plus manifests, as one YAML text. */
export function scenarioText(spec: string, manifests: string, name = "t"): string {
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: ${name}}
spec:
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
---
${manifests.trim()}
`;
}

/** Loads YAML text as the file `t.yaml`. */
export function load(text: string) {
  return loadScenario(["t.yaml"], (p) => (p === "t.yaml" ? text : undefined));
}

/** A cluster for the text with every invariant on (unless given), collecting records. */
export function clusterOf(text: string, invariants: boolean | readonly string[] = true) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(load(text), { sink: (r) => records.push(r), invariants });
  return { c, records };
}

/** A 4-replica RollingUpdate Deployment of `app:good` with a 1 s readiness probe. */
export const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: app:good
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
`;

/** A 2-replica StatefulSet `db` (Parallel, so replacements need no order). */
export const DB = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: db:1
          resources: {requests: {cpu: 100m, memory: 64Mi}}
`;
