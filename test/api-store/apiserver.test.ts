import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { SimClock } from "../../src/api/time.js";
import type { KubeObject, Pod, ReplicaSet } from "../../src/api/types.js";
import { GarbageCollector } from "../../src/controllers/garbagecollector.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup(seed = 1) {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(seed), clock: new SimClock(), watchLatencyMs: 5 });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  new GarbageCollector(api);
  return { engine, api };
}

const rs = (name: string): ReplicaSet => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } } },
  },
});

function pod(name: string, extra: Partial<Pod["spec"]> = {}, meta: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...meta },
    spec: { containers: [{ name: "c", image: "nginx" }], ...extra },
  };
}

describe("apiserver", () => {
  test("generateName appends five characters from Kubernetes' alphabet, drawn from the seed", () => {
    const a = setup(1).api.create(pod("", {}, { generateName: "web-" }));
    const b = setup(1).api.create(pod("", {}, { generateName: "web-" }));
    const c = setup(2).api.create(pod("", {}, { generateName: "web-" }));
    expect(a.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(b.metadata.name).toBe(a.metadata.name);
    expect(c.metadata.name).not.toBe(a.metadata.name);
  });

  test("objects are frozen and carry uid, creationTimestamp and resourceVersion", () => {
    const { api } = setup();
    const p = api.create(pod("p"));
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.spec)).toBe(true);
    expect(p.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.metadata.creationTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(p.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
  });

  test("creating in a missing namespace is NotFound, a duplicate is AlreadyExists", () => {
    const { api } = setup();
    expect(() => api.create(pod("p", {}, { namespace: "nope" }))).toThrow('namespaces "nope" not found');
    api.create(pod("p"));
    expect(() => api.create(pod("p"))).toThrow('pods "p" already exists');
  });

  test("a spec change bumps generation; a status write does not; a no-op mutate writes nothing", () => {
    const { api } = setup();
    const r = api.create(rs("web"));
    expect(r.metadata.generation).toBe(1);
    const r2 = api.mutate<ReplicaSet>("ReplicaSet", "default", "web", (d) => {
      d.spec!.replicas = 3;
    });
    expect(r2.metadata.generation).toBe(2);
    const r3 = api.mutate<ReplicaSet>(
      "ReplicaSet",
      "default",
      "web",
      (d) => {
        (d as KubeObject).status = { replicas: 3 };
      },
      { subresource: "status" },
    );
    expect(r3.metadata.generation).toBe(2);
    const r4 = api.mutate<ReplicaSet>("ReplicaSet", "default", "web", (d) => {
      d.spec!.replicas = 3;
    });
    expect(r4).toBe(r3);
  });

  test("main-resource updates keep status; a stale resourceVersion is a Conflict", () => {
    const { api } = setup();
    const r = api.create(rs("web"));
    api.mutate("ReplicaSet", "default", "web", (d: KubeObject) => void (d.status = { replicas: 1 }), {
      subresource: "status",
    });
    expect(() => api.update({ ...r, spec: { ...r.spec!, replicas: 2 } })).toThrow(
      /the object has been modified/,
    );
    const cur = api.get<ReplicaSet>("ReplicaSet", "default", "web")!;
    const next = api.update({ ...cur, spec: { ...cur.spec!, replicas: 2 }, status: {} });
    expect(next.status).toEqual({ replicas: 1 });
  });

  test("a pod on a node is deleted gracefully; an unscheduled pod goes at once", () => {
    const { api, engine } = setup();
    api.create(pod("bound", { nodeName: "n1", terminationGracePeriodSeconds: 30 }));
    api.create(pod("loose"));
    engine.run({ untilMs: 1000 });
    const d = api.delete("Pod", "default", "bound")!;
    expect(d.metadata.deletionTimestamp).toBe("2025-01-01T00:00:31Z");
    expect(d.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(api.get("Pod", "default", "bound")).toBeDefined();
    api.delete("Pod", "default", "loose");
    expect(api.get("Pod", "default", "loose")).toBeUndefined();
    api.finalizeDeletion("Pod", "default", "bound", d.metadata.uid);
    expect(api.get("Pod", "default", "bound")).toBeUndefined();
  });

  test("an object with a finalizer waits until the finalizer is removed", () => {
    const { api } = setup();
    api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", finalizers: ["x/y"] } });
    api.delete("ConfigMap", "default", "c");
    expect(api.get("ConfigMap", "default", "c")?.metadata.deletionTimestamp).toBeDefined();
    api.patch("ConfigMap", "default", "c", { metadata: { finalizers: null } });
    expect(api.get("ConfigMap", "default", "c")).toBeUndefined();
  });

  function ownedPods(api: ApiServer, owner: ReplicaSet & { metadata: { uid: string } }, n: number) {
    for (let i = 0; i < n; i++) {
      api.create(
        pod(
          `${owner.metadata.name}-${i}`,
          {},
          {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: owner.metadata.name,
                uid: owner.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
        ),
      );
    }
  }

  test("background deletion: the garbage collector deletes dependents after the owner is gone", () => {
    const { api, engine } = setup();
    const owner = api.create(rs("web"));
    ownedPods(api, owner, 2);
    api.delete("ReplicaSet", "default", "web");
    expect(api.list("Pod")).toHaveLength(2);
    engine.run();
    expect(api.list("Pod")).toHaveLength(0);
  });

  test("foreground deletion: the owner stays until its blocking dependents are gone", () => {
    const { api, engine } = setup();
    const owner = api.create(rs("web"));
    ownedPods(api, owner, 2);
    api.delete("ReplicaSet", "default", "web", { propagationPolicy: "Foreground" });
    expect(api.get("ReplicaSet", "default", "web")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    engine.run();
    expect(api.list("Pod")).toHaveLength(0);
    expect(api.get("ReplicaSet", "default", "web")).toBeUndefined();
  });

  test("orphan deletion: dependents stay, without the ownerReference", () => {
    const { api, engine } = setup();
    const owner = api.create(rs("web"));
    ownedPods(api, owner, 2);
    api.delete("ReplicaSet", "default", "web", { propagationPolicy: "Orphan" });
    engine.run();
    expect(api.get("ReplicaSet", "default", "web")).toBeUndefined();
    const pods = api.list("Pod");
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.ownerReferences).toBeUndefined();
  });

  test("watchers get changes after the latency, batched but in order; node watchers only their pods", () => {
    const { api, engine } = setup();
    const all: string[] = [];
    const n1: string[] = [];
    api.watch("Pod", (ev) => all.push(`${engine.nowMs}:${ev.type}:${ev.object.metadata.name}`));
    api.watchNodePods("n1", (ev) => n1.push(`${ev.type}:${ev.object.metadata.name}`));
    api.create(pod("a", { nodeName: "n1" }));
    api.create(pod("b", { nodeName: "n2" }));
    engine.run({ untilMs: 2 });
    api.delete("Pod", "default", "a", { gracePeriodSeconds: 0 });
    engine.run();
    expect(all).toEqual(["5:ADDED:a", "5:ADDED:b", "7:DELETED:a"]);
    expect(n1).toEqual(["ADDED:a", "DELETED:a"]);
  });

  test("an informer cache seeded while changes are in flight ends as the store is, indexes included", () => {
    const { api, engine } = setup();
    const relabel = (name: string, app: string) =>
      api.replace<Pod>("Pod", "default", name, (cur) => ({
        ...cur,
        metadata: { ...cur.metadata, labels: { app } },
      }));
    api.create(pod("a", {}, { labels: { app: "x" } }));
    api.create(pod("b", {}, { labels: { app: "x" } }));
    engine.run({ untilMs: 10 });
    relabel("a", "y");
    api.bind("default", "b", "n1");
    const lister = api.lister<Pod>("Pod"); // two changes in flight
    relabel("a", "z");
    api.create(pod("c", {}, { labels: { app: "y" } }));
    engine.run({ untilMs: 20 }); // written after the seeding: the informer finds each `old`
    relabel("c", "x");
    api.delete("Pod", "default", "b", { gracePeriodSeconds: 0 });
    api.create(pod("b", {}, { labels: { app: "z" } }));
    engine.run();
    const view = (list: (opts: { indexLabel?: readonly [string, string]; nodeName?: string }) => Pod[]) =>
      ["x", "y", "z"]
        .map((app) => list({ indexLabel: ["app", app] }).map((p) => `${app}:${p.metadata!.name}`))
        .concat([list({ nodeName: "n1" }).map((p) => `n1:${p.metadata!.name}`)]);
    expect(view((o) => lister.list(o))).toEqual(view((o) => api.list<Pod>("Pod", o)));
    expect(view((o) => lister.list(o))).toEqual([["x:c"], [], ["z:a", "z:b"], []]);
    for (const name of ["a", "b", "c"])
      expect(lister.get("default", name)).toBe(api.get("Pod", "default", name));
  });
});
