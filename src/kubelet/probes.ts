/** Probe workers (prober/worker.go): one per container and probe type, ticking every periodSeconds. */
import type { Probe } from "kubernetes-types/core/v1.js";
import type { Container } from "../api/types.js";
import type { Engine, TimerId } from "../engine/engine.js";
import type { ContainerRecord } from "./container-record.js";
import { msg, type ProbeType } from "./messages.js";
import type { ProcessPlan } from "./runtime.js";

export type ProbeKind = "liveness" | "readiness" | "startup";
export type ProbeResult = "success" | "failure";

/** SetDefaults_Probe, applied here too so that undefaulted objects behave like defaulted ones. */
export function probeSettings(p: Probe) {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodMs: (p.periodSeconds || 10) * 1000,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

/**
 * What the probe sees of a process `sinceStartMs` after it started, per its plan.
 * Simplification: a process answers at once or refuses at once, so timeoutSeconds never expires.
 */
export function probeOutcome(
  kind: ProbeKind,
  plan: ProcessPlan,
  sinceStartMs: number,
): { ok: boolean; up: boolean } {
  const up = sinceStartMs >= plan.upMs;
  const healthy = up && (plan.unhealthyMs === undefined || sinceStartMs < plan.unhealthyMs);
  if (kind !== "readiness") return { ok: healthy, up };
  return { ok: healthy && plan.readyMs !== null && sinceStartMs >= plan.readyMs, up };
}

function resolvePort(port: number | string | undefined, c: Container): number | string {
  if (typeof port === "number") return port;
  const named = c.ports?.find((p) => p.name === port);
  return named ? named.containerPort : (port ?? 80);
}

/** The probe's failure output, as the kubelet's HTTP / TCP / gRPC / exec probers word it. */
export function probeFailureOutput(kind: ProbeKind, p: Probe, c: Container, ip: string, up: boolean): string {
  if (p.httpGet) {
    const port = resolvePort(p.httpGet.port, c);
    const host = p.httpGet.host || ip;
    const scheme = (p.httpGet.scheme ?? "HTTP").toLowerCase();
    const path = p.httpGet.path || "/";
    if (!up)
      return `Get "${scheme}://${host}:${port}${path}": dial tcp ${host}:${port}: connect: connection refused`;
    return `HTTP probe failed with statuscode: ${kind === "readiness" ? 503 : 500}`;
  }
  if (p.tcpSocket) {
    const port = resolvePort(p.tcpSocket.port, c);
    return `dial tcp ${p.tcpSocket.host || ip}:${port}: connect: connection refused`;
  }
  if (p.grpc) {
    if (!up)
      return `timeout: failed to connect service "${ip}:${p.grpc.port}" within ${p.timeoutSeconds || 1}s`;
    return `service unhealthy (responded with "NOT_SERVING")`;
  }
  // Simplification: exec probes print nothing (real commands print their own output).
  return "";
}

/** What a probe worker needs from its pod worker. */
export interface ProbeHost {
  readonly engine: Engine;
  podIp(): string;
  /** The cached result changed (after the thresholds). */
  onProbeResult(r: ContainerRecord, kind: ProbeKind, result: ProbeResult): void;
  /** A failed probe: Warning `Unhealthy`. */
  probeFailed(r: ContainerRecord, message: string): void;
}

const TYPE_NAMES: Record<ProbeKind, ProbeType> = {
  liveness: "Liveness",
  readiness: "Readiness",
  startup: "Startup",
};

/** The first time after `sinceMs` (since start) at which the probe's outcome can change, or undefined. */
function nextBoundaryMs(kind: ProbeKind, plan: ProcessPlan, sinceMs: number): number | undefined {
  let next: number | undefined;
  const consider = (b: number | null | undefined) => {
    if (b !== null && b !== undefined && b > sinceMs && (next === undefined || b < next)) next = b;
  };
  consider(plan.upMs);
  consider(plan.unhealthyMs);
  if (kind === "readiness") consider(plan.readyMs);
  return next;
}

/**
 * One probe of one container: a ticker every periodSeconds (from the pod's arrival), consecutive
 * result counting and the cached result. Ticks that cannot change anything (a steadily passing
 * probe, a container not running) are skipped; the pod worker wakes the worker when its container
 * changes. Failing probes tick every period, since each failure is an event.
 */
export class ProbeWorker {
  /** The cached result for the current container instance (undefined: none yet = Unknown). */
  cached: ProbeResult | undefined;
  /** periodSeconds in ms. */
  readonly periodMs: number;
  private containerId: string | undefined;
  private lastResult: ProbeResult | undefined;
  private resultRun = 0;
  private onHold = false;
  private active = false;
  private gridStartMs = 0;
  private lastTickMs = -1;
  private timer: TimerId | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private readonly settings: ReturnType<typeof probeSettings>;
  private readonly onTick = (nowMs: number) => {
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    this.lastTickMs = nowMs;
    this.scheduleAfter(this.doProbe(nowMs), nowMs);
  };

  constructor(
    private readonly host: ProbeHost,
    readonly record: ContainerRecord,
    readonly kind: ProbeKind,
    private readonly probe: Probe,
  ) {
    this.settings = probeSettings(probe);
    this.periodMs = this.settings.periodMs;
  }

  /**
   * The cached result for one container instance: results are kept per container ID (the results
   * manager's key), so a restarted container has none until its own first probe.
   */
  resultFor(containerId: string | undefined): ProbeResult | undefined {
    return containerId !== undefined && containerId === this.containerId ? this.cached : undefined;
  }

  /** Starts ticking: the first tick after `firstDelayMs`, then every period. */
  start(firstDelayMs: number): void {
    this.stop();
    this.active = true;
    this.gridStartMs = this.host.engine.nowMs + firstDelayMs;
    this.lastTickMs = -1;
    this.schedule(this.gridStartMs);
  }

  /** Probes now, outside the ticker (prober_manager's manual trigger of a readiness probe). */
  trigger(nowMs: number): void {
    if (this.active) this.scheduleAfter(this.doProbe(nowMs), nowMs);
  }

  /** The container changed (running, started, exited): resume ticking at the next tick. */
  wake(nowMs: number): void {
    if (this.active) this.schedule(this.gridAtOrAfter(Math.max(nowMs, this.lastTickMs + 1)));
  }

  stop(): void {
    this.active = false;
    if (this.timer !== undefined) this.host.engine.cancel(this.timer);
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
  }

  private gridAtOrAfter(t: number): number {
    if (t <= this.gridStartMs) return this.gridStartMs;
    return this.gridStartMs + Math.ceil((t - this.gridStartMs) / this.periodMs) * this.periodMs;
  }

  private scheduleAfter(nextMs: number | undefined, nowMs: number): void {
    if (nextMs !== undefined) this.schedule(this.gridAtOrAfter(Math.max(nextMs, nowMs + 1)));
  }

  private schedule(atMs: number): void {
    if (this.timer !== undefined && this.timerAtMs <= atMs) return;
    if (this.timer !== undefined) this.host.engine.cancel(this.timer);
    this.timerAtMs = atMs;
    this.timer = this.host.engine.at(atMs, this.onTick);
  }

  /** The initial result of a new container: readiness Failure, liveness Success, startup Unknown. */
  private initial(): ProbeResult | undefined {
    return this.kind === "readiness" ? "failure" : this.kind === "liveness" ? "success" : undefined;
  }

  // worker.doProbe. Returns when the next tick can matter (undefined: not until woken).
  private doProbe(nowMs: number): number | undefined {
    const r = this.record;
    const inst = r.current;
    if (!inst) return undefined;
    if (inst.id !== this.containerId) {
      this.containerId = inst.id;
      this.cached = this.initial();
      this.lastResult = undefined;
      this.resultRun = 0;
      this.onHold = false;
    }
    if (this.onHold) return undefined;
    if (r.observed !== "running") {
      // A container that is not running fails its probes.
      this.cached = "failure";
      return undefined;
    }
    if (this.kind !== "startup" && !r.started) return undefined;
    if (this.kind === "startup" && r.started) return undefined;
    const delayMs = this.settings.initialDelaySeconds * 1000;
    if (nowMs - inst.startedAtMs < delayMs) return inst.startedAtMs + delayMs;
    const since = nowMs - inst.startedAtMs;
    const { ok, up } =
      inst.state === "running" ? probeOutcome(this.kind, inst.plan, since) : { ok: false, up: false };
    if (!ok) {
      const output = probeFailureOutput(this.kind, this.probe, r.spec, this.host.podIp(), up);
      this.host.probeFailed(r, msg.probeFailed(TYPE_NAMES[this.kind], output));
    }
    this.count(ok ? "success" : "failure");
    if (ok && this.cached === "success" && inst.state === "running") {
      const b = nextBoundaryMs(this.kind, inst.plan, since);
      return b === undefined ? undefined : inst.startedAtMs + b;
    }
    return this.onHold ? undefined : nowMs + 1;
  }

  // Consecutive results: the cached result flips after failureThreshold / successThreshold in a row.
  private count(result: ProbeResult): void {
    if (result === this.lastResult) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const s = this.settings;
    const threshold = result === "failure" ? s.failureThreshold : s.successThreshold;
    if (this.resultRun < threshold) return;
    const changed = this.cached !== result;
    this.cached = result;
    if (result === "failure" && this.kind !== "readiness") {
      // The container will be killed; stop probing it until a new container replaces it.
      this.onHold = true;
      this.resultRun = 0;
    }
    if (changed) this.host.onProbeResult(this.record, this.kind, result);
  }
}
