/** Per-node numbers in typed arrays indexed by node id, so walks over thousands of nodes stay in cache. */

const INITIAL_CAPACITY = 64;

/** One typed array per per-node number, indexed by NodeInfo.id; slots are reused lowest id first. */
export class NodeColumns {
  allocMilliCpu = new Float64Array(INITIAL_CAPACITY);
  allocMemory = new Float64Array(INITIAL_CAPACITY);
  allocEphemeralStorage = new Float64Array(INITIAL_CAPACITY);
  allocPods = new Float64Array(INITIAL_CAPACITY);
  requestedMilliCpu = new Float64Array(INITIAL_CAPACITY);
  requestedMemory = new Float64Array(INITIAL_CAPACITY);
  requestedEphemeralStorage = new Float64Array(INITIAL_CAPACITY);
  nonZeroMilliCpu = new Float64Array(INITIAL_CAPACITY);
  nonZeroMemory = new Float64Array(INITIAL_CAPACITY);
  podCount = new Int32Array(INITIAL_CAPACITY);
  /** 1 when spec.unschedulable. */
  unschedulable = new Uint8Array(INITIAL_CAPACITY);
  /** Number of taints (any effect). */
  taintCount = new Int32Array(INITIAL_CAPACITY);
  /** 1 when the node has the hostname label. */
  hasHostname = new Uint8Array(INITIAL_CAPACITY);
  /** The zone label's value id (cache.zoneValueId), -1 when the node has no zone label. */
  zoneValue = new Int32Array(INITIAL_CAPACITY);
  /** Number of images the node reports (by normalised name). */
  imageCount = new Int32Array(INITIAL_CAPACITY);
  /**
   * A stamp unique to the current allocatable and requested numbers of the node: it changes
   * (touch) whenever they do, so a score computed from them can be kept until it changes.
   */
  stamp = new Float64Array(INITIAL_CAPACITY);
  private stamps = 0;
  private readonly free: number[] = [];
  private next = 0;
  private readonly memos = new Map<string, ScoreMemo>();

  /** A zeroed slot for a new node: the lowest released id first (deterministic), else a new one. */
  allocate(): number {
    let id: number;
    if (this.free.length > 0) {
      this.free.sort((a, b) => b - a);
      id = this.free.pop()!;
    } else {
      id = this.next++;
      if (id >= this.podCount.length) this.grow(2 * this.podCount.length);
    }
    this.clear(id);
    return id;
  }

  /** Records that the allocatable or requested numbers of node `id` changed. */
  touch(id: number): void {
    this.stamp[id] = ++this.stamps;
  }

  /**
   * The memo of a plugin's per-node results for pods of one shape (`a`, `b`, `c`: the pod's numbers
   * the result reads). A few shapes are kept; past that, all are dropped (they are only a cache).
   */
  memo(plugin: string, a: number, b: number, c = 0): ScoreMemo {
    const key = `${plugin}\u0000${a}\u0000${b}\u0000${c}`;
    let m = this.memos.get(key);
    if (!m) {
      if (this.memos.size >= MAX_MEMOS) this.memos.clear();
      this.memos.set(key, (m = new ScoreMemo()));
    }
    m.fit(this.stamp.length);
    return m;
  }

  /** Returns a slot; its values are cleared when it is handed out again. */
  release(id: number): void {
    this.free.push(id);
  }

  private clear(id: number): void {
    for (const name of COLUMNS) this[name][id] = 0;
    this.zoneValue[id] = -1;
    this.touch(id);
  }

  private grow(capacity: number): void {
    for (const name of COLUMNS) {
      const old = this[name];
      const grown = new (old.constructor as new (n: number) => typeof old)(capacity);
      grown.set(old);
      (this as Record<ColumnName, typeof old>)[name] = grown;
    }
  }
}

type ColumnName = {
  [K in keyof NodeColumns]: NodeColumns[K] extends Float64Array | Int32Array | Uint8Array ? K : never;
}[keyof NodeColumns];

const COLUMNS: readonly ColumnName[] = [
  "allocMilliCpu",
  "allocMemory",
  "allocEphemeralStorage",
  "allocPods",
  "requestedMilliCpu",
  "requestedMemory",
  "requestedEphemeralStorage",
  "nonZeroMilliCpu",
  "nonZeroMemory",
  "podCount",
  "unschedulable",
  "taintCount",
  "hasHostname",
  "zoneValue",
  "imageCount",
  "stamp",
];

/** Shapes of pods whose scores are memoised at once (all plugins together). */
const MAX_MEMOS = 32;

/**
 * Per-node scores of one plugin for one pod shape, by node id: `scores[id]` is valid while
 * `stamps[id]` equals the node's stamp (NodeColumns.stamp); between two cycles most nodes keep theirs.
 */
export class ScoreMemo {
  stamps = new Float64Array(0);
  scores = new Float64Array(0);

  /** Makes room for `capacity` nodes (a fresh memo when it grows). */
  fit(capacity: number): void {
    if (this.stamps.length >= capacity) return;
    this.stamps = new Float64Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** out[j] = the score of node ids[j], computed again only for nodes whose stamp moved since. */
  scoreInto(
    stamp: ArrayLike<number>,
    ids: ArrayLike<number>,
    out: Float64Array | number[],
    score: (id: number) => number,
  ): void {
    const { stamps, scores } = this;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (stamps[id] !== stamp[id]) {
        scores[id] = score(id);
        stamps[id] = stamp[id]!;
      }
      out[j] = scores[id]!;
    }
  }
}
