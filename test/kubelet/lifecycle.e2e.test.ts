/** A pod's start on a node, end to end: admission, sandbox, image, containers, probes, status (fixed timings). */
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { cluster, cond, createPodAt, events, getPod, node, pod, steps } from "./helpers.js";

const ms = (n: number) => ({ minMs: n, maxMs: n });
// With FIXED_TIMING: watch 5 ms, sandbox 500 ms, pull 2 s, create+start 300 ms.
const CREATED_AT = 20_000;
const ADMITTED = CREATED_AT + 5;
// The service account token volume is mounted before the sandbox: WaitForAttachAndMount's first
// poll (at once) finds it unmounted, the next one (300 ms later) mounts it.
const MOUNTED = ADMITTED + 300;
const SANDBOX = MOUNTED + 500;
const PULLED = SANDBOX + 2_000;
const STARTED = PULLED + 300;

describe("a pod with spec.nodeName", () => {
  test("runs and is Ready when its container starts (no readiness probe)", () => {
    const { c } = cluster();
    createPodAt(c, CREATED_AT, pod("web", {}));
    c.runTo(STARTED - 1);
    let p = getPod(c, "web");
    expect(p?.status?.phase).toBe("Pending");
    expect(p?.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(cond(p, "PodReadyToStartContainers")).toBe("True");
    c.runTo(STARTED);
    p = getPod(c, "web");
    expect(p?.status?.phase).toBe("Running");
    expect(cond(p, "Ready")).toBe("True");
    expect(cond(p, "ContainersReady")).toBe("True");
    const cs = p?.status?.containerStatuses?.[0];
    expect(cs).toMatchObject({
      name: "web",
      ready: true,
      started: true,
      restartCount: 0,
      image: "docker.io/library/nginx:1.25",
    });
    expect(cs?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs?.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });

  test("the kubelet's events come in Kubernetes' order and words", () => {
    const { c, records } = cluster();
    createPodAt(c, CREATED_AT, pod("web", {}));
    c.run(40_000);
    const got = events(records, "Pod/default/web").map((e) => [e.t, e.reason, e.message, e.source]);
    expect(got).toEqual([
      [SANDBOX, "Pulling", 'Pulling image "nginx:1.25"', "kubelet"],
      [
        PULLED,
        "Pulled",
        'Successfully pulled image "nginx:1.25" in 2s (2s including waiting). Image size: 20894028 bytes.',
        "kubelet",
      ],
      [PULLED, "Created", "Created container: web", "kubelet"],
      [STARTED, "Started", "Started container web", "kubelet"],
    ]);
  });

  test("the first status is written at admission: Pending, host IP, start time, conditions", () => {
    const { c } = cluster();
    createPodAt(c, CREATED_AT, pod("web", {}));
    c.runTo(ADMITTED);
    const st = getPod(c, "web")?.status;
    expect(st?.phase).toBe("Pending");
    expect(st?.hostIP).toBe("192.168.0.2");
    expect(st?.startTime).toBe("2025-01-01T00:00:20Z");
    expect(st?.podIP).toBeUndefined();
    expect(st?.conditions?.map((x) => [x.type, x.status, x.reason ?? "", x.message ?? ""])).toEqual([
      ["PodReadyToStartContainers", "False", "", ""],
      ["Initialized", "True", "", ""],
      ["Ready", "False", "ContainersNotReady", "containers with unready status: [web]"],
      ["ContainersReady", "False", "ContainersNotReady", "containers with unready status: [web]"],
    ]);
  });

  test("the sandbox step shows the pod IP, the shared namespaces and /etc/hosts with hostAliases", () => {
    const { c, records } = cluster();
    createPodAt(
      c,
      CREATED_AT,
      pod("web", {
        shareProcessNamespace: true,
        hostAliases: [{ ip: "10.1.2.3", hostnames: ["foo.local", "bar.local"] }],
      }),
    );
    c.run(30_000);
    const s = steps(records).find((x) => x.step === "RunPodSandbox");
    expect(s).toMatchObject({ t: SANDBOX, component: "kubelet/node-1", object: "Pod/default/web" });
    expect(s?.message).toContain("IP 10.244.0.2");
    expect(s?.message).toContain("PID shared by all containers (shareProcessNamespace; pause is PID 1)");
    expect(s?.message).toContain("10.1.2.3 foo.local bar.local");
    expect(getPod(c, "web")?.status?.podIP).toBe("10.244.0.2");
  });

  test("pods get .2, .3, … of their node's podCIDR; hostNetwork pods get the node IP", () => {
    const { c } = cluster({ nodes: [node("node-1"), node("node-2")] });
    createPodAt(c, CREATED_AT, pod("a", {}, "node-2"));
    createPodAt(c, CREATED_AT, pod("b", {}, "node-2"));
    createPodAt(c, CREATED_AT, pod("h", { hostNetwork: true }, "node-2"));
    c.run(30_000);
    expect(getPod(c, "a")?.status?.podIP).toBe("10.244.1.2");
    expect(getPod(c, "b")?.status?.podIP).toBe("10.244.1.3");
    expect(getPod(c, "h")?.status?.podIP).toBe("192.168.0.3");
  });

  test("a readiness probe gates Ready until the image says the app is ready", () => {
    const { c, records } = cluster({ images: [{ pattern: "app:slow", ready: ms(25_000) }] });
    const probe = { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 10 };
    createPodAt(
      c,
      CREATED_AT,
      pod("app", { containers: [{ name: "app", image: "app:slow", readinessProbe: probe }] }),
    );
    c.run(60_000);
    const readyAt = records.find((r) => r.type === "object" && r.name === "app" && r.state.ready === true)?.t;
    // Probes tick every 10 s from the pod's arrival (20005): ready at the first tick ≥ start + 25 s.
    expect(readyAt).toBe(ADMITTED + 30_000);
    const unhealthy = events(records, "Pod/default/app").filter((e) => e.reason === "Unhealthy");
    expect(unhealthy[0]?.message).toBe("Readiness probe failed: HTTP probe failed with statuscode: 503");
    expect(unhealthy.at(-1)?.count).toBe(3);
  });

  test("the image cache: IfNotPresent reuses a pulled image, Always pulls again, Never fails when absent", () => {
    const { c, records } = cluster();
    createPodAt(c, CREATED_AT, pod("first", {}));
    createPodAt(c, 30_000, pod("cached", {}));
    createPodAt(
      c,
      30_000,
      pod("always", { containers: [{ name: "web", image: "nginx:1.25", imagePullPolicy: "Always" }] }),
    );
    createPodAt(
      c,
      30_000,
      pod("never", { containers: [{ name: "web", image: "redis:7", imagePullPolicy: "Never" }] }),
    );
    c.run(40_000);
    const first = (name: string) => events(records, `Pod/default/${name}`)[0];
    expect(first("cached")).toMatchObject({
      reason: "Pulled",
      message: 'Container image "nginx:1.25" already present on machine',
    });
    expect(first("always")).toMatchObject({ reason: "Pulling" });
    expect(events(records, "Pod/default/always")[1]?.message).toMatch(
      /^Successfully pulled image "nginx:1.25" in \d+ms/,
    );
    expect(first("never")).toMatchObject({
      eventType: "Warning",
      reason: "ErrImageNeverPull",
      message: 'Container image "redis:7" is not present with pull policy of Never',
    });
    expect(getPod(c, "never")?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe(
      "ErrImageNeverPull",
    );
  });

  test("pulls are serialized on a node: the second waits for the first", () => {
    const { c, records } = cluster();
    createPodAt(c, CREATED_AT, pod("a", {}));
    createPodAt(c, CREATED_AT, pod("b", { containers: [{ name: "web", image: "redis:7" }] }));
    c.run(40_000);
    const pulled = events(records, "Pod/default/b").find((e) => e.reason === "Pulled");
    expect(pulled?.t).toBe(PULLED + 2_000);
    expect(pulled?.message).toMatch(/ in 2s \(4s including waiting\)/);
  });
});

describe("init containers", () => {
  const initPod = (policy: "Always" | "Never", image = "busybox:1.36"): Pod =>
    pod("init", {
      restartPolicy: policy,
      initContainers: [
        { name: "init-a", image },
        { name: "init-b", image: "busybox:1.36" },
      ],
    });

  test("run one by one, each after the previous exited 0; then the app container starts", () => {
    const { c, records } = cluster({
      images: [{ pattern: "busybox:*", exit: { after: ms(1_000), exitCode: 0 } }],
    });
    createPodAt(c, CREATED_AT, initPod("Always"));
    c.runTo(STARTED + 500);
    const p = getPod(c, "init");
    expect(p?.status?.phase).toBe("Pending");
    expect(p?.status?.initContainerStatuses?.map((s) => Object.keys(s.state ?? {})[0])).toEqual([
      "running",
      "waiting",
    ]);
    expect(p?.status?.initContainerStatuses?.[1]?.state?.waiting?.reason).toBe("PodInitializing");
    expect(p?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("PodInitializing");
    expect(p?.status?.conditions?.find((x) => x.type === "Initialized")).toMatchObject({
      status: "False",
      reason: "ContainersNotInitialized",
      message: "containers with incomplete status: [init-a init-b]",
    });
    c.run(60_000);
    const started = events(records, "Pod/default/init").filter((e) => e.reason === "Started");
    expect(started.map((e) => e.message)).toEqual([
      "Started container init-a",
      "Started container init-b",
      "Started container web",
    ]);
    // Each init container exits 1 s after it starts; the PLEG notices within its 1 s relist.
    const gap = started[1]!.t - (started[0]!.t + 1_000);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(1_000 + 300);
    const done = getPod(c, "init");
    expect(done?.status?.phase).toBe("Running");
    expect(cond(done, "Initialized")).toBe("True");
    expect(done?.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
    });
    expect(done?.status?.initContainerStatuses?.[0]?.ready).toBe(true);
  });

  test("a failing init container fails the pod when restartPolicy is Never", () => {
    const { c } = cluster({
      images: [
        { pattern: "busybox:*", exit: { after: ms(1_000), exitCode: 0 } },
        { pattern: "migrate:bad", exit: { after: ms(1_000), exitCode: 3 } },
      ],
    });
    createPodAt(c, CREATED_AT, initPod("Never", "migrate:bad"));
    c.run(60_000);
    const p = getPod(c, "init");
    expect(p?.status?.phase).toBe("Failed");
    expect(p?.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
    });
    expect(p?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("PodInitializing");
  });

  test("a failing init container is retried with the crash back-off when restartPolicy is Always", () => {
    const { c, records } = cluster({
      images: [{ pattern: "migrate:bad", exit: { after: ms(1_000), exitCode: 3 } }],
    });
    createPodAt(c, CREATED_AT, initPod("Always", "migrate:bad"));
    c.run(90_000);
    const p = getPod(c, "init");
    expect(p?.status?.phase).toBe("Pending");
    const s = p?.status?.initContainerStatuses?.[0];
    expect(s?.restartCount).toBeGreaterThanOrEqual(2);
    expect(s?.state?.waiting?.reason).toBe("CrashLoopBackOff");
    expect(
      events(records, "Pod/default/init").some((e) =>
        e.message.startsWith("Back-off restarting failed container init-a"),
      ),
    ).toBe(true);
  });
});

describe("admission", () => {
  test("a pod that does not fit is rejected: OutOfcpu, phase Failed, the kubelet's message", () => {
    const { c, records } = cluster({ nodes: [node("node-1", { cpu: "4" })] });
    const withCpu = (name: string, cpu: string) =>
      pod(name, { containers: [{ name: "app", image: "nginx:1.25", resources: { requests: { cpu } } }] });
    createPodAt(c, CREATED_AT, withCpu("small", "2"));
    createPodAt(c, CREATED_AT + 100, withCpu("big", "3"));
    c.run(40_000);
    expect(getPod(c, "small")?.status?.phase).toBe("Running");
    const big = getPod(c, "big");
    expect(big?.status).toMatchObject({
      phase: "Failed",
      reason: "OutOfcpu",
      message:
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 2000, capacity: 4000",
    });
    expect(events(records, "Pod/default/big")).toMatchObject([
      {
        eventType: "Warning",
        reason: "OutOfcpu",
        message: "Node didn't have enough resource: cpu, requested: 3000, used: 2000, capacity: 4000",
      },
    ]);
  });

  test("a pod's requests are freed when it completes, so the next one fits", () => {
    const { c } = cluster({
      nodes: [node("node-1", { cpu: "1" })],
      images: [{ pattern: "job:*", exit: { after: ms(1_000), exitCode: 0 } }],
    });
    const job = (name: string) =>
      pod(name, {
        restartPolicy: "Never",
        containers: [{ name: "job", image: "job:1", resources: { requests: { cpu: "1" } } }],
      });
    createPodAt(c, CREATED_AT, job("one"));
    createPodAt(c, 40_000, job("two"));
    c.run(60_000);
    expect(getPod(c, "one")?.status?.phase).toBe("Succeeded");
    expect(getPod(c, "two")?.status?.phase).toBe("Succeeded");
  });

  test("a nodeSelector the node does not match: NodeAffinity", () => {
    const { c } = cluster();
    createPodAt(c, CREATED_AT, pod("gpu", { nodeSelector: { accelerator: "nvidia" } }));
    c.run(30_000);
    expect(getPod(c, "gpu")?.status).toMatchObject({
      phase: "Failed",
      reason: "NodeAffinity",
      message:
        "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    });
  });
});

test("the kubelets of a cluster can be reached by node name", () => {
  const { c } = cluster({ nodes: [node("node-1"), node("node-2")] });
  c.run(1_000);
  expect(kubeletFor(c, "node-2")?.nodeName).toBe("node-2");
  expect(kubeletFor(c, "node-2")?.running).toBe(true);
  expect(kubeletFor(c, "node-3")).toBeUndefined();
});
