/**
 * pod-node-exists: no pod is bound to a node that does not exist. The scheduler never binds to a
 * missing node; a pod whose node is deleted under it is force-deleted by the pod garbage collector
 * after its 40 s quarantine, at a 20 s pass (pkg/controller/podgc: gcOrphaned), so a pod that is
 * still bound to a missing node, and not terminal, past that bound is a violation.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { Pod, Stored } from "../api/types.js";
import { GC_CHECK_PERIOD_MS, QUARANTINE_MS } from "../controllers/podgc.js";
import { formatDurationMs } from "../engine/duration.js";
import { type Invariant, type InvariantContext, objectRef } from "./types.js";

export const POD_NODE_EXISTS = "pod-node-exists";

/** Quarantine, two GC passes and slack for watch latency. */
export const ORPHAN_BOUND_MS = QUARANTINE_MS + 2 * GC_CHECK_PERIOD_MS + 10_000;

const isTerminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

class PodNodeExists implements Invariant {
  readonly name = POD_NODE_EXISTS;
  /** Pod uid → since when it is bound to a missing node. */
  private readonly orphans = new Map<string, number>();

  constructor(private readonly ctx: InvariantContext) {}

  onChange(ev: WatchEvent): void {
    const kind = ev.object.kind;
    if (kind === "Node" && ev.type === "DELETED") this.onNodeDeleted(ev.object.metadata.name);
    if (kind !== "Pod") return;
    const p = ev.object as Stored<Pod>;
    const uid = p.metadata.uid;
    const node = p.spec?.nodeName;
    if (ev.type === "DELETED" || !node || isTerminal(p) || this.nodeExists(node)) {
      this.orphans.delete(uid);
      return;
    }
    const old = ev.old as Stored<Pod> | undefined;
    if (ev.type === "MODIFIED" && !old?.spec?.nodeName) {
      const msg = `pod ${p.metadata.namespace}/${p.metadata.name} was bound to node ${node}, which does not exist`;
      this.ctx.report(POD_NODE_EXISTS, uid, msg, [objectRef(p), `Node/${node}`]);
      return;
    }
    this.track(p);
  }

  private onNodeDeleted(node: string): void {
    for (const p of this.ctx.sim.api.list<Pod>("Pod", { nodeName: node })) if (!isTerminal(p)) this.track(p);
  }

  private nodeExists(node: string): boolean {
    return this.ctx.sim.api.get("Node", undefined, node) !== undefined;
  }

  private track(p: Stored<Pod>): void {
    const uid = p.metadata.uid;
    if (this.orphans.has(uid)) return;
    const sinceMs = this.ctx.sim.engine.nowMs;
    this.orphans.set(uid, sinceMs);
    const { namespace, name } = p.metadata;
    this.ctx.sim.engine.after(ORPHAN_BOUND_MS, () => {
      if (this.orphans.get(uid) !== sinceMs) return;
      const cur = this.ctx.sim.api.get<Pod>("Pod", namespace, name);
      const node = cur?.spec?.nodeName;
      if (!cur || cur.metadata.uid !== uid || !node || isTerminal(cur) || this.nodeExists(node)) return;
      const msg = `pod ${namespace}/${name} is still bound to node ${node}, which does not exist, ${formatDurationMs(ORPHAN_BOUND_MS)} after it went missing (the pod garbage collector removes such pods after a 40s quarantine)`;
      this.ctx.report(POD_NODE_EXISTS, uid, msg, [objectRef(cur), `Node/${node}`]);
    });
  }
}

/** The pod-node-exists checker. */
export function podNodeExists(ctx: InvariantContext): Invariant {
  return new PodNodeExists(ctx);
}
