/** The node agent: owns one node's runtime, image cache, IPs and pod workers; watches its pods; admits them; hooks for faults. */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import type { EventType } from "../api/events.js";
import type { Resources } from "../api/resources.js";
import type { Mutable, Node, Pod, PodCondition, PodStatus, Stored } from "../api/types.js";
import type { Rng } from "../engine/rng.js";
import type { DurationRange, NodeSpec } from "../scenario/types.js";
import { admitPod } from "./admission.js";
import { draw, type KubeletTimings, PLEG_RELIST_PERIOD_MS, resolveTimings } from "./config.js";
import type { ImageBehaviors } from "./images.js";
import { ImageService } from "./images.js";
import { initialNode } from "./initial-node.js";
import { type InjectedExit, type InjectedFaults, injectedFaults } from "./injected.js";
import { IpAllocator } from "./ip.js";
import { msg } from "./messages.js";
import { NodeStatusManager } from "./node-status.js";
import { KUBELET_CONDITIONS } from "./phase.js";
import { foreignConditions, PodWorker } from "./pod-worker.js";
import { type ContainerInstance, ContainerRuntime } from "./runtime.js";
import { seedWorker } from "./seed.js";
import { TimerSet } from "./timers.js";

/** The kubelet of one node. `stop`/`crash`/`restart`/`setApiReachable` are the hooks fault injection uses. */
export class Kubelet {
  /** The kubelet's own timers (lease, status); pod workers have theirs. */
  readonly timers: TimerSet;
  /** The runtime's timers (process exits, stops, pulls): they outlive a stopped kubelet. */
  private readonly runtimeTimers: TimerSet;
  readonly runtime: ContainerRuntime;
  readonly images: ImageService;
  readonly ips: IpAllocator;
  readonly rng: Rng;
  readonly timings: KubeletTimings;
  readonly nodeIp: string;
  /** `status.hostIPs` of every pod here: one frozen array they all share. */
  readonly hostIPs: readonly { readonly ip: string }[];
  readonly podCidr: string;
  readonly nodeStatus: NodeStatusManager;
  /** Injected faults (crashing containers, failing pulls) this kubelet and its runtime obey. */
  readonly injected: InjectedFaults;
  /** Running: watching pods, syncing, heartbeating. False after `stop` or `crash`. */
  running = false;
  /** When false every API call fails (a network partition): nothing is written, nothing is watched. */
  apiReachable = true;
  startedAtMs = 0;
  private readonly workers = new Map<string, PodWorker>();
  private readonly deferred = new Set<PodWorker>();
  private readonly finalizing = new Set<PodWorker>();
  /** Pods this kubelet rejected, so that a late watch event cannot admit them after all. */
  private readonly rejected = new Set<string>();
  private readonly used: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0 };
  private readonly usedPorts = new Map<string, number>();
  /** Pod requests by value: a worker keeps its pod's for life, and pods here mostly ask the same. */
  private readonly requestsByValue = new Map<string, Readonly<Resources>>();
  private readonly tickPhaseMs: number;
  private unwatch: (() => void) | undefined;

  constructor(
    readonly cluster: SimContext,
    readonly spec: NodeSpec,
    readonly nodeName: string,
    readonly index: number,
    readonly behaviors: ImageBehaviors,
  ) {
    const engine = cluster.engine;
    this.rng = cluster.rng.fork(`kubelet/${nodeName}`);
    this.timings = resolveTimings(cluster.scenario.timing);
    this.timers = new TimerSet(engine);
    this.runtimeTimers = new TimerSet(engine);
    this.runtime = new ContainerRuntime(this.runtimeTimers, this.rng.fork("runtime"));
    this.injected = injectedFaults(cluster);
    this.images = new ImageService(this.runtimeTimers, this.rng.fork("images"), this.timings);
    this.images.injectedFailure = (image) => this.injected.pullFails(image, nodeName);
    const node = initialNode(spec, nodeName, index);
    this.podCidr = node.spec?.podCIDR ?? `10.244.${index}.0/24`;
    this.ips = new IpAllocator(this.podCidr);
    this.nodeIp = node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "";
    this.hostIPs = Object.freeze([Object.freeze({ ip: this.nodeIp })]);
    this.nodeStatus = new NodeStatusManager(this);
    this.tickPhaseMs = this.rng.int(PLEG_RELIST_PERIOD_MS);
  }

  get nowMs(): number {
    return this.cluster.engine.nowMs;
  }

  /** Draws a duration from the kubelet's stream. */
  draw(r: DurationRange): number {
    return draw(this.rng, r);
  }

  /** The first of the kubelet's 1 s ticks (PLEG relist, sync loop) strictly after `t`. */
  nextTick(t: number): number {
    const p = PLEG_RELIST_PERIOD_MS;
    return this.tickPhaseMs + (Math.floor((t - this.tickPhaseMs) / p) + 1) * p;
  }

  /** API writes are possible: the kubelet runs and reaches the apiserver. */
  canWrite(): boolean {
    return this.running && this.apiReachable;
  }

  /** `r`, or an equal set of requests already kept (frozen and shared: ~100 B less per pod). */
  sharedRequests(r: Resources): Readonly<Resources> {
    const key = `${r.milliCpu}/${r.memory}/${r.ephemeralStorage}/${r.pods}`;
    let kept = this.requestsByValue.get(key);
    if (!kept) this.requestsByValue.set(key, (kept = Object.freeze(r)));
    return kept;
  }

  /** The worker of a pod on this node (tests and fault injection). */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  // ---- lifecycle hooks ---------------------------------------------------------------------

  /** Starts (or restarts) the kubelet: registration, Lease and status loops, the pod watch, a resync. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAtMs = this.nowMs;
    this.runtime.onExit = (inst) => this.onExit(inst);
    this.nodeStatus.start();
    this.unwatch = this.cluster.api.watchNodePods(this.nodeName, (ev) => this.onPodEvent(ev));
    this.resync();
  }

  /** kubelet-stop: no heartbeats, no syncs, no probes; the containers keep running. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.timers.cancelAll();
    this.nodeStatus.stop();
    this.unwatch?.();
    this.unwatch = undefined;
    for (const w of this.workers.values()) {
      w.pause();
      // Its volume resyncs ran on the timers just cancelled: a restart starts them again (resync).
      w.projected.halt();
    }
  }

  /** The node dies: the kubelet and every container and sandbox are gone. */
  crash(): void {
    this.stop();
    this.runtime.crash();
    this.images.abortAll();
    this.ips.clear();
    this.workers.clear();
    this.deferred.clear();
    this.finalizing.clear();
    this.rejected.clear();
    this.usedPorts.clear();
    this.used.milliCpu = this.used.memory = this.used.ephemeralStorage = this.used.pods = 0;
  }

  /**
   * An injected container crash: the running process of `container` in pod `podUid` exits now with
   * `exit`, and the kubelet handles it as any exit (PLEG, restart policy, CrashLoopBackOff). Works
   * with the kubelet stopped too (the runtime outlives it). False if no such process runs.
   */
  crashContainer(podUid: string, container: string, exit: InjectedExit): boolean {
    const inst = this.runtime.containers(podUid).find((c) => c.name === container && c.state === "running");
    return inst !== undefined && this.runtime.kill(inst, this.nowMs, exit.exitCode, exit.reason);
  }

  /** Starts again after `stop` or `crash` (re-registers, re-lists its pods). */
  restart(): void {
    this.start();
  }

  /** Partition (false) or heal (true). On heal the kubelet re-lists its pods and reports at once. */
  setApiReachable(reachable: boolean): void {
    const was = this.apiReachable;
    this.apiReachable = reachable;
    if (!reachable || was || !this.running) return;
    this.resync();
    this.nodeStatus.renewLease();
    this.nodeStatus.update(false);
    this.afterStatusTick();
  }

  // ---- pods ----------------------------------------------------------------------------------

  private onPodEvent(ev: WatchEvent): void {
    if (!this.running || !this.apiReachable) return;
    const pod = ev.object as Stored<Pod>;
    const w = this.workers.get(pod.metadata.uid);
    if (ev.type === "DELETED" || pod.spec?.nodeName !== this.nodeName) {
      if (w) this.dropWorker(w);
      this.rejected.delete(pod.metadata.uid);
      return;
    }
    if (w) w.update(pod);
    else this.handleNewPod(pod);
  }

  // Reconciles the workers with the pods the apiserver has bound to this node.
  private resync(): void {
    if (!this.canWrite()) return;
    const pods = this.cluster.api.list<Pod>("Pod", { nodeName: this.nodeName });
    const seen = new Set<string>();
    for (const pod of pods) {
      seen.add(pod.metadata.uid);
      const w = this.workers.get(pod.metadata.uid);
      if (!w) this.handleNewPod(pod);
      else {
        // Resume first (it re-runs an interrupted termination), then act on what changed meanwhile.
        w.resume();
        w.projected.resume();
        w.update(pod);
      }
    }
    for (const w of [...this.workers.values()]) if (!seen.has(w.uid)) this.dropWorker(w);
  }

  private handleNewPod(pod: Stored<Pod>): void {
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed" || this.rejected.has(pod.metadata.uid)) return;
    if (pod.metadata.deletionTimestamp) {
      // Never started here: nothing to stop.
      this.cluster.api.finalizeDeletion("Pod", pod.metadata.namespace, pod.metadata.name, pod.metadata.uid);
      return;
    }
    const node =
      this.cluster.api.get<Node>("Node", undefined, this.nodeName) ??
      initialNode(this.spec, this.nodeName, this.index);
    // usedPorts holds only ports in use (a count that reaches 0 is deleted): no copy needed.
    const verdict = admitPod(pod, node, this.used, this.usedPorts);
    if (!verdict.admit) {
      this.rejected.add(pod.metadata.uid);
      this.rejectPod(pod, verdict.reason, verdict.message);
      return;
    }
    const w = new PodWorker(this, pod);
    this.workers.set(w.uid, w);
    this.used.milliCpu += w.requests.milliCpu;
    this.used.memory += w.requests.memory;
    this.used.ephemeralStorage += w.requests.ephemeralStorage;
    this.used.pods++;
    for (const p of w.hostPorts) this.usedPorts.set(p, (this.usedPorts.get(p) ?? 0) + 1);
    if (pod.status?.startTime) seedWorker(w, pod);
    w.begin();
  }

  // kubelet.go rejectPod: a Warning event and phase Failed with the admission reason.
  private rejectPod(pod: Stored<Pod>, reason: string, message: string): void {
    this.event(pod, "Warning", reason, message);
    this.cluster.api.mutate<Pod>(
      "Pod",
      pod.metadata.namespace,
      pod.metadata.name,
      (draft) => {
        const d = draft as Mutable<Pod>;
        const cur = d.status ?? {};
        const kept = foreignConditions(cur as PodStatus);
        d.status = {
          phase: "Failed",
          ...(kept.length ? { conditions: kept } : {}),
          message: msg.rejected(message),
          reason,
          ...(cur.qosClass ? { qosClass: cur.qosClass } : {}),
        } as Mutable<PodStatus>;
      },
      { subresource: "status" },
    );
  }

  /** A pod stops counting against the node's resources once it is terminal. */
  releaseAdmission(w: PodWorker): void {
    if (!w.admitted) return;
    w.admitted = false;
    this.used.milliCpu -= w.requests.milliCpu;
    this.used.memory -= w.requests.memory;
    this.used.ephemeralStorage -= w.requests.ephemeralStorage;
    this.used.pods--;
    for (const p of w.hostPorts) {
      const n = (this.usedPorts.get(p) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(p);
      else this.usedPorts.set(p, n);
    }
  }

  private dropWorker(w: PodWorker): void {
    if (!w.terminal) w.abandon();
    w.projected.halt();
    this.releaseAdmission(w);
    this.workers.delete(w.uid);
    this.deferred.delete(w);
    this.finalizing.delete(w);
  }

  /** The kubelet's final delete (grace 0) of a pod whose containers have all stopped. */
  finalize(w: PodWorker): void {
    if (!this.canWrite()) {
      this.finalizing.add(w);
      return;
    }
    this.finalizing.delete(w);
    this.cluster.api.finalizeDeletion("Pod", w.namespace, w.name, w.uid);
    w.projected.halt();
    this.workers.delete(w.uid);
    this.deferred.delete(w);
  }

  private onExit(inst: ContainerInstance): void {
    if (!this.running) return;
    this.workers.get(inst.podUid)?.onProcessExit(inst);
  }

  // ---- API writes ------------------------------------------------------------------------------

  /** A status the apiserver could not take now; retried at the next status tick. */
  deferStatus(w: PodWorker): void {
    this.deferred.add(w);
  }

  /** Runs after each node status tick: the status manager's periodic retry of what failed to write. */
  afterStatusTick(): void {
    if (!this.canWrite()) return;
    for (const w of [...this.deferred]) {
      this.deferred.delete(w);
      if (this.workers.has(w.uid)) w.flushNow();
    }
    for (const w of [...this.finalizing]) this.finalize(w);
  }

  /**
   * Writes a pod's status, keeping the fields the kubelet does not own (PodScheduled, qosClass, …).
   * The new status is built from the stored object, not the draft, so immer has no drafts to finalize.
   */
  writePodStatus(current: Stored<Pod>, s: Mutable<PodStatus>): void {
    const cur = (current.status ?? {}) as PodStatus;
    const next = {
      phase: s.phase,
      conditions: withForeign(s.conditions ?? [], cur.conditions),
      ...(cur.message ? { message: cur.message } : {}),
      ...(cur.reason ? { reason: cur.reason } : {}),
      ...(cur.nominatedNodeName ? { nominatedNodeName: cur.nominatedNodeName } : {}),
      hostIP: s.hostIP,
      hostIPs: s.hostIPs,
      ...(s.podIP ? { podIP: s.podIP, podIPs: s.podIPs } : {}),
      startTime: s.startTime,
      ...(s.initContainerStatuses ? { initContainerStatuses: s.initContainerStatuses } : {}),
      containerStatuses: s.containerStatuses,
      ...(cur.qosClass ? { qosClass: cur.qosClass } : {}),
    } as Mutable<PodStatus>;
    const m = current.metadata;
    this.cluster.api.replace<Pod>("Pod", m.namespace, m.name, (cur) => ({ ...cur, status: next }), {
      subresource: "status",
    });
  }

  /** Records a Kubernetes Event from this kubelet (dropped when the apiserver is unreachable). */
  event(obj: Stored, type: EventType, reason: string, message: string, fieldPath?: string): void {
    if (!this.canWrite()) return;
    const opts = fieldPath ? { host: this.nodeName, fieldPath } : { host: this.nodeName };
    this.cluster.events.record(obj, type, reason, message, "kubelet", opts);
  }

  /** A step no Event shows (sandbox created / removed), on the timeline. */
  step(pod: Stored<Pod>, step: string, message: string, data?: unknown): void {
    this.cluster.record({
      t: this.nowMs,
      type: "step",
      component: `kubelet/${this.nodeName}`,
      object: `Pod/${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`,
      step,
      message,
      ...(data !== undefined ? { data } : {}),
    });
  }
}

/**
 * The kubelet's conditions (`own`: kubelet-owned types only) followed by the stored ones it does
 * not own; the stored array itself when that is what it holds already (the kubelet's last write):
 * nothing new to keep or freeze.
 */
export function withForeign(
  own: readonly PodCondition[],
  stored: readonly PodCondition[] | undefined,
): PodCondition[] {
  if (stored && stored.length >= own.length) {
    let same = true;
    for (let i = 0; i < own.length && same; i++) same = stored[i] === own[i];
    for (let i = own.length; i < stored.length && same; i++) same = !KUBELET_CONDITIONS.has(stored[i]!.type);
    if (same) return stored as PodCondition[];
  }
  // Indexed loops and an exact-size copy: concat() on frozen arrays (own is often the last written
  // status's) takes V8's slow path, and a spread or pushed array keeps spare capacity the stored pod would keep.
  const out: PodCondition[] = [];
  for (let i = 0; i < own.length; i++) out.push(own[i]!);
  const n = stored?.length ?? 0;
  for (let i = 0; i < n; i++) if (!KUBELET_CONDITIONS.has(stored![i]!.type)) out.push(stored![i]!);
  return out.slice();
}
