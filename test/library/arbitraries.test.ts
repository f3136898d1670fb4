// faults.schedule: generated schedules respect their options, keep one fault per node at a time,
// shrink a failing schedule to the fewest, earliest, shortest faults, and become scenario actions.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { faults, type ScheduledFault } from "../../src/library/index.js";

const NODES = ["node-1", "node-2", "node-3"];

describe("faults.schedule", () => {
  test("schedules stay in the window and the length bounds, time-ordered, one fault per node at a time", () => {
    const arb = faults.schedule({
      nodes: NODES,
      maxFaults: 4,
      windowMs: [60_000, 120_000],
      forMs: [1_000, 30_000],
    });
    fc.assert(
      fc.property(arb, (s) => {
        expect(s.length).toBeLessThanOrEqual(4);
        const busy = new Map<string, number>();
        for (const [i, f] of s.entries()) {
          expect(f.atMs).toBeGreaterThanOrEqual(60_000);
          expect(f.atMs).toBeLessThanOrEqual(120_000);
          expect(f.forMs).toBeGreaterThanOrEqual(1_000);
          if (i > 0) expect(f.atMs).toBeGreaterThanOrEqual(s[i - 1]!.atMs);
          expect(busy.get(f.fault.node!) ?? -1).toBeLessThan(f.atMs);
          busy.set(f.fault.node!, f.atMs + f.forMs!);
        }
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  test("a failure that needs node-2 to crash shrinks to that one crash, at the window's start, as short as allowed", () => {
    const arb = faults.schedule({
      nodes: NODES,
      types: ["partition", "crash"],
      maxFaults: 5,
      windowMs: [10_000, 600_000],
    });
    const out = fc.check(
      fc.property(arb, (s) => !s.some((f) => f.fault.node === "node-2" && f.fault.type === "crash")),
      { seed: 3, numRuns: 500 },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample?.[0]).toEqual([
      { atMs: 10_000, fault: { type: "crash", node: "node-2" }, forMs: 5_000 },
    ]);
  });

  test("pod faults need pods; permanent faults may have no heal", () => {
    expect(() => faults.schedule({ types: ["container-crash"], nodes: NODES })).toThrow(
      /no fault type has a target/,
    );
    const s = fc.sample(faults.schedule({ pods: ["web-0"], types: ["container-crash"], permanent: true }), {
      seed: 5,
      numRuns: 50,
    });
    expect(s.flat().every((f) => f.fault.pod === "web-0")).toBe(true);
    expect(s.flat().some((f) => f.forMs === undefined)).toBe(true);
  });
});

describe("schedules as scenario actions and YAML", () => {
  const s: ScheduledFault[] = [
    { atMs: 90_500, fault: { type: "crash", node: "node-2" }, forMs: 120_000 },
    { atMs: 300_000, fault: { type: "partition", node: "node-1" } },
  ];

  test("toActions gives fault actions healing through for:", () => {
    expect(faults.toActions(s).map((a) => (a.kind === "fault" ? [a.atMs, a.fault] : a.kind))).toEqual([
      [90_500, { type: "crash", node: "node-2", forMs: 120_000 }],
      [300_000, { type: "partition", node: "node-1" }],
    ]);
  });

  test("toYaml writes actions entries a scenario file accepts; describe says it in one line", () => {
    expect(faults.toYaml(s, "  ")).toBe(
      "  - at: 1m30.5s\n    fault: {type: crash, node: node-2, for: 2m0s}\n  - at: 5m0s\n    fault: {type: partition, node: node-1}\n",
    );
    expect(faults.describe(s)).toBe(
      "crash node-2 at 1m30.5s for 2m0s; partition node-1 at 5m0s, never healed",
    );
  });
});
