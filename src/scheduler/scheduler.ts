/** kube-scheduler's loop (ScheduleOne): one pod per cycle, each cycle an engine event. */
import type { SimContext } from "../api/context.js";
import type { Node, Pod, Stored } from "../api/types.js";
import type { Rng } from "../engine/rng.js";
import type { DurationRange } from "../scenario/types.js";
import { Binder } from "./binder.js";
import { SchedulerCache } from "./cache.js";
import { type HandlerTarget, onNodeEvent, onPodEvent } from "./eventhandlers.js";
import { ALL_EVENTS, ASSIGNED_POD_DELETE } from "./events.js";
import { explainAttempt } from "./explain.js";
import type { PreBindStep } from "./framework.js";
import { Lookups } from "./lookups.js";
import { VOLUME_EVENTS } from "./plugins/volume-binding.js";
import { defaultProfile, type Profile } from "./profile.js";
import { type QueuedPod, SchedulingQueue } from "./queue.js";
import { Algorithm } from "./schedule-one.js";

/**
 * Duration of one scheduling cycle when the scenario does not set `timing.schedulerLatency`:
 * uniform 1–5 ms (kubesim's choice: a cycle in a busy cluster takes a few milliseconds).
 */
export const DEFAULT_SCHEDULER_LATENCY: DurationRange = { minMs: 1, maxMs: 5 };

/** How the scheduler is started. */
export interface SchedulerOptions {
  /** Record each attempt's per-node verdicts and scores as step records. */
  explain: boolean;
  /** Another profile (tests, later plugins); the default profile otherwise. */
  profile?: Profile;
}

/** The default scheduler of one cluster: informers, queue, cache, cycles and binding. */
export class Scheduler implements HandlerTarget {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly profile: Profile;
  private readonly algorithm: Algorithm;
  private readonly binder: Binder;
  private readonly latencyRng: Rng;
  private readonly latency: DurationRange;
  private cycleArmed = false;
  /** Scheduling attempts made (for tests and benches). */
  attempts = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly opts: SchedulerOptions,
  ) {
    const rng = ctx.rng.fork("scheduler");
    this.latencyRng = rng.fork("latency");
    this.latency = ctx.scenario.timing.schedulerLatency ?? DEFAULT_SCHEDULER_LATENCY;
    this.profile = opts.profile ?? defaultProfile();
    this.queue = new SchedulingQueue(ctx.engine, () => this.kick());
    this.algorithm = new Algorithm(
      this.profile,
      this.cache,
      new Lookups(ctx.api),
      rng.fork("selectHost"),
      opts.explain,
    );
    this.binder = new Binder(ctx);
    ctx.api.watch<Node>("Node", (ev) => onNodeEvent(this, ev));
    ctx.api.watch<Pod>("Pod", (ev) => onPodEvent(this, ev));
    for (const [kind, event] of VOLUME_EVENTS) {
      ctx.api.watch(kind, (ev) => {
        if (ev.type !== "DELETED") this.queue.onEvent(event);
      });
    }
  }

  responsibleFor(pod: Stored<Pod>): boolean {
    const name = pod.spec?.schedulerName;
    return !name || name === this.profile.schedulerName;
  }

  onGated(pod: Stored<Pod>): void {
    this.binder.gated(pod);
  }

  // Arms the next cycle if there is work and none is armed.
  private kick(): void {
    if (this.cycleArmed || !this.queue.hasWork) return;
    this.cycleArmed = true;
    const r = this.latency;
    const delayMs = r.minMs === r.maxMs ? r.minMs : this.latencyRng.intBetween(r.minMs, r.maxMs);
    this.ctx.engine.after(delayMs, () => this.runCycle());
  }

  // Simplification: the cycle pops and decides when it runs (at the end of its latency), on the
  // cache as it is then, so no cluster event arrives mid-cycle (kube-scheduler's in-flight events);
  // binding is synchronous, where kube-scheduler binds in a goroutine.
  private runCycle(): void {
    this.cycleArmed = false;
    const qp = this.queue.pop();
    if (qp) this.scheduleOne(qp);
    this.kick();
  }

  private scheduleOne(qp: QueuedPod): void {
    this.attempts++;
    const attempt = this.algorithm.schedule(qp.pod);
    if (this.opts.explain) this.ctx.record(explainAttempt(attempt, qp.attempts, this.ctx.engine.nowMs));
    const node = attempt.selected;
    if (node) {
      this.cache.assumePod(attempt.info, node.name);
      const preBind = attempt.preBind;
      if (preBind) {
        // The binding cycle waits in PreBind (VolumeBinding) while the scheduler goes on with other pods.
        preBind.run(this.ctx, (error) => this.afterPreBind(qp, node.name, preBind, error));
        return;
      }
      // If the pod went away or was bound elsewhere meanwhile, there is nothing to retry.
      if (!this.binder.bind(qp.pod, node.name)) this.cache.forgetPod(qp.uid);
      this.queue.done(qp);
      return;
    }
    const failure = attempt.failure!;
    this.binder.failed(qp.pod, "Unschedulable", failure.message);
    this.queue.requeue(qp, failure.requeueOn, false);
  }

  // The rest of bindingCycle after a PreBind: bind; or handleBindingCycleError: unreserve, forget the
  // assumed pod (which may free room for others) and back off with a SchedulerError.
  private afterPreBind(qp: QueuedPod, nodeName: string, preBind: PreBindStep, error?: string): void {
    if (error === undefined) {
      if (!this.binder.bind(qp.pod, nodeName)) this.cache.forgetPod(qp.uid);
      this.queue.done(qp);
      return;
    }
    preBind.unreserve();
    this.cache.forgetPod(qp.uid);
    this.queue.onEvent(ASSIGNED_POD_DELETE);
    this.binder.failed(qp.pod, "SchedulerError", error);
    this.queue.requeue(qp, ALL_EVENTS, true);
  }
}
