/** `kubectl describe pod` on hand-built pods: the whole text, as kubectl v1.33 lays it out. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { Event, Pod } from "../../src/api/types.js";
import { podQosClass, sandboxNamespaces } from "../../src/report/kubectl/describe-pod.js";
import { describeObject } from "../../src/report/kubectl/index.js";

const clock = new SimClock();
const ctx = { nowMs: 120_000, clock };

const CONDITIONS = [
  "PodReadyToStartContainers",
  "Initialized",
  "Ready",
  "ContainersReady",
  "PodScheduled",
].map((type) => ({ type, status: "True", lastTransitionTime: clock.time(5000) }));

function runningPod(): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-1",
      namespace: "default",
      uid: "pod-uid",
      creationTimestamp: clock.time(0),
      labels: { app: "web" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abc", uid: "rs-uid", controller: true },
      ],
    },
    spec: {
      serviceAccountName: "default",
      nodeName: "node-1",
      containers: [
        {
          name: "web",
          image: "nginx:1.26",
          ports: [{ containerPort: 80, protocol: "TCP" }],
          readinessProbe: {
            httpGet: { path: "/", port: 80, scheme: "HTTP" },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
      tolerations: [
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        {
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase: "Running",
      hostIP: "192.168.0.2",
      podIP: "10.244.0.5",
      podIPs: [{ ip: "10.244.0.5" }],
      startTime: clock.time(1000),
      qosClass: "BestEffort",
      conditions: CONDITIONS,
      containerStatuses: [
        {
          name: "web",
          image: "docker.io/library/nginx:1.26",
          imageID: "docker.io/library/nginx@sha256:1",
          containerID: "containerd://abc",
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: clock.time(4000) } },
        },
      ],
    },
  };
}

const events: Event[] = [
  {
    metadata: { name: "web-1.2", namespace: "default" },
    involvedObject: { kind: "Pod", name: "web-1", namespace: "default", uid: "pod-uid" },
    type: "Warning",
    reason: "Unhealthy",
    message: 'Readiness probe failed: Get "http://10.244.0.5:80/": connect: connection refused',
    source: { component: "kubelet", host: "node-1" },
    firstTimestamp: clock.time(70_000),
    lastTimestamp: clock.time(110_000),
    count: 3,
  },
  {
    metadata: { name: "web-1.1", namespace: "default" },
    involvedObject: { kind: "Pod", name: "web-1", namespace: "default", uid: "pod-uid" },
    type: "Normal",
    reason: "Scheduled",
    message: "Successfully assigned default/web-1 to node-1",
    source: { component: "default-scheduler" },
    firstTimestamp: clock.time(60_000),
    lastTimestamp: clock.time(60_000),
    count: 1,
  },
  {
    metadata: { name: "web-2.1", namespace: "default" },
    involvedObject: { kind: "Pod", name: "web-2", namespace: "default", uid: "other" },
    type: "Normal",
    reason: "Scheduled",
    message: "Successfully assigned default/web-2 to node-2",
    source: { component: "default-scheduler" },
    firstTimestamp: clock.time(60_000),
    lastTimestamp: clock.time(60_000),
    count: 1,
  },
];

describe("describe pod", () => {
  it("prints a running pod with its containers, conditions, tolerations and events", () => {
    expect(describeObject(runningPod(), { events }, ctx)).toBe(
      [
        "Name:             web-1",
        "Namespace:        default",
        "Service Account:  default",
        "Node:             node-1/192.168.0.2",
        "Start Time:       Wed, 01 Jan 2025 00:00:01 +0000",
        "Labels:           app=web",
        "Annotations:      <none>",
        "Status:           Running",
        "IP:               10.244.0.5",
        "IPs:",
        "  IP:           10.244.0.5",
        "Controlled By:  ReplicaSet/web-abc",
        "Sandbox (kubesim):",
        "  Shared Namespaces:  network, ipc, uts",
        "  Host Namespaces:    <none>",
        "Containers:",
        "  web:",
        "    Container ID:   containerd://abc",
        "    Image:          nginx:1.26",
        "    Image ID:       docker.io/library/nginx@sha256:1",
        "    Port:           80/TCP",
        "    Host Port:      0/TCP",
        "    State:          Running",
        "      Started:      Wed, 01 Jan 2025 00:00:04 +0000",
        "    Ready:          True",
        "    Restart Count:  0",
        "    Readiness:      http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3",
        "    Environment:    <none>",
        "    Mounts:         <none>",
        "Conditions:",
        "  Type                        Status",
        "  PodReadyToStartContainers   True ",
        "  Initialized                 True ",
        "  Ready                       True ",
        "  ContainersReady             True ",
        "  PodScheduled                True ",
        "Volumes:                      <none>",
        "QoS Class:                    BestEffort",
        "Node-Selectors:               <none>",
        "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
        "                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        "Events:",
        "  Type     Reason     Age                From               Message",
        "  ----     ------     ----               ----               -------",
        "  Normal   Scheduled  60s                default-scheduler  Successfully assigned default/web-1 to node-1",
        '  Warning  Unhealthy  10s (x3 over 50s)  kubelet            Readiness probe failed: Get "http://10.244.0.5:80/": connect: connection refused',
        "",
      ].join("\n"),
    );
  });

  it("prints a pending pod without a node, container status or events", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-2", namespace: "default", uid: "u2", creationTimestamp: clock.time(0) },
      spec: {
        containers: [
          {
            name: "app",
            image: "app:1",
            command: ["sh", "-c"],
            args: ["sleep 1\nexit 0"],
            resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { memory: "128Mi" } },
            env: [{ name: "MODE", value: "fast" }],
            volumeMounts: [
              { name: "data", mountPath: "/data" },
              { name: "cfg", mountPath: "/etc/cfg", readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "data", emptyDir: {} },
          { name: "cfg", configMap: { name: "app-config" } },
        ],
        nodeSelector: { disktype: "ssd" },
      },
      status: {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/3 nodes are available",
          },
        ],
      },
    };
    expect(describeObject(pod, { events: [] }, ctx)).toBe(
      [
        "Name:         web-2",
        "Namespace:    default",
        "Node:         <none>",
        "Labels:       <none>",
        "Annotations:  <none>",
        "Status:       Pending",
        "IP:           ",
        "IPs:          <none>",
        "Sandbox (kubesim):",
        "  Shared Namespaces:  network, ipc, uts",
        "  Host Namespaces:    <none>",
        "Containers:",
        "  app:",
        "    Image:      app:1",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Command:",
        "      sh",
        "      -c",
        "    Args:",
        "      sleep 1",
        "      exit 0",
        "    Limits:",
        "      memory:  128Mi",
        "    Requests:",
        "      cpu:     250m",
        "      memory:  64Mi",
        "    Environment:",
        "      MODE:  fast",
        "    Mounts:",
        "      /data from data (rw)",
        "      /etc/cfg from cfg (ro)",
        "Conditions:",
        "  Type           Status",
        "  PodScheduled   False ",
        "Volumes:",
        "  data:",
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
        "    Medium:     ",
        "    SizeLimit:  <unset>",
        "  cfg:",
        "    Type:        ConfigMap (a volume populated by a ConfigMap)",
        "    Name:        app-config",
        "    Optional:    false",
        "QoS Class:       Burstable",
        "Node-Selectors:  disktype=ssd",
        "Tolerations:     <none>",
        "Events:          <none>",
        "",
      ].join("\n"),
    );
  });

  it("shows the service account token mount and every modelled volume kind in kubectl 1.33's words", () => {
    const pod = runningPod();
    const token = "kube-api-access-x7k2p";
    const c = pod.spec!.containers[0]! as unknown as Record<string, unknown>;
    c.volumeMounts = [
      { name: token, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
      { name: "creds", mountPath: "/etc/creds", readOnly: true },
      { name: "conf", mountPath: "/etc/app/app.conf", subPath: "app.conf" },
    ];
    pod.spec!.volumes = [
      {
        name: token,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            {
              downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] },
            },
            { secret: { name: "extra", optional: true } },
          ],
        },
      },
      { name: "creds", secret: { secretName: "db-pass" } },
      { name: "conf", configMap: { name: "app-config", optional: true } },
      { name: "data", persistentVolumeClaim: { claimName: "data-web-1" } },
      { name: "host", hostPath: { path: "/var/log", type: "" } },
      {
        name: "info",
        downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] },
      },
    ];
    const text = describeObject(pod, {}, ctx);
    expect(text).toContain(
      [
        "    Mounts:",
        '      /etc/app/app.conf from conf (rw,path="app.conf")',
        "      /etc/creds from creds (ro)",
        `      /var/run/secrets/kubernetes.io/serviceaccount from ${token} (ro)`,
        "",
      ].join("\n"),
    );
    const volumes = text.slice(text.indexOf("Volumes:"), text.indexOf("QoS Class:"));
    expect(volumes).toBe(
      [
        "Volumes:",
        `  ${token}:`,
        "    Type:                    Projected (a volume that contains injected data from multiple sources)",
        "    TokenExpirationSeconds:  3607",
        "    ConfigMapName:           kube-root-ca.crt",
        "    Optional:                false",
        "    DownwardAPI:             true",
        "    SecretName:              extra",
        "    Optional:                true",
        "  creds:",
        "    Type:        Secret (a volume populated by a Secret)",
        "    SecretName:  db-pass",
        "    Optional:    false",
        "  conf:",
        "    Type:      ConfigMap (a volume populated by a ConfigMap)",
        "    Name:      app-config",
        "    Optional:  true",
        "  data:",
        "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        "    ClaimName:  data-web-1",
        "    ReadOnly:   false",
        "  host:",
        "    Type:          HostPath (bare host directory volume)",
        "    Path:          /var/log",
        "    HostPathType:  ",
        "  info:",
        "    Type:  DownwardAPI (a volume populated by information about the pod)",
        "    Items:",
        "      metadata.labels -> labels",
        "",
      ].join("\n"),
    );
  });

  it("shows a deleted pod as Terminating with kubectl's age of the deletion timestamp", () => {
    const pod = runningPod();
    const meta = pod.metadata as Record<string, unknown>;
    meta.deletionTimestamp = clock.time(90_000);
    meta.deletionGracePeriodSeconds = 30;
    const during = describeObject(pod, {}, { nowMs: 62_000, clock });
    // The deletion timestamp lies in the future during the grace period: kubectl prints <invalid>.
    expect(during).toContain("Status:                    Terminating (lasts <invalid>)\n");
    expect(during).toContain("Termination Grace Period:  30s\n");
    expect(describeObject(pod, {}, { nowMs: 150_000, clock })).toContain("Terminating (lasts 60s)\n");
    expect(during).not.toContain("Events:");
  });

  it("lists last state, restarts and probes of a crash-looping container", () => {
    const pod = runningPod();
    const status = pod.status!.containerStatuses![0]! as unknown as Record<string, unknown>;
    status.state = { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } };
    status.lastState = {
      terminated: {
        exitCode: 1,
        reason: "Error",
        startedAt: clock.time(30_000),
        finishedAt: clock.time(35_000),
      },
    };
    status.restartCount = 3;
    status.ready = false;
    const c = pod.spec!.containers[0]! as unknown as Record<string, unknown>;
    c.livenessProbe = {
      exec: { command: ["cat", "/tmp/healthy"] },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    };
    c.startupProbe = { tcpSocket: { port: "http" }, failureThreshold: 30, periodSeconds: 1 };
    const text = describeObject(pod, {}, ctx);
    expect(text).toContain(
      [
        "    State:          Waiting",
        "      Reason:       CrashLoopBackOff",
        "    Last State:     Terminated",
        "      Reason:       Error",
        "      Exit Code:    1",
        "      Started:      Wed, 01 Jan 2025 00:00:30 +0000",
        "      Finished:     Wed, 01 Jan 2025 00:00:35 +0000",
        "    Ready:          False",
        "    Restart Count:  3",
        "    Liveness:       exec [cat /tmp/healthy] delay=5s timeout=0s period=5s #success=0 #failure=0",
        "    Readiness:      http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3",
        "    Startup:        tcp-socket :http delay=0s timeout=0s period=1s #success=0 #failure=30",
      ].join("\n"),
    );
  });
});

describe("pod helpers", () => {
  it.each<[string, Record<string, unknown>, string[], string[]]>([
    ["containers share the sandbox's network, IPC and UTS namespaces", {}, ["network", "ipc", "uts"], []],
    ["shareProcessNamespace adds PID", { shareProcessNamespace: true }, ["network", "ipc", "uts", "pid"], []],
    [
      "host flags use the node's namespaces",
      { hostNetwork: true, hostPID: true, hostIPC: true },
      ["network", "ipc", "uts", "pid"],
      ["network", "ipc", "uts", "pid"],
    ],
  ])("%s", (_, spec, shared, host) => {
    expect(sandboxNamespaces(spec)).toEqual({ shared, host });
  });

  it.each<[string, Record<string, unknown>[], string]>([
    ["no requests or limits: BestEffort", [{ name: "a" }], "BestEffort"],
    ["requests only: Burstable", [{ name: "a", resources: { requests: { cpu: "100m" } } }], "Burstable"],
    [
      "limits equal requests for CPU and memory: Guaranteed",
      [
        {
          name: "a",
          resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } },
        },
      ],
      "Guaranteed",
    ],
  ])("QoS class when the kubelet set none, %s", (_, containers, qos) => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers },
    } as unknown as Pod;
    expect(podQosClass(pod)).toBe(qos);
  });
});
