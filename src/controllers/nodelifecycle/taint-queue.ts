/**
 * The per-zone NoExecute tainting queue (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go):
 * a unique queue of node names ordered by when to process them, drained through a token bucket.
 */

/**
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst 1): a new bucket is full; with burst 1 a token
 * comes back 1/qps after the last one was taken. qps ≤ 0 is the fake "never" limiter.
 */
export class TokenBucket {
  private readonly periodMs: number;
  /** When the last token was taken; undefined while the bucket is full. */
  private lastAcceptMs: number | undefined;

  constructor(
    readonly qps: number,
    full = true,
    nowMs = 0,
  ) {
    this.periodMs = qps > 0 ? Math.round(1000 / qps) : Number.POSITIVE_INFINITY;
    if (!full) this.lastAcceptMs = nowMs;
  }

  /** TryAccept: takes a token if there is one. */
  tryAccept(nowMs: number): boolean {
    if (nowMs < this.readyAtMs()) return false;
    this.lastAcceptMs = nowMs;
    return true;
  }

  /** The earliest time a token is available (Infinity for the never limiter). */
  readyAtMs(): number {
    if (this.qps <= 0) return Number.POSITIVE_INFINITY;
    return this.lastAcceptMs === undefined ? Number.NEGATIVE_INFINITY : this.lastAcceptMs + this.periodMs;
  }
}

interface TimedValue {
  value: string;
  uid: string;
  addedAtMs: number;
  processAtMs: number;
  /** Ties on processAtMs go first-in first-out. */
  seq: number;
}

/** What the action on a queued value answers: done, or retry after waitMs. */
export type TryResult = { ok: true } | { ok: false; waitMs: number };

/** RateLimitedTimedQueue: each value is processed once until it is removed (and may then be added again). */
export class RateLimitedTimedQueue {
  private readonly items: TimedValue[] = [];
  /** Values added and not removed (processed ones stay here, so they are not added twice). */
  private readonly set = new Set<string>();
  private seq = 0;

  constructor(public limiter: TokenBucket) {}

  /** Values waiting to be processed. */
  get size(): number {
    return this.items.length;
  }

  /** Adds a value to process now, unless it was added before and not removed since. */
  add(value: string, uid: string, nowMs: number): boolean {
    if (this.set.has(value)) return false;
    this.set.add(value);
    this.insert({ value, uid, addedAtMs: nowMs, processAtMs: nowMs, seq: this.seq++ });
    return true;
  }

  /** Forgets a value (waiting or processed) so that it may be added again. */
  remove(value: string): boolean {
    if (!this.set.delete(value)) return false;
    const i = this.items.findIndex((v) => v.value === value);
    if (i >= 0) this.items.splice(i, 1);
    return true;
  }

  /**
   * Try: while the bucket gives a token and the head is due, process it; a failed value is retried
   * `waitMs` later. As in Kubernetes, a token is spent even when the head turns out not to be due.
   */
  try(nowMs: number, fn: (v: Readonly<TimedValue>) => TryResult): void {
    let head = this.items[0];
    while (head) {
      if (!this.limiter.tryAccept(nowMs)) break;
      if (nowMs < head.processAtMs) break;
      const r = fn(head);
      this.items.shift();
      if (!r.ok) this.insert({ ...head, processAtMs: nowMs + r.waitMs + 1 });
      head = this.items[0];
    }
  }

  /** SwapLimiter: a new bucket for a new rate; drained at once if the old one had no token left. */
  swapLimiter(qps: number, nowMs: number): void {
    if (this.limiter.qps === qps) return;
    const hadToken = this.limiter.tryAccept(nowMs);
    this.limiter = new TokenBucket(qps, qps <= 0 || hadToken, nowMs);
  }

  /**
   * When a Try could next change something: as soon as a token is available while values wait
   * (a head that is not due yet still spends it, as in Kubernetes); never when nothing waits.
   */
  nextUsefulMs(): number {
    return this.items.length === 0 ? Number.POSITIVE_INFINITY : this.limiter.readyAtMs();
  }

  private insert(v: TimedValue): void {
    let i = this.items.length;
    while (i > 0) {
      const prev = this.items[i - 1]!;
      if (prev.processAtMs < v.processAtMs || (prev.processAtMs === v.processAtMs && prev.seq < v.seq)) break;
      i--;
    }
    this.items.splice(i, 0, v);
  }
}
