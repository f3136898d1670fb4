/** `kubectl rollout status` messages and `kubectl rollout history` output, on hand-built objects. */
import { describe, expect, it } from "vitest";
import type { ControllerRevision, Deployment, ReplicaSet, StatefulSet } from "../../src/api/types.js";
import {
  historyViewerError,
  RolloutError,
  rolloutHistory,
  rolloutStatus,
  statusViewerError,
} from "../../src/report/kubectl/index.js";

function deployment(status: Deployment["status"], generation = 1, revision = "2"): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "d-uid",
      generation,
      annotations: { "deployment.kubernetes.io/revision": revision },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
    },
    status: { observedGeneration: 1, ...status },
  };
}

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof RolloutError) return e.message;
    throw e;
  }
  return "(no error)";
};

describe("rollout status: Deployment", () => {
  it.each<[string, Deployment, string, boolean]>([
    [
      "a spec change not yet observed",
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 2),
      "Waiting for deployment spec update to be observed...\n",
      false,
    ],
    [
      "new replicas still being created",
      deployment({ replicas: 4, updatedReplicas: 2, availableReplicas: 3 }),
      'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...\n',
      false,
    ],
    [
      "old replicas still running",
      deployment({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
      false,
    ],
    [
      "updated replicas not yet available",
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n',
      false,
    ],
    [
      "every replica updated and available",
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      'deployment "web" successfully rolled out\n',
      true,
    ],
  ])("%s", (_, d, text, done) => {
    expect(rolloutStatus(d)).toEqual({ text, done });
  });

  it("fails once the progress deadline is exceeded", () => {
    const d = deployment({
      replicas: 4,
      updatedReplicas: 1,
      conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
    });
    expect(errorOf(() => rolloutStatus(d))).toBe('deployment "web" exceeded its progress deadline');
  });

  it("fails when --revision is not the running revision", () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(errorOf(() => rolloutStatus(d, 1))).toBe(
      "desired revision (1) is different from the running revision (2)",
    );
    expect(rolloutStatus(d, 2).done).toBe(true);
  });

  it("names the kinds without a status or history viewer as kubectl does", () => {
    expect(statusViewerError("Pod", "v1")).toBe("no status viewer has been implemented for Pod");
    expect(statusViewerError("ReplicaSet", "apps/v1")).toBe(
      "no status viewer has been implemented for ReplicaSet.apps",
    );
    expect(historyViewerError("ReplicaSet", "apps/v1")).toBe(
      'no history viewer has been implemented for "ReplicaSet.apps"',
    );
    expect(statusViewerError("StatefulSet", "apps/v1")).toBeUndefined();
  });
});

function statefulSet(spec: Record<string, unknown>, status: Record<string, unknown>): StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default", uid: "s-uid", generation: 1 },
    spec: { replicas: 3, selector: {}, serviceName: "db", template: {}, ...spec } as StatefulSet["spec"],
    status: { replicas: 3, observedGeneration: 1, ...status } as StatefulSet["status"],
  };
}

describe("rollout status: StatefulSet", () => {
  const rolling = { updateStrategy: { type: "RollingUpdate" } };
  it.each<[string, StatefulSet, string, boolean]>([
    [
      "never observed",
      statefulSet(rolling, { observedGeneration: 0 }),
      "Waiting for statefulset spec update to be observed...\n",
      false,
    ],
    [
      "pods not ready",
      statefulSet(rolling, { readyReplicas: 1 }),
      "Waiting for 2 pods to be ready...\n",
      false,
    ],
    [
      "update in progress",
      statefulSet(rolling, {
        readyReplicas: 3,
        updatedReplicas: 1,
        currentRevision: "db-1",
        updateRevision: "db-2",
      }),
      "waiting for statefulset rolling update to complete 1 pods at revision db-2...\n",
      false,
    ],
    [
      "update complete",
      statefulSet(rolling, {
        readyReplicas: 3,
        currentReplicas: 3,
        currentRevision: "db-2",
        updateRevision: "db-2",
      }),
      "statefulset rolling update complete 3 pods at revision db-2...\n",
      true,
    ],
    [
      "partitioned, waiting",
      statefulSet(
        { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } },
        { readyReplicas: 3, updatedReplicas: 1 },
      ),
      "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n",
      false,
    ],
    [
      "partitioned, complete (taken whenever rollingUpdate is set)",
      statefulSet(
        { updateStrategy: { type: "RollingUpdate", rollingUpdate: {} } },
        { readyReplicas: 3, updatedReplicas: 3 },
      ),
      "partitioned roll out complete: 3 new pods have been updated...\n",
      true,
    ],
  ])("%s", (_, sts, text, done) => {
    expect(rolloutStatus(sts)).toEqual({ text, done });
  });

  it("refuses OnDelete", () => {
    const sts = statefulSet({ updateStrategy: { type: "OnDelete" } }, {});
    expect(errorOf(() => rolloutStatus(sts))).toBe(
      "rollout status is only available for RollingUpdate strategy type",
    );
  });
});

function replicaSet(revision: string, image: string, created: string, cause?: string): ReplicaSet {
  const hash = `h${revision}`;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `web-${hash}`,
      namespace: "default",
      creationTimestamp: created,
      labels: { app: "web", "pod-template-hash": hash },
      annotations: {
        "deployment.kubernetes.io/revision": revision,
        ...(cause ? { "kubernetes.io/change-cause": cause } : {}),
      },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-uid", controller: true },
      ],
    },
    spec: {
      selector: { matchLabels: { app: "web", "pod-template-hash": hash } },
      template: {
        metadata: { labels: { app: "web", "pod-template-hash": hash } },
        spec: { containers: [{ name: "web", image }] },
      },
    },
  };
}

describe("rollout history", () => {
  const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  const replicaSets = [
    replicaSet("2", "nginx:1.27", "2025-01-01T00:01:00Z", "kubectl set image deployment/web web=nginx:1.27"),
    replicaSet("1", "nginx:1.26", "2025-01-01T00:00:00Z"),
  ];

  it("prints the header line (with kubectl's trailing space), the table and a blank line", () => {
    expect(rolloutHistory(d, { replicaSets })).toBe(
      "deployment.apps/web \n" +
        "REVISION  CHANGE-CAUSE\n" +
        "1         <none>\n" +
        "2         kubectl set image deployment/web web=nginx:1.27\n" +
        "\n",
    );
  });

  it("prints one revision's pod template with kubectl's raw tabs", () => {
    expect(rolloutHistory(d, { replicaSets }, 2)).toBe(
      "deployment.apps/web with revision #2\n" +
        "Pod Template:\n" +
        "  Labels:\tapp=web\n" +
        "\tpod-template-hash=h2\n" +
        "  Annotations:\tkubernetes.io/change-cause: kubectl set image deployment/web web=nginx:1.27\n" +
        "  Containers:\n" +
        "   web:\n" +
        "    Image:\tnginx:1.27\n" +
        "    Port:\t<none>\n" +
        "    Host Port:\t<none>\n" +
        "    Environment:\t<none>\n" +
        "    Mounts:\t<none>\n" +
        "  Volumes:\t<none>\n" +
        "  Node-Selectors:\t<none>\n" +
        "  Tolerations:\t<none>\n" +
        "\n",
    );
  });

  it("fails for a revision that does not exist", () => {
    expect(errorOf(() => rolloutHistory(d, { replicaSets }, 7))).toBe(
      "unable to find the specified revision",
    );
  });

  it("says when there is no history", () => {
    expect(rolloutHistory(d, { replicaSets: [] })).toBe("deployment.apps/web \nNo rollout history found.\n");
  });

  it("lists a StatefulSet's ControllerRevisions", () => {
    const sts = statefulSet({}, {});
    const cr = (revision: number): ControllerRevision => ({
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: `db-${revision}`,
        namespace: "default",
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "s-uid", controller: true },
        ],
      },
      revision,
      data: {
        spec: {
          template: {
            $patch: "replace",
            metadata: {},
            spec: { containers: [{ name: "db", image: `pg:${revision}` }] },
          },
        },
      },
    });
    expect(rolloutHistory(sts, { controllerRevisions: [cr(2), cr(1)] })).toBe(
      "statefulset.apps/db \nREVISION\n1\n2\n\n",
    );
    expect(rolloutHistory(sts, { controllerRevisions: [cr(1)] }, 1)).toContain("    Image:\tpg:1\n");
  });
});
