/** A set of engine timers owned by one component, so that stopping it cancels everything it scheduled. */
import type { Engine, TimerId } from "../engine/engine.js";

/** Timers scheduled through this set can all be cancelled at once (a pod torn down, a kubelet stopped). */
export class TimerSet {
  private readonly live = new Set<TimerId>();

  constructor(private readonly engine: Engine) {}

  /** Runs `fn` at absolute time `atMs` unless cancelled first. */
  at(atMs: number, fn: (nowMs: number) => void): TimerId {
    const id = this.engine.at(atMs, (nowMs) => {
      this.live.delete(id);
      fn(nowMs);
    });
    this.live.add(id);
    return id;
  }

  /** Runs `fn` after `delayMs`. */
  after(delayMs: number, fn: (nowMs: number) => void): TimerId {
    return this.at(this.engine.nowMs + Math.max(0, delayMs), fn);
  }

  /** Cancels one timer (a no-op if it already ran or was cancelled). */
  cancel(id: TimerId | undefined): void {
    if (id === undefined || !this.live.delete(id)) return;
    this.engine.cancel(id);
  }

  /** Cancels every timer still pending. */
  cancelAll(): void {
    for (const id of this.live) this.engine.cancel(id);
    this.live.clear();
  }

  /** Timers still pending. */
  get size(): number {
    return this.live.size;
  }
}
