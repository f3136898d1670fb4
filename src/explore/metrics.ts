/**
 * Sweep metrics read from a run's timeline: how long each Deployment's last rollout took, the
 * fewest replicas it had available once it was first complete, and how long each node fault took
 * to recover from (the recovery tracker's RecoverySummary).
 */
import type { TimelineRecord } from "../cluster/records.js";
import { formatDurationMs } from "../engine/duration.js";

export const SWEEP_METRICS = ["rollout-duration", "min-available", "recovery-time"] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** The unit a metric's values are in, for printing. */
export function metricUnit(metric: string): "ms" | "count" {
  return metric.startsWith("min-available") ? "count" : "ms";
}

interface WorkloadTrack {
  /** The Deployment's last rollout: when it started, and when it completed (if it did). */
  rolloutStartMs?: number;
  rolloutMs?: number;
  complete: boolean;
  /** Fewest available (ready, for StatefulSets) replicas since first complete. */
  minAvailable?: number;
}

/** Collects the metrics of one run from its records (pass `sink` to the Cluster). */
export class MetricsCollector {
  private readonly workloads = new Map<string, WorkloadTrack>();
  private readonly recoveries: [string, number | null][] = [];

  constructor(private readonly metrics: ReadonlySet<SweepMetric>) {}

  readonly sink = (rec: TimelineRecord): void => {
    if (rec.type === "object" && (rec.kind === "Deployment" || rec.kind === "StatefulSet")) {
      if (rec.verb !== "DELETED") this.onWorkload(`${rec.kind.toLowerCase()}/${rec.name}`, rec.t, rec.state);
    } else if (rec.type === "step" && rec.step === "RecoverySummary") {
      const data = rec.data as { node?: string; fault?: string; atMs?: number; totalMs?: number | null };
      const key = `recovery-time ${data.fault} ${data.node} at ${formatDurationMs(data.atMs ?? 0)}`;
      this.recoveries.push([key, data.totalMs ?? null]);
    }
  };

  private onWorkload(key: string, t: number, state: Record<string, unknown>): void {
    let w = this.workloads.get(key);
    if (!w) this.workloads.set(key, (w = { complete: false }));
    const deployment = key.startsWith("deployment/");
    const conditions = (state.conditions ?? []) as string[];
    const complete = deployment
      ? conditions.includes("Progressing=True(NewReplicaSetAvailable)")
      : state.readyReplicas === state.replicas && state.currentRevision === state.updateRevision;
    if (!complete && (w.complete || w.rolloutStartMs === undefined)) {
      w.rolloutStartMs = t;
      w.rolloutMs = undefined;
    }
    if (complete && !w.complete && w.rolloutStartMs !== undefined) w.rolloutMs = t - w.rolloutStartMs;
    const available = Number(deployment ? state.availableReplicas : state.readyReplicas);
    if (complete && w.minAvailable === undefined) w.minAvailable = available;
    if (w.minAvailable !== undefined) w.minAvailable = Math.min(w.minAvailable, available);
    w.complete = complete;
  }

  /** Metric name → value (ms or a count); a metric the run never reached (a rollout that never completed) is absent. */
  finish(): Record<string, number> {
    const out: Record<string, number> = {};
    const keys = [...this.workloads.keys()].sort();
    for (const key of keys) {
      const w = this.workloads.get(key)!;
      if (this.metrics.has("rollout-duration") && key.startsWith("deployment/") && w.rolloutMs !== undefined)
        out[`rollout-duration ${key}`] = w.rolloutMs;
      if (this.metrics.has("min-available") && w.minAvailable !== undefined)
        out[`min-available ${key}`] = w.minAvailable;
    }
    if (this.metrics.has("recovery-time")) {
      for (const [key, ms] of this.recoveries) if (ms !== null) out[key] = ms;
    }
    return out;
  }
}

/** One metric's distribution over the runs that reached it (nearest-rank percentiles). */
export interface Distribution {
  metric: string;
  unit: "ms" | "count";
  /** Runs that reached the metric (a rollout that never completed has no duration). */
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Distributions of each metric over the runs' values, by metric name. */
export function distributions(runs: readonly Record<string, number>[]): Distribution[] {
  const byMetric = new Map<string, number[]>();
  for (const run of runs) {
    for (const [metric, value] of Object.entries(run)) {
      let list = byMetric.get(metric);
      if (!list) byMetric.set(metric, (list = []));
      list.push(value);
    }
  }
  return [...byMetric.keys()].sort().map((metric) => {
    const values = byMetric.get(metric)!.sort((a, b) => a - b);
    const sum = values.reduce((s, v) => s + v, 0);
    return {
      metric,
      unit: metricUnit(metric),
      n: values.length,
      min: values[0]!,
      p50: percentile(values, 50),
      p90: percentile(values, 90),
      p99: percentile(values, 99),
      max: values[values.length - 1]!,
      mean: Math.round((sum / values.length) * 1000) / 1000,
    };
  });
}
