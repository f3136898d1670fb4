/** Counts per topology pair (key, value), as InterPodAffinity keeps them (topologyToMatchedTermCount). */
import type { NodeInfo } from "../nodeinfo.js";

/** Sums per (topology key, value), filled from the labels of the nodes pods are on. */
export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  private touched = false;

  /** True until something was added (even a zero: Kubernetes then still scores). */
  get empty(): boolean {
    return !this.touched;
  }

  /** Adds `n` to the pair (key, the node's value for key); nothing when the node lacks the label. */
  addAt(key: string, node: NodeInfo, n: number): void {
    const v = node.labels[key];
    if (v === undefined) return;
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + n);
    this.touched = true;
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** Whether any pair on the node's labels has a positive count. */
  anyOf(node: NodeInfo): boolean {
    for (const [key, m] of this.byKey) {
      const v = node.labels[key];
      if (v !== undefined && (m.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  /** Sum over keys of the count at the node's value (InterPodAffinity.Score). */
  sumOf(node: NodeInfo): number {
    let s = 0;
    for (const [key, m] of this.byKey) {
      const v = node.labels[key];
      if (v !== undefined) s += m.get(v) ?? 0;
    }
    return s;
  }
}
