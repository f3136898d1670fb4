/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` annotation (endpointslice util
 * TriggerTimeTracker): the earliest change — a pod's Ready transition or the Service's creation —
 * not yet reflected by the previous sync of the Service.
 */
import type { SimClock } from "../../api/time.js";
import type { Pod, Service } from "../../api/types.js";
import { readyCondition } from "../pod-utils.js";

/** The annotation key (v1.EndpointsLastChangeTriggerTime). */
export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

interface ServiceState {
  serviceTriggerMs: number;
  podTriggerMs: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();
  // Timestamps repeat (whole seconds): each is parsed once.
  private readonly parsed = new Map<string, number>();

  constructor(private readonly clock: SimClock) {}

  private ms(ts: string): number {
    let ms = this.parsed.get(ts);
    if (ms === undefined) {
      if (this.parsed.size > 10_000) this.parsed.clear();
      this.parsed.set(ts, (ms = this.clock.parse(ts)));
    }
    return ms;
  }

  /**
   * ComputeEndpointLastChangeTriggerTime: records this sync's trigger times and returns the
   * timestamp to export (the Service's creation for a Service seen the first time), or undefined
   * when nothing changed since the last sync (the annotation is then removed).
   */
  compute(key: string, svc: Service, pods: readonly Pod[]): string | undefined {
    const prev = this.states.get(key);
    let min: { ms: number; text: string } | undefined;
    const consider = (text: string, ms: number) => {
      if (!min || ms < min.ms) min = { ms, text };
    };
    const podTriggerMs = new Map<string, number>();
    for (const pod of pods) {
      const t = readyCondition(pod)?.lastTransitionTime;
      if (!t) continue;
      const ms = this.ms(t);
      const name = pod.metadata?.name ?? "";
      podTriggerMs.set(name, ms);
      const before = prev?.podTriggerMs.get(name);
      if (before === undefined || ms > before) consider(t, ms);
    }
    const created = svc.metadata?.creationTimestamp ?? "";
    const serviceTriggerMs = created ? this.ms(created) : 0;
    if (!prev || serviceTriggerMs > prev.serviceTriggerMs) consider(created, serviceTriggerMs);
    this.states.set(key, { serviceTriggerMs, podTriggerMs });
    return prev ? min?.text : created || undefined;
  }

  /** Forgets a deleted Service. */
  delete(key: string): void {
    this.states.delete(key);
  }
}
