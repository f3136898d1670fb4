/** The node walk order (internal/cache/node_tree.go): zones in order of appearance, round-robin. */
import type { NodeInfo } from "./nodeinfo.js";

/** Nodes by zone, listed round-robin across zones. */
export class NodeTree {
  private readonly zones: string[] = [];
  private readonly byZone = new Map<string, NodeInfo[]>();
  private count = 0;
  private listed: NodeInfo[] = [];
  private listedIds = new Int32Array(0);
  private dirty = false;

  get size(): number {
    return this.count;
  }

  /** Adds a node under its current zone key (the caller adds each node once). */
  add(n: NodeInfo): void {
    let list = this.byZone.get(n.zoneKey);
    if (!list) {
      this.byZone.set(n.zoneKey, (list = []));
      this.zones.push(n.zoneKey);
    }
    list.push(n);
    this.count++;
    this.dirty = true;
  }

  /** Removes the node from the zone it was added under. */
  remove(n: NodeInfo, zoneKey: string): void {
    const list = this.byZone.get(zoneKey);
    const i = list ? list.indexOf(n) : -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    this.count--;
    this.dirty = true;
    if (list.length === 0) {
      this.byZone.delete(zoneKey);
      this.zones.splice(this.zones.indexOf(zoneKey), 1);
    }
  }

  /** Nodes round-robin over zones: zone1[0], zone2[0], …, zone1[1], zone2[1], … */
  list(): readonly NodeInfo[] {
    if (this.dirty) this.relist();
    return this.listed;
  }

  /** The ids (NodeInfo.id) of list()'s nodes, in the same order: a walk that reads only columns. */
  ids(): Int32Array {
    if (this.dirty) this.relist();
    return this.listedIds;
  }

  private relist(): void {
    const out: NodeInfo[] = [];
    for (let i = 0; out.length < this.count; i++) {
      for (const z of this.zones) {
        const nodes = this.byZone.get(z)!;
        if (i < nodes.length) out.push(nodes[i]!);
      }
    }
    this.listed = out;
    this.listedIds = Int32Array.from(out, (n) => n.id);
    this.dirty = false;
  }
}
