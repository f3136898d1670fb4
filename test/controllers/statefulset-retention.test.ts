// persistentVolumeClaimRetentionPolicy through ownerReferences (k8s-semantics §3.4;
// stateful_set_utils.go: isClaimOwnerUpToDate, updateClaimOwnerRefForSetAndPod, hasStaleOwnerRef).
import { describe, expect, test } from "vitest";
import type { OwnerReference, PersistentVolumeClaim, Pod, StatefulSet } from "../../src/api/types.js";
import {
  claimOwnerRefsFor,
  claimsFor,
  hasStaleOwnerRef,
  isClaimOwnerUpToDate,
  wantedOwners,
} from "../../src/controllers/statefulset/claims.js";

type Policy = "Retain" | "Delete";

function set(whenScaled: Policy, whenDeleted: Policy, replicas = 2): StatefulSet {
  return {
    metadata: { name: "web", namespace: "default", uid: "set-uid" },
    spec: {
      serviceName: "nginx",
      replicas,
      selector: { matchLabels: { app: "nginx" } },
      template: {},
      persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted },
      volumeClaimTemplates: [{ metadata: { name: "data", labels: { tier: "db" } }, spec: {} }],
    },
  };
}

const pod = (ordinal: number, uid = `pod-uid-${ordinal}`): Pod => ({
  metadata: { name: `web-${ordinal}`, namespace: "default", uid },
});
const SET_REF: OwnerReference = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  name: "web",
  uid: "set-uid",
  controller: true,
  blockOwnerDeletion: true,
};
const podRef = (ordinal: number, uid = `pod-uid-${ordinal}`): OwnerReference => ({
  apiVersion: "v1",
  kind: "Pod",
  name: `web-${ordinal}`,
  uid,
  controller: true,
  blockOwnerDeletion: true,
});
const claim = (refs: OwnerReference[] = []): PersistentVolumeClaim => ({
  metadata: { name: "data-web-0", ...(refs.length ? { ownerReferences: refs } : {}) },
});

// The §3.4 table: ownerReferences of the claim of an in-range pod (web-0 of 2) and of a
// condemned, scaled-down pod (web-3 of 2).
const TABLE: [Policy, Policy, string[], string[]][] = [
  // whenScaled, whenDeleted, in range,      condemned
  ["Retain", "Retain", [], []],
  ["Retain", "Delete", ["StatefulSet"], ["StatefulSet"]],
  ["Delete", "Retain", [], ["Pod"]],
  ["Delete", "Delete", ["StatefulSet"], ["Pod"]],
];

describe("§3.4 retention policy → claim ownerReferences", () => {
  test.each(TABLE)(
    "whenScaled %s, whenDeleted %s: in range %j, condemned %j",
    (scaled, deleted, inRange, condemned) => {
      const s = set(scaled, deleted);
      for (const [p, want] of [
        [pod(0), inRange],
        [pod(3), condemned],
      ] as const) {
        const w = wantedOwners(s, p);
        expect([...(w.set ? ["StatefulSet"] : []), ...(w.pod ? ["Pod"] : [])]).toEqual(want);
        // From a claim with no references, the update adds exactly those, as controller references.
        const refs = claimOwnerRefsFor(claim(), s, p);
        expect(refs.map((r) => r.kind).sort()).toEqual([...want].sort());
        for (const r of refs) expect(r).toMatchObject({ controller: true, blockOwnerDeletion: true });
        expect(isClaimOwnerUpToDate(claim(refs), s, p)).toBe(true);
      }
    },
  );

  test.each(TABLE)(
    "whenScaled %s, whenDeleted %s: a claim with the other references is out of date",
    (scaled, deleted) => {
      const s = set(scaled, deleted);
      for (const p of [pod(0), pod(3)]) {
        const want = wantedOwners(s, p);
        const ordinal = Number(p.metadata!.name!.split("-")[1]);
        const wrong = [...(!want.set ? [SET_REF] : []), ...(!want.pod ? [podRef(ordinal)] : [])];
        expect(isClaimOwnerUpToDate(claim(wrong), s, p)).toBe(false);
        const fixed = claimOwnerRefsFor(claim(wrong), s, p);
        expect(isClaimOwnerUpToDate(claim(fixed), s, p)).toBe(true);
      }
    },
  );

  test("scaling down under Delete/Delete moves the claim from the set to the pod", () => {
    const s = set("Delete", "Delete", 1);
    const refs = claimOwnerRefsFor(claim([SET_REF]), s, pod(1));
    expect(refs).toEqual([podRef(1)]);
  });

  test("references to other owners are kept", () => {
    const other: OwnerReference = { apiVersion: "v1", kind: "ConfigMap", name: "x", uid: "cm-uid" };
    const refs = claimOwnerRefsFor(claim([other]), set("Retain", "Delete"), pod(0));
    expect(refs).toEqual([other, SET_REF]);
  });

  test("a non-controller reference from the set is out of date and becomes a controller reference", () => {
    const s = set("Retain", "Delete");
    const weak = { ...SET_REF, controller: false };
    expect(isClaimOwnerUpToDate(claim([weak]), s, pod(0))).toBe(false);
    expect(claimOwnerRefsFor(claim([weak]), s, pod(0))).toEqual([SET_REF]);
  });

  test("another controller under a Delete policy: our references are scrubbed, none added", () => {
    const s = set("Delete", "Delete");
    const foreign: OwnerReference = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "x",
      uid: "d-uid",
      controller: true,
    };
    expect(isClaimOwnerUpToDate(claim([foreign]), s, pod(0))).toBe(true);
    expect(isClaimOwnerUpToDate(claim([foreign, SET_REF]), s, pod(0))).toBe(false);
    expect(claimOwnerRefsFor(claim([foreign, SET_REF]), s, pod(0))).toEqual([foreign]);
  });

  test("a claim with a stale reference (an older pod of the same name) is left alone", () => {
    const s = set("Delete", "Retain");
    const stale = claim([podRef(0, "old-uid")]);
    expect(isClaimOwnerUpToDate(stale, s, pod(0, "new-uid"))).toBe(true);
  });
});

describe("PodClaimIsStale's test (hasStaleOwnerRef)", () => {
  const target = (uid?: string) => ({ apiVersion: "v1", kind: "Pod", name: "web-0", uid });
  test.each([
    ["no references", [], undefined, false],
    ["a reference to an older web-0, pod not created yet", [podRef(0, "old")], undefined, true],
    ["a reference to an older web-0, pod recreated", [podRef(0, "old")], "new", true],
    ["a reference to this very pod", [podRef(0, "same")], "same", false],
    ["a reference to another pod", [podRef(1, "x")], undefined, false],
  ] as const)("%s → stale %s", (_, refs, uid, want) => {
    expect(hasStaleOwnerRef(refs as readonly OwnerReference[], target(uid))).toBe(want);
  });
});

describe("claims of an ordinal (getPersistentVolumeClaims)", () => {
  test("named <template>-<set>-<ordinal>, labelled with the template's and the selector's labels", () => {
    const [c] = claimsFor(set("Retain", "Retain"), 4);
    expect(c!.template).toBe("data");
    expect(c!.claim.metadata).toEqual({
      name: "data-web-4",
      namespace: "default",
      labels: { tier: "db", app: "nginx" },
    });
  });
});
