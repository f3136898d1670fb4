/** Timeline records: the JSONL contract of DESIGN.md, one object per line, in simulated-time order. */

export interface ActionRecord {
  t: number;
  type: "action";
  action: "kubectl" | "fault" | "heal";
  args: string;
  /** What kubectl printed (e.g. `deployment.apps/web scaled`). */
  output?: string;
  /** What kubectl printed on failure (e.g. `Error from server (NotFound): ...`). */
  error?: string;
}

export interface ObjectRecord {
  t: number;
  type: "object";
  verb: "ADDED" | "MODIFIED" | "DELETED";
  kind: string;
  namespace?: string;
  name: string;
  state: Record<string, unknown>;
}

export interface EventRecord {
  t: number;
  type: "event";
  eventType: "Normal" | "Warning";
  reason: string;
  involved: string;
  source: string;
  message: string;
  count?: number;
}

/**
 * A step inside a component that no Kubernetes object or Event shows (the pod sandbox being
 * created, a scheduler's per-node verdicts when explained): kubesim's own record.
 */
export interface StepRecord {
  t: number;
  type: "step";
  /** `kubelet/node-1`, `default-scheduler`. */
  component: string;
  /** `Pod/default/web-abc12`. */
  object: string;
  step: string;
  message: string;
  data?: unknown;
}

export interface NarrateRecord {
  t: number;
  type: "narrate";
  en?: string;
  zh?: string;
}

export interface ExpectRecord {
  t: number;
  type: "expect";
  ok: boolean;
  expect: string;
  detail: string;
}

/** A broken invariant (src/invariants): what, the objects involved and the records that led there. */
export interface ViolationRecord {
  t: number;
  type: "violation";
  invariant: string;
  message: string;
  objects: string[];
  chain: string[];
  seed: number;
}

export interface EndRecord {
  t: number;
  type: "end";
  events: number;
  objects: Record<string, number>;
  seed: number;
}

export type TimelineRecord =
  | ActionRecord
  | ObjectRecord
  | EventRecord
  | StepRecord
  | NarrateRecord
  | ExpectRecord
  | ViolationRecord
  | EndRecord;

/** Receives records as the run produces them (writers stream; nothing is held). */
export type RecordSink = (rec: TimelineRecord) => void;

/** The fields of a `fault`/`heal` action record, whose `args` is the spec as JSON; {} for anything else. */
export function actionArgsObject(args: string): Record<string, unknown> {
  try {
    const v = JSON.parse(args) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
