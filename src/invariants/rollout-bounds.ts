/**
 * rollout-bounds: a RollingUpdate Deployment keeps at least replicas − maxUnavailable pods
 * available and at most replicas + maxSurge live (active) pods, counted from the pods themselves
 * (pkg/controller/deployment/util: MaxUnavailable, MaxSurge, via src/controllers/deployment/util).
 * The bounds are the controller's promise outside faults and scaling: a Deployment is armed once
 * it meets a bound and disarmed by a fault, a delete or drain, an eviction (DisruptionTarget) and
 * a change of replicas or strategy, until it meets the bound again.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { Deployment, Pod, ReplicaSet, Stored } from "../api/types.js";
import { maxSurge, maxUnavailable, replicasOf } from "../controllers/deployment/util.js";
import { controllerOf, isPodActive, readyCondition } from "../controllers/pod-utils.js";
import { type Disturbance, type Invariant, type InvariantContext, objectRef } from "./types.js";

export const ROLLOUT_BOUNDS = "rollout-bounds";

interface Tracked {
  d: Stored<Deployment>;
  /** Active pods: uid → when it became Ready (ms), or null when not Ready. */
  pods: Map<string, number | null>;
  /** The lower bound (available ≥ replicas − maxUnavailable) is checked. */
  lowerArmed: boolean;
  /** The upper bound (live ≤ replicas + maxSurge) is checked. */
  upperArmed: boolean;
}

const isRolling = (d: Deployment) => (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
const boundsKey = (d: Deployment) => JSON.stringify([d.spec?.replicas, d.spec?.strategy]);

class RolloutBounds implements Invariant {
  readonly name = ROLLOUT_BOUNDS;
  private readonly byUid = new Map<string, Tracked>();
  /** ReplicaSet uid → its Deployment's uid. */
  private readonly rsOwner = new Map<string, string>();

  constructor(private readonly ctx: InvariantContext) {}

  onChange(ev: WatchEvent): void {
    const kind = ev.object.kind;
    if (kind === "Pod") this.onPod(ev as WatchEvent<Pod>);
    else if (kind === "ReplicaSet") this.onReplicaSet(ev as WatchEvent<ReplicaSet>);
    else if (kind === "Deployment") this.onDeployment(ev as WatchEvent<Deployment>);
  }

  onDisturbance(what: Disturbance): void {
    if (what === "faults-healed") return;
    for (const t of this.byUid.values()) t.lowerArmed = t.upperArmed = false;
  }

  private onDeployment(ev: WatchEvent<Deployment>): void {
    const d = ev.object;
    const uid = d.metadata.uid;
    if (ev.type === "DELETED") {
      this.byUid.delete(uid);
      return;
    }
    const t = this.byUid.get(uid);
    if (!t) {
      this.byUid.set(uid, { d, pods: new Map(), lowerArmed: false, upperArmed: false });
      return;
    }
    // Scaling or a new strategy moves the bounds: the controller needs a sync or more to follow.
    if (boundsKey(t.d) !== boundsKey(d)) t.lowerArmed = t.upperArmed = false;
    t.d = d;
    this.arm(t);
  }

  private onReplicaSet(ev: WatchEvent<ReplicaSet>): void {
    const uid = ev.object.metadata.uid;
    if (ev.type === "DELETED") this.rsOwner.delete(uid);
    else {
      const ref = controllerOf(ev.object);
      if (ref?.kind === "Deployment") this.rsOwner.set(uid, ref.uid);
    }
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const p = ev.object;
    const rs = controllerOf(p);
    if (rs?.kind !== "ReplicaSet") return;
    const dUid = this.rsOwner.get(rs.uid);
    const t = dUid === undefined ? undefined : this.byUid.get(dUid);
    if (!t || !isRolling(t.d)) return;
    const uid = p.metadata.uid;
    const before = t.pods.get(uid);
    const had = t.pods.has(uid);
    const now = ev.type !== "DELETED" && isPodActive(p) ? readySince(this.ctx, p) : undefined;
    if (now === undefined) t.pods.delete(uid);
    else t.pods.set(uid, now);
    const lostReady = before != null && now == null;
    if (lostReady && t.lowerArmed && !this.ctx.disturbed()) {
      // An eviction or taint-based deletion is a disruption, not the controller's doing.
      if (hasDisruptionTarget(p)) t.lowerArmed = false;
      else this.checkLower(t, p, ev.type === "DELETED" || !isPodActive(p));
    }
    if (!had && now !== undefined && t.upperArmed && !this.ctx.disturbed()) this.checkUpper(t, p);
    this.arm(t);
  }

  private checkLower(t: Tracked, p: Stored<Pod>, deleted: boolean): void {
    const min = replicasOf(t.d) - maxUnavailable(t.d);
    const available = this.available(t);
    if (available >= min) return;
    const how = deleted ? "was deleted" : "became unready";
    const msg = `deployment ${t.d.metadata.name} has ${available} available pods, below replicas − maxUnavailable = ${replicasOf(t.d)} − ${maxUnavailable(t.d)} = ${min}, after pod ${p.metadata.name} ${how}`;
    this.ctx.report(ROLLOUT_BOUNDS, `${objectRef(t.d)}|lower`, msg, [objectRef(t.d), objectRef(p)]);
  }

  private checkUpper(t: Tracked, p: Stored<Pod>): void {
    const max = replicasOf(t.d) + maxSurge(t.d);
    if (t.pods.size <= max) return;
    const msg = `deployment ${t.d.metadata.name} has ${t.pods.size} live pods, above replicas + maxSurge = ${replicasOf(t.d)} + ${maxSurge(t.d)} = ${max}, after pod ${p.metadata.name} was created`;
    this.ctx.report(ROLLOUT_BOUNDS, `${objectRef(t.d)}|upper`, msg, [objectRef(t.d), objectRef(p)]);
  }

  /** Arms each bound the Deployment meets now (never during a fault). */
  private arm(t: Tracked): void {
    if (this.ctx.disturbed() || (t.lowerArmed && t.upperArmed)) return;
    if (!t.upperArmed && t.pods.size <= replicasOf(t.d) + maxSurge(t.d)) t.upperArmed = true;
    if (!t.lowerArmed && this.available(t) >= replicasOf(t.d) - maxUnavailable(t.d)) t.lowerArmed = true;
  }

  /** IsPodAvailable over the tracked pods: Ready for longer than minReadySeconds. */
  private available(t: Tracked): number {
    const minReadyMs = (t.d.spec?.minReadySeconds ?? 0) * 1000;
    const nowMs = this.ctx.sim.engine.nowMs;
    let n = 0;
    for (const since of t.pods.values())
      if (since !== null && (minReadyMs === 0 || since + minReadyMs < nowMs)) n++;
    return n;
  }
}

function readySince(ctx: InvariantContext, p: Pod): number | null {
  const c = readyCondition(p);
  if (c?.status !== "True") return null;
  return c.lastTransitionTime ? ctx.sim.clock.parse(c.lastTransitionTime) : ctx.sim.engine.nowMs;
}

function hasDisruptionTarget(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === "DisruptionTarget" && c.status === "True");
}

/** The rollout-bounds checker. */
export function rolloutBounds(ctx: InvariantContext): Invariant {
  return new RolloutBounds(ctx);
}
