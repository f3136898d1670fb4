import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { milliValue, unitsValue } from "../../src/api/quantity.js";
import type { Node, Pod, Stored } from "../../src/api/types.js";
import { schedulerOnly } from "./fixture.js";
import { pod } from "./helpers.js";

interface NodeCase {
  milliCpu: number;
  memoryMi: number;
  pods: number;
}
interface PodCase {
  milliCpu: number;
  memoryMi: number;
  atMs: number;
}

const nodeArb = fc.record({
  milliCpu: fc.integer({ min: 500, max: 8_000 }),
  memoryMi: fc.integer({ min: 256, max: 16_384 }),
  pods: fc.integer({ min: 1, max: 12 }),
});
const podArb = fc.record({
  milliCpu: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 3_000 })),
  memoryMi: fc.oneof(fc.constant(0), fc.integer({ min: 64, max: 4_096 })),
  atMs: fc.integer({ min: 0, max: 2_000 }),
});

interface Room {
  milliCpu: number;
  memory: number;
  pods: number;
}

/** Free capacity per node from the stored objects (not the scheduler's own cache). */
function freeRoom(nodes: Stored<Node>[], pods: Stored<Pod>[]): Map<string, Room> {
  const room = new Map<string, Room>();
  for (const n of nodes) {
    const a = n.status!.allocatable!;
    room.set(n.metadata.name, {
      milliCpu: milliValue(a.cpu),
      memory: unitsValue(a.memory),
      pods: unitsValue(a.pods),
    });
  }
  for (const p of pods) {
    const r = p.spec?.nodeName ? room.get(p.spec.nodeName) : undefined;
    if (!r) continue;
    const req = p.spec!.containers[0]!.resources?.requests ?? {};
    r.milliCpu -= milliValue(req.cpu);
    r.memory -= unitsValue(req.memory);
    r.pods -= 1;
  }
  return room;
}

function run(nodeCases: NodeCase[], podCases: PodCase[], seed: number) {
  const { engine, api, node } = schedulerOnly(seed);
  nodeCases.forEach((n, i) => {
    node(`node-${i + 1}`, `${n.milliCpu}m`, `${n.memoryMi}Mi`, String(n.pods));
  });
  let overcommitted = "";
  api.observe((ev) => {
    if (ev.object.kind !== "Pod" || !(ev.object as Stored<Pod>).spec?.nodeName) return;
    const all = api.list<Pod>("Pod");
    for (const [name, r] of freeRoom(api.list<Node>("Node"), all)) {
      if (r.milliCpu < 0 || r.memory < 0 || r.pods < 0)
        overcommitted ||= `${name} at ${engine.nowMs} ms: ${JSON.stringify(r)}`;
    }
  });
  podCases.forEach((p, i) => {
    engine.at(p.atMs, () =>
      api.create(
        pod(`p-${i}`, {
          ...(p.milliCpu ? { cpu: `${p.milliCpu}m` } : {}),
          ...(p.memoryMi ? { memory: `${p.memoryMi}Mi` } : {}),
        }),
      ),
    );
  });
  engine.run({ untilMs: 30_000 });
  return { api, overcommitted };
}

describe("scheduler properties (fast-check)", () => {
  test("no node is ever overcommitted, and a pod left unbound fits on no node at the end", () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 6 }),
        fc.array(podArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 1_000 }),
        (nodeCases, podCases, seed) => {
          const { api, overcommitted } = run(nodeCases, podCases, seed);
          expect(overcommitted).toBe("");
          const pods = api.list<Pod>("Pod");
          const room = freeRoom(api.list<Node>("Node"), pods);
          for (const p of pods) {
            if (p.spec?.nodeName) continue;
            const req = p.spec!.containers[0]!.resources?.requests ?? {};
            const cpu = milliValue(req.cpu);
            const mem = unitsValue(req.memory);
            // Nothing is ever deleted, so free room only shrinks: a pod that failed once still fits nowhere.
            for (const [name, r] of room) {
              const fits = r.pods >= 1 && cpu <= r.milliCpu && mem <= r.memory;
              expect(fits, `${p.metadata.name} (${cpu}m, ${mem} B) fits ${name} ${JSON.stringify(r)}`).toBe(
                false,
              );
            }
          }
        },
      ),
      { numRuns: 60, seed: 20_241_127 },
    );
  });

  test("while capacity suffices for every pod on some node, every pod gets bound", () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 30 }), (podCases) => {
        // Ten 8-core, 64 GiB nodes hold any 30 pods of at most 3 cores and 4 GiB.
        const nodes = Array.from({ length: 10 }, () => ({ milliCpu: 8_000, memoryMi: 65_536, pods: 110 }));
        const { api } = run(nodes, podCases, 1);
        expect(api.list<Pod>("Pod").filter((p) => !p.spec?.nodeName)).toEqual([]);
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});
