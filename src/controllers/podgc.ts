/**
 * The pod garbage collector (pkg/controller/podgc/gc_controller.go): every 20 s it deletes
 * terminated pods over the threshold, force-deletes pods bound to nodes that no longer exist (after
 * a 40 s quarantine), terminating pods on out-of-service nodes, and terminating unscheduled pods.
 * The candidates are kept up to date from the watches, so a pass never scans every pod.
 */
import type { Lister, WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import { byType } from "../api/lists.js";
import type { Mutable, Node, Pod, Stored } from "../api/types.js";
import { setDisruptionTarget } from "./tainteviction.js";

/** gcCheckPeriod. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** quarantineTime: how long a missing node may take to show up before its pods go. */
export const QUARANTINE_MS = 40_000;
/** --terminated-pod-gc-threshold (0 disables gcTerminated). */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

const keyOf = (p: Pod) => `${p.metadata?.namespace ?? "default"}/${p.metadata?.name}`;

function isTerminated(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== undefined && phase !== "Pending" && phase !== "Running" && phase !== "Unknown";
}

/** byEvictionAndCreationTimestamp: evicted pods first, then the oldest, then by name. */
function byEvictionAndCreation(a: Stored<Pod>, b: Stored<Pod>): number {
  const ea = a.status?.phase === "Failed" && a.status?.reason === "Evicted";
  const eb = b.status?.phase === "Failed" && b.status?.reason === "Evicted";
  if (ea !== eb) return ea ? -1 : 1;
  const ca = a.metadata.creationTimestamp ?? "";
  const cb = b.metadata.creationTimestamp ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class PodGCController {
  private readonly terminated = new Set<string>();
  private readonly unscheduledTerminating = new Set<string>();
  /** Node names some pod is bound to while the node is missing (checked at each pass). */
  private readonly suspectNodes = new Set<string>();
  /** Nodes carrying the out-of-service taint. */
  private readonly outOfService = new Set<string>();
  /** The delaying queue of missing nodes: when each one's quarantine ends. */
  private readonly quarantine = new Map<string, number>();
  /** The shared informer caches it reads; only the last check of a missing node asks the apiserver. */
  private readonly nodes: Lister<Node>;
  private readonly podLister: Lister<Pod>;

  constructor(
    private readonly ctx: SimContext,
    private readonly terminatedThreshold = TERMINATED_POD_GC_THRESHOLD,
  ) {
    this.nodes = ctx.api.lister<Node>("Node");
    this.podLister = ctx.api.lister<Pod>("Pod");
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
    ctx.api.watch<Node>("Node", (ev) => this.onNode(ev));
    ctx.engine.at(0, this.tick);
  }

  private readonly tick = () => {
    this.gc();
    this.ctx.engine.after(GC_CHECK_PERIOD_MS, this.tick);
  };

  private onPod(ev: WatchEvent<Pod>): void {
    const p = ev.object;
    const key = keyOf(p);
    const gone = ev.type === "DELETED";
    if (!gone && isTerminated(p)) this.terminated.add(key);
    else this.terminated.delete(key);
    if (!gone && p.metadata.deletionTimestamp && !p.spec?.nodeName) this.unscheduledTerminating.add(key);
    else this.unscheduledTerminating.delete(key);
    const node = p.spec?.nodeName;
    if (!gone && node && !this.nodes.get(undefined, node)) this.suspectNodes.add(node);
  }

  private onNode(ev: WatchEvent<Node>): void {
    const name = ev.object.metadata.name;
    if (ev.type === "DELETED") this.suspectNodes.add(name);
    const oos =
      ev.type !== "DELETED" && (ev.object.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
    if (oos) this.outOfService.add(name);
    else this.outOfService.delete(name);
  }

  /** One pass, in Kubernetes' order. */
  private gc(): void {
    if (this.terminatedThreshold > 0) this.gcTerminated();
    this.gcTerminating();
    this.gcOrphaned();
    this.gcUnscheduledTerminating();
  }

  private pods(keys: Iterable<string>): Stored<Pod>[] {
    const out: Stored<Pod>[] = [];
    for (const k of keys) {
      const slash = k.indexOf("/");
      const p = this.podLister.get(k.slice(0, slash), k.slice(slash + 1));
      if (p) out.push(p);
    }
    return out;
  }

  /** gcTerminated: beyond the threshold, the excess goes, evicted and oldest first. */
  private gcTerminated(): void {
    const excess = this.terminated.size - this.terminatedThreshold;
    if (excess <= 0) return;
    const pods = this.pods(this.terminated).filter(isTerminated).sort(byEvictionAndCreation);
    for (const p of pods.slice(0, Math.max(0, pods.length - this.terminatedThreshold)))
      this.markFailedAndDelete(p);
  }

  /** gcTerminating: terminating pods on a not-Ready node tainted node.kubernetes.io/out-of-service. */
  private gcTerminating(): void {
    const doomed: Stored<Pod>[] = [];
    for (const name of [...this.outOfService].sort()) {
      const node = this.nodes.get(undefined, name);
      const ready = byType(node?.status?.conditions, "Ready")?.status === "True";
      if (!node || ready) continue;
      for (const p of this.podLister.list({ nodeName: name }))
        if (p.metadata.deletionTimestamp) doomed.push(p);
    }
    for (const p of doomed.sort(byEvictionAndCreation)) this.markFailedAndDelete(p);
  }

  /** gcOrphaned: pods bound to a missing node, once the node has been missing for the quarantine. */
  private gcOrphaned(): void {
    const api = this.ctx.api;
    const nowMs = this.ctx.engine.nowMs;
    for (const name of [...this.suspectNodes].sort()) {
      if (this.nodes.get(undefined, name) || this.podLister.list({ nodeName: name }).length === 0) {
        this.suspectNodes.delete(name);
        this.quarantine.delete(name);
        continue;
      }
      // AddAfter keeps the earliest pending time.
      if (!this.quarantine.has(name)) this.quarantine.set(name, nowMs + QUARANTINE_MS);
    }
    const deleted: string[] = [];
    for (const [name, readyAtMs] of [...this.quarantine].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (readyAtMs > nowMs) continue;
      this.quarantine.delete(name);
      // checkIfNodeExists: after the quarantine the apiserver itself is asked.
      if (!api.get("Node", undefined, name)) deleted.push(name);
    }
    for (const name of deleted) {
      for (const p of this.podLister.list({ nodeName: name })) {
        this.markFailedAndDelete(p, ["DeletionByPodGC", "PodGC: node no longer exists"]);
      }
    }
  }

  /** gcUnscheduledTerminating: terminating pods never bound to a node. */
  private gcUnscheduledTerminating(): void {
    for (const p of this.pods([...this.unscheduledTerminating].sort())) {
      if (p.metadata.deletionTimestamp && !p.spec?.nodeName) this.markFailedAndDelete(p);
    }
  }

  /**
   * markFailedAndDeletePodWithCondition: phase Failed (with the DisruptionTarget condition, if
   * given) unless already terminal, then a force delete (grace 0).
   */
  private markFailedAndDelete(p: Stored<Pod>, condition?: [reason: string, message: string]): void {
    const api = this.ctx.api;
    const ns = p.metadata.namespace;
    const name = p.metadata.name;
    try {
      if (p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed") {
        const ts = this.ctx.clock.time(this.ctx.engine.nowMs);
        api.mutate<Pod>(
          "Pod",
          ns,
          name,
          (d) => {
            const pod = d as Mutable<Pod>;
            (pod.status ??= {}).phase = "Failed";
            if (condition) setDisruptionTarget(pod, condition[0], condition[1], ts);
          },
          { subresource: "status" },
        );
      }
      api.delete("Pod", ns, name, { gracePeriodSeconds: 0, uid: p.metadata.uid });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
