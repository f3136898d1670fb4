/** The node's container runtime (containerd as CRI shows it): sandboxes and processes; it outlives a stopped kubelet, not a crash. */
import type { TimerId } from "../engine/engine.js";
import type { Rng } from "../engine/rng.js";
import type { ImageBehavior } from "../scenario/types.js";
import type { TimerSet } from "./timers.js";

const HEX = "0123456789abcdef";

/** How one run of a process behaves, drawn from the image's behaviour when the container is created (ms after start). */
export interface ProcessPlan {
  /** The process is up (startup and liveness probes pass) this long after start. */
  upMs: number;
  /** Readiness passes from here; null = never. */
  readyMs: number | null;
  /** Liveness (and readiness) fail from here on. */
  unhealthyMs: number | undefined;
  /** The process exits on its own this long after start. */
  exitAfterMs: number | undefined;
  /** From SIGTERM until it exits. */
  terminateMs: number;
  /** An injected crash fault: the process exits `exitAfterMs` after start this way, whatever the image says. */
  injectedExit?: { exitCode: number; reason: string };
}

/** One container as the runtime knows it. */
export interface ContainerInstance {
  /** `containerd://<64 hex>`. */
  readonly id: string;
  readonly podUid: string;
  readonly name: string;
  readonly image: string;
  readonly behavior: ImageBehavior | undefined;
  readonly plan: ProcessPlan;
  state: "created" | "running" | "exited";
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  /** containerd's reason: Completed, Error, OOMKilled. */
  reason: string;
  exitTimer: TimerId | undefined;
  /** Set while a stop (SIGTERM … SIGKILL) is in progress. */
  stopping: boolean;
}

/** A pod sandbox: the pause container holding the pod's namespaces. */
export interface SandboxInstance {
  readonly id: string;
  readonly podUid: string;
  readonly ip: string;
}

/** Called when a process exits (the PLEG notices it at its next relist). */
export type ExitListener = (inst: ContainerInstance) => void;

/** Sandboxes and container processes of one node; its TimerSet (exits, stops, pulls) is its own. */
export class ContainerRuntime {
  private readonly byPod = new Map<string, ContainerInstance[]>();
  private readonly sandboxes = new Map<string, SandboxInstance>();
  onExit: ExitListener = () => {};

  constructor(
    private readonly timers: TimerSet,
    private readonly rng: Rng,
  ) {}

  /** RunPodSandbox has finished: the sandbox exists with this IP. */
  addSandbox(podUid: string, ip: string): SandboxInstance {
    const sb: SandboxInstance = { id: this.rng.string(64, HEX), podUid, ip };
    this.sandboxes.set(podUid, sb);
    return sb;
  }

  sandbox(podUid: string): SandboxInstance | undefined {
    return this.sandboxes.get(podUid);
  }

  /** StopPodSandbox + RemovePodSandbox: processes still running are killed without an exit report. */
  removePod(podUid: string, nowMs: number): void {
    this.sandboxes.delete(podUid);
    for (const c of this.byPod.get(podUid) ?? [])
      if (c.state !== "exited") this.killSilently(c, nowMs, 137, "Error");
    this.byPod.delete(podUid);
  }

  /** Ends a process at once without reporting its exit (the caller records what it needs). */
  killSilently(inst: ContainerInstance, nowMs: number, exitCode: number, reason: string): void {
    this.timers.cancel(inst.exitTimer);
    inst.exitTimer = undefined;
    if (inst.state === "running") inst.startedAtMs ||= nowMs;
    inst.state = "exited";
    inst.stopping = false;
    inst.finishedAtMs = nowMs;
    inst.exitCode = exitCode;
    inst.reason = reason;
  }

  /** CreateContainer. */
  create(
    podUid: string,
    name: string,
    image: string,
    behavior: ImageBehavior | undefined,
    plan: ProcessPlan,
  ): ContainerInstance {
    const inst: ContainerInstance = {
      id: `containerd://${this.rng.string(64, HEX)}`,
      podUid,
      name,
      image,
      behavior,
      plan,
      state: "created",
      startedAtMs: 0,
      finishedAtMs: 0,
      exitCode: 0,
      reason: "",
      exitTimer: undefined,
      stopping: false,
    };
    // Kubernetes keeps one dead container per container name (maxPerPodContainer); so do we.
    const keep = (this.byPod.get(podUid) ?? []).filter((c) => c.name !== name || c.state === "running");
    // A new exact-size array: a pushed one keeps spare capacity (~130 B a pod, and every pod has one).
    this.byPod.set(podUid, keep.concat([inst]));
    return inst;
  }

  /** StartContainer: the process runs; it exits on its own if the image says so. */
  start(inst: ContainerInstance, nowMs: number): void {
    inst.state = "running";
    inst.startedAtMs = nowMs;
    const exit = inst.plan.injectedExit ?? inst.behavior?.exit;
    if (exit && inst.plan.exitAfterMs !== undefined) {
      inst.exitTimer = this.timers.after(inst.plan.exitAfterMs, (t) => {
        inst.exitTimer = undefined;
        const reason = exit.reason ?? (exit.exitCode === 0 ? "Completed" : "Error");
        this.finish(inst, t, exit.exitCode, reason);
      });
    }
  }

  /**
   * StopContainer: SIGTERM now; the process exits its plan's `terminateMs` later unless that is
   * past `timeoutMs`, when SIGKILL ends it. Exit codes are 128 + signal (143, 137), as containerd
   * reports a process killed by a signal. Processes that already exited are left alone.
   */
  stop(inst: ContainerInstance, timeoutMs: number): void {
    if (inst.state !== "running" || inst.stopping) return;
    inst.stopping = true;
    const killed = inst.plan.terminateMs >= timeoutMs;
    this.timers.after(killed ? timeoutMs : inst.plan.terminateMs, (t) => {
      if (inst.state !== "running") return;
      this.timers.cancel(inst.exitTimer);
      inst.exitTimer = undefined;
      this.finish(inst, t, killed ? 137 : 143, "Error");
    });
  }

  /**
   * The process dies now on its own (an injected crash or OOM kill), and the exit is reported as
   * any exit is. Returns false if it was not running.
   */
  kill(inst: ContainerInstance, nowMs: number, exitCode: number, reason: string): boolean {
    if (inst.state !== "running") return false;
    this.timers.cancel(inst.exitTimer);
    inst.exitTimer = undefined;
    this.finish(inst, nowMs, exitCode, reason);
    return true;
  }

  /** Removes a container that was created but never started. */
  discard(inst: ContainerInstance): void {
    if (inst.state !== "created") return;
    const list = this.byPod.get(inst.podUid);
    if (list)
      this.byPod.set(
        inst.podUid,
        list.filter((c) => c !== inst),
      );
  }

  /** The pod's containers, oldest first. */
  containers(podUid: string): readonly ContainerInstance[] {
    return this.byPod.get(podUid) ?? [];
  }

  /** Uids of the pods with a process running now (for invariant checkers). */
  runningPods(): string[] {
    const out: string[] = [];
    for (const [uid, list] of this.byPod) if (list.some((c) => c.state === "running")) out.push(uid);
    return out;
  }

  /** The node died: every process and sandbox is gone, with no exit reported. */
  crash(): void {
    this.timers.cancelAll();
    this.byPod.clear();
    this.sandboxes.clear();
  }

  private finish(inst: ContainerInstance, nowMs: number, exitCode: number, reason: string): void {
    inst.state = "exited";
    inst.stopping = false;
    inst.finishedAtMs = nowMs;
    inst.exitCode = exitCode;
    inst.reason = reason;
    this.onExit(inst);
  }
}
