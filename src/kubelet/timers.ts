/** A set of engine timers owned by one component, so that stopping it cancels everything it scheduled. */
import type { Engine, TimerId } from "../engine/engine.js";

/** Timers scheduled through this set can all be cancelled at once (a pod torn down, a kubelet stopped). */
export class TimerSet {
  // Made when a timer is pending and dropped when none is: every pod worker has a TimerSet, and
  // a running pod's is empty most of its life (an emptied Set keeps its ~150 B table).
  private live: Set<TimerId> | undefined;

  constructor(private readonly engine: Engine) {}

  /** Runs `fn` at absolute time `atMs` unless cancelled first. */
  at(atMs: number, fn: (nowMs: number) => void): TimerId {
    const id = this.engine.at(atMs, (nowMs) => {
      this.forget(id);
      fn(nowMs);
    });
    (this.live ??= new Set()).add(id);
    return id;
  }

  /** Runs `fn` after `delayMs`. */
  after(delayMs: number, fn: (nowMs: number) => void): TimerId {
    return this.at(this.engine.nowMs + Math.max(0, delayMs), fn);
  }

  /** Cancels one timer (a no-op if it already ran or was cancelled). */
  cancel(id: TimerId | undefined): void {
    if (id === undefined || !this.forget(id)) return;
    this.engine.cancel(id);
  }

  /** Cancels every timer still pending. */
  cancelAll(): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    for (const id of live) this.engine.cancel(id);
  }

  /** Timers still pending. */
  get size(): number {
    return this.live?.size ?? 0;
  }

  // Drops a pending id; false if it was not pending.
  private forget(id: TimerId): boolean {
    const live = this.live;
    if (!live?.delete(id)) return false;
    if (live.size === 0) this.live = undefined;
    return true;
  }
}
