/** The default scheduler. (Placeholder until the scheduler is modelled: pods stay Pending.) */
import type { Cluster } from "../cluster/cluster.js";

export interface SchedulerOptions {
  explain: boolean;
}

/** Starts kube-scheduler's default profile in the cluster. */
export function startScheduler(_cluster: Cluster, _opts: SchedulerOptions): void {}
