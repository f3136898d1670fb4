/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go, ≥1.29 its own
 * controller `taint-eviction-controller`): deletes the pods of a node with NoExecute taints they do
 * not tolerate at once, and those they tolerate for a while when their tolerationSeconds run out.
 */

import type { Lister, WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import { byType } from "../api/lists.js";
import { sameJson } from "../api/same-json.js";
import type { Mutable, Node, Pod, PodCondition, Stored, Taint, Toleration } from "../api/types.js";
import type { TimerId } from "../engine/engine.js";
import { toleratesTaint } from "../scheduler/plugins/taints.js";
import { WorkQueue } from "./workqueue.js";

const COMPONENT = "taint-eviction-controller";

/** A scheduled deletion (TimedWorker): when it was decided and when it fires. */
interface Eviction {
  createdAtMs: number;
  fireAtMs: number;
  timer: TimerId;
}

function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
}

// Absent lists compare as empty ones.
function sameList(a: unknown, b: unknown): boolean {
  return a === b || sameJson(a ?? [], b ?? []);
}

/** GetMatchingTolerations: whether every taint is tolerated, and the first toleration of each. */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** getMinTolerationTime in ms: 0 without tolerations or with any tolerationSeconds ≤ 0; −1 = forever (none set). */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min * 1000;
}

export class TaintEvictionController {
  /** taintedNodes: node name → its NoExecute taints (nodes without any are absent). */
  private readonly taintedNodes = new Map<string, Taint[]>();
  /** taintEvictionQueue: scheduled deletions by `namespace/name`. */
  private readonly evictions = new Map<string, Eviction>();
  private readonly queue: WorkQueue;
  /** The shared informer caches it reads (a watch latency behind the store), as taint_eviction.go's listers. */
  private readonly nodes: Lister<Node>;
  private readonly pods: Lister<Pod>;

  constructor(private readonly ctx: SimContext) {
    this.nodes = ctx.api.lister<Node>("Node");
    this.pods = ctx.api.lister<Pod>("Pod");
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    ctx.api.watch<Node>("Node", (ev) => this.onNode(ev));
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
  }

  /** When a pod's deletion is scheduled (tests, the recovery tracker). */
  scheduledEviction(namespace: string, name: string): { createdAtMs: number; fireAtMs: number } | undefined {
    const e = this.evictions.get(`${namespace}/${name}`);
    return e ? { createdAtMs: e.createdAtMs, fireAtMs: e.fireAtMs } : undefined;
  }

  /** NodeUpdated: only a change of the NoExecute taints matters. */
  private onNode(ev: WatchEvent<Node>): void {
    if (ev.type === "MODIFIED" && sameList(noExecuteTaints(ev.old), noExecuteTaints(ev.object))) return;
    this.queue.add(`n\t${ev.object.metadata.name}`);
  }

  /** PodUpdated: additions, deletions, and changes of tolerations or node. */
  private onPod(ev: WatchEvent<Pod>): void {
    const p = ev.object;
    const old = ev.old;
    if (
      ev.type === "MODIFIED" &&
      old &&
      old.spec?.nodeName === p.spec?.nodeName &&
      sameList(old.spec?.tolerations, p.spec?.tolerations)
    )
      return;
    this.queue.add(`p\t${p.metadata.namespace ?? "default"}\t${p.metadata.name}\t${p.spec?.nodeName ?? ""}`);
  }

  private sync(key: string): void {
    const parts = key.split("\t");
    if (parts[0] === "n") this.handleNodeUpdate(parts[1]!);
    else this.handlePodUpdate(parts[1]!, parts[2]!, parts[3]!);
  }

  private handleNodeUpdate(nodeName: string): void {
    const node = this.nodes.get(undefined, nodeName);
    if (!node) {
      this.taintedNodes.delete(nodeName);
      return;
    }
    const taints = noExecuteTaints(node);
    if (taints.length === 0) this.taintedNodes.delete(nodeName);
    else this.taintedNodes.set(nodeName, taints);
    const pods = this.pods.list({ nodeName });
    if (pods.length === 0) return;
    if (taints.length === 0) {
      for (const p of pods) this.cancelWithEvent(p.metadata.namespace ?? "default", p.metadata.name);
      return;
    }
    const nowMs = this.ctx.engine.nowMs;
    for (const p of pods) this.processPodOnNode(p, taints, nowMs);
  }

  private handlePodUpdate(namespace: string, name: string, nodeName: string): void {
    const pod = this.pods.get(namespace, name);
    if (!pod) {
      this.cancelWithEvent(namespace, name);
      return;
    }
    // Keyed by node: a stale item (the pod moved since) is someone else's to handle.
    if ((pod.spec?.nodeName ?? "") !== nodeName || nodeName === "") return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return;
    this.processPodOnNode(pod, taints, this.ctx.engine.nowMs);
  }

  /** processPodOnNode: delete now, at now + the smallest tolerationSeconds, or never. */
  private processPodOnNode(pod: Stored<Pod>, taints: readonly Taint[], nowMs: number): void {
    const ns = pod.metadata.namespace ?? "default";
    const name = pod.metadata.name;
    const { allTolerated, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!allTolerated) {
      // Cancelled first, since it goes right away.
      this.cancelWithEvent(ns, name);
      this.addWork(ns, name, nowMs, nowMs);
      return;
    }
    const minMs = minTolerationMs(used);
    if (minMs < 0) {
      this.cancelWithEvent(ns, name);
      return;
    }
    let startMs = nowMs;
    const existing = this.evictions.get(`${ns}/${name}`);
    if (existing) {
      startMs = existing.createdAtMs;
      // An eviction decided earlier stands (Kubernetes compares with a clock that always moves on;
      // in simulated time "earlier" includes this very millisecond).
      if (startMs + minMs <= nowMs + minMs) return;
      this.cancelWithEvent(ns, name);
    }
    this.addWork(ns, name, startMs, nowMs + minMs);
  }

  /** AddWork: a deletion at `fireAtMs`, unless one is already scheduled; due ones run at once. */
  private addWork(ns: string, name: string, createdAtMs: number, fireAtMs: number): void {
    const key = `${ns}/${name}`;
    if (this.evictions.has(key)) return;
    if (fireAtMs <= createdAtMs) {
      this.deletePod(ns, name);
      return;
    }
    const timer = this.ctx.engine.at(fireAtMs, () => {
      this.evictions.delete(key);
      this.deletePod(ns, name);
    });
    this.evictions.set(key, { createdAtMs, fireAtMs, timer });
  }

  private cancelWithEvent(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const e = this.evictions.get(key);
    if (!e) return;
    this.ctx.engine.cancel(e.timer);
    this.evictions.delete(key);
    this.event(ns, name, `Cancelling deletion of Pod ${key}`);
  }

  /**
   * deletePodHandler: the event, then DisruptionTarget=True (DeletionByTaintManager) on the status,
   * then an ordinary graceful delete. The event names the pod by reference only (no uid).
   */
  private deletePod(ns: string, name: string): void {
    const api = this.ctx.api;
    this.event(ns, name, `Marking for deletion Pod ${ns}/${name}`);
    // addConditionAndDeletePod GETs the pod from the apiserver itself, not from the cache.
    const pod = api.get<Pod>("Pod", ns, name);
    if (!pod) return;
    const ts = this.ctx.clock.time(this.ctx.engine.nowMs);
    api.mutate<Pod>(
      "Pod",
      ns,
      name,
      (d) =>
        setDisruptionTarget(
          d as Mutable<Pod>,
          "DeletionByTaintManager",
          "Taint manager: deleting due to NoExecute taint",
          ts,
        ),
      { subresource: "status" },
    );
    try {
      api.delete("Pod", ns, name);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private event(ns: string, name: string, message: string): void {
    const ref = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: ns },
    } as unknown as Stored<Pod>;
    this.ctx.events.record(ref, "Normal", "TaintManagerEviction", message, COMPONENT);
  }
}

/**
 * UpdatePodCondition for DisruptionTarget=True: added, or replaced when something differs; the
 * transition time moves only when the status changes. A recipe that changes nothing writes nothing.
 */
export function setDisruptionTarget(pod: Mutable<Pod>, reason: string, message: string, nowTs: string): void {
  const status = (pod.status ??= {});
  const conds = (status.conditions ??= []) as Mutable<PodCondition>[];
  const c = byType(conds, "DisruptionTarget");
  if (c && c.status === "True" && c.reason === reason && c.message === message) return;
  const cond = {
    type: "DisruptionTarget",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: c?.status === "True" && c.lastTransitionTime ? c.lastTransitionTime : nowTs,
    reason,
    message,
  } as unknown as Mutable<PodCondition>;
  if (c) conds[conds.indexOf(c)] = cond;
  else conds.push(cond);
}
