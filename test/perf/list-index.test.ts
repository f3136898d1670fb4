/** The store's list indexes used on hot paths: sorted-key buckets stay right as objects come and go, and the orphan index. */
import { describe, expect, it } from "vitest";
import { listFrom } from "../../src/api/apiserver.js";
import { ObjectCache } from "../../src/api/cache.js";
import type { Stored } from "../../src/api/types.js";

function pod(name: string, owner?: string, labels: Record<string, string> = { app: "web" }): Stored {
  return Object.freeze({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      labels,
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: owner, controller: true },
            ],
          }
        : {}),
    },
  }) as unknown as Stored;
}

const names = (objs: Stored[]) => objs.map((o) => o.metadata.name);

describe("ObjectCache list indexes", () => {
  it("lists a label bucket in key order after every insertion and removal", () => {
    const c = new ObjectCache();
    for (const n of ["c", "a", "b"]) c.put(pod(n));
    expect(names(listFrom(c, { indexLabel: ["app", "web"] }))).toEqual(["a", "b", "c"]);
    c.put(pod("aa"));
    expect(names(listFrom(c, { indexLabel: ["app", "web"] }))).toEqual(["a", "aa", "b", "c"]);
    c.remove("default/b");
    expect(names(listFrom(c, { indexLabel: ["app", "web"] }))).toEqual(["a", "aa", "c"]);
    c.put(pod("a", undefined, { app: "db" }));
    expect(names(listFrom(c, { indexLabel: ["app", "web"] }))).toEqual(["aa", "c"]);
  });

  it("lists orphans (no controller reference) of a namespace, following adoption and release", () => {
    const c = new ObjectCache();
    c.put(pod("x", "rs-1"));
    c.put(pod("y"));
    c.put(pod("z"));
    const orphans = () => names(listFrom(c, { namespace: "default", withoutController: true }));
    expect(orphans()).toEqual(["y", "z"]);
    c.put(pod("y", "rs-1"));
    expect(orphans()).toEqual(["z"]);
    c.put(pod("x"));
    expect(orphans()).toEqual(["x", "z"]);
    c.remove("default/z");
    expect(orphans()).toEqual(["x"]);
    expect(listFrom(c, { namespace: "other", withoutController: true })).toEqual([]);
  });
});
