/** ObjectCache's namespace-then-name store: lookups by name and by key agree, and namespace listings keep key order. */
import { describe, expect, it } from "vitest";
import { listFrom } from "../../src/api/apiserver.js";
import { ObjectCache, objectKey } from "../../src/api/cache.js";
import type { Stored } from "../../src/api/types.js";

function obj(namespace: string | undefined, name: string, labels?: Record<string, string>): Stored {
  const metadata = {
    name,
    uid: `uid-${namespace}-${name}`,
    ...(namespace ? { namespace } : {}),
    ...(labels ? { labels } : {}),
  };
  return Object.freeze({ apiVersion: "v1", kind: "ConfigMap", metadata }) as unknown as Stored;
}

describe("ObjectCache by namespace and name", () => {
  it("finds every object by (namespace, name) and by key alike, and forgets removed ones", () => {
    const c = new ObjectCache();
    const all = [obj("a", "x"), obj("a-b", "x"), obj("b", "y", { app: "w" }), obj(undefined, "node-1")];
    for (const o of all) c.put(o);
    for (const o of all) {
      const { namespace, name } = o.metadata;
      expect(c.getIn(namespace, name)).toBe(o);
      expect(c.get(objectKey(namespace, name))).toBe(o);
    }
    expect(c.size).toBe(4);
    expect(c.remove("b/y")).toBe(all[2]);
    expect(c.getIn("b", "y")).toBeUndefined();
    expect(c.keysWithLabel("app", "w").size).toBe(0);
    expect(c.removeIn("a", "x")).toBe(all[0]);
    expect(c.removeIn("a", "x")).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it("keeps a namespace's objects in insertion order, a re-created object last", () => {
    const c = new ObjectCache();
    const names = (ns: string) => [...c.objectsIn(ns).values()].map((o) => o.metadata.name);
    for (const n of ["c", "a", "b"]) c.put(obj("ns", n));
    expect(names("ns")).toEqual(["c", "a", "b"]);
    c.removeIn("ns", "c");
    c.put(obj("ns", "c"));
    expect(names("ns")).toEqual(["a", "b", "c"]);
    expect(c.objectsIn("none").size).toBe(0);
  });

  it("lists a namespace in key order after insertions and removals, as a sort of its keys would", () => {
    const c = new ObjectCache();
    for (const n of ["m", "b", "z", "b-1", "a"]) c.put(obj("ns", n));
    c.put(obj("other", "0"));
    const names = () => listFrom(c, { namespace: "ns" }).map((o) => o.metadata.name);
    const bySortedKeys = () =>
      [...c.objectsIn("ns").keys()]
        .map((n) => objectKey("ns", n))
        .sort()
        .map((k) => c.get(k)!.metadata.name);
    expect(names()).toEqual(bySortedKeys());
    c.removeIn("ns", "b");
    c.put(obj("ns", "aa"));
    expect(names()).toEqual(["a", "aa", "b-1", "m", "z"]);
    expect(names()).toEqual(bySortedKeys());
  });

  it("lists everything in key order when no index applies", () => {
    const c = new ObjectCache();
    for (const [ns, n] of [
      ["a-b", "x"],
      ["a", "x"],
      ["a", "y"],
    ] as const)
      c.put(obj(ns, n));
    const keys = listFrom(c, {}).map((o) => objectKey(o.metadata.namespace, o.metadata.name));
    expect(keys).toEqual(["a-b/x", "a/x", "a/y"]);
  });

  it("indexes alike whether a write names the object it replaces (putOver) or looks it up (put)", () => {
    const looked = new ObjectCache();
    const told = new ObjectCache();
    const versions = [
      obj("a", "x", { app: "w" }),
      obj("a", "y"),
      obj("a", "x", { app: "v" }),
      obj("b", "x", { app: "w" }),
      obj("a", "y", { app: "w" }),
      obj("a", "x", { app: "w" }),
    ];
    for (const o of versions) {
      const old = told.getIn(o.metadata.namespace, o.metadata.name);
      expect(looked.put(o)).toBe(old);
      told.putOver(old, o);
    }
    const view = (c: ObjectCache) => ({
      size: c.size,
      w: [...c.keysWithLabel("app", "w")].sort(),
      v: [...c.keysWithLabel("app", "v")].sort(),
      all: listFrom(c, {}),
    });
    expect(view(told)).toEqual(view(looked));
    expect(view(told).w).toEqual(["a/x", "a/y", "b/x"]);
  });

  it("lists an index bucket as its sorted keys would, before and after its members change", () => {
    const c = new ObjectCache();
    const byKeys = () => [...c.keysWithLabel("app", "w")].sort().map((k) => c.get(k));
    const listed = () => listFrom(c, { indexLabel: ["app", "w"] });
    for (const [ns, n] of [
      ["a", "y"],
      ["a-b", "x"],
      ["a", "x"],
    ] as const)
      c.put(obj(ns, n, { app: "w" }));
    expect(listed()).toEqual(byKeys());
    expect(listed().map((o) => objectKey(o.metadata.namespace, o.metadata.name))).toEqual([
      "a-b/x",
      "a/x",
      "a/y",
    ]);
    const updated = obj("a", "x", { app: "w" });
    c.put(updated); // same members: the cached order, the new version
    expect(listed()[1]).toBe(updated);
    c.removeIn("a-b", "x");
    c.put(obj("a", "w", { app: "w" }));
    expect(listed()).toEqual(byKeys());
    expect(listed().map((o) => o.metadata.name)).toEqual(["w", "x", "y"]);
  });
});
