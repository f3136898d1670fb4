/** The default scheduler: kube-scheduler's default profile, queue, cache and binding. */
import type { SimContext } from "../api/context.js";
import { Scheduler, type SchedulerOptions } from "./scheduler.js";

export { DEFAULT_SCHEDULER_LATENCY, Scheduler, type SchedulerOptions } from "./scheduler.js";

/** Starts kube-scheduler's default profile in the cluster. */
export function startScheduler(ctx: SimContext, opts: SchedulerOptions): Scheduler {
  return new Scheduler(ctx, opts);
}
