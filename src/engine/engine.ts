/**
 * The discrete-event kernel: a simulated clock in integer milliseconds and a queue of
 * callbacks with a total order (timeMs, seq). No wall clock, no Kubernetes words.
 */
import { EventQueue } from "./queue.js";

export type Handler = (nowMs: number) => void;

/** Handle of a scheduled callback; pass to `cancel`. */
export type TimerId = number;

export interface RunLimits {
  /** Stop before the first event later than this time; the clock ends at untilMs. */
  untilMs?: number;
  /** Stop after this many events have run. */
  maxEvents?: number;
}

export interface RunResult {
  eventsRun: number;
  /** Why the run ended: no events left, the time limit, or the event budget. */
  stoppedBy: "idle" | "until" | "maxEvents" | "stopped";
}

export class Engine {
  private readonly queue = new EventQueue<Handler>();
  private readonly cancelled = new Set<number>();
  private seq = 0;
  private current = 0;
  private eventsTotal = 0;
  private stopRequested = false;

  /** Simulated time in milliseconds. */
  get nowMs(): number {
    return this.current;
  }

  /** Number of events run since creation. */
  get eventsRun(): number {
    return this.eventsTotal;
  }

  /** Events waiting (including cancelled ones not yet discarded). */
  get pending(): number {
    return this.queue.size;
  }

  /** Runs `fn` at absolute time `timeMs` (clamped to now). Returns a handle for `cancel`. */
  at(timeMs: number, fn: Handler): TimerId {
    const t = timeMs < this.current ? this.current : Math.floor(timeMs);
    const id = this.seq++;
    this.queue.push(t, id, fn);
    return id;
  }

  /**
   * Runs `fn` after every event at `timeMs` has run (and before any later one): for observers that
   * read the state "at" a time. Inside `fn`, nowMs is timeMs; `fn` must only read state.
   */
  atEndOf(timeMs: number, fn: Handler): TimerId {
    const id = this.seq++;
    this.queue.push(Math.max(Math.floor(timeMs), this.current) + 0.5, id, fn);
    return id;
  }

  /** Runs `fn` after `delayMs` (≥ 0) milliseconds. */
  after(delayMs: number, fn: Handler): TimerId {
    return this.at(this.current + Math.max(delayMs, 0), fn);
  }

  /** Cancels a scheduled callback; cancelling one that already ran is a no-op. */
  cancel(id: TimerId): void {
    if (id >= 0 && id < this.seq) this.cancelled.add(id);
  }

  /** Asks a running `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs events in (timeMs, seq) order until a limit is reached or none remain. */
  run(limits: RunLimits = {}): RunResult {
    const untilMs = limits.untilMs ?? Number.POSITIVE_INFINITY;
    const maxEvents = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    const queue = this.queue;
    const cancelled = this.cancelled;
    let ran = 0;
    this.stopRequested = false;
    while (queue.size > 0) {
      if (ran >= maxEvents) return this.finish(ran, "maxEvents");
      if (this.stopRequested) return this.finish(ran, "stopped");
      const t = queue.peekTime();
      if (Math.floor(t) > untilMs) break;
      const id = queue.peekSeq();
      const fn = queue.pop();
      if (cancelled.size > 0 && cancelled.delete(id)) continue;
      // atEndOf entries sit at t + 0.5; the clock only ever shows whole milliseconds.
      const whole = Math.floor(t);
      this.current = whole;
      ran++;
      fn(whole);
    }
    if (untilMs !== Number.POSITIVE_INFINITY && untilMs > this.current) this.current = untilMs;
    return this.finish(ran, queue.size > 0 ? "until" : "idle");
  }

  private finish(ran: number, stoppedBy: RunResult["stoppedBy"]): RunResult {
    this.eventsTotal += ran;
    return { eventsRun: ran, stoppedBy };
  }
}
