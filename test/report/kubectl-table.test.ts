/** `kubectl get` tables: columns per kind, wide and -A variants, kind prefixes, tabwriter spacing. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import type { KubeObject } from "../../src/api/types.js";
import {
  alignColumns,
  printObjects,
  printTable,
  printTables,
  tableColumns,
} from "../../src/report/kubectl/index.js";

const clock = new SimClock();
const NOW = 330_000; // 5m30s

const meta = (name: string, createdMs = 0, namespace: string | undefined = "default") => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `uid-${name}`,
  resourceVersion: "1",
  creationTimestamp: clock.time(createdMs),
});

const runningPod = (name: string, node: string, ip: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: meta(name),
  spec: { nodeName: node, containers: [{ name: "app", image: "nginx:1.25" }] },
  status: {
    phase: "Running",
    podIPs: [{ ip }],
    containerStatuses: [
      { name: "app", image: "nginx:1.25", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
    ],
  },
});
const pendingPod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: meta("db-0", 300_000),
  spec: { containers: [{ name: "db", image: "postgres:16" }] },
  status: { phase: "Pending" },
};

const node = (name: string, ready: string | undefined, unschedulable = false): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { ...meta(name, 0, undefined), labels: { "kubernetes.io/hostname": name } },
  spec: unschedulable ? { unschedulable: true } : {},
  status: {
    conditions: ready ? [{ type: "Ready", status: ready }] : [],
    addresses: [{ type: "InternalIP", address: "192.168.0.2" }],
    nodeInfo: {
      kubeletVersion: "v1.33.0",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      kernelVersion: "6.1.0",
      containerRuntimeVersion: "containerd://2.0.0",
    },
  },
});

const deployment: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: meta("web"),
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: { spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
  },
  status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
};

describe("printTable", () => {
  it("prints pods with columns padded three spaces past the widest cell", () => {
    const out = printTable("Pod", [runningPod("web-1", "node-1", "10.244.0.5"), pendingPod], NOW, clock);
    expect(out).toBe(
      [
        "NAME    READY   STATUS    RESTARTS   AGE",
        "web-1   1/1     Running   0          5m30s",
        "db-0    0/1     Pending   0          30s",
        "",
      ].join("\n"),
    );
  });

  it("adds IP, NODE, NOMINATED NODE and READINESS GATES with -o wide", () => {
    const out = printTable("Pod", [runningPod("web-1", "node-1", "10.244.0.5"), pendingPod], NOW, clock, {
      wide: true,
    });
    expect(out).toBe(
      [
        "NAME    READY   STATUS    RESTARTS   AGE     IP           NODE     NOMINATED NODE   READINESS GATES",
        "web-1   1/1     Running   0          5m30s   10.244.0.5   node-1   <none>           <none>",
        "db-0    0/1     Pending   0          30s     <none>       <none>   <none>           <none>",
        "",
      ].join("\n"),
    );
  });

  it("puts NAMESPACE first with -A", () => {
    const out = printTable("Pod", [pendingPod], NOW, clock, { allNamespaces: true });
    expect(out.split("\n")[0]).toBe("NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE");
    expect(out.split("\n")[1]).toBe("default     db-0   0/1     Pending   0          30s");
  });

  it("prints nodes with Ready, NotReady, Unknown and SchedulingDisabled", () => {
    const nodes = [
      node("node-1", "True"),
      node("node-2", "Unknown"),
      node("node-3", undefined),
      node("node-4", "True", true),
    ];
    expect(printTable("Node", nodes, NOW, clock)).toBe(
      [
        "NAME     STATUS                     ROLES    AGE     VERSION",
        "node-1   Ready                      <none>   5m30s   v1.33.0",
        "node-2   NotReady                   <none>   5m30s   v1.33.0",
        "node-3   Unknown                    <none>   5m30s   v1.33.0",
        "node-4   Ready,SchedulingDisabled   <none>   5m30s   v1.33.0",
        "",
      ].join("\n"),
    );
  });

  it("never adds NAMESPACE for cluster-scoped kinds, even with -A", () => {
    expect(tableColumns("Node", { allNamespaces: true, wide: true })).toEqual([
      "NAME",
      "STATUS",
      "ROLES",
      "AGE",
      "VERSION",
      "INTERNAL-IP",
      "EXTERNAL-IP",
      "OS-IMAGE",
      "KERNEL-VERSION",
      "CONTAINER-RUNTIME",
    ]);
  });

  it("prints deployments as READY ready/desired, and the selector when wide", () => {
    expect(printTable("Deployment", [deployment], NOW, clock, { wide: true })).toBe(
      [
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES       SELECTOR",
        "web    2/3     3            2           5m30s   web          nginx:1.25   app=web",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["ReplicaSet", ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]],
    ["StatefulSet", ["NAME", "READY", "AGE"]],
    ["Service", ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]],
    ["Namespace", ["NAME", "STATUS", "AGE"]],
    [
      "PersistentVolumeClaim",
      [
        "NAME",
        "STATUS",
        "VOLUME",
        "CAPACITY",
        "ACCESS MODES",
        "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS",
        "AGE",
      ],
    ],
    [
      "PersistentVolume",
      [
        "NAME",
        "CAPACITY",
        "ACCESS MODES",
        "RECLAIM POLICY",
        "STATUS",
        "CLAIM",
        "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS",
        "REASON",
        "AGE",
      ],
    ],
    ["Event", ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]],
    ["Endpoints", ["NAME", "ENDPOINTS", "AGE"]],
    ["ConfigMap", ["NAME", "DATA", "AGE"]],
    ["Secret", ["NAME", "TYPE", "DATA", "AGE"]],
    ["Lease", ["NAME", "HOLDER", "AGE"]],
  ])("has kubectl's columns for %s", (kind, headers) => {
    expect(tableColumns(kind)).toEqual(headers);
  });

  it("falls back to NAME and AGE for kinds without a printer", () => {
    expect(tableColumns("Widget")).toEqual(["NAME", "AGE"]);
  });

  it("prints a service's ports and defaults", () => {
    const svc: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("web"),
      spec: {
        type: "NodePort",
        clusterIP: "10.96.0.10",
        clusterIPs: ["10.96.0.10"],
        ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 443 }],
        selector: { app: "web" },
      },
    };
    expect(printTable("Service", [svc], NOW, clock, { wide: true })).toBe(
      [
        "NAME   TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)                AGE     SELECTOR",
        "web    NodePort   10.96.0.10   <none>        80:30080/TCP,443/TCP   5m30s   app=web",
        "",
      ].join("\n"),
    );
  });

  it("prints events with the involved object as kind/name and the last time seen", () => {
    const ev: KubeObject & Record<string, unknown> = {
      apiVersion: "v1",
      kind: "Event",
      metadata: meta("web-1.181"),
      involvedObject: { kind: "Pod", name: "web-1", namespace: "default" },
      reason: "Scheduled",
      message: "Successfully assigned default/web-1 to node-1",
      type: "Normal",
      firstTimestamp: clock.time(10_000),
      lastTimestamp: clock.time(285_000),
      count: 1,
    };
    expect(printTable("Event", [ev], NOW, clock)).toBe(
      [
        "LAST SEEN   TYPE     REASON      OBJECT      MESSAGE",
        "45s         Normal   Scheduled   pod/web-1   Successfully assigned default/web-1 to node-1",
        "",
      ].join("\n"),
    );
  });

  it("shows endpoints as ip:port, three at most", () => {
    const ep: KubeObject & Record<string, unknown> = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: meta("web"),
      subsets: [
        {
          addresses: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((ip) => ({ ip })),
          ports: [{ port: 80 }],
        },
      ],
    };
    expect(printTable("Endpoints", [ep], NOW, clock).split("\n")[1]).toBe(
      "web    10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...   5m30s",
    );
  });

  it("prints nothing, not even a header, without objects", () => {
    expect(printTable("Pod", [], NOW, clock)).toBe("");
  });

  it("cuts a cell at its first line break", () => {
    const out = printTable(
      "Event",
      [{ kind: "Event", metadata: meta("e"), message: "one\ntwo" } as KubeObject],
      NOW,
      clock,
    );
    expect(out).toContain("one...");
  });
});

describe("printTables", () => {
  it("separates kinds by a blank line and prefixes names with the kind", () => {
    const out = printTables(
      [
        { kind: "Pod", objects: [pendingPod] },
        { kind: "Deployment", objects: [deployment] },
      ],
      NOW,
      clock,
    );
    expect(out).toBe(
      [
        "NAME       READY   STATUS    RESTARTS   AGE",
        "pod/db-0   0/1     Pending   0          30s",
        "",
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE",
        "deployment.apps/web   2/3     3            2           5m30s",
        "",
      ].join("\n"),
    );
  });

  it("leaves names bare when only one kind has objects", () => {
    const out = printTables(
      [
        { kind: "Pod", objects: [pendingPod] },
        { kind: "Deployment", objects: [] },
      ],
      NOW,
      clock,
    );
    expect(out.split("\n")[1]).toBe("db-0   0/1     Pending   0          30s");
  });
});

describe("alignColumns", () => {
  it("gives every column at least six characters and never pads the last one", () => {
    expect(
      alignColumns([
        ["A", "B", "C"],
        ["a", "bb", "c"],
      ]),
    ).toBe("A     B     C\na     bb    c\n");
  });
});

describe("printObjects", () => {
  it("wraps several objects in a List with sorted keys, four-space JSON indent and Go's escapes", () => {
    const out = printObjects([{ kind: "Pod", apiVersion: "v1", metadata: { name: "a<b" } }], "json");
    expect(out).toBe(
      [
        "{",
        '    "apiVersion": "v1",',
        '    "items": [',
        "        {",
        '            "apiVersion": "v1",',
        '            "kind": "Pod",',
        '            "metadata": {',
        '                "name": "a\\u003cb"',
        "            }",
        "        }",
        "    ],",
        '    "kind": "List",',
        '    "metadata": {',
        '        "resourceVersion": ""',
        "    }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("prints a single named object on its own", () => {
    const out = printObjects([{ kind: "Pod", apiVersion: "v1", metadata: { name: "a" } }], "json", true);
    expect(JSON.parse(out)).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { name: "a" } });
  });

  it("prints YAML as kubectl does: sorted keys, lists not indented, ambiguous strings quoted", () => {
    const out = printObjects(
      [
        {
          kind: "Pod",
          apiVersion: "v1",
          metadata: { name: "a", creationTimestamp: clock.time(0) },
          status: { x: "True" },
        } as KubeObject,
      ],
      "yaml",
    );
    expect(out).toBe(
      [
        "apiVersion: v1",
        "items:",
        "- apiVersion: v1",
        "  kind: Pod",
        "  metadata:",
        '    creationTimestamp: "2025-01-01T00:00:00Z"',
        "    name: a",
        "  status:",
        '    x: "True"',
        "kind: List",
        "metadata:",
        '  resourceVersion: ""',
        "",
      ].join("\n"),
    );
  });
});
