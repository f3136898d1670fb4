/** trace.json: the timeline in the Chrome trace event format (opens in Perfetto), streamed from the records. */
import {
  type ActionRecord,
  actionArgsObject,
  type ObjectRecord,
  type StepRecord,
  type TimelineRecord,
} from "../cluster/records.js";
import type { Write } from "./jsonl.js";
import { type PodRequests, type ScenarioInfo, scenarioInfo } from "./scenario-info.js";

/** One trace event (the fields of the Trace Event Format that kubesim writes). */
export interface TraceEvent {
  name: string;
  ph: "b" | "e" | "n" | "i" | "C" | "M";
  /** Microseconds of simulated time. */
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: string;
  s?: "g" | "p" | "t";
  args?: Record<string, unknown>;
}

/** The control plane's process; nodes get 2, 3, … in the order they appear. */
export const CONTROL_PLANE_PID = 1;
/** Threads of the control plane process. */
const CP = {
  actions: 1,
  narration: 2,
  rollouts: 3,
  faults: 4,
  events: 5,
  unscheduled: 6,
  checks: 7,
  violations: 8,
} as const;
/** Threads of a node process. */
const NODE = { pods: 1, node: 2 } as const;

const THREAD_NAMES: [number, string][] = [
  [CP.actions, "scenario actions"],
  [CP.narration, "narration"],
  [CP.rollouts, "controllers"],
  [CP.faults, "faults and recovery"],
  [CP.events, "warning events"],
  [CP.unscheduled, "unscheduled pods"],
  [CP.checks, "expectations"],
  [CP.violations, "invariant violations"],
];

interface PodTrack {
  id: string;
  createdUs: number;
  pid?: number;
  phase: string;
  phaseUs: number;
  restarts: number;
  /** The node whose requests counter includes this pod. */
  counted?: string;
  requests?: PodRequests;
}

interface NodeTrack {
  pid: number;
  cpuMilli: number;
  memoryBytes: number;
  ready?: unknown;
  taints?: string;
}

const us = (ms: number) => ms * 1000;

/** The kubectl-like phase of a pod shown as a nested slice. */
export function podPhaseName(state: Record<string, unknown>): string {
  if (state.deleting) return "Terminating";
  if (state.phase === "Pending") return state.node ? "ContainerCreating" : "Pending";
  if (state.phase === "Running") return state.ready ? "Ready" : "Running";
  return String(state.phase);
}

/**
 * Builds trace events from timeline records in order, handing each to `emit` (the pods' begin
 * events once their node is known, so the slice sits in the node's process).
 */
export class TraceBuilder {
  private readonly nodes = new Map<string, NodeTrack>();
  private readonly pods = new Map<string, PodTrack>();
  private readonly available = new Map<string, number>();
  private nextPid = CONTROL_PLANE_PID + 1;
  private nextPodId = 1;
  private started = false;
  private endUs = 0;

  constructor(
    private readonly emit: (ev: TraceEvent) => void,
    private readonly info: ScenarioInfo = scenarioInfo(undefined),
  ) {}

  /** Takes the next record (simulated-time order). */
  add(rec: TimelineRecord): void {
    if (!this.started) this.start();
    this.endUs = us(rec.t);
    if (rec.type === "object") this.object(rec);
    else if (rec.type === "action") this.action(rec);
    else if (rec.type === "step") this.step(rec);
    else if (rec.type === "narrate")
      this.instant(rec.t, CP.narration, rec.en ?? rec.zh ?? "", "g", { en: rec.en, zh: rec.zh });
    else if (rec.type === "event" && rec.eventType === "Warning")
      this.instant(rec.t, CP.events, rec.reason, "t", { involved: rec.involved, message: rec.message });
    else if (rec.type === "expect")
      this.instant(rec.t, CP.checks, `${rec.ok ? "✓" : "✗"} ${rec.expect}`, "t", { detail: rec.detail });
    else if (rec.type === "violation")
      this.instant(rec.t, CP.violations, `✗ ${rec.invariant}`, "g", {
        message: rec.message,
        objects: rec.objects,
      });
    else if (rec.type === "end") this.finish(rec.t);
  }

  /** Closes every open pod slice at `tMs` (the end of the run). */
  finish(tMs: number): void {
    const keys = [...this.pods.keys()].sort();
    // The pods still exist: their slices close, their requests stay counted.
    for (const key of keys) this.podGone(key, us(tMs), false);
  }

  private start(): void {
    this.started = true;
    this.meta(CONTROL_PLANE_PID, 0, "process_name", { name: "control plane" });
    this.meta(CONTROL_PLANE_PID, 0, "process_sort_index", { sort_index: 0 });
    for (const [tid, name] of THREAD_NAMES) this.meta(CONTROL_PLANE_PID, tid, "thread_name", { name });
  }

  private meta(pid: number, tid: number, name: string, args: Record<string, unknown>): void {
    this.emit({ name, ph: "M", ts: 0, pid, tid, args });
  }

  private node(name: string): NodeTrack {
    let n = this.nodes.get(name);
    if (n) return n;
    n = { pid: this.nextPid++, cpuMilli: 0, memoryBytes: 0 };
    this.nodes.set(name, n);
    this.meta(n.pid, 0, "process_name", { name: `node ${name}` });
    this.meta(n.pid, 0, "process_sort_index", { sort_index: n.pid });
    this.meta(n.pid, NODE.pods, "thread_name", { name: "pods" });
    this.meta(n.pid, NODE.node, "thread_name", { name: "node" });
    this.emit({
      name: "requests",
      ph: "C",
      ts: this.endUs,
      pid: n.pid,
      tid: 0,
      args: { "cpu (m)": 0, "memory (Mi)": 0 },
    });
    return n;
  }

  private instant(
    tMs: number,
    tid: number,
    name: string,
    s: "g" | "p" | "t",
    args?: Record<string, unknown>,
  ) {
    this.emit({ name, ph: "i", ts: us(tMs), pid: CONTROL_PLANE_PID, tid, s, ...(args ? { args } : {}) });
  }

  private action(rec: ActionRecord): void {
    const args: Record<string, unknown> = { args: rec.args };
    if (rec.output !== undefined) args.output = rec.output;
    if (rec.error !== undefined) args.error = rec.error;
    if (rec.action === "kubectl") {
      this.instant(rec.t, CP.actions, `kubectl ${rec.args}`, "g", args);
      return;
    }
    const spec = actionArgsObject(rec.args);
    const target = [spec.type, spec.node, spec.pod].filter((x) => typeof x === "string").join(" ");
    this.instant(rec.t, CP.faults, `${rec.action} ${target}`.trim(), "g", args);
    if (typeof spec.node === "string") {
      const n = this.node(spec.node);
      this.emit({
        name: `${rec.action} ${target}`,
        ph: "i",
        ts: us(rec.t),
        pid: n.pid,
        tid: NODE.node,
        s: "p",
      });
    }
  }

  private step(rec: StepRecord): void {
    if (rec.component === "kubesim/recovery") {
      this.instant(rec.t, CP.faults, `${rec.step} ${rec.object}`, "t", { message: rec.message });
    } else if (rec.component.endsWith("-controller")) {
      this.instant(rec.t, CP.rollouts, `${rec.step} ${rec.object}`, "t", { message: rec.message });
    }
  }

  private object(rec: ObjectRecord): void {
    if (rec.kind === "Pod") this.pod(rec);
    else if (rec.kind === "Node") this.nodeRecord(rec);
    else if (rec.kind === "Deployment" || rec.kind === "StatefulSet") this.workload(rec);
  }

  private nodeRecord(rec: ObjectRecord): void {
    const n = this.node(rec.name);
    const taints = JSON.stringify(rec.state.taints ?? []);
    if (rec.verb === "ADDED") {
      n.ready = rec.state.ready;
      n.taints = taints;
      return;
    }
    const name = rec.verb === "DELETED" ? "node deleted" : nodeChange(n, rec.state.ready, taints);
    n.ready = rec.state.ready;
    n.taints = taints;
    if (name)
      this.emit({ name, ph: "i", ts: us(rec.t), pid: n.pid, tid: NODE.node, s: "p", args: rec.state });
  }

  private workload(rec: ObjectRecord): void {
    const key = `${rec.kind.toLowerCase()}/${rec.namespace ?? "default"}/${rec.name}`;
    const value =
      rec.verb === "DELETED" ? 0 : Number(rec.state.availableReplicas ?? rec.state.readyReplicas ?? 0);
    if (this.available.get(key) === value) return;
    this.available.set(key, value);
    const name = `available ${rec.kind.toLowerCase()}/${rec.name}`;
    this.emit({ name, ph: "C", ts: us(rec.t), pid: CONTROL_PLANE_PID, tid: 0, args: { available: value } });
  }

  private pod(rec: ObjectRecord): void {
    const key = `${rec.namespace ?? "default"}/${rec.name}`;
    const t = us(rec.t);
    let p = this.pods.get(key);
    if (rec.verb === "DELETED") {
      this.podGone(key, t);
      return;
    }
    const s = rec.state;
    if (!p) {
      const owner = typeof s.owner === "string" ? s.owner : undefined;
      const requests = this.info.podRequests(rec.namespace ?? "default", rec.name, owner);
      p = {
        id: `pod-${this.nextPodId++}`,
        createdUs: t,
        phase: podPhaseName(s),
        phaseUs: t,
        restarts: 0,
        requests,
      };
      this.pods.set(key, p);
    }
    if (p.pid === undefined && typeof s.node === "string") this.podBegin(key, p, this.node(s.node).pid, s);
    const phase = podPhaseName(s);
    if (phase !== p.phase) {
      this.phaseSlice(p, t);
      p.phase = phase;
      p.phaseUs = t;
    }
    const restarts = Number(s.restarts ?? 0);
    if (restarts > p.restarts && p.pid !== undefined)
      this.emit({
        name: "restart",
        ph: "n",
        cat: "pod",
        id: p.id,
        ts: t,
        pid: p.pid,
        tid: NODE.pods,
        args: { restarts },
      });
    p.restarts = restarts;
    const terminal = s.phase === "Succeeded" || s.phase === "Failed";
    const node = typeof s.node === "string" && !terminal ? s.node : undefined;
    if (node !== p.counted) this.count(p, node, t);
  }

  private podBegin(key: string, p: PodTrack, pid: number, s: Record<string, unknown>): void {
    p.pid = pid;
    const tid = pid === CONTROL_PLANE_PID ? CP.unscheduled : NODE.pods;
    const args: Record<string, unknown> = { pod: key };
    if (s.owner) args.owner = s.owner;
    this.emit({ name: key, ph: "b", cat: "pod", id: p.id, ts: p.createdUs, pid, tid, args });
  }

  /** Writes the phase that ends at `endUs` (begin and end together; empty phases are left out). */
  private phaseSlice(p: PodTrack, endUs: number): void {
    if (endUs <= p.phaseUs || p.pid === undefined) return;
    const tid = p.pid === CONTROL_PLANE_PID ? CP.unscheduled : NODE.pods;
    this.emit({ name: p.phase, ph: "b", cat: "pod", id: p.id, ts: p.phaseUs, pid: p.pid, tid });
    this.emit({ name: p.phase, ph: "e", cat: "pod", id: p.id, ts: endUs, pid: p.pid, tid });
  }

  private podGone(key: string, t: number, deleted = true): void {
    const p = this.pods.get(key);
    if (!p) return;
    this.pods.delete(key);
    if (p.pid === undefined) this.podBegin(key, p, CONTROL_PLANE_PID, {});
    this.phaseSlice(p, t);
    const tid = p.pid === CONTROL_PLANE_PID ? CP.unscheduled : NODE.pods;
    this.emit({ name: key, ph: "e", cat: "pod", id: p.id, ts: t, pid: p.pid!, tid });
    if (deleted && p.counted !== undefined) this.count(p, undefined, t);
  }

  /** Moves the pod's requests from the node that counted it to `node`. */
  private count(p: PodTrack, node: string | undefined, t: number): void {
    const r = p.requests;
    for (const [name, sign] of [
      [p.counted, -1],
      [node, 1],
    ] as const) {
      if (name === undefined || !r) continue;
      const n = this.node(name);
      n.cpuMilli += sign * r.cpuMilli;
      n.memoryBytes += sign * r.memoryBytes;
      const args = { "cpu (m)": n.cpuMilli, "memory (Mi)": Math.round(n.memoryBytes / 1048576) };
      this.emit({ name: "requests", ph: "C", ts: t, pid: n.pid, tid: 0, args });
    }
    p.counted = node;
  }
}

function nodeChange(n: NodeTrack, ready: unknown, taints: string): string | undefined {
  if (ready !== n.ready) return `Ready=${String(ready)}`;
  if (taints !== n.taints) return `taints ${taints}`;
  return undefined;
}

/** A record sink that streams trace.json; `close` ends the file if no `end` record did. */
export interface TraceSink {
  (rec: TimelineRecord): void;
  close(): void;
}

/**
 * Returns a record sink that streams trace.json: `{"traceEvents":[` … `],"displayTimeUnit":"ms"}`,
 * closed when the run's `end` record arrives (or by `close`).
 */
export function traceWriter(write: Write, info?: ScenarioInfo): TraceSink {
  let first = true;
  let closed = false;
  let lastMs = 0;
  const builder = new TraceBuilder((ev) => {
    write((first ? '{"traceEvents":[\n' : ",\n") + JSON.stringify(ev));
    first = false;
  }, info);
  const close = () => {
    if (closed) return;
    closed = true;
    write(`${first ? '{"traceEvents":[' : ""}\n],"displayTimeUnit":"ms"}\n`);
  };
  const sink = (rec: TimelineRecord) => {
    if (closed) return;
    lastMs = rec.t;
    builder.add(rec);
    if (rec.type === "end") close();
  };
  return Object.assign(sink, {
    close: () => {
      if (!closed) builder.finish(lastMs);
      close();
    },
  });
}

/** The whole trace.json of a finished run's records. */
export function traceJson(records: Iterable<TimelineRecord>, info?: ScenarioInfo): string {
  const parts: string[] = [];
  const sink = traceWriter((c) => parts.push(c), info);
  for (const r of records) sink(r);
  sink.close();
  return parts.join("");
}
