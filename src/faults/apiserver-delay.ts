/**
 * Apiserver watch-delay spikes: while active, every watch delivery (informers, the scheduler, the
 * kubelets) arrives `delay` later than the usual watch latency; deliveries keep their order, so
 * when the spike ends the next ones wait behind those still in flight.
 */
import type { SimContext } from "../api/context.js";
import { formatDurationMs } from "../engine/duration.js";
import type { TimerId } from "../engine/engine.js";
import type { FaultSpec } from "../scenario/types.js";
import { scheduleAutoHeal } from "./auto-heal.js";

const COMPONENT = "kubesim/recovery"; // the timeline's (and the trace's) lane for faults
const OBJECT = "APIServer/kube-apiserver";

export class ApiserverDelay {
  private sinceMs: number | undefined;
  private delayMs = 0;
  private timer: TimerId | undefined;

  constructor(private readonly ctx: SimContext) {}

  /** Starts a delay spike; an error message if one is active already. */
  inject(spec: FaultSpec): string | undefined {
    if (this.sinceMs !== undefined)
      return `error: an apiserver-delay of ${formatDurationMs(this.delayMs)} is already active (heal it first)`;
    this.sinceMs = this.ctx.engine.nowMs;
    this.delayMs = spec.delayMs ?? 0;
    this.ctx.api.watchDelayMs = this.delayMs;
    if (spec.forMs !== undefined) {
      const what = `apiserver-delay of ${formatDurationMs(this.delayMs)}`;
      this.timer = scheduleAutoHeal(this.ctx, spec.forMs, { type: "apiserver-delay" }, what, () => {
        this.timer = undefined;
        this.end();
      });
    }
    const d = formatDurationMs(this.delayMs);
    this.ctx.engine.after(0, () =>
      this.step("ApiserverDelay", `watch deliveries arrive ${d} later than usual from now on, in order`),
    );
    return undefined;
  }

  /** Ends the spike; an error message if none is active. */
  heal(): string | undefined {
    if (this.sinceMs === undefined) return "error: no apiserver-delay fault is active";
    this.end();
    return undefined;
  }

  private end(): void {
    if (this.timer !== undefined) this.ctx.engine.cancel(this.timer);
    this.timer = undefined;
    const lasted = formatDurationMs(this.ctx.engine.nowMs - (this.sinceMs ?? 0));
    this.sinceMs = undefined;
    this.ctx.api.watchDelayMs = 0;
    this.step(
      "ApiserverDelayHealed",
      `watch delay of ${formatDurationMs(this.delayMs)} over after ${lasted}; deliveries still in flight arrive first`,
    );
  }

  private step(step: string, message: string): void {
    this.ctx.record({
      t: this.ctx.engine.nowMs,
      type: "step",
      component: COMPONENT,
      object: OBJECT,
      step,
      message,
    });
  }
}
