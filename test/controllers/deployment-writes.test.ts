// The Deployment controller's writes (built without immer): an Update from a stale copy is a
// Conflict that writes nothing; a fresh one writes only what it means to (status, revision
// annotation; ReplicaSet size and its desired/max annotations), as UpdateStatus and Update do.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/errors.js";
import type { Deployment, ReplicaSet, Stored } from "../../src/api/types.js";
import { Cluster } from "../../src/cluster/cluster.js";
import { DeploymentController } from "../../src/controllers/deployment/controller.js";
import { DeploymentSync } from "../../src/controllers/deployment/sync.js";
import { loadScenario } from "../../src/scenario/load.js";

const HELLO = new URL("../../scenarios/hello.yaml", import.meta.url).pathname;
const REVISION = "deployment.kubernetes.io/revision";
const DESIRED = "deployment.kubernetes.io/desired-replicas";

/** hello.yaml settled before its 1m image update: one Deployment, one ReplicaSet of 3. */
function settled() {
  const c = new Cluster(
    loadScenario([HELLO], (p) => readFileSync(p, "utf8")),
    {},
  );
  c.runTo(50_000);
  const dc = new DeploymentController(c);
  const d = () => c.api.get<Deployment>("Deployment", "default", "web")!;
  const rs = () => c.api.list<ReplicaSet>("ReplicaSet", { namespace: "default" })[0]!;
  return { c, dc, d, rs };
}

const conflictOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ApiError ? e.reason : "other";
  }
  return "none";
};

describe("Deployment controller writes", () => {
  it("a status write from a stale Deployment is a Conflict and changes nothing", () => {
    const { c, dc, d } = settled();
    const stale = d();
    // Another writer changes the Deployment after this sync read it.
    c.api.mutate<Deployment>("Deployment", "default", "web", (x) => {
      (x.metadata as { labels?: Record<string, string> }).labels = { app: "web", touched: "yes" };
    });
    const before = d();
    const s = new DeploymentSync(dc, stale, []);
    expect(conflictOf(() => s.writeStatus({ ...stale.status, replicas: 99 }))).toBe("Conflict");
    expect(d()).toBe(before);
  });

  it("a fresh status write changes status only, and carries a pending revision annotation", () => {
    const { dc, d } = settled();
    const cur = d();
    const s = new DeploymentSync(dc, cur, []);
    s.writeStatus({ ...cur.status, replicas: 99 });
    const after = d();
    expect(after.status?.replicas).toBe(99);
    expect(after.spec).toEqual(cur.spec);
    expect(after.metadata.generation).toBe(cur.metadata.generation);
    expect(after.metadata.annotations).toBe(cur.metadata.annotations);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    expect(s.d).toBe(after);
    expect(Object.isFrozen(after.status)).toBe(true);
  });

  it("a ReplicaSet scale from a stale copy is a Conflict; a fresh one resizes and bumps generation", () => {
    const { c, dc, d, rs } = settled();
    const stale = rs();
    c.api.mutate<ReplicaSet>("ReplicaSet", "default", stale.metadata.name, (x) => {
      (x.metadata as { labels?: Record<string, string> }).labels = {
        ...(x.metadata?.labels ?? {}),
        touched: "yes",
      };
    });
    const s = new DeploymentSync(dc, d(), [stale]);
    expect(conflictOf(() => s.scaleReplicaSet(stale, 5))).toBe("Conflict");
    expect(rs().spec?.replicas).toBe(3);
    const fresh = rs();
    const s2 = new DeploymentSync(dc, d(), [fresh]);
    const next = s2.scaleReplicaSet(fresh, 5) as Stored<ReplicaSet>;
    expect(rs()).toBe(next);
    expect(next.spec?.replicas).toBe(5);
    expect(next.spec?.template).toBe(fresh.spec?.template);
    expect(next.metadata.annotations?.[DESIRED]).toBe("3");
    expect(next.metadata.annotations?.[REVISION]).toBe(fresh.metadata.annotations?.[REVISION]);
    expect(next.metadata.labels?.touched).toBe("yes");
    expect(next.metadata.generation).toBe((fresh.metadata.generation ?? 0) + 1);
    expect(next.status).toBe(fresh.status);
    expect(s2.rsList[0]).toBe(next);
  });

  it("asking twice for the new and old ReplicaSets gives the first answer, and a write refreshes it", () => {
    const { c, dc, d } = settled();
    c.runTo(62_000); // mid-rollout: the new ReplicaSet and the old one
    const all = () => c.api.list<ReplicaSet>("ReplicaSet", { namespace: "default" });
    expect(all()).toHaveLength(2);
    const s = new DeploymentSync(dc, d(), all());
    const first = s.newAndOld(false);
    const again = s.newAndOld(true);
    const fresh = new DeploymentSync(dc, d(), all()).newAndOld(false);
    expect(first.newRS).toBeDefined();
    expect(again.newRS).toBe(first.newRS);
    expect(again.oldRSs).toEqual(first.oldRSs);
    expect(again.oldRSs).not.toBe(first.oldRSs);
    expect(fresh.newRS).toBe(first.newRS);
    expect(fresh.oldRSs).toEqual(first.oldRSs);
    const old = first.oldRSs[0]!;
    const written = s.scaleReplicaSet(old, (old.spec?.replicas ?? 0) + 1);
    expect(s.newAndOld(false).oldRSs).toEqual([written]);
  });
});
