/** The scheduling queue (internal/queue/scheduling_queue.go): activeQ, backoffQ, unschedulable, gated. */

import type { Pod, Stored } from "../api/types.js";
import type { Engine } from "../engine/engine.js";
import { type HeapItem, IndexedHeap } from "./heap.js";

// SchedulerPopFromBackoffQ (beta, on in v1.33): with activeQ empty, a backing-off pod is popped at once.
// Simplification: only pods moved there by a cluster event are popped early (a pod that errored waits
// out its back-off, so the loop cannot spin), and only from the top of backoffQ; no backoff windows.

/** podInitialBackoffSeconds and podMaxBackoffSeconds of the v1 scheduler configuration. */
export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
/** flushBackoffQCompleted runs every second. */
export const BACKOFF_FLUSH_PERIOD_MS = 1_000;
/** flushUnschedulablePodsLeftover runs every 30 s ... */
export const UNSCHEDULABLE_FLUSH_PERIOD_MS = 30_000;
/** ... and moves pods that waited longer than DefaultPodMaxInUnschedulablePodsDuration. */
export const POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

/** Backoff after `attempts` attempts: initial × 2^(attempts−1), capped (calculateBackoffDuration). */
export function backoffDurationMs(
  attempts: number,
  initialMs = POD_INITIAL_BACKOFF_MS,
  maxMs = POD_MAX_BACKOFF_MS,
): number {
  if (attempts <= 0) return 0;
  let d = initialMs;
  for (let i = 1; i < attempts; i++) {
    if (d > maxMs - d) return maxMs;
    d += d;
  }
  return Math.min(d, maxMs);
}

/** Where a queued pod is: a sub-queue, or being scheduled. */
export type QueueName = "active" | "backoff" | "unschedulable" | "gated" | "inflight";

/** A pod in the queue (framework.QueuedPodInfo). */
export interface QueuedPod extends HeapItem {
  readonly uid: string;
  /** `namespace/name`. */
  readonly key: string;
  pod: Stored<Pod>;
  priority: number;
  /** When the pod was last added or re-queued (PrioritySort's tie-breaker, backoff start). */
  timestampMs: number;
  /** Order of (re-)queueing at equal timestamps: FIFO, and a unique final tie-breaker. */
  seq: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Cluster events (events.ts bits) that may make it schedulable. */
  requeueOn: number;
  where: QueueName;
  backoffExpiryMs: number;
  /** In backoffQ because a cluster event moved it there (may be popped early). */
  movedByEvent?: boolean;
}

function activeLess(a: QueuedPod, b: QueuedPod): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs < b.timestampMs;
  return a.seq < b.seq;
}

function backoffLess(a: QueuedPod, b: QueuedPod): boolean {
  if (a.backoffExpiryMs !== b.backoffExpiryMs) return a.backoffExpiryMs < b.backoffExpiryMs;
  return a.seq < b.seq;
}

/** Whether a pod update may change the scheduling outcome (isPodUpdated: not a status-only write). */
function specChanged(old: Stored<Pod>, pod: Stored<Pod>): boolean {
  return (
    old.spec !== pod.spec ||
    old.metadata.labels !== pod.metadata.labels ||
    old.metadata.annotations !== pod.metadata.annotations
  );
}

/** The queue of pods to schedule, with kube-scheduler's sub-queues and flush timers. */
export class SchedulingQueue {
  private readonly byUid = new Map<string, QueuedPod>();
  private readonly active = new IndexedHeap<QueuedPod>(activeLess);
  private readonly backoff = new IndexedHeap<QueuedPod>(backoffLess);
  /** Insertion-ordered (deterministic); moves re-sort through activeQ's total order anyway. */
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly gated = new Map<string, QueuedPod>();
  private seq = 0;
  private backoffTimer = false;
  private leftoverTimer = false;

  /** `onActive` is called whenever activeQ receives pods (the scheduler loop wakes up). */
  constructor(
    private readonly engine: Engine,
    private readonly onActive: () => void,
  ) {}

  /** Pods waiting in activeQ. */
  get activeSize(): number {
    return this.active.size;
  }

  /** Where a pod is, if queued. */
  where(uid: string): QueueName | undefined {
    return this.byUid.get(uid)?.where;
  }

  /** Sizes of each sub-queue (for tests and explain output). */
  sizes(): Record<Exclude<QueueName, "inflight">, number> {
    return {
      active: this.active.size,
      backoff: this.backoff.size,
      unschedulable: this.unschedulable.size,
      gated: this.gated.size,
    };
  }

  /** A new pod to schedule; gated pods wait for their gates to be removed. */
  add(pod: Stored<Pod>, gated: boolean): void {
    if (this.byUid.has(pod.metadata.uid)) {
      this.update(pod, gated);
      return;
    }
    const qp: QueuedPod = {
      uid: pod.metadata.uid,
      key: `${pod.metadata.namespace}/${pod.metadata.name}`,
      pod,
      priority: pod.spec?.priority ?? 0,
      timestampMs: this.engine.nowMs,
      seq: this.seq++,
      attempts: 0,
      requeueOn: 0,
      where: "gated",
      heapIndex: -1,
      backoffExpiryMs: 0,
    };
    this.byUid.set(qp.uid, qp);
    if (gated) this.gated.set(qp.uid, qp);
    else this.toActive(qp);
  }

  /** A newer version of a queued pod. */
  update(pod: Stored<Pod>, gated: boolean): void {
    const qp = this.byUid.get(pod.metadata.uid);
    if (!qp) {
      this.add(pod, gated);
      return;
    }
    const old = qp.pod;
    qp.pod = pod;
    const priority = pod.spec?.priority ?? 0;
    switch (qp.where) {
      case "active":
        if (priority !== qp.priority) {
          qp.priority = priority;
          this.active.fix(qp);
        }
        return;
      case "gated":
        qp.priority = priority;
        if (!gated) {
          this.gated.delete(qp.uid);
          this.toActive(qp);
        }
        return;
      case "unschedulable":
        qp.priority = priority;
        if (specChanged(old, pod)) this.moveOne(qp);
        return;
      default:
        qp.priority = priority;
    }
  }

  /** The pod is gone (deleted, or bound by someone else). */
  delete(uid: string): void {
    const qp = this.byUid.get(uid);
    if (!qp) return;
    this.detach(qp);
    this.byUid.delete(uid);
  }

  /** Whether `pop` would return a pod: activeQ, or an event-moved pod atop backoffQ. */
  get hasWork(): boolean {
    return this.active.size > 0 || this.backoff.peek()?.movedByEvent === true;
  }

  /** The next pod to schedule, now in flight; counts an attempt. */
  pop(): QueuedPod | undefined {
    let qp = this.active.pop();
    if (!qp && this.backoff.peek()?.movedByEvent) qp = this.backoff.pop();
    if (!qp) return undefined;
    qp.movedByEvent = false;
    qp.where = "inflight";
    qp.attempts++;
    return qp;
  }

  /** The in-flight pod was bound (or dropped): it leaves the queue. */
  done(qp: QueuedPod): void {
    if (this.byUid.get(qp.uid) === qp && qp.where === "inflight") this.byUid.delete(qp.uid);
  }

  /**
   * The in-flight pod could not be scheduled (AddUnschedulableIfNotPresent): after an error it
   * backs off; when plugins rejected it, it waits among the unschedulable pods for an event.
   */
  requeue(qp: QueuedPod, requeueOn: number, error: boolean): void {
    if (this.byUid.get(qp.uid) !== qp || qp.where !== "inflight") return;
    qp.timestampMs = this.engine.nowMs;
    qp.seq = this.seq++;
    qp.requeueOn = requeueOn;
    if (error) this.toBackoff(qp);
    else {
      qp.where = "unschedulable";
      this.unschedulable.set(qp.uid, qp);
      this.armLeftoverTimer();
    }
  }

  /** A cluster event happened: unschedulable pods one of whose rejecting plugins registered it move on. */
  onEvent(event: number): void {
    if (this.unschedulable.size === 0) return;
    for (const qp of this.unschedulable.values()) if ((qp.requeueOn & event) !== 0) this.moveOne(qp);
  }

  private isBackingOff(qp: QueuedPod): boolean {
    return qp.timestampMs + backoffDurationMs(qp.attempts) > this.engine.nowMs;
  }

  // movePodsToActiveOrBackoffQueue for one pod.
  private moveOne(qp: QueuedPod): void {
    this.unschedulable.delete(qp.uid);
    if (this.isBackingOff(qp)) {
      qp.movedByEvent = true;
      this.toBackoff(qp);
      this.onActive();
    } else this.toActive(qp);
  }

  private toActive(qp: QueuedPod): void {
    qp.where = "active";
    this.active.push(qp);
    this.onActive();
  }

  private toBackoff(qp: QueuedPod): void {
    qp.where = "backoff";
    qp.backoffExpiryMs = qp.timestampMs + backoffDurationMs(qp.attempts);
    this.backoff.push(qp);
    this.armBackoffTimer();
  }

  private detach(qp: QueuedPod): void {
    if (qp.where === "active") this.active.remove(qp);
    else if (qp.where === "backoff") this.backoff.remove(qp);
    else if (qp.where === "unschedulable") this.unschedulable.delete(qp.uid);
    else if (qp.where === "gated") this.gated.delete(qp.uid);
  }

  // The periodic flushes run on fixed ticks from time 0, as kube-scheduler's tickers do; a tick is
  // only scheduled while there is something to flush, so an idle cluster schedules no events.
  private armBackoffTimer(): void {
    if (this.backoffTimer) return;
    this.backoffTimer = true;
    this.engine.at(nextTick(this.engine.nowMs, BACKOFF_FLUSH_PERIOD_MS), () => this.flushBackoff());
  }

  private flushBackoff(): void {
    this.backoffTimer = false;
    const now = this.engine.nowMs;
    for (let qp = this.backoff.peek(); qp && qp.backoffExpiryMs <= now; qp = this.backoff.peek()) {
      this.backoff.pop();
      this.toActive(qp);
    }
    if (this.backoff.size > 0) this.armBackoffTimer();
  }

  private armLeftoverTimer(): void {
    if (this.leftoverTimer) return;
    this.leftoverTimer = true;
    this.engine.at(nextTick(this.engine.nowMs, UNSCHEDULABLE_FLUSH_PERIOD_MS), () => this.flushLeftover());
  }

  private flushLeftover(): void {
    this.leftoverTimer = false;
    const now = this.engine.nowMs;
    for (const qp of [...this.unschedulable.values()]) {
      if (now - qp.timestampMs > POD_MAX_IN_UNSCHEDULABLE_MS) this.moveOne(qp);
    }
    if (this.unschedulable.size > 0) this.armLeftoverTimer();
  }
}

/** The first multiple of `periodMs` strictly after `nowMs`. */
function nextTick(nowMs: number, periodMs: number): number {
  return (Math.floor(nowMs / periodMs) + 1) * periodMs;
}
