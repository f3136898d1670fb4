// Table tests for the PV matching rules (component-helpers pv_helpers.go FindMatchingVolume,
// persistentvolume/index.go findBestMatchForClaim, CheckNodeAffinity, GetDefaultClass).
import { describe, expect, test } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../src/api/types.js";
import { findBestMatchForClaim } from "../../src/controllers/persistentvolume/best-match.js";
import { checkVolumeSatisfyClaim } from "../../src/controllers/persistentvolume/claim-sync.js";
import {
  checkNodeAffinity,
  claimClass,
  defaultClass,
  findMatchingVolume,
} from "../../src/controllers/persistentvolume/helpers.js";
import { type PvOptions, pv, pvc, storageClass } from "./helpers.js";

const available = (name: string, o: PvOptions = {}): PersistentVolume =>
  pv(name, { phase: "Available", ...o });
const withUid = (c: PersistentVolumeClaim, uid = "uid-1") =>
  ({ ...c, metadata: { ...c.metadata, uid } }) as PersistentVolumeClaim;
const name = (v: PersistentVolume | undefined) => v?.metadata?.name ?? null;

describe("findBestMatchForClaim (the PV controller's choice)", () => {
  const cases: {
    what: string;
    claim: PersistentVolumeClaim;
    volumes: PersistentVolume[];
    want: string | null;
  }[] = [
    {
      what: "the smallest volume that is big enough",
      claim: pvc("c", { storage: "3Gi" }),
      volumes: [
        available("pv-10g", { capacity: "10Gi" }),
        available("pv-1g"),
        available("pv-5g", { capacity: "5Gi" }),
      ],
      want: "pv-5g",
    },
    {
      what: "an exact fit",
      claim: pvc("c", { storage: "5Gi" }),
      volumes: [available("pv-10g", { capacity: "10Gi" }), available("pv-5g", { capacity: "5Gi" })],
      want: "pv-5g",
    },
    {
      what: "units compare by amount: 5G is less than 5Gi",
      claim: pvc("c", { storage: "5Gi" }),
      volumes: [available("pv-5g-decimal", { capacity: "5G" })],
      want: null,
    },
    {
      what: "nothing when every volume is too small",
      claim: pvc("c", { storage: "20Gi" }),
      volumes: [available("pv-10g", { capacity: "10Gi" })],
      want: null,
    },
    {
      what: "equal sizes: the first name",
      claim: pvc("c"),
      volumes: [available("pv-b"), available("pv-a")],
      want: "pv-a",
    },
    {
      what: "only volumes offering every requested access mode",
      claim: pvc("c", { modes: ["ReadWriteMany"] }),
      volumes: [
        available("rwo"),
        available("rwx", { modes: ["ReadWriteOnce", "ReadWriteMany"], capacity: "9Gi" }),
      ],
      want: "rwx",
    },
    {
      what: "fewest access modes first, even when a bigger volume must be taken",
      claim: pvc("c"),
      volumes: [
        available("rwo-rox-small", { modes: ["ReadWriteOnce", "ReadOnlyMany"] }),
        available("rwo-big", { capacity: "100Gi" }),
      ],
      want: "rwo-big",
    },
    {
      what: "the class must match: '' only matches volumes without a class",
      claim: pvc("c", { className: "" }),
      volumes: [available("fast", { className: "fast" }), available("none", { capacity: "2Gi" })],
      want: "none",
    },
    {
      what: "a claim of class fast only gets fast volumes",
      claim: pvc("c", { className: "fast" }),
      volumes: [available("none"), available("fast", { className: "fast", capacity: "2Gi" })],
      want: "fast",
    },
    {
      what: "the label selector",
      claim: pvc("c", { selector: { tier: "gold" } }),
      volumes: [available("plain"), available("gold", { labels: { tier: "gold" }, capacity: "2Gi" })],
      want: "gold",
    },
    {
      what: "volumeMode must match (unset is Filesystem)",
      claim: pvc("c", { volumeMode: "Block" }),
      volumes: [available("fs"), available("block", { volumeMode: "Block", capacity: "2Gi" })],
      want: "block",
    },
    {
      what: "only Available volumes (a Pending or Released one is skipped)",
      claim: pvc("c"),
      volumes: [pv("pending", { phase: "Pending" }), pv("released", { phase: "Released" })],
      want: null,
    },
    {
      what: "a volume bound to another claim is skipped",
      claim: withUid(pvc("c")),
      volumes: [available("taken", { claimRef: { name: "other", uid: "x" } })],
      want: null,
    },
    {
      what: "a volume pre-bound to the claim wins over a smaller free one, whatever its phase",
      claim: withUid(pvc("c")),
      volumes: [
        available("free"),
        pv("mine", { capacity: "50Gi", phase: "Pending", claimRef: { name: "c" } }),
      ],
      want: "mine",
    },
    {
      what: "a volume pre-bound to the claim must still be big enough",
      claim: withUid(pvc("c", { storage: "10Gi" })),
      volumes: [pv("mine", { claimRef: { name: "c" } })],
      want: null,
    },
    {
      what: "a claimRef with another uid is another claim of the same name",
      claim: withUid(pvc("c"), "new"),
      volumes: [available("old", { claimRef: { name: "c", uid: "old" } })],
      want: null,
    },
  ];
  test.each(cases)("$what", ({ claim, volumes, want }) => {
    expect(name(findBestMatchForClaim(claim, volumes, false))).toBe(want);
  });

  test("delayed binding (WaitForFirstConsumer): only a pre-bound volume, never a free one", () => {
    const claim = withUid(pvc("c"));
    expect(name(findBestMatchForClaim(claim, [available("free")], true))).toBeNull();
    expect(
      name(findBestMatchForClaim(claim, [pv("mine", { claimRef: { name: "c", uid: "uid-1" } })], true)),
    ).toBe("mine");
  });
});

describe("findMatchingVolume on a node (the scheduler's choice)", () => {
  const node2 = { "kubernetes.io/hostname": "node-2" };
  const node1 = { "kubernetes.io/hostname": "node-1" };
  const local = available("local-2", { nodes: ["node-2"] });

  test("a volume whose node affinity excludes the node is not chosen", () => {
    expect(name(findMatchingVolume(pvc("c"), [local], node1, undefined, true))).toBeNull();
    expect(name(findMatchingVolume(pvc("c"), [local], node2, undefined, true))).toBe("local-2");
  });

  test("a pre-bound volume out of the node's reach means no match at all", () => {
    const claim = withUid(pvc("c"));
    const mine = pv("mine", { nodes: ["node-2"], claimRef: { name: "c" } });
    expect(name(findMatchingVolume(claim, [mine, available("free")], node1, undefined, true))).toBeNull();
  });

  test("volumes chosen for the pod's other claims are excluded", () => {
    const vols = [available("a"), available("b")];
    expect(name(findMatchingVolume(pvc("c"), vols, node2, new Set(["a"]), true))).toBe("b");
  });

  test("access modes are checked on the scheduler path", () => {
    const rox = available("rox", { modes: ["ReadOnlyMany"] });
    expect(name(findMatchingVolume(pvc("c"), [rox], node2, undefined, true))).toBeNull();
  });
});

describe("checkNodeAffinity", () => {
  const zone = (values: string[]): PersistentVolume => ({
    ...pv("z"),
    spec: {
      ...pv("z").spec,
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values }] },
            { matchExpressions: [{ key: "disk", operator: "Exists" }] },
          ],
        },
      },
    },
  });
  test.each<{ labels: Record<string, string>; want: boolean; why: string }>([
    { labels: { "topology.kubernetes.io/zone": "a" }, want: true, why: "the first term" },
    { labels: { disk: "ssd" }, want: true, why: "the second term (terms are ORed)" },
    { labels: { "topology.kubernetes.io/zone": "b" }, want: false, why: "no term" },
  ])("$why: $want", ({ labels, want }) => {
    expect(checkNodeAffinity(zone(["a"]), labels)).toBe(want);
  });

  test("no node affinity: every node", () => {
    expect(checkNodeAffinity(pv("any"), {})).toBe(true);
  });
});

describe("checkVolumeSatisfyClaim (a claim that names its volume)", () => {
  const stored = (v: PersistentVolume) => ({
    ...v,
    metadata: { ...v.metadata, uid: "u", resourceVersion: "1" },
  });
  const claim = (c: PersistentVolumeClaim) => stored(c as never) as never;
  test.each([
    {
      what: "too small",
      volume: pv("v"),
      c: pvc("c", { storage: "2Gi" }),
      want: "requested PV is too small",
    },
    {
      what: "class",
      volume: pv("v", { className: "a" }),
      c: pvc("c"),
      want: "storageClassName does not match",
    },
    { what: "mode", volume: pv("v", { volumeMode: "Block" }), c: pvc("c"), want: "incompatible volumeMode" },
    {
      what: "access",
      volume: pv("v", { modes: ["ReadOnlyMany"] }),
      c: pvc("c"),
      want: "incompatible accessMode",
    },
    { what: "fits", volume: pv("v"), c: pvc("c"), want: undefined },
  ])("$what", ({ volume, c, want }) => {
    expect(checkVolumeSatisfyClaim(stored(volume) as never, claim(c))).toBe(want);
  });
});

describe("classes", () => {
  test("the beta annotation wins over spec.storageClassName", () => {
    const c = pvc("c", { className: "spec" });
    c.metadata!.annotations = { "volume.beta.kubernetes.io/storage-class": "ann" };
    expect(claimClass(c)).toBe("ann");
    expect(claimClass(pvc("c", { className: null }))).toBe("");
  });

  const at = (sc: StorageClass, ts: string): StorageClass => ({
    ...sc,
    metadata: { ...sc.metadata, creationTimestamp: ts },
  });
  test.each([
    { what: "no default", classes: [storageClass("a")], want: undefined },
    {
      what: "the newest default",
      classes: [
        at(storageClass("old", { isDefault: true }), "2025-01-01T00:00:00Z"),
        at(storageClass("new", { isDefault: true }), "2025-01-01T00:01:00Z"),
      ],
      want: "new",
    },
    {
      what: "equal ages: the first name",
      classes: [
        at(storageClass("b", { isDefault: true }), "2025-01-01T00:00:00Z"),
        at(storageClass("a", { isDefault: true }), "2025-01-01T00:00:00Z"),
      ],
      want: "a",
    },
  ])("GetDefaultClass: $what", ({ classes, want }) => {
    expect(defaultClass(classes)?.metadata?.name).toBe(want);
  });
});
