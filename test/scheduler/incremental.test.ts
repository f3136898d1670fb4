// The cache kept incrementally (node columns, per-node score memos, priority counts) decides as one built afresh.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Pod, Stored } from "../../src/api/types.js";
import { Rng } from "../../src/engine/rng.js";
import { explainAttempt } from "../../src/scheduler/explain.js";
import { podInfoOf } from "../../src/scheduler/podinfo.js";
import { defaultProfile } from "../../src/scheduler/profile.js";
import { Algorithm } from "../../src/scheduler/schedule-one.js";
import { Fixture } from "./fixture.js";
import type { PodOptions } from "./helpers.js";

interface NodeCase {
  cpu: number;
  memoryGi: number;
  pods: number;
  zone: number;
  tainted: boolean;
  /** Holds the pods' image (so that ImageLocality scores vary). */
  image: boolean;
}

/** Pod shapes: few, so that memoised results are reused and then invalidated. */
const SHAPES: PodOptions[] = [
  { cpu: "100m", memory: "128Mi" },
  { cpu: "500m", memory: "1Gi", spec: { priority: 10 } },
  { cpu: "1" },
  {},
];

type Op =
  | { kind: "add"; shape: number; node: number }
  | { kind: "remove"; pod: number }
  | { kind: "probe"; shape: number };

const nodeArb = fc.record({
  cpu: fc.integer({ min: 1, max: 4 }),
  memoryGi: fc.integer({ min: 1, max: 4 }),
  pods: fc.integer({ min: 1, max: 5 }),
  zone: fc.integer({ min: 0, max: 2 }),
  tainted: fc.boolean(),
  image: fc.boolean(),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), shape: fc.nat(SHAPES.length - 1), node: fc.nat(20) }),
  fc.record({ kind: fc.constant("remove" as const), pod: fc.nat(40) }),
  fc.record({ kind: fc.constant("probe" as const), shape: fc.nat(SHAPES.length - 1) }),
);

function fixture(nodes: NodeCase[]): Fixture {
  const f = new Fixture();
  f.api.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default" },
    spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
  });
  nodes.forEach((n, i) => {
    f.node(`n${i}`, {
      cpu: String(n.cpu),
      memory: `${n.memoryGi}Gi`,
      pods: String(n.pods),
      labels: n.zone === 2 ? {} : { "topology.kubernetes.io/zone": `z${n.zone}` },
      taints: n.tainted ? [{ key: "k", value: "v", effect: "PreferNoSchedule" }] : undefined,
      images: n.image ? [{ names: ["nginx:1.27"], sizeBytes: 500 * 1024 * 1024 }] : undefined,
    });
  });
  return f;
}

function podOf(f: Fixture, name: string, shape: number): Stored<Pod> {
  return f.pod(name, { ...SHAPES[shape], labels: { app: "web" } });
}

// Every shape's explained attempt (verdicts, scores, choice, or message), on a fresh algorithm.
function decisions(f: Fixture): unknown[] {
  return SHAPES.map((_, s) => {
    const algorithm = new Algorithm(defaultProfile(), f.cache, f.lookups, new Rng(7), true);
    const a = algorithm.schedule(podOf(f, `probe-${s}-${f.api.resourceVersion}`, s));
    return explainAttempt(a, 1, 0).data;
  });
}

describe("incremental scheduler cache", () => {
  test("after pods come and go, every pod shape gets the same verdicts, scores and node as on a fresh cache", () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 6 }),
        fc.array(opArb, { maxLength: 40 }),
        (nodes, ops) => {
          const live = fixture(nodes);
          const probe = new Algorithm(defaultProfile(), live.cache, live.lookups, new Rng(3), false);
          const placed: { name: string; shape: number; node: string; uid: string }[] = [];
          ops.forEach((op, i) => {
            if (op.kind === "probe") {
              // Fills the memos (nothing assumed) before later changes must invalidate them.
              probe.schedule(podOf(live, `p${i}`, op.shape));
            } else if (op.kind === "add") {
              const p = podOf(live, `p${i}`, op.shape);
              const node = `n${op.node % nodes.length}`;
              live.cache.addPod(podInfoOf(p), node);
              placed.push({ name: `p${i}`, shape: op.shape, node, uid: p.metadata.uid });
            } else if (placed.length > 0) {
              const [gone] = placed.splice(op.pod % placed.length, 1);
              live.cache.removePod(gone!.uid);
            }
          });
          const fresh = fixture(nodes);
          for (const p of placed) fresh.cache.addPod(podInfoOf(podOf(fresh, p.name, p.shape)), p.node);
          expect(decisions(live)).toEqual(decisions(fresh));
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
