/**
 * Container faults: the process of one container of one pod exits (crash: code 1, Error) or is
 * OOM-killed (137, OOMKilled), and the kubelet restarts it by restartPolicy with CrashLoopBackOff.
 * Once by default; with `for:` or a later `heal:` of the pod, every start crashes until it heals.
 */
import type { SimContext } from "../api/context.js";
import type { Pod } from "../api/types.js";
import type { TimerId } from "../engine/engine.js";
import { kubeletFor } from "../kubelet/index.js";
import { type InjectedExit, injectedFaults } from "../kubelet/injected.js";
import type { FaultSpec } from "../scenario/types.js";
import { scheduleAutoHeal } from "./auto-heal.js";
import { containerStatusOf, type PodFaultTracker } from "./pod-recovery.js";
import type { ContainerFaultTrack } from "./pod-recovery-types.js";

export type ContainerFaultType = "container-crash" | "oom";

/** Exit code 1 for a crash; 128 + SIGKILL and containerd's reason for the kernel's OOM kill. */
const EXITS: Record<ContainerFaultType, InjectedExit> = {
  "container-crash": { exitCode: 1, reason: "Error" },
  oom: { exitCode: 137, reason: "OOMKilled" },
};

interface Lasting {
  track: ContainerFaultTrack;
  namespace: string;
  pod: string;
  timer?: TimerId;
}

export class ContainerFaults {
  /** Lasting faults by `namespace/pod/container`. */
  private readonly lasting = new Map<string, Lasting>();

  constructor(
    private readonly ctx: SimContext,
    private readonly tracker: PodFaultTracker,
  ) {}

  /** Crashes the container now (and on every start, if the fault lasts); an error message if it cannot. */
  inject(spec: FaultSpec & { type: ContainerFaultType }): string | undefined {
    const namespace = spec.namespace ?? "default";
    const name = spec.pod ?? "";
    const pod = this.ctx.api.get<Pod>("Pod", namespace, name);
    if (!pod) return `error: pods "${name}" not found in namespace "${namespace}"`;
    const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
    const container = spec.container ?? names[0] ?? "";
    if (!names.includes(container))
      return `error: container ${container} is not valid for pod ${name} (containers: ${names.join(", ")})`;
    const key = `${namespace}/${name}/${container}`;
    if (this.lasting.has(key))
      return `error: container ${container} of pod ${namespace}/${name} already has an active fault (heal it first)`;
    const lasting = spec.forMs !== undefined || this.healedLater(namespace, name);
    const exit = EXITS[spec.type];
    const node = pod.spec?.nodeName;
    const killed =
      node !== undefined &&
      kubeletFor(this.ctx, node)?.crashContainer(pod.metadata.uid, container, exit) === true;
    if (!killed && !lasting)
      return `error: container ${container} of pod ${namespace}/${name} is not running`;
    const restarts = containerStatusOf(pod, container)?.restartCount ?? 0;
    const track: ContainerFaultTrack = {
      kind: "container",
      type: spec.type,
      podKey: `${namespace}/${name}`,
      uid: pod.metadata.uid,
      container,
      ...(node !== undefined ? { node } : {}),
      ...exit,
      sinceMs: this.ctx.engine.nowMs,
      lasting,
      killed,
      restartsBefore: restarts,
      restartsNow: restarts,
    };
    if (lasting) {
      injectedFaults(this.ctx).setCrash(namespace, name, container, exit);
      const l: Lasting = { track, namespace, pod: name };
      this.lasting.set(key, l);
      if (spec.forMs !== undefined) {
        const args = { type: spec.type, pod: name, namespace, container };
        l.timer = scheduleAutoHeal(
          this.ctx,
          spec.forMs,
          args,
          `${spec.type} of ${namespace}/${name} (${container})`,
          () => {
            l.timer = undefined;
            this.end(key, l);
          },
        );
      }
    }
    // After the action's own record, which the runner writes once the fault is in place.
    this.ctx.engine.after(0, () => this.tracker.containerFault(track));
    return undefined;
  }

  /** Heals the lasting faults of a pod (of one container, or of a type, if given). */
  heal(sel: {
    pod: string;
    namespace?: string;
    container?: string;
    type?: ContainerFaultType;
  }): string | undefined {
    const prefix = `${sel.namespace ?? "default"}/${sel.pod}/`;
    const matching = [...this.lasting.entries()].filter(
      ([k, l]) =>
        k.startsWith(prefix) &&
        (sel.container === undefined || l.track.container === sel.container) &&
        (sel.type === undefined || l.track.type === sel.type),
    );
    if (matching.length === 0)
      return `error: pod ${prefix.slice(0, -1)} has no active container fault to heal`;
    for (const [k, l] of matching) this.end(k, l);
    return undefined;
  }

  private end(key: string, l: Lasting): void {
    if (l.timer !== undefined) this.ctx.engine.cancel(l.timer);
    this.lasting.delete(key);
    injectedFaults(this.ctx).clearCrash(l.namespace, l.pod, l.track.container);
    this.tracker.containerHealed(l.track);
  }

  // A fault without `for:` lasts when a later `heal:` action names its pod.
  private healedLater(namespace: string, pod: string): boolean {
    const now = this.ctx.engine.nowMs;
    return (this.ctx.scenario.actions ?? []).some(
      (a) =>
        a.kind === "heal" &&
        a.atMs >= now &&
        a.heal.pod === pod &&
        (a.heal.namespace ?? "default") === namespace,
    );
  }
}
