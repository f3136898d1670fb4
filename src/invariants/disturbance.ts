/**
 * Which faults are active, read from the timeline's own action records (so pod and apiserver
 * faults count as soon as their injector records them), and the disruptions a user causes
 * (`kubectl delete`, `drain`) that excuse a workload from its rollout bounds for a moment.
 */
import type { ActionRecord, TimelineRecord } from "../api/records.js";

interface ActiveFault {
  type: string;
  target: string;
}

/** Tracks active faults from `fault`/`heal` action records; a failed action changes nothing. */
export class FaultState {
  private readonly active = new Map<string, ActiveFault>();
  /** A fault has started at least once in this run. */
  everFaulted = false;

  /** Number of active faults. */
  get count(): number {
    return this.active.size;
  }

  /** Applies one record; returns true when the set of active faults changed. */
  apply(rec: TimelineRecord): boolean {
    if (rec.type !== "action" || rec.error !== undefined) return false;
    if (rec.action === "fault") return this.start(rec);
    if (rec.action === "heal") return this.heal(rec);
    return false;
  }

  private start(rec: ActionRecord): boolean {
    const f = parseArgs(rec.args);
    const target = targetOf(f);
    this.active.set(target, { type: String(f.type ?? ""), target });
    this.everFaulted = true;
    return true;
  }

  private heal(rec: ActionRecord): boolean {
    const h = parseArgs(rec.args);
    const before = this.active.size;
    if (h.node !== undefined || h.pod !== undefined) this.active.delete(targetOf(h));
    else for (const [k, f] of [...this.active]) if (f.type === h.type) this.active.delete(k);
    return this.active.size !== before;
  }
}

/** A kubectl command that deletes or evicts on purpose: `delete ...`, `drain ...`. */
export function isUserDisruption(rec: TimelineRecord): boolean {
  if (rec.type !== "action" || rec.action !== "kubectl" || rec.error !== undefined) return false;
  return /^(delete|drain)\b/.test(rec.args);
}

function parseArgs(args: string): Record<string, unknown> {
  try {
    const v = JSON.parse(args) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function targetOf(f: Record<string, unknown>): string {
  if (f.node !== undefined) return `node/${f.node}`;
  if (f.pod !== undefined) return `pod/${f.namespace ?? "default"}/${f.pod}`;
  if (f.image !== undefined) return `image/${f.image}`;
  return `type/${f.type}`;
}
