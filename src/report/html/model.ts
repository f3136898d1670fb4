/** The report page's data: a compact model of the run, built from the timeline records as they stream. */
import type { ObjectRecord, TimelineRecord } from "../../cluster/records.js";
import { type RolloutParams, resolveFenceposts, type ScenarioInfo, scenarioInfo } from "../scenario-info.js";
import { podPhaseName } from "../trace.js";

/** Pod states in the page, by index (a segment stores the index). */
export const POD_STATES = [
  "Pending",
  "ContainerCreating",
  "Running",
  "Ready",
  "Terminating",
  "Succeeded",
  "Failed",
  "Unknown",
] as const;

/** One pod from creation to deletion: `segs` are [tMs, state index] from its creation on. */
export interface PodModel {
  name: string;
  ns: string;
  /** Index into `owners`, or -1 for a pod without a controller. */
  owner: number;
  node: string | null;
  /** When it was bound to `node`. */
  boundMs: number | null;
  createdMs: number;
  deletedMs: number | null;
  segs: [number, number][];
  restartsMs: number[];
}

export interface OwnerModel {
  /** `ReplicaSet/web-7c5b8f9d4d`. */
  owner: string;
  /** The workload it belongs to (`Deployment/web`) or itself. */
  workload: string;
  revision: string | null;
}

/** A series of [tMs, value] points where the value changed. */
export type Series = [number, number][];

export interface WorkloadModel {
  /** `Deployment/web`. */
  key: string;
  ns: string;
  available: Series;
  /** Desired replicas (the manifest's, then each `kubectl scale`); empty when unknown. */
  desired: Series;
  /** Per ReplicaSet name: its replicas (status) over time. */
  replicaSets: Record<string, Series>;
  /** maxSurge / maxUnavailable as written, for the band (Deployments with RollingUpdate). */
  strategy: RolloutParams | null;
}

export interface NodeModel {
  name: string;
  /** [tMs, Ready status, unschedulable, taints] at each change. */
  states: [number, string, boolean, string[]][];
}

export interface ReportModel {
  scenario: { name: string; description: string; file: string };
  seed: number | null;
  endMs: number;
  lang: "en" | "zh";
  nodes: NodeModel[];
  pods: PodModel[];
  owners: OwnerModel[];
  workloads: WorkloadModel[];
  events: [number, string, string, string, string, string, number][];
  narration: { t: number; en?: string; zh?: string }[];
  actions: { t: number; action: string; args: string; output?: string; error?: string }[];
  faults: { t: number; message: string; data: unknown }[];
  recoverySteps: { t: number; object: string; step: string; message: string }[];
  expectations: { ok: boolean; expect: string; detail: string }[];
  /** Broken invariants (src/invariants), in order. */
  violations: { t: number; invariant: string; message: string }[];
}

/** The scenario facts the page shows in its header. */
export interface ReportHeader {
  name: string;
  description?: string;
  file: string;
}

const STATE_INDEX = new Map<string, number>(POD_STATES.map((s, i) => [s, i]));

/** Accumulates the model from records in order; `model()` when the run has ended. */
export class ReportModelBuilder {
  private readonly m: ReportModel;
  private readonly pods = new Map<string, PodModel>();
  private readonly nodes = new Map<string, NodeModel>();
  private readonly owners = new Map<string, number>();
  private readonly workloads = new Map<string, WorkloadModel>();

  constructor(
    header: ReportHeader,
    lang: "en" | "zh" = "en",
    private readonly info: ScenarioInfo = scenarioInfo(undefined),
  ) {
    this.m = {
      scenario: { name: header.name, description: header.description ?? "", file: header.file },
      seed: null,
      endMs: 0,
      lang,
      nodes: [],
      pods: [],
      owners: [],
      workloads: [],
      events: [],
      narration: [],
      actions: [],
      faults: [],
      recoverySteps: [],
      expectations: [],
      violations: [],
    };
  }

  /** Takes the next record (simulated-time order). */
  add(rec: TimelineRecord): void {
    this.m.endMs = rec.t;
    if (rec.type === "object") this.object(rec);
    else if (rec.type === "event")
      this.m.events.push([
        rec.t,
        rec.eventType,
        rec.reason,
        rec.involved,
        rec.source,
        rec.message,
        rec.count ?? 1,
      ]);
    else if (rec.type === "narrate") this.m.narration.push({ t: rec.t, en: rec.en, zh: rec.zh });
    else if (rec.type === "action") this.action(rec);
    else if (rec.type === "expect")
      this.m.expectations.push({ ok: rec.ok, expect: rec.expect, detail: rec.detail });
    else if (rec.type === "end") this.m.seed = rec.seed;
    else if (rec.type === "violation")
      this.m.violations.push({ t: rec.t, invariant: rec.invariant, message: rec.message });
    else if (rec.type === "step" && rec.component === "kubesim/recovery") {
      if (rec.step === "RecoverySummary")
        this.m.faults.push({ t: rec.t, message: rec.message, data: rec.data });
      else this.m.recoverySteps.push({ t: rec.t, object: rec.object, step: rec.step, message: rec.message });
    }
  }

  /** The finished model (the builder must not be used afterwards). */
  model(): ReportModel {
    return this.m;
  }

  private action(rec: Extract<TimelineRecord, { type: "action" }>): void {
    const a: ReportModel["actions"][number] = { t: rec.t, action: rec.action, args: rec.args };
    if (rec.output !== undefined) a.output = rec.output;
    if (rec.error !== undefined) a.error = rec.error;
    this.m.actions.push(a);
    // `kubectl scale deployment/web --replicas=N` moves the desired count (and the band).
    const scale = /^scale\s+(?:deployments?|deploy)[/ ](\S+).*--replicas[= ](\d+)/.exec(rec.args);
    if (rec.action === "kubectl" && scale && rec.error === undefined) {
      for (const w of this.workloads.values())
        if (w.key === `Deployment/${scale[1]}`) point(w.desired, rec.t, Number(scale[2]));
    }
  }

  private object(rec: ObjectRecord): void {
    if (rec.kind === "Pod") this.pod(rec);
    else if (rec.kind === "Node") this.node(rec);
    else if (rec.kind === "Deployment" || rec.kind === "StatefulSet") this.workload(rec);
    else if (rec.kind === "ReplicaSet") this.replicaSet(rec);
  }

  private node(rec: ObjectRecord): void {
    let n = this.nodes.get(rec.name);
    if (!n) {
      n = { name: rec.name, states: [] };
      this.nodes.set(rec.name, n);
      this.m.nodes.push(n);
    }
    const s = rec.state;
    const ready = rec.verb === "DELETED" ? "Deleted" : String(s.ready ?? "Unknown");
    n.states.push([rec.t, ready, s.unschedulable === true, (s.taints as string[] | undefined) ?? []]);
  }

  private pod(rec: ObjectRecord): void {
    const key = `${rec.namespace ?? "default"}/${rec.name}`;
    let p = this.pods.get(key);
    if (rec.verb === "DELETED") {
      if (p) p.deletedMs = rec.t;
      this.pods.delete(key);
      return;
    }
    const s = rec.state;
    if (!p) {
      const owner = typeof s.owner === "string" ? this.owner(s.owner, rec.namespace ?? "default") : -1;
      p = {
        name: rec.name,
        ns: rec.namespace ?? "default",
        owner,
        node: null,
        boundMs: null,
        createdMs: rec.t,
        deletedMs: null,
        segs: [],
        restartsMs: [],
      };
      this.pods.set(key, p);
      this.m.pods.push(p);
    }
    if (p.node === null && typeof s.node === "string") {
      p.node = s.node;
      p.boundMs = rec.t;
    }
    const state = STATE_INDEX.get(podPhaseName(s)) ?? POD_STATES.length - 1;
    if (p.segs.at(-1)?.[1] !== state) point(p.segs, rec.t, state);
    const restarts = Number(s.restarts ?? 0);
    for (let i = p.restartsMs.length; i < restarts; i++) p.restartsMs.push(rec.t);
  }

  private owner(owner: string, ns: string): number {
    const known = this.owners.get(`${ns}/${owner}`);
    if (known !== undefined) return known;
    const [kind, name = ""] = owner.split("/");
    const deployment = kind === "ReplicaSet" ? this.deploymentOf(ns, name) : undefined;
    this.m.owners.push({ owner, workload: deployment ?? owner, revision: null });
    this.owners.set(`${ns}/${owner}`, this.m.owners.length - 1);
    return this.m.owners.length - 1;
  }

  private deploymentOf(ns: string, rsName: string): string | undefined {
    const d = `Deployment/${rsName.slice(0, rsName.lastIndexOf("-"))}`;
    return this.workloads.get(`${ns}/${d}`) ? d : undefined;
  }

  private workloadModel(ns: string, key: string): WorkloadModel {
    let w = this.workloads.get(`${ns}/${key}`);
    if (w) return w;
    const params = key.startsWith("Deployment/")
      ? this.info.deployments.get(`${ns}/${key.slice(11)}`)
      : undefined;
    w = { key, ns, available: [], desired: [], replicaSets: {}, strategy: params ?? null };
    if (params) w.desired.push([0, params.replicas]);
    this.workloads.set(`${ns}/${key}`, w);
    this.m.workloads.push(w);
    return w;
  }

  private workload(rec: ObjectRecord): void {
    const w = this.workloadModel(rec.namespace ?? "default", `${rec.kind}/${rec.name}`);
    const s = rec.state;
    const available = rec.verb === "DELETED" ? 0 : Number(s.availableReplicas ?? s.readyReplicas ?? 0);
    point(w.available, rec.t, available);
  }

  private replicaSet(rec: ObjectRecord): void {
    const ns = rec.namespace ?? "default";
    const owner = this.owner(`ReplicaSet/${rec.name}`, ns);
    const o = this.m.owners[owner]!;
    if (typeof rec.state.revision === "string") o.revision = rec.state.revision;
    if (!o.workload.startsWith("Deployment/")) return;
    const w = this.workloadModel(ns, o.workload);
    const series = (w.replicaSets[rec.name] ??= []);
    point(series, rec.t, rec.verb === "DELETED" ? 0 : Number(rec.state.replicas ?? 0));
  }
}

/** Appends a point when the value changed; a change at the same time replaces the last point. */
function point(series: Series | [number, number][], t: number, v: number): void {
  const last = series.at(-1);
  if (last && last[1] === v) return;
  if (last && last[0] === t) {
    last[1] = v;
    const before = series.at(-2);
    if (before && before[1] === v) series.pop();
    return;
  }
  series.push([t, v]);
}

/** The band a rolling update keeps to at `desired`: [desired − maxUnavailable, desired + maxSurge]. */
export function rolloutBand(p: RolloutParams, desired: number): [number, number] {
  const f = resolveFenceposts(p, desired);
  return [Math.max(0, desired - f.unavailable), desired + f.surge];
}
