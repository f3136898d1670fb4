// Random node-fault episodes for the node-failure property tests: the arbitrary, the one-fault-per-node schedule, the actions and node deletions.
import fc from "fast-check";
import type { Cluster } from "../../src/cluster/cluster.js";
import type { Action } from "../../src/scenario/types.js";
import { fault, heal } from "./helpers.js";

export const NODES = ["node-1", "node-2", "node-3", "node-4"];
export const TYPES = ["crash", "partition", "kubelet-stop"] as const;

export interface Episode {
  node: number;
  type: (typeof TYPES)[number];
  atMs: number;
  forMs: number;
  /** Heal with `for:` (true) or an explicit heal action. */
  auto: boolean;
  /** For a crash: delete the Node object this long after the crash (an operator removing a dead machine). */
  deleteAfterMs: number | null;
}

/** Episodes starting no earlier than `minAtMs` (after the workloads came up). */
export function episodeArb(minAtMs: number): fc.Arbitrary<Episode> {
  return fc.record({
    node: fc.integer({ min: 0, max: NODES.length - 1 }),
    type: fc.constantFrom(...TYPES),
    atMs: fc.integer({ min: minAtMs, max: 12 * 60_000 }),
    forMs: fc.integer({ min: 5_000, max: 9 * 60_000 }),
    auto: fc.boolean(),
    deleteAfterMs: fc.option(fc.integer({ min: 1_000, max: 4 * 60_000 }), { nil: null }),
  });
}

/** Episodes that overlap an earlier one on the same node are dropped (one fault per node at a time). */
export function schedule(episodes: Episode[]): Episode[] {
  const busyUntil = new Map<number, number>();
  return [...episodes]
    .sort((a, b) => a.atMs - b.atMs || a.node - b.node)
    .filter((e) => {
      if ((busyUntil.get(e.node) ?? -1) >= e.atMs) return false;
      busyUntil.set(e.node, e.atMs + e.forMs);
      return true;
    });
}

/** The scenario actions of the episodes: a fault with `for:`, or a fault and its heal. */
export function actionsOf(eps: Episode[]): Action[] {
  return eps.flatMap((e) => {
    const node = NODES[e.node]!;
    if (e.auto) return [fault(e.atMs, { type: e.type, node, forMs: e.forMs })];
    return [fault(e.atMs, { type: e.type, node }), heal(e.atMs + e.forMs, { node })];
  });
}

/** Deletes a crashed node's Node object when its episode says so (before the crash heals). */
export function scheduleNodeDeletions(c: Cluster, eps: Episode[]): void {
  for (const e of eps) {
    if (e.type !== "crash" || e.deleteAfterMs === null || e.deleteAfterMs >= e.forMs) continue;
    const node = NODES[e.node]!;
    c.engine.at(e.atMs + e.deleteAfterMs, () => {
      if (c.api.get("Node", undefined, node)) c.api.delete("Node", undefined, node);
    });
  }
}
