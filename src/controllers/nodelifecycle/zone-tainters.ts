/**
 * Per-zone NoExecute tainting (node_lifecycle_controller.go zoneNoExecuteTainter, zoneStates,
 * handleDisruption, setLimiterInZone): one rate-limited queue per zone, whose rate follows the
 * zone's state; when every zone is fully disrupted, tainting stops and NoExecute taints come off.
 */
import type { NodeLifecycleConfig } from "./config.js";
import { RateLimitedTimedQueue, TokenBucket } from "./taint-queue.js";
import { computeZoneState, type ZoneCount, type ZoneState, zoneQps } from "./zones.js";

/** What disruption handling asks of the controller. */
export interface DisruptionHost {
  /** markNodeAsReachable for every node (entering "master disruption mode"). */
  markAllReachable(): void;
  /** Every node's probe and ready-transition timestamps set to now (leaving it). */
  resetProbeTimestamps(): void;
}

export class ZoneTainters {
  /** Insertion order (first sight of each zone) is deterministic, and is the order of every pass. */
  readonly queues = new Map<string, RateLimitedTimedQueue>();
  readonly states = new Map<string, ZoneState>();
  /** The states a pass computes, kept from pass to pass (every monitor pass runs this). */
  private readonly next = new Map<string, ZoneState>();

  constructor(private readonly cfg: NodeLifecycleConfig) {}

  /** addPodEvictorForNewZone: a zone seen for the first time gets a queue with a full bucket. */
  addZone(zone: string): void {
    if (this.states.has(zone)) return;
    this.states.set(zone, "Initial");
    if (!this.queues.has(zone))
      this.queues.set(zone, new RateLimitedTimedQueue(new TokenBucket(this.cfg.evictionLimiterQps)));
  }

  /** The zone's queue (created on demand, for a node whose zone label changed between passes). */
  queue(zone: string): RateLimitedTimedQueue {
    let q = this.queues.get(zone);
    if (!q) {
      this.addZone(zone);
      q = this.queues.get(zone)!;
    }
    return q;
  }

  /** When the next tainting pass could do something (Infinity: nothing waits, or no zone may taint). */
  nextUsefulMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const q of this.queues.values()) next = Math.min(next, q.nextUsefulMs());
    return next;
  }

  /** handleDisruption: new zone states from this pass's counts, and the rates that go with them. */
  handleDisruption(counts: ReadonlyMap<string, ZoneCount>, host: DisruptionHost, nowMs: number): void {
    const next = this.next;
    next.clear();
    let allAreFullyDisrupted = true;
    for (const [zone, c] of counts) {
      const state = computeZoneState(c, this.cfg.unhealthyZoneThreshold);
      if (state !== "FullDisruption") allAreFullyDisrupted = false;
      next.set(zone, state);
      if (!this.states.has(zone)) this.states.set(zone, "Initial");
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of this.states) {
      if (!counts.has(zone)) {
        this.states.delete(zone);
        continue;
      }
      if (state !== "FullDisruption") {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      host.markAllReachable();
      for (const zone of this.states.keys()) this.queue(zone).swapLimiter(0, nowMs);
      for (const zone of this.states.keys()) this.states.set(zone, "FullDisruption");
      return;
    }
    if (allWasFullyDisrupted) host.resetProbeTimestamps();
    for (const [zone, state] of this.states) {
      const n = next.get(zone);
      if (n === undefined || (state === n && !allWasFullyDisrupted)) continue;
      const c = counts.get(zone)!;
      this.queue(zone).swapLimiter(zoneQps(n, c.ready + c.notReady, this.cfg), nowMs);
      this.states.set(zone, n);
    }
  }
}
