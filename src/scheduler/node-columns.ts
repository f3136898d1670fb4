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
  private readonly free: number[] = [];
  private next = 0;

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

  /** Returns a slot; its values are cleared when it is handed out again. */
  release(id: number): void {
    this.free.push(id);
  }

  private clear(id: number): void {
    for (const col of this.columns()) col[id] = 0;
  }

  private columns(): (Float64Array | Int32Array | Uint8Array)[] {
    return [
      this.allocMilliCpu,
      this.allocMemory,
      this.allocEphemeralStorage,
      this.allocPods,
      this.requestedMilliCpu,
      this.requestedMemory,
      this.requestedEphemeralStorage,
      this.nonZeroMilliCpu,
      this.nonZeroMemory,
      this.podCount,
      this.unschedulable,
      this.taintCount,
    ];
  }

  private grow(capacity: number): void {
    const f = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.allocMilliCpu = f(this.allocMilliCpu);
    this.allocMemory = f(this.allocMemory);
    this.allocEphemeralStorage = f(this.allocEphemeralStorage);
    this.allocPods = f(this.allocPods);
    this.requestedMilliCpu = f(this.requestedMilliCpu);
    this.requestedMemory = f(this.requestedMemory);
    this.requestedEphemeralStorage = f(this.requestedEphemeralStorage);
    this.nonZeroMilliCpu = f(this.nonZeroMilliCpu);
    this.nonZeroMemory = f(this.nonZeroMemory);
    this.podCount = i(this.podCount);
    this.taintCount = i(this.taintCount);
    const u = new Uint8Array(capacity);
    u.set(this.unschedulable);
    this.unschedulable = u;
  }
}
