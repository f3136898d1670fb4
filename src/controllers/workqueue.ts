/**
 * A controller work queue (client-go's workqueue, simplified): keys are deduplicated while
 * waiting, processed first-in first-out by one worker in one engine event per drain, re-added
 * after a delay (`addAfter`) or rate-limited (`addRateLimited`: per-key 5 ms·2^n up to 1000 s and
 * a queue-wide 10/s bucket, as client-go's DefaultControllerRateLimiter).
 * Simplification: one worker per controller (Kubernetes runs 5 concurrently; syncs are instant here).
 */
import { stackTraceLimit } from "../api/errors.js";
import type { Engine, TimerId } from "../engine/engine.js";

/** A sync that must be retried later (rate-limited), as a controller's returned error. */
export class SyncError extends Error {
  constructor(message?: string) {
    // Expected and retried: no stack trace (see ApiError).
    const limit = stackTraceLimit(0);
    super(message);
    stackTraceLimit(limit);
  }
}

/**
 * The "namespace/name" key of each object, made once: a key built again at every event is a new
 * string that the queue's set must flatten and hash again (add was ~1.4 % of B2 at 2.5 %), while
 * the metadata strings looked up here keep their hash.
 */
export class QueueKeys {
  private readonly byNamespace = new Map<string, Map<string, string>>();

  /** The key for (namespace, name), the same string every time. */
  of(namespace: string | undefined, name: string): string {
    const ns = namespace ?? "";
    let names = this.byNamespace.get(ns);
    if (names === undefined) this.byNamespace.set(ns, (names = new Map()));
    let k = names.get(name);
    if (k === undefined) names.set(name, (k = `${ns}/${name}`));
    return k;
  }

  /** Forgets the key of an object that is gone (a later object of that name makes it again). */
  forget(namespace: string | undefined, name: string): void {
    const ns = namespace ?? "";
    const names = this.byNamespace.get(ns);
    if (names?.delete(name) && names.size === 0) this.byNamespace.delete(ns);
  }
}

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1000 * 1000;
const BUCKET_QPS = 10;
const BUCKET_BURST = 100;

export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { atMs: number; timer: TimerId }>();
  private scheduled = false;
  private tokens = BUCKET_BURST;
  private tokensAtMs = 0;

  constructor(
    private readonly engine: Engine,
    private readonly sync: (key: string) => void,
  ) {}

  /** Queues a key now (no-op if it is already waiting). */
  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    this.queue.push(key);
    if (!this.scheduled) {
      this.scheduled = true;
      this.engine.after(0, () => this.drain());
    }
  }

  /** Queues a key after `delayMs`; an earlier pending delayed add wins. */
  addAfter(key: string, delayMs: number): void {
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const atMs = this.engine.nowMs + delayMs;
    const prev = this.delayed.get(key);
    if (prev && prev.atMs <= atMs) return;
    if (prev) this.engine.cancel(prev.timer);
    const timer = this.engine.at(atMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { atMs, timer });
  }

  /**
   * Re-queues a failed key: the larger of its exponential back-off and the queue-wide token
   * bucket (10 per second, burst 100), as client-go's DefaultControllerRateLimiter.
   */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.max(Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS), this.bucketDelay()));
  }

  /** Reserves a token from the bucket; the wait until it is available (tokens may go negative). */
  private bucketDelay(): number {
    const now = this.engine.nowMs;
    this.tokens = Math.min(BUCKET_BURST, this.tokens + ((now - this.tokensAtMs) * BUCKET_QPS) / 1000);
    this.tokensAtMs = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / BUCKET_QPS);
  }

  /** Clears a key's back-off after a successful sync. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Number of times the key has been rate-limited since it was last forgotten. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  private drain(): void {
    this.scheduled = false;
    // Keys added during this drain wait for the next one: each sync sees the writes before it.
    const end = this.queue.length;
    while (this.head < end) {
      const key = this.queue[this.head++]!;
      this.dirty.delete(key);
      this.sync(key);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
