/** One pod's lifecycle on its node (pod_workers.go + kuberuntime SyncPod): sandbox, containers in order, restarts, status. */
import { podRequests, type Resources } from "../api/resources.js";
import { sameJson } from "../api/same-json.js";
import type { ContainerStatus, Mutable, Pod, PodCondition, PodStatus, Stored } from "../api/types.js";
import type { Engine, TimerId } from "../engine/engine.js";
import { podHostPorts } from "./admission.js";
import { Backoff } from "./backoff.js";
import { jitterMs, SYNC_ERROR_RETRY_JITTER, SYNC_ERROR_RETRY_MS } from "./config.js";
import { type ContainerRecord, containerStatus, newRecord } from "./container-record.js";
import type { Kubelet } from "./kubelet.js";
import { formatPod } from "./messages.js";
import {
  type GeneratedCondition,
  getPhase,
  isSidecar,
  KUBELET_CONDITIONS,
  kubeletConditions,
  type PodPhase,
} from "./phase.js";
import { type ProbeHost, type ProbeKind, type ProbeResult, ProbeWorker } from "./probes.js";
import { PodProjection } from "./projected.js";
import type { ContainerInstance, SandboxInstance } from "./runtime.js";
import { describeSandbox } from "./sandbox.js";
import { attemptStart, onProbeKill } from "./start-container.js";
import { terminatePod } from "./termination.js";
import { TimerSet } from "./timers.js";
import { PodVolumes, waitForVolumes } from "./volumes.js";

const NO_RECORDS: ContainerRecord[] = [];

type Actions = { kind: "wait" } | { kind: "start"; records: ContainerRecord[] } | { kind: "terminal" };

/** The kubelet's worker for one admitted pod. */
export class PodWorker implements ProbeHost {
  pod: Stored<Pod>;
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly timers: TimerSet;
  readonly records: ContainerRecord[];
  readonly initRecords: ContainerRecord[];
  readonly regularRecords: ContainerRecord[];
  /**
   * Crash-loop (`c/<container>`) and image-pull (`i/<image>`) back-offs of this pod; made on the
   * first back-off (most pods never back off): none means no key is backing off.
   */
  backoff: Backoff | undefined;
  /** The pod's requests, shared with the other pods of this node that ask the same (frozen). */
  readonly requests: Readonly<Resources>;
  readonly hostPorts: readonly string[];
  /** The volume manager's view of this pod's volumes. */
  readonly volumes: PodVolumes;
  /** What the pod sees of Secrets, ConfigMaps and the Downward API (projected.ts). */
  readonly projected: PodProjection;
  sandbox: SandboxInstance | undefined;
  startTimeMs: number;
  /** Bumped when in-flight work must be abandoned (termination, kubelet stop). */
  epoch = 0;
  busy = false;
  initialized = false;
  terminating = false;
  /** The pod reached Succeeded/Failed (or finished terminating): nothing more runs. */
  terminal = false;
  finalPhase: PodPhase | undefined;
  /** Waiting for the apiserver to accept the final delete. */
  pendingFinalize = false;
  /** Counted against the node's allocatable (until terminal). */
  admitted = true;
  private resyncWanted = false;
  private syncTimer: TimerId | undefined;
  /** When syncTimer fires (meaningless without one; an integer, not Infinity, keeps it unboxed). */
  private syncAtMs = 0;
  private flushTimer: TimerId | undefined;
  /** The status this worker last wrote (its parts are shared with the stored pod). */
  private lastWritten: PodStatus | undefined;
  dirty = false;
  /**
   * Each kubelet condition as last built (its lastTransitionTime moves only with its status): a
   * short array searched by type, smaller than a Map (there are at most four).
   */
  private conditionsShown: PodCondition[] = [];
  // -1 (not NaN: a field that ever holds a non-integer keeps its numbers boxed, 16 B each).
  private startTimeShownMs = -1;
  private startTimeShown = "";
  /** The pod IP stays in status after the sandbox is gone (as on a real node). */
  private lastIp: string | undefined;

  constructor(
    readonly kubelet: Kubelet,
    pod: Stored<Pod>,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid;
    this.name = pod.metadata.name;
    this.namespace = pod.metadata.namespace ?? "default";
    this.timers = new TimerSet(kubelet.cluster.engine);
    this.startTimeMs = kubelet.nowMs;
    const b = kubelet.behaviors;
    // Most pods have no init containers: one shared empty array, not one each.
    const inits = pod.spec?.initContainers;
    this.initRecords = inits?.length
      ? inits.map((c) => newRecord(c, isSidecar(c) ? "sidecar" : "init", b.lookup(c.image ?? "")))
      : NO_RECORDS;
    this.regularRecords = (pod.spec?.containers ?? []).map((c) =>
      newRecord(c, "regular", b.lookup(c.image ?? "")),
    );
    // The regular records' own array when there are no init containers (most pods): one array less.
    this.records =
      this.initRecords.length === 0 ? this.regularRecords : [...this.initRecords, ...this.regularRecords];
    this.requests = kubelet.sharedRequests(podRequests(pod));
    this.hostPorts = podHostPorts(pod);
    this.initialized = !this.initRecords.some((r) => r.kind === "init");
    this.volumes = new PodVolumes(this);
    this.projected = new PodProjection(this);
  }

  /** `name_namespace(uid)`, as back-off messages print a pod (made when needed: few pods back off). */
  get formatted(): string {
    return formatPod(this.name, this.namespace, this.uid);
  }

  /** Backoff.Next for `key` (see Backoff). */
  bumpBackoff(key: string, eventMs: number, nowMs: number): void {
    (this.backoff ??= new Backoff()).next(key, eventMs, nowMs);
  }

  get engine(): Engine {
    return this.kubelet.cluster.engine;
  }

  get restartPolicy(): "Always" | "OnFailure" | "Never" {
    return (this.pod.spec?.restartPolicy as "Always" | "OnFailure" | "Never" | undefined) ?? "Always";
  }

  get hostNetwork(): boolean {
    return this.pod.spec?.hostNetwork === true;
  }

  /** The pod's IP once its sandbox exists. */
  podIp(): string {
    return this.sandbox?.ip ?? "";
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Admitted: the first status (Pending, ContainerCreating), probe workers, then the sandbox. */
  begin(): void {
    this.createProbeWorkers();
    this.startProbes();
    this.markDirty();
    this.createSandbox();
  }

  /** The kubelet stopped: nothing of the kubelet's runs for this pod; its processes keep running. */
  pause(): void {
    this.cancelWork();
    for (const r of this.records) {
      for (const p of r.probes) p.stop();
      if (r.starting) this.kubelet.runtime.discard(r.starting);
      r.starting = undefined;
      r.inFlight = false;
      r.killing = false;
      r.onStopped = undefined;
    }
  }

  /** The kubelet is back: catch up with what the runtime did meanwhile, probe again, sync. */
  resume(): void {
    if (this.terminal) return;
    // Others may have written the status meanwhile (the node controller's Ready=False): write ours
    // again, as the status manager's reconcile (needsReconcile) does once it reaches the apiserver.
    this.lastWritten = undefined;
    for (const r of this.records) {
      const inst = r.current;
      if (inst?.state === "exited" && r.observed !== "exited") {
        r.observed = "exited";
        r.ready = false;
        r.started = false;
      }
    }
    this.markDirty();
    if (this.terminating) {
      this.terminating = false;
      terminatePod(this);
      return;
    }
    this.startProbes();
    this.requestSync(this.kubelet.nowMs);
  }

  /** A newer version of the pod from the watch. */
  update(pod: Stored<Pod>): void {
    this.pod = pod;
    this.projected.podChanged();
    // Simplification: only a deletion is acted on; a changed image of a bare pod, or a second
    // delete with a shorter grace period, does not reach containers already running or stopping.
    if (pod.metadata.deletionTimestamp && !this.terminating && !this.pendingFinalize) terminatePod(this);
  }

  /** The pod is gone from the apiserver (force-deleted): stop everything without a word. */
  abandon(): void {
    this.cancelWork();
    for (const r of this.records) for (const p of r.probes) p.stop();
    this.releaseSandbox(false);
    this.kubelet.runtime.removePod(this.uid, this.kubelet.nowMs);
    this.terminal = true;
  }

  /** Cancels this worker's timers and in-flight work (the kubelet stopped, or termination began). */
  cancelWork(): void {
    this.timers.cancelAll();
    this.syncTimer = undefined;
    this.flushTimer = undefined;
    this.epoch++;
    this.busy = false;
  }

  private createProbeWorkers(): void {
    const kinds: [ProbeKind, "startupProbe" | "livenessProbe" | "readinessProbe"][] = [
      ["startup", "startupProbe"],
      ["liveness", "livenessProbe"],
      ["readiness", "readinessProbe"],
    ];
    for (const r of this.records) {
      if (r.kind === "init") continue;
      for (const [kind, field] of kinds) {
        const probe = r.spec[field];
        if (!probe) continue;
        // A new array (not a push): records without probes share one empty array.
        r.probes = r.probes.concat([new ProbeWorker(this, r, kind, probe)]);
      }
    }
  }

  private startProbes(): void {
    const k = this.kubelet;
    for (const r of this.records) {
      for (const w of r.probes) {
        // worker.go: a kubelet that started less than a period ago spreads its first probes.
        const young = k.nowMs - k.startedAtMs < w.periodMs;
        w.start(young ? Math.floor(k.rng.next() * w.periodMs) : 0);
      }
    }
  }

  private createSandbox(): void {
    // SyncPod: WaitForAttachAndMount comes before the runtime creates anything.
    if (!this.volumes.mounted) {
      waitForVolumes(this, () => this.createSandbox());
      return;
    }
    this.projected.mounted();
    const k = this.kubelet;
    this.busy = true;
    const epoch = this.epoch;
    this.timers.after(k.draw(k.timings.sandboxCreate), () => {
      if (epoch !== this.epoch) return;
      this.busy = false;
      // CNI (host-local IPAM) hands out the address as the sandbox's network is set up.
      const ip = this.hostNetwork ? k.nodeIp : k.ips.allocate();
      if (ip === undefined) {
        const why = `Failed to create pod sandbox: no IP addresses available in range ${k.podCidr}`;
        k.event(this.pod, "Warning", "FailedCreatePodSandBox", why);
        this.requestSync(this.errorRetryAt());
        return;
      }
      this.sandbox = k.runtime.addSandbox(this.uid, ip);
      this.projected.podChanged();
      const d = describeSandbox(this.pod, this.sandbox.id, ip);
      k.step(this.pod, "RunPodSandbox", d.message, d.data);
      this.markDirty();
      this.sync();
    });
  }

  /** Stops the sandbox and returns its IP; `record` adds the step to the timeline. */
  releaseSandbox(record: boolean): void {
    const sb = this.sandbox;
    if (!sb) return;
    this.sandbox = undefined;
    this.projected.podChanged();
    this.kubelet.runtime.removePod(this.uid, this.kubelet.nowMs);
    if (!this.hostNetwork) this.kubelet.ips.release(sb.ip);
    if (record) {
      const freed = this.hostNetwork ? "" : `; released IP ${sb.ip}`;
      this.kubelet.step(
        this.pod,
        "StopPodSandbox",
        `Stopped and removed pod sandbox ${sb.id.slice(0, 13)}${freed}`,
      );
    }
  }

  // ---- sync ----------------------------------------------------------------------------------

  /** Runs a sync at `atMs` (the earliest requested wins). */
  requestSync(atMs: number): void {
    if (this.terminal || this.terminating) return;
    if (this.syncTimer !== undefined && this.syncAtMs <= atMs) return;
    this.timers.cancel(this.syncTimer);
    this.syncAtMs = atMs;
    this.syncTimer = this.timers.at(atMs, () => {
      this.syncTimer = undefined;
      this.sync();
    });
  }

  /** When a failed sync is retried: wait.Jitter(10 s, 0.5), on the kubelet's 1 s sync ticks. */
  errorRetryAt(): number {
    const k = this.kubelet;
    return k.nextTick(k.nowMs + jitterMs(k.rng, SYNC_ERROR_RETRY_MS, SYNC_ERROR_RETRY_JITTER));
  }

  /**
   * SyncPod: decide what to start, kill or finish, and do it. Syncs run when something changed
   * (the PLEG, a probe, a retry after an error); the idle 1-minute resync is not modelled, since
   * it would find nothing to do.
   */
  sync(): void {
    if (this.terminal || this.terminating || !this.kubelet.running) return;
    if (this.busy) {
      this.resyncWanted = true;
      return;
    }
    if (!this.sandbox) {
      this.createSandbox();
      return;
    }
    const kill = this.records.find((r) => r.killRequested && r.current?.state === "running");
    if (kill) {
      onProbeKill(this, kill);
      return;
    }
    const actions = this.computeActions();
    if (actions.kind === "terminal") this.finishTerminal();
    else if (actions.kind === "start") this.runStarts(actions.records);
  }

  private shouldRestart(r: ContainerRecord): boolean {
    if (r.kind === "sidecar") return true;
    const policy = this.restartPolicy;
    if (r.forceRestart) return policy !== "Never";
    return policy === "Always" || (policy === "OnFailure" && (r.current?.exitCode ?? 0) !== 0);
  }

  private needsStart(r: ContainerRecord): boolean {
    if (r.inFlight || r.observed === "running") return false;
    if (!r.current) return true;
    return r.observed === "exited" && this.shouldRestart(r);
  }

  // computePodActions, simplified: init containers one at a time, then every container that should run.
  private computeActions(): Actions {
    if (!this.initialized) {
      for (const r of this.initRecords) {
        if (r.kind === "sidecar") {
          if (r.inFlight || (r.observed === "running" && !r.started)) return { kind: "wait" };
          if (r.observed === "running") continue;
          return { kind: "start", records: [r] };
        }
        if (r.observed === "exited" && r.current?.exitCode === 0) continue;
        if (r.inFlight || r.observed === "running") return { kind: "wait" };
        if (r.observed === "exited" && this.restartPolicy === "Never") return { kind: "terminal" };
        return { kind: "start", records: [r] };
      }
      this.initialized = true;
    }
    const toStart = [...this.initRecords.filter((r) => r.kind === "sidecar"), ...this.regularRecords].filter(
      (r) => this.needsStart(r),
    );
    if (toStart.length > 0) return { kind: "start", records: toStart };
    const done = this.regularRecords.every(
      (r) => r.observed === "exited" && !r.inFlight && !this.shouldRestart(r),
    );
    return done ? { kind: "terminal" } : { kind: "wait" };
  }

  // Starts containers one after the other, as SyncPod does; failures don't stop the others.
  private runStarts(records: ContainerRecord[]): void {
    this.busy = true;
    const epoch = this.epoch;
    let i = 0;
    let failed = false;
    let startedAny = false;
    const next = (ok: boolean) => {
      if (epoch !== this.epoch) return;
      if (!ok) failed = true;
      else if (i > 0) startedAny = true;
      const r = records[i++];
      if (r) {
        attemptStart(this, r, next);
        return;
      }
      this.busy = false;
      this.afterSync(failed, startedAny);
    };
    next(true);
  }

  private afterSync(failed: boolean, startedAny: boolean): void {
    const k = this.kubelet;
    if (this.resyncWanted) {
      this.resyncWanted = false;
      this.requestSync(k.nowMs);
    }
    // The PLEG reports the started containers at its next relist, which syncs the pod again.
    if (startedAny) this.requestSync(k.nextTick(k.nowMs));
    if (failed) this.requestSync(this.errorRetryAt());
  }

  /** A process of this pod exited (runtime callback); the generic PLEG notices at its next 1 s relist. */
  onProcessExit(inst: ContainerInstance): void {
    const r = this.records.find((x) => x.current === inst);
    if (!r) return;
    // Probes racing the PLEG see a dead process (connection refused) until the exit is observed.
    this.wakeProbes(r);
    if (r.killing) {
      // The kubelet stopped it itself and waited for it: no relist needed.
      this.observeExit(r, inst);
      return;
    }
    const epoch = this.epoch;
    this.timers.at(this.kubelet.nextTick(this.kubelet.nowMs), () => {
      if (epoch === this.epoch) this.observeExit(r, inst);
    });
  }

  private observeExit(r: ContainerRecord, inst: ContainerInstance): void {
    if (r.current !== inst || r.observed === "exited") return;
    r.observed = "exited";
    r.started = false;
    r.ready = false;
    this.wakeProbes(r);
    const wasKilling = r.killing;
    r.killing = false;
    this.markDirty();
    const then = r.onStopped;
    r.onStopped = undefined;
    if (then) then();
    else if (!wasKilling) this.requestSync(this.kubelet.nowMs);
    if (!this.shouldRestart(r) && !this.terminating) for (const p of r.probes) p.stop();
  }

  /** The pod completed on its own (all containers done, none to restart): Succeeded or Failed. */
  private finishTerminal(): void {
    const k = this.kubelet;
    for (const r of this.records) {
      for (const p of r.probes) p.stop();
      if (r.current?.state !== "running") continue;
      // Simplification: sidecars of a completed pod stop at once, without their grace period.
      k.runtime.killSilently(r.current, k.nowMs, 0, "Completed");
      r.observed = "exited";
      r.ready = false;
      r.started = false;
    }
    this.finalPhase = this.computePhase(false);
    this.terminal = true;
    this.releaseSandbox(true);
    k.releaseAdmission(this);
    this.flushNow();
  }

  // ---- probes (ProbeHost) ----------------------------------------------------------------------

  onProbeResult(r: ContainerRecord, kind: ProbeKind, result: ProbeResult): void {
    if (this.terminal || this.terminating) return;
    if (kind === "readiness") {
      this.recomputeReady(r);
      return;
    }
    if (kind === "startup" && result === "success") {
      r.started = true;
      this.wakeProbes(r);
      this.recomputeReady(r);
      this.triggerReadiness(r);
      return;
    }
    if (result === "failure") {
      r.killRequested = kind;
      this.requestSync(this.kubelet.nowMs);
    }
  }

  probeFailed(r: ContainerRecord, message: string): void {
    this.kubelet.event(this.pod, "Warning", "Unhealthy", message, r.fieldPath);
  }

  /** The container changed: its probe workers tick again. */
  wakeProbes(r: ContainerRecord): void {
    for (const p of r.probes) p.wake(this.kubelet.nowMs);
  }

  /** ready = running, started and readiness passed (or no readiness probe). */
  recomputeReady(r: ContainerRecord): void {
    const readiness = r.probes.find((p) => p.kind === "readiness");
    // prober_manager UpdatePodStatus: a container with a readiness probe and no result of its own is not ready.
    const ready =
      r.observed === "running" &&
      r.started &&
      (readiness ? readiness.resultFor(r.current?.id) === "success" : true);
    if (ready !== r.ready) {
      r.ready = ready;
      this.markDirty();
    }
  }

  /** prober_manager UpdatePodStatus: a started container with no readiness result yet is probed at once. */
  triggerReadiness(r: ContainerRecord): void {
    const readiness = r.probes.find((p) => p.kind === "readiness");
    if (readiness && r.started && r.observed === "running") readiness.trigger(this.kubelet.nowMs);
  }

  // ---- status --------------------------------------------------------------------------------

  /** Schedules a status write at the end of this instant (several changes, one write). */
  markDirty(): void {
    this.dirty = true;
    if (this.flushTimer !== undefined) return;
    this.flushTimer = this.timers.at(this.kubelet.nowMs, () => {
      this.flushTimer = undefined;
      this.flush();
    });
  }

  /** Writes the status now (when the apiserver can be reached; otherwise it stays dirty). */
  flushNow(): void {
    this.timers.cancel(this.flushTimer);
    this.flushTimer = undefined;
    this.dirty = true;
    this.flush();
  }

  private flush(): void {
    if (!this.dirty) return;
    const k = this.kubelet;
    if (!k.canWrite()) {
      k.deferStatus(this);
      return;
    }
    const current = k.cluster.api.get<Pod>("Pod", this.namespace, this.name);
    if (!current || current.metadata.uid !== this.uid) return;
    this.dirty = false;
    const status = this.buildStatus();
    if (this.lastWritten && sameJson(status, this.lastWritten)) return;
    this.lastWritten = status;
    k.writePodStatus(current, status);
  }

  computePhase(podIsTerminal: boolean): PodPhase {
    const statuses = this.records.map((r) =>
      containerStatus(r, this.initRecords.length > 0, this.kubelet.cluster.clock),
    );
    return getPhase(this.pod.spec ?? { containers: [] }, statuses, podIsTerminal, this.initialized);
  }

  /**
   * The kubelet's part of the pod status, in PodStatus field order. Parts equal to the last written
   * status are that status's own (frozen) objects: the compare is by reference, nothing new is
   * frozen or kept, and old timestamps are not formatted again.
   */
  buildStatus(): Mutable<PodStatus> {
    const k = this.kubelet;
    const clock = k.cluster.clock;
    const last = this.lastWritten;
    const hasInit = this.initRecords.length > 0;
    const init = hasInit ? this.containerStatuses(this.initRecords, last?.initContainerStatuses) : undefined;
    const regular = this.containerStatuses(this.regularRecords, last?.containerStatuses);
    const all = init ? [...init, ...regular] : regular;
    const spec = this.pod.spec ?? { containers: [] };
    const phase = this.finalPhase ?? getPhase(spec, all, false, this.initialized);
    const existing = (this.pod.status?.conditions ?? []) as PodCondition[];
    const generated = kubeletConditions(spec, existing, all, phase, this.sandbox !== undefined);
    const conditions = sameItems(
      generated.map((c) => this.shownCondition(c)),
      last?.conditions,
    );
    const ip = this.sandbox?.ip ?? this.lastIp;
    if (this.sandbox) this.lastIp = this.sandbox.ip;
    const lastIPs = ip && last?.podIP === ip ? last.podIPs : undefined;
    if (this.startTimeShownMs !== this.startTimeMs) {
      this.startTimeShownMs = this.startTimeMs;
      this.startTimeShown = clock.time(this.startTimeMs);
    }
    // One literal (not assignments after it): the stored status keeps its fields in-object.
    return {
      phase,
      conditions,
      hostIP: k.nodeIp,
      hostIPs: k.hostIPs as Mutable<PodStatus>["hostIPs"],
      ...(ip ? { podIP: ip, podIPs: (lastIPs ?? [{ ip }]) as Mutable<PodStatus>["podIPs"] } : {}),
      startTime: this.startTimeShown,
      ...(init ? { initContainerStatuses: init } : {}),
      containerStatuses: regular,
    };
  }

  // The records' statuses; one equal to the last written is that one (the array too if all are).
  private containerStatuses(
    records: readonly ContainerRecord[],
    last: readonly ContainerStatus[] | undefined,
  ): Mutable<ContainerStatus>[] {
    const hasInit = this.initRecords.length > 0;
    const clock = this.kubelet.cluster.clock;
    const built = records.map((r) => containerStatus(r, hasInit, clock));
    return sameItems(built, last);
  }

  // A kubelet condition as written: the last one of its type while status, reason and message
  // stay; lastTransitionTime moves only when status does.
  private shownCondition(c: GeneratedCondition): PodCondition {
    const shown = this.conditionsShown;
    let i = 0;
    while (i < shown.length && shown[i]!.type !== c.type) i++;
    const prev = shown[i];
    if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message)
      return prev;
    const at =
      prev && prev.status === c.status
        ? prev.lastTransitionTime
        : this.kubelet.cluster.clock.time(this.kubelet.nowMs);
    // lastProbeTime: null, as the kubelet's status manager writes it (the type says string).
    const cond = {
      type: c.type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: at,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    } as unknown as PodCondition;
    // A new exact-size array when a type is first shown: a pushed one keeps spare capacity.
    if (prev) shown[i] = cond;
    else this.conditionsShown = shown.concat([cond]);
    return cond;
  }
}

/**
 * `built` with each item JSON-equal to the same index of `last` replaced by `last`'s, and `last`
 * itself when every item is: the parts a status write shares with the previous one.
 */
export function sameItems<T>(built: T[], last: readonly T[] | undefined): T[] {
  if (!last) return built;
  let all = last.length === built.length;
  for (let i = 0; i < built.length; i++) {
    const prev = last[i];
    if (prev !== undefined && sameJson(built[i], prev)) built[i] = prev;
    else all = false;
  }
  return all ? (last as T[]) : built;
}

/** Conditions of the current status that the kubelet does not own (PodScheduled, DisruptionTarget, …). */
export function foreignConditions(status: PodStatus | undefined): PodCondition[] {
  const all = status?.conditions ?? [];
  const out: PodCondition[] = [];
  // An indexed loop, not filter(): on a frozen (stored) array filter() takes V8's slow path (~7× slower).
  for (let i = 0; i < all.length; i++) if (!KUBELET_CONDITIONS.has(all[i]!.type)) out.push(all[i]!);
  return out;
}
