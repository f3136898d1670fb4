/** Per-key exponential back-off with client-go flowcontrol.Backoff semantics (10 s doubling to 300 s, reset after 10 min idle). */
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from "./config.js";

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

/** flowcontrol.Backoff without jitter (the kubelet creates its back-offs with jitter 0); times are passed in. */
export class Backoff {
  // Made on the first back-off: most pods never back off, and every pod has one.
  private entries: Map<string, Entry> | undefined;

  constructor(
    readonly initialMs: number = BACKOFF_INITIAL_MS,
    readonly maxMs: number = BACKOFF_MAX_MS,
  ) {}

  /** The current back-off of a key (0 when it has none). */
  get(key: string): number {
    return this.entries?.get(key)?.backoffMs ?? 0;
  }

  /**
   * Backoff.Next: a new or expired entry starts at the initial back-off, otherwise it doubles
   * up to the cap; either way its last update becomes `nowMs`.
   */
  next(key: string, eventMs: number, nowMs: number): void {
    const e = this.entries?.get(key);
    if (!e || this.expired(e, eventMs)) {
      (this.entries ??= new Map()).set(key, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdateMs = nowMs;
  }

  /** IsInBackOffSince: less than the back-off has passed since `eventMs` (e.g. the container's exit). */
  isInBackOffSince(key: string, eventMs: number, nowMs: number): boolean {
    const e = this.entries?.get(key);
    if (!e || this.expired(e, eventMs)) return false;
    return nowMs - eventMs < e.backoffMs;
  }

  /** IsInBackOffSinceUpdate: less than the back-off has passed since the entry's last update. */
  isInBackOffSinceUpdate(key: string, nowMs: number): boolean {
    const e = this.entries?.get(key);
    if (!e || this.expired(e, nowMs)) return false;
    return nowMs - e.lastUpdateMs < e.backoffMs;
  }

  /** When the back-off of `key` counted from `eventMs` ends (eventMs if there is none). */
  expiresAt(key: string, eventMs: number): number {
    const e = this.entries?.get(key);
    return e && !this.expired(e, eventMs) ? eventMs + e.backoffMs : eventMs;
  }

  /** Forgets a key. */
  reset(key: string): void {
    this.entries?.delete(key);
  }

  // hasExpired: stable for more than twice the cap since the last bump.
  private expired(e: Entry, eventMs: number): boolean {
    return eventMs - e.lastUpdateMs > 2 * this.maxMs;
  }
}
