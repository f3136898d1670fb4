/**
 * Node faults: a node crashes (kubelet and containers gone), is partitioned from the apiserver
 * (kubelet alive, cut off), or has its kubelet stopped (containers keep running); each heals
 * explicitly or after its `for:` duration, through the kubelet's own hooks.
 */
import type { SimContext } from "../api/context.js";
import { formatDurationMs } from "../engine/duration.js";
import type { TimerId } from "../engine/engine.js";
import { type Kubelet, kubeletFor, kubelets } from "../kubelet/index.js";
import type { FaultSpec, FaultType } from "../scenario/types.js";

export type NodeFaultType = "crash" | "partition" | "kubelet-stop";

const NODE_FAULTS: ReadonlySet<FaultType> = new Set<FaultType>(["crash", "partition", "kubelet-stop"]);

/** An active fault on one node. */
export interface ActiveNodeFault {
  id: number;
  type: NodeFaultType;
  node: string;
  sinceMs: number;
  /** The automatic heal of `for:`, if any. */
  healTimer?: TimerId;
}

/** Who wants to hear about faults starting and healing (the recovery tracker). */
export interface FaultListener {
  faultStarted(f: ActiveNodeFault): void;
  faultHealed(f: ActiveNodeFault, nowMs: number): void;
}

/** Whether a fault type acts on a node (the types this module handles). */
export function isNodeFault(type: FaultType): type is NodeFaultType {
  return NODE_FAULTS.has(type);
}

export class NodeFaults {
  private readonly active = new Map<string, ActiveNodeFault>();
  private nextId = 1;

  constructor(
    private readonly ctx: SimContext,
    private readonly listener: FaultListener,
  ) {}

  /** The fault a node has now, if any. */
  activeOn(node: string): Readonly<ActiveNodeFault> | undefined {
    return this.active.get(node);
  }

  /** Starts a node fault; returns an error message when it cannot. */
  inject(spec: FaultSpec & { type: NodeFaultType }): string | undefined {
    const name = spec.node ?? "";
    const k = kubeletFor(this.ctx, name);
    if (!k) return unknownNode(this.ctx, name);
    const cur = this.active.get(name);
    if (cur) return `error: node ${name} already has an active ${cur.type} fault (heal it first)`;
    if (!k.running) return `error: node ${name} has not joined the cluster yet`;
    const f: ActiveNodeFault = {
      id: this.nextId++,
      type: spec.type,
      node: name,
      sinceMs: this.ctx.engine.nowMs,
    };
    this.active.set(name, f);
    // The recovery tracker reads the node's last heartbeat before the kubelet goes quiet.
    this.listener.faultStarted(f);
    if (spec.type === "crash") k.crash();
    else if (spec.type === "partition") k.setApiReachable(false);
    else k.stop();
    if (spec.forMs !== undefined) {
      const forMs = spec.forMs;
      f.healTimer = this.ctx.engine.after(forMs, () => {
        f.healTimer = undefined;
        if (this.active.get(name) !== f) return;
        this.ctx.record({
          t: this.ctx.engine.nowMs,
          type: "action",
          action: "heal",
          args: JSON.stringify({ node: name }),
          output: `${spec.type} of ${name} healed after ${formatDurationMs(forMs)} (for: ${formatDurationMs(forMs)})`,
        });
        this.healFault(f, k);
      });
    }
    return undefined;
  }

  /** Heals the active fault of a node (of `type` if given), or of every node with a fault of `type`. */
  heal(sel: { node?: string; type?: FaultType }): string | undefined {
    if (sel.node === undefined) {
      const matching = [...this.active.values()].filter((f) => f.type === sel.type);
      if (matching.length === 0) return `error: no node has an active ${sel.type} fault`;
      for (const f of matching) this.healFault(f, kubeletFor(this.ctx, f.node)!);
      return undefined;
    }
    const k = kubeletFor(this.ctx, sel.node);
    if (!k) return unknownNode(this.ctx, sel.node);
    const f = this.active.get(sel.node);
    if (!f) return `error: node ${sel.node} has no active fault to heal`;
    if (sel.type !== undefined && sel.type !== f.type)
      return `error: node ${sel.node} has an active ${f.type} fault, not ${sel.type}`;
    this.healFault(f, k);
    return undefined;
  }

  private healFault(f: ActiveNodeFault, k: Kubelet): void {
    if (f.healTimer !== undefined) this.ctx.engine.cancel(f.healTimer);
    f.healTimer = undefined;
    this.active.delete(f.node);
    // A crashed node boots with an empty runtime; a stopped kubelet starts again; a partition reconnects.
    if (f.type === "partition") k.setApiReachable(true);
    else k.restart();
    this.listener.faultHealed(f, this.ctx.engine.nowMs);
  }
}

function unknownNode(ctx: SimContext, name: string): string {
  const names = [...kubelets(ctx).keys()];
  const shown = names.length > 5 ? `${names.slice(0, 5).join(", ")}, …` : names.join(", ");
  return `error: node "${name}" is not a node of this scenario (nodes: ${shown})`;
}
