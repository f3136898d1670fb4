/**
 * Which faults are active, read from the timeline's own action records (so pod and apiserver
 * faults count as soon as their injector records them), and the disruptions a user causes
 * (`kubectl delete`, `drain`) that excuse a workload from its rollout bounds for a moment.
 */
import { type ActionRecord, actionArgsObject, type TimelineRecord } from "../api/records.js";

interface ActiveFault {
  type: string;
  target: string;
}

/** Pod faults that are one kill unless they last (`for:`, or a later `heal:` of the pod). */
const ONE_SHOT_TYPES = new Set(["container-crash", "oom"]);

/** Tracks active faults from `fault`/`heal` action records; a failed action changes nothing. */
export class FaultState {
  private readonly active = new Map<string, ActiveFault>();
  /** A fault has started at least once in this run. */
  everFaulted = false;

  /** `healedLater(namespace, pod, atMs)`: the scenario heals that pod after `atMs` (so its fault lasts). */
  constructor(private readonly healedLater: (namespace: string, pod: string, atMs: number) => boolean) {}

  /** Number of active faults. */
  get count(): number {
    return this.active.size;
  }

  /**
   * Applies one record: "changed" when the set of active faults changed, "pulse" for a fault that
   * is over as it happens (a one-off container kill), undefined otherwise.
   */
  apply(rec: TimelineRecord): "changed" | "pulse" | undefined {
    if (rec.type !== "action" || rec.error !== undefined) return undefined;
    if (rec.action === "fault") return this.start(rec);
    if (rec.action === "heal") return this.heal(rec) ? "changed" : undefined;
    return undefined;
  }

  private start(rec: ActionRecord): "changed" | "pulse" {
    const f = actionArgsObject(rec.args);
    this.everFaulted = true;
    const pod = typeof f.pod === "string" ? f.pod : "";
    const ns = typeof f.namespace === "string" ? f.namespace : "default";
    if (ONE_SHOT_TYPES.has(String(f.type)) && f.forMs === undefined && !this.healedLater(ns, pod, rec.t))
      return "pulse";
    const target = targetOf(f);
    this.active.set(target, { type: String(f.type ?? ""), target });
    return "changed";
  }

  private heal(rec: ActionRecord): boolean {
    const h = actionArgsObject(rec.args);
    const before = this.active.size;
    if (h.image !== undefined || h.type === "image-pull-fail") {
      for (const [k, f] of [...this.active])
        if (f.type === "image-pull-fail" && (h.image === undefined || k.startsWith(`image/${h.image}@`)))
          this.active.delete(k);
    } else if (h.node !== undefined || h.pod !== undefined) this.active.delete(targetOf(h));
    else for (const [k, f] of [...this.active]) if (f.type === h.type) this.active.delete(k);
    return this.active.size !== before;
  }
}

/** A kubectl command that deletes or evicts on purpose: `delete ...`, `drain ...`. */
export function isUserDisruption(rec: TimelineRecord): boolean {
  if (rec.type !== "action" || rec.action !== "kubectl" || rec.error !== undefined) return false;
  return /^(delete|drain)\b/.test(rec.args);
}

/** What a fault acts on, so that its heal finds it: a node, a pod, an image (on a node), the apiserver. */
function targetOf(f: Record<string, unknown>): string {
  if (f.image !== undefined || f.type === "image-pull-fail") return `image/${f.image}@${f.node ?? "*"}`;
  if (f.pod !== undefined) return `pod/${f.namespace ?? "default"}/${f.pod}`;
  if (f.node !== undefined) return `node/${f.node}`;
  return `type/${f.type}`;
}
