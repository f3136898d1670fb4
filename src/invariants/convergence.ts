/**
 * convergence: once every fault has healed, the cluster reaches its desired state within a bound
 * (default 10 minutes): each Deployment has observed its generation and has replicas updated,
 * available and no more (DeploymentComplete), each StatefulSet has its replicas ready, and each
 * Node is Ready. The liveness half of TigerBeetle's VOPR: faults first, then heal and converge.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { Deployment, Node, StatefulSet, Stored } from "../api/types.js";
import { formatDurationMs } from "../engine/duration.js";
import type { TimerId } from "../engine/engine.js";
import { type Disturbance, type Invariant, type InvariantContext, objectRef } from "./types.js";

export const CONVERGENCE = "convergence";

/** The default bound: ten minutes of simulated time after the last fault heals. */
export const DEFAULT_CONVERGE_WITHIN_MS = 10 * 60_000;

function deploymentGap(d: Deployment): string | undefined {
  if (d.spec?.paused) return undefined;
  const want = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  if ((st.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) return "generation not observed yet";
  const have = [st.replicas ?? 0, st.updatedReplicas ?? 0, st.availableReplicas ?? 0];
  if (have.every((n) => n === want)) return undefined;
  return `replicas ${have[0]}, updated ${have[1]}, available ${have[2]} of ${want}`;
}

function statefulSetGap(s: StatefulSet): string | undefined {
  const want = s.spec?.replicas ?? 1;
  const st = s.status;
  if ((st?.observedGeneration ?? 0) < (s.metadata?.generation ?? 0)) return "generation not observed yet";
  const ready = st?.readyReplicas ?? 0;
  if ((st?.replicas ?? 0) === want && ready === want) return undefined;
  return `replicas ${st?.replicas ?? 0}, ready ${ready} of ${want}`;
}

function nodeGap(n: Node): string | undefined {
  const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status;
  return ready === "True" ? undefined : `Ready=${ready ?? "Unknown"}`;
}

function gapOf(o: Stored): string | undefined {
  if (o.kind === "Deployment") return deploymentGap(o as Deployment);
  if (o.kind === "StatefulSet") return statefulSetGap(o as StatefulSet);
  return nodeGap(o as Node);
}

class Convergence implements Invariant {
  readonly name = CONVERGENCE;
  /** Objects not at their desired state now: ref → what is missing. */
  private readonly gaps = new Map<string, string>();
  private deadline: { healedMs: number; timer: TimerId } | undefined;

  constructor(
    private readonly ctx: InvariantContext,
    private readonly withinMs: number,
  ) {}

  onChange(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind !== "Deployment" && o.kind !== "StatefulSet" && o.kind !== "Node") return;
    const ref = objectRef(o);
    const gap = ev.type === "DELETED" ? undefined : gapOf(o);
    if (gap === undefined) this.gaps.delete(ref);
    else this.gaps.set(ref, gap);
    if (this.deadline && this.gaps.size === 0) this.settle();
  }

  onDisturbance(what: Disturbance): void {
    if (what === "faults-started") this.settle();
    if (what !== "faults-healed" || this.gaps.size === 0) return;
    const healedMs = this.ctx.sim.engine.nowMs;
    const timer = this.ctx.sim.engine.after(this.withinMs, () => this.expire(healedMs));
    this.deadline = { healedMs, timer };
  }

  private settle(): void {
    if (this.deadline) this.ctx.sim.engine.cancel(this.deadline.timer);
    this.deadline = undefined;
  }

  private expire(healedMs: number): void {
    if (this.deadline?.healedMs !== healedMs) return;
    this.deadline = undefined;
    const refs = [...this.gaps.keys()].sort();
    const shown = refs.slice(0, 5).map((r) => `${r} (${this.gaps.get(r)})`);
    const more = refs.length > 5 ? `, and ${refs.length - 5} more` : "";
    const msg = `the cluster did not converge within ${formatDurationMs(this.withinMs)} after every fault healed at ${formatDurationMs(healedMs)}: ${shown.join(", ")}${more}`;
    this.ctx.report(CONVERGENCE, String(healedMs), msg, refs.slice(0, 10));
  }
}

/** The convergence checker with its bound. */
export function convergence(withinMs = DEFAULT_CONVERGE_WITHIN_MS): (ctx: InvariantContext) => Invariant {
  return (ctx) => new Convergence(ctx, withinMs);
}
