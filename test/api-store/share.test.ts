import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { deepCopy, deepFreeze } from "../../src/api/copy.js";
import { shareParts } from "../../src/api/share.js";
import { SimClock } from "../../src/api/time.js";
import type { Pod } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

// A JSON value, and an edit of a copy of it at some depth (a changed scalar, an added or removed key).
const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown>;

function edit(v: unknown, path: number[], k: number): unknown {
  if (path.length === 0 || v === null || typeof v !== "object") return k % 3 === 0 ? { x: k } : k;
  if (Array.isArray(v)) {
    if (v.length === 0) return k % 2 ? [k] : v;
    const i = path[0]! % v.length;
    v[i] = edit(v[i], path.slice(1), k);
    return v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 0 || k % 5 === 0) {
    o[`k${k}`] = k;
    return o;
  }
  const key = keys[path[0]! % keys.length]!;
  if (k % 7 === 0) delete o[key];
  else o[key] = edit(o[key], path.slice(1), k);
  return o;
}

describe("shareParts", () => {
  test("the result writes the same JSON as the fresh value, and is the shared value only when identical", () => {
    fc.assert(
      fc.property(
        json,
        fc.array(fc.nat(20), { maxLength: 5 }),
        fc.nat(100),
        fc.boolean(),
        (v, path, k, change) => {
          const shared = deepFreeze(deepCopy(v));
          const fresh = change ? edit(deepCopy(v), path, k) : deepCopy(v);
          const text = JSON.stringify(fresh);
          const out = shareParts(fresh, shared);
          expect(JSON.stringify(out)).toBe(text);
          expect(out === shared).toBe(text === JSON.stringify(shared));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("key order counts: the same members in another order are not shared", () => {
    const shared = deepFreeze({ a: 1, b: 2 });
    const fresh = { b: 2, a: 1 };
    expect(shareParts(fresh, shared)).toBe(fresh);
  });
});

describe("pods created under one controller", () => {
  function setup() {
    const engine = new Engine();
    const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
    for (const name of ["default", "other"])
      api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    return api;
  }
  const owned = (name: string, owner: string, namespace = "default", image = "nginx"): Pod => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      labels: { app: "web" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: owner, controller: true },
      ],
    },
    spec: { containers: [{ name: "c", image }], tolerations: [{ key: "k", operator: "Exists" }] },
  });

  test("share their identical parts, and only those", () => {
    const api = setup();
    const a = api.create(owned("a", "u1"));
    const b = api.create(owned("b", "u1", "default", "redis"));
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    expect(b.spec!.tolerations).toBe(a.spec!.tolerations);
    expect(b.spec!.containers).not.toBe(a.spec!.containers);
    expect(b.spec!.containers[0]!.image).toBe("redis");
    expect(b.metadata.name).toBe("b");
  });

  test("do not share with another controller's pods or across namespaces", () => {
    const api = setup();
    const a = api.create(owned("a", "u1"));
    const b = api.create(owned("b", "u2"));
    const c = api.create(owned("c", "u1", "other"));
    expect(b.spec!.tolerations).not.toBe(a.spec!.tolerations);
    expect(c.spec!.tolerations).not.toBe(a.spec!.tolerations);
    expect(JSON.stringify(b.spec)).toBe(JSON.stringify(a.spec));
  });
});
