/**
 * node-capacity: the pods a node's kubelet admitted (bound, started, not terminal; terminating
 * pods still hold their resources) request no more CPU, memory, ephemeral storage or pod slots
 * than the node's allocatable (the scheduler's NodeResourcesFit and the kubelet's admission both
 * promise it). Sums are kept per node as pods change, so a check costs one node.
 */
import type { WatchEvent } from "../api/apiserver.js";
import { nodeAllocatable, podRequests, type Resources } from "../api/resources.js";
import type { Node, Pod } from "../api/types.js";
import { type Invariant, type InvariantContext, objectRef } from "./types.js";

export const NODE_CAPACITY = "node-capacity";

interface NodeUse {
  used: Resources;
  pods: Map<string, Resources>;
}

const RESOURCES: { key: keyof Resources; name: string }[] = [
  { key: "milliCpu", name: "cpu" },
  { key: "memory", name: "memory" },
  { key: "ephemeralStorage", name: "ephemeral-storage" },
  { key: "pods", name: "pods" },
];

/** Admitted by its kubelet (which sets startTime) and not finished. */
function holdsResources(p: Pod): boolean {
  const phase = p.status?.phase;
  return !!p.spec?.nodeName && !!p.status?.startTime && phase !== "Succeeded" && phase !== "Failed";
}

class NodeCapacity implements Invariant {
  readonly name = NODE_CAPACITY;
  private readonly nodes = new Map<string, NodeUse>();
  /** Pod uid → the node it is counted on. */
  private readonly podNode = new Map<string, string>();

  constructor(private readonly ctx: InvariantContext) {}

  onChange(ev: WatchEvent): void {
    if (ev.object.kind !== "Pod") return;
    const p = ev.object as Pod;
    const uid = p.metadata!.uid!;
    const was = this.podNode.get(uid);
    const holds = ev.type !== "DELETED" && holdsResources(p);
    if (was !== undefined && (!holds || was !== p.spec?.nodeName)) this.remove(uid, was);
    if (!holds || this.podNode.has(uid)) return;
    const node = p.spec!.nodeName!;
    const use = this.useOf(node);
    const req = podRequests(p);
    use.pods.set(uid, req);
    this.podNode.set(uid, node);
    for (const r of RESOURCES) use.used[r.key] += req[r.key];
    this.check(node, use, p);
  }

  private useOf(node: string): NodeUse {
    let use = this.nodes.get(node);
    if (!use) {
      use = { used: { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0 }, pods: new Map() };
      this.nodes.set(node, use);
    }
    return use;
  }

  private remove(uid: string, node: string): void {
    const use = this.nodes.get(node);
    const req = use?.pods.get(uid);
    this.podNode.delete(uid);
    if (!use || !req) return;
    use.pods.delete(uid);
    for (const r of RESOURCES) use.used[r.key] -= req[r.key];
  }

  private check(nodeName: string, use: NodeUse, p: Pod): void {
    const node = this.ctx.sim.api.get("Node", undefined, nodeName) as Node | undefined;
    if (!node) return;
    const given = node.status?.allocatable ?? node.status?.capacity ?? {};
    const alloc = nodeAllocatable(node);
    for (const r of RESOURCES) {
      // A resource the node does not report is not checked (kubesim's nodes report cpu, memory, pods).
      if (given[r.name] === undefined || use.used[r.key] <= alloc[r.key]) continue;
      const msg = `node ${nodeName} is over-committed: its admitted pods request ${r.name} ${show(r.key, use.used[r.key])}, allocatable is ${show(r.key, alloc[r.key])} (after pod ${p.metadata?.namespace}/${p.metadata?.name} started)`;
      this.ctx.report(NODE_CAPACITY, `${nodeName}|${r.name}`, msg, [
        `Node/${nodeName}`,
        objectRef(p as { kind: string }),
      ]);
    }
  }
}

function show(key: keyof Resources, v: number): string {
  return key === "milliCpu" ? `${v}m` : String(v);
}

/** The node-capacity checker. */
export function nodeCapacity(ctx: InvariantContext): Invariant {
  return new NodeCapacity(ctx);
}
