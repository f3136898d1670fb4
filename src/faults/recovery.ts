/**
 * The recovery timeline of node faults: watching every write (synchronously), it follows each pod
 * lost to a fault — last heartbeat, node NotReady, NoExecute taint, eviction, replacement created,
 * scheduled, running, Ready — records a step at each milestone and a summary per fault at the end.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import type { Lease, Node, Pod, Stored } from "../api/types.js";
import { formatDurationMs } from "../engine/duration.js";
import type { ActiveNodeFault, FaultListener } from "./node-faults.js";
import {
  faultTitle,
  formatPhases,
  podPhases,
  recoveredAtMs,
  summaryData,
  summaryMessage,
} from "./recovery-summary.js";
import type { FaultTrack, LostPod } from "./recovery-types.js";

const COMPONENT = "kubesim/recovery";

const podKey = (p: Pod) => `${p.metadata?.namespace ?? "default"}/${p.metadata?.name}`;
const isReady = (p: Pod) =>
  p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
const controllerUid = (p: Pod) => p.metadata?.ownerReferences?.find((r) => r.controller)?.uid;

export class RecoveryTracker implements FaultListener {
  readonly tracks: FaultTrack[] = [];
  private finished = false;
  /** The open track of each node (its latest fault, until every pod it cost is serving again). */
  private readonly byNode = new Map<string, FaultTrack>();
  private readonly lostByUid = new Map<string, { track: FaultTrack; pod: LostPod }>();
  private readonly replacementByUid = new Map<string, { track: FaultTrack; pod: LostPod }>();
  /** Summaries of other trackers (pod-level faults), written after the node faults' own. */
  private readonly moreSummaries: (() => void)[] = [];
  /** Evicted pods waiting for their controller to create a replacement, first evicted first. */
  private readonly awaiting = new Map<string, { track: FaultTrack; pod: LostPod }[]>();

  constructor(private readonly ctx: SimContext) {
    ctx.api.observe((ev) => {
      if (this.byNode.size + this.lostByUid.size + this.replacementByUid.size === 0) return;
      if (ev.object.kind === "Pod") this.onPod(ev as WatchEvent<Pod>);
      else if (ev.object.kind === "Node") this.onNode(ev as WatchEvent<Node>);
    });
  }

  faultStarted(f: ActiveNodeFault): void {
    const { api, clock } = this.ctx;
    const lease = api.get<Lease>("Lease", "kube-node-lease", f.node);
    const renew = lease?.spec?.renewTime;
    const track: FaultTrack = { fault: f, pods: [], recovered: false };
    if (renew) track.lastHeartbeatMs = clock.parse(renew);
    this.tracks.push(track);
    this.byNode.set(f.node, track);
    for (const p of api.list<Pod>("Pod", { nodeName: f.node })) this.addLost(track, p);
    const names = track.pods.map((p) => p.key.split("/")[1]).join(", ");
    const hb =
      track.lastHeartbeatMs === undefined
        ? "no Lease yet"
        : `last heartbeat (Lease renewal) ${formatDurationMs(f.sinceMs - track.lastHeartbeatMs)} before`;
    const message = `${faultTitle(track)}; ${hb}; pods on the node: ${names || "none"}`;
    // After the action's own record, which the runner writes once the fault is in place.
    this.ctx.engine.after(0, () => this.step(track, `Node/${f.node}`, "NodeFault", message));
  }

  faultHealed(f: ActiveNodeFault, nowMs: number): void {
    const track = this.tracks.find((t) => t.fault === f);
    if (!track) return;
    track.healedMs = nowMs;
    this.step(
      track,
      `Node/${f.node}`,
      "NodeHealed",
      `${faultTitle(track)} healed after ${formatDurationMs(nowMs - f.sinceMs)}`,
    );
    // Pods never evicted and still Ready after a partition or a kubelet stop are serving as they
    // were; after a crash their containers start again, so Ready must be reported anew.
    for (const p of f.type === "crash" ? [] : track.pods) {
      if (p.evictedMs !== undefined || p.recoveredMs !== undefined) continue;
      const cur = this.ctx.api.get<Pod>("Pod", ...splitKey(p.key));
      if (cur && cur.metadata.uid === p.uid && isReady(cur)) this.recoverInPlace(track, p);
    }
    this.maybeRecovered(track);
    if (track.recovered && this.byNode.get(f.node) === track) this.byNode.delete(f.node);
  }

  private addLost(track: FaultTrack, p: Stored<Pod>): void {
    if (this.lostByUid.has(p.metadata.uid) || p.metadata.deletionTimestamp) return;
    if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") return;
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    const lost: LostPod = { key: podKey(p), uid: p.metadata.uid };
    if (ref) {
      lost.ownerUid = ref.uid;
      lost.owner = `${ref.kind}/${ref.name}`;
    }
    track.pods.push(lost);
    this.lostByUid.set(p.metadata.uid, { track, pod: lost });
  }

  private onNode(ev: WatchEvent<Node>): void {
    const name = ev.object.metadata.name;
    const track = this.byNode.get(name);
    if (!track || track.healedMs !== undefined || ev.type === "DELETED") return;
    const node = ev.object;
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    const now = this.ctx.engine.nowMs;
    if (track.notReadyMs === undefined && ready && ready.status !== "True") {
      track.notReadyMs = now;
      track.notReadyStatus = ready.status;
      const since =
        track.lastHeartbeatMs === undefined
          ? ""
          : ` ${formatDurationMs(now - track.lastHeartbeatMs)} after its last heartbeat`;
      this.step(
        track,
        `Node/${name}`,
        "NodeNotReady",
        `${name} Ready=${ready.status} (${ready.reason ?? ""})${since}`,
      );
    }
    const taint = node.spec?.taints?.find(
      (t) =>
        t.effect === "NoExecute" &&
        (t.key === "node.kubernetes.io/unreachable" || t.key === "node.kubernetes.io/not-ready"),
    );
    if (track.taintedMs === undefined && taint) {
      track.taintedMs = now;
      track.taint = `${taint.key}:NoExecute`;
      const since =
        track.notReadyMs === undefined
          ? ""
          : ` ${formatDurationMs(now - track.notReadyMs)} after Ready left True`;
      this.step(track, `Node/${name}`, "NodeTainted", `${name} tainted ${track.taint}${since}`);
    }
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const p = ev.object;
    const uid = p.metadata.uid;
    const lost = this.lostByUid.get(uid);
    if (lost) this.onLostPod(ev, lost.track, lost.pod);
    const repl = this.replacementByUid.get(uid);
    if (repl) this.onReplacement(ev, repl.track, repl.pod);
    if (ev.type === "ADDED") this.claimReplacement(p);
    const node = p.spec?.nodeName;
    // A pod bound to the node while the fault is active is lost too.
    if (node && ev.old?.spec?.nodeName !== node && ev.type !== "DELETED") {
      const track = this.byNode.get(node);
      if (track && track.healedMs === undefined) this.addLost(track, p);
    }
  }

  private onLostPod(ev: WatchEvent<Pod>, track: FaultTrack, lost: LostPod): void {
    const p = ev.object;
    const now = this.ctx.engine.nowMs;
    if (lost.evictedMs === undefined && (ev.type === "DELETED" || p.metadata.deletionTimestamp)) {
      lost.evictedMs = now;
      const dt = p.status?.conditions?.find((c) => c.type === "DisruptionTarget" && c.status === "True");
      lost.evictedBy = dt?.reason ?? (ev.type === "DELETED" ? "deleted" : "deletion");
      const since =
        track.taintedMs === undefined
          ? ""
          : ` ${formatDurationMs(now - track.taintedMs)} after the NoExecute taint`;
      this.step(
        track,
        `Pod/${lost.key}`,
        "PodEvicted",
        `${lost.key} marked for deletion (${lost.evictedBy})${since}`,
      );
      if (lost.recoveredMs === undefined && lost.ownerUid) this.await(track, lost);
      if (!lost.ownerUid) this.maybeRecovered(track);
    }
    if (ev.type === "DELETED") this.lostByUid.delete(p.metadata.uid);
    else if (
      lost.evictedMs === undefined &&
      track.healedMs !== undefined &&
      lost.recoveredMs === undefined &&
      isReady(p)
    )
      this.recoverInPlace(track, lost);
  }

  private await(track: FaultTrack, lost: LostPod): void {
    const list = this.awaiting.get(lost.ownerUid!) ?? [];
    list.push({ track, pod: lost });
    this.awaiting.set(lost.ownerUid!, list);
  }

  /** A new pod of a controller that lost one: the first lost pod still waiting is replaced by it. */
  private claimReplacement(p: Stored<Pod>): void {
    const owner = controllerUid(p);
    const list = owner ? this.awaiting.get(owner) : undefined;
    if (!list || list.length === 0) return;
    const next = list.shift()!;
    if (list.length === 0) this.awaiting.delete(owner!);
    const now = this.ctx.engine.nowMs;
    next.pod.replacement = { key: podKey(p), uid: p.metadata.uid, createdMs: now };
    this.replacementByUid.set(p.metadata.uid, next);
    const since = formatDurationMs(now - next.pod.evictedMs!);
    this.step(
      next.track,
      `Pod/${podKey(p)}`,
      "ReplacementCreated",
      `${podKey(p)} replaces ${next.pod.key}, created ${since} after its eviction`,
    );
    this.onReplacement({ type: "MODIFIED", object: p }, next.track, next.pod);
  }

  private onReplacement(ev: WatchEvent<Pod>, track: FaultTrack, lost: LostPod): void {
    const p = ev.object;
    const r = lost.replacement!;
    const now = this.ctx.engine.nowMs;
    if (ev.type === "DELETED" || p.metadata.deletionTimestamp) {
      // The replacement went before it served: the next new pod of the controller takes over.
      this.replacementByUid.delete(r.uid);
      if (r.readyMs === undefined) {
        this.step(
          track,
          `Pod/${r.key}`,
          "ReplacementLost",
          `${r.key} (replacing ${lost.key}) deleted before it was Ready`,
        );
        lost.replacement = undefined;
        this.await(track, lost);
      }
      return;
    }
    const what = `${r.key} (replacing ${lost.key})`;
    if (r.scheduledMs === undefined && p.spec?.nodeName) {
      r.scheduledMs = now;
      r.node = p.spec.nodeName;
      this.step(
        track,
        `Pod/${r.key}`,
        "ReplacementScheduled",
        `${what} bound to ${r.node} ${formatDurationMs(now - r.createdMs)} after creation`,
      );
    }
    if (r.runningMs === undefined && p.status?.phase === "Running") {
      r.runningMs = now;
      this.step(
        track,
        `Pod/${r.key}`,
        "ReplacementRunning",
        `${what} Running ${formatDurationMs(now - (r.scheduledMs ?? r.createdMs))} after scheduling`,
      );
    }
    if (r.readyMs === undefined && isReady(p)) {
      r.readyMs = now;
      lost.recoveredMs = now;
      this.replacementByUid.delete(r.uid);
      const phases = formatPhases(podPhases(track, lost));
      this.step(
        track,
        `Pod/${r.key}`,
        "ReplacementReady",
        `${what} Ready, ${formatDurationMs(now - track.fault.sinceMs)} after the fault (${phases})`,
      );
      this.maybeRecovered(track);
    }
  }

  private recoverInPlace(track: FaultTrack, lost: LostPod): void {
    const now = this.ctx.engine.nowMs;
    lost.recoveredMs = now;
    lost.inPlace = true;
    const after = formatDurationMs(now - (track.healedMs ?? now));
    this.step(
      track,
      `Pod/${lost.key}`,
      "PodReadyInPlace",
      `${lost.key} Ready again on ${track.fault.node} ${after} after the heal (never evicted)`,
    );
    this.maybeRecovered(track);
  }

  /** Every lost pod serving again (or gone for good, without a controller): one Recovered step. */
  private maybeRecovered(track: FaultTrack): void {
    if (track.recovered || track.pods.length === 0) return;
    const serving = (p: LostPod) => p.recoveredMs !== undefined || (p.evictedMs !== undefined && !p.ownerUid);
    if (!track.pods.every(serving)) return;
    track.recovered = true;
    const at =
      recoveredAtMs({ ...track, pods: track.pods.filter((p) => p.recoveredMs !== undefined) }) ??
      this.ctx.engine.nowMs;
    this.step(
      track,
      `Node/${track.fault.node}`,
      "Recovered",
      `${faultTitle(track)}: every lost pod serving again ${formatDurationMs(at - track.fault.sinceMs)} after the fault`,
    );
    if (track.healedMs !== undefined && this.byNode.get(track.fault.node) === track)
      this.byNode.delete(track.fault.node);
  }

  /** Runs `fn` at the end of the run, after the node faults' summaries. */
  alsoFinish(fn: () => void): void {
    this.moreSummaries.push(fn);
  }

  /** The end-of-run summary: one step per fault, with the time spent in each phase (once). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const track of this.tracks) {
      this.step(
        track,
        `Node/${track.fault.node}`,
        "RecoverySummary",
        summaryMessage(track),
        summaryData(track),
      );
    }
    for (const fn of this.moreSummaries) fn();
  }

  private step(_track: FaultTrack, object: string, step: string, message: string, data?: unknown): void {
    recordRecoveryStep(this.ctx, object, step, message, data);
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Writes one step record of the recovery lane (`kubesim/recovery`), for node and pod faults alike. */
export function recordRecoveryStep(
  ctx: SimContext,
  object: string,
  step: string,
  message: string,
  data?: unknown,
): void {
  ctx.record({
    t: ctx.engine.nowMs,
    type: "step",
    component: COMPONENT,
    object,
    step,
    message,
    ...(data !== undefined ? { data } : {}),
  });
}
