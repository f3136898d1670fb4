/** A binary heap of items that remember their position, so they can be removed or re-ordered in O(log n). */

/** An item of an IndexedHeap: the heap keeps `heapIndex` current (-1 when not in a heap). */
export interface HeapItem {
  heapIndex: number;
}

/** A min-heap under `less`, with removal and re-ordering of items it holds. */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  /** `less(a, b)`: a comes out first. It must be a total order (end ties on a unique key). */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes an item that is in this heap. */
  remove(item: T): void {
    if (item.heapIndex >= 0 && this.items[item.heapIndex] === item) this.removeAt(item.heapIndex);
  }

  /** Restores order after an item's key changed. */
  fix(item: T): void {
    if (!this.down(item.heapIndex)) this.up(item.heapIndex);
  }

  /** Items in heap order (not sorted). */
  values(): readonly T[] {
    return this.items;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const item = items[i]!;
    const last = items.pop()!;
    item.heapIndex = -1;
    if (i === items.length) return;
    items[i] = last;
    last.heapIndex = i;
    if (!this.down(i)) this.up(i);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!this.less(item, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(i0: number): boolean {
    const items = this.items;
    const n = items.length;
    const item = items[i0]!;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.less(child, item)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    item.heapIndex = i;
    return i > i0;
  }
}
