/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go): every
 * monitor period it checks each node's signs of life, posts Unknown conditions past the grace
 * period, marks the pods of a node gone NotReady, taints nodes NoSchedule at once and NoExecute
 * through per-zone rate-limited queues, and takes the taints off when Ready comes back.
 */
import type { WatchEvent } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { byType } from "../../api/lists.js";
import type { SimClock } from "../../api/time.js";
import type { Lease, Node, Pod, Stored } from "../../api/types.js";
import type { TimerId } from "../../engine/engine.js";
import { WorkQueue } from "../workqueue.js";
import {
  LABEL_EXCLUDE_DISRUPTION,
  NODE_EVICTION_PERIOD_MS,
  type NodeLifecycleConfig,
  resolveConfig,
} from "./config.js";
import { type HealthClock, type HealthUpdate, type NodeHealth, tryUpdateNodeHealth } from "./health.js";
import { markPodsNotReady, recordNodeEvent, recordNodeStatusChange } from "./pods.js";
import {
  doNoScheduleTaintingPass,
  NOT_READY_NO_EXECUTE,
  removeTaints,
  swapNodeControllerTaint,
  taintExists,
  UNREACHABLE_NO_EXECUTE,
} from "./taints.js";
import { ZoneTainters } from "./zone-tainters.js";
import { type ZoneCount, zoneKey } from "./zones.js";

const LEASE_NAMESPACE = "kube-node-lease";
const ONLY_UNREACHABLE = [UNREACHABLE_NO_EXECUTE];
const ONLY_NOT_READY = [NOT_READY_NO_EXECUTE];

/**
 * A node whose last pass settled it: the Node and Lease that pass saw, its zone and count, and
 * until when a pass over the same objects would change nothing (no probe to refresh, nothing to
 * post, taint or untaint). Reused from pass to pass (one per node, updated in place).
 */
interface Steady {
  node: Stored<Node>;
  lease: Stored<Lease> | undefined;
  zone: string;
  /** Counted towards its zone's state (no exclude-disruption label). */
  counted: boolean;
  ready: boolean;
  graceMs: number;
  /** Exclusive; -Infinity while the node is not steady, Infinity for a settled Unknown node. */
  untilMs: number;
}

/** The pass's clock for tryUpdateNodeHealth: the timestamp is formatted only when a write asks for it. */
class PassClock implements HealthClock {
  nowMs = 0;
  constructor(private readonly clock: SimClock) {}
  get nowTs(): string {
    return this.clock.time(this.nowMs);
  }
  createdMs(node: Node): number {
    const created = node.metadata?.creationTimestamp;
    return created ? this.clock.parse(created) : this.nowMs;
  }
}

export class NodeLifecycleController {
  readonly cfg: NodeLifecycleConfig;
  /** knownNodeSet: nodes the controller has registered (RegisteredNode), as first seen. */
  private readonly known = new Map<string, Stored<Node>>();
  private readonly health = new Map<string, NodeHealth>();
  /** Per node: what its last pass settled (see Steady). */
  private readonly steady = new Map<string, Steady>();
  private readonly passClock: PassClock;
  private readonly grace: { monitorMs: number; startupMs: number };
  readonly zones: ZoneTainters;
  private readonly counts = new Map<string, ZoneCount>();
  private readonly nodeUpdates: WorkQueue;
  private taintPassTimer: TimerId | undefined;
  private taintPassAtMs = Number.POSITIVE_INFINITY;

  constructor(private readonly ctx: SimContext) {
    this.cfg = resolveConfig(ctx.scenario.timing, ctx.rng.fork("node-lifecycle"));
    this.zones = new ZoneTainters(this.cfg);
    this.passClock = new PassClock(ctx.clock);
    this.grace = { monitorMs: this.cfg.monitorGracePeriodMs, startupMs: this.cfg.startupGracePeriodMs };
    this.nodeUpdates = new WorkQueue(ctx.engine, (name) => this.syncNoScheduleTaints(name));
    ctx.api.watch<Node>("Node", (ev) => {
      if (ev.type !== "DELETED") this.nodeUpdates.add(ev.object.metadata.name);
    });
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
    // wait.Until runs the first pass at once, then every period.
    ctx.engine.at(0, this.monitorTick);
  }

  private readonly monitorTick = () => {
    this.monitorNodeHealth();
    this.ctx.engine.after(this.cfg.monitorPeriodMs, this.monitorTick);
  };

  /** The health the controller keeps for a node (tests and the recovery tracker). */
  nodeHealth(name: string): Readonly<NodeHealth> | undefined {
    return this.health.get(name);
  }

  /** monitorNodeHealth: one pass over every node, then the zone states. */
  private monitorNodeHealth(): void {
    const { api, engine } = this.ctx;
    const nowMs = engine.nowMs;
    this.passClock.nowMs = nowMs;
    this.classifyNodes();
    this.counts.clear();
    for (const node of api.cache("Node").values()) this.updateNode(node as Stored<Node>, nowMs);
    this.zones.handleDisruption(this.counts, this.disruptionHost, nowMs);
    this.scheduleTaintPass();
  }

  /** classifyNodes: RegisteredNode for new nodes, RemovingNode for nodes gone, a queue for each new zone. */
  private classifyNodes(): void {
    const cache = this.ctx.api.cache("Node");
    let added: Stored<Node>[] | undefined;
    for (const obj of cache.values()) {
      const node = obj as Stored<Node>;
      if (!this.known.has(node.metadata.name)) (added ??= []).push(node);
      else this.zones.addZone(zoneKey(node.metadata.labels));
    }
    for (const node of added ?? []) {
      const name = node.metadata.name;
      recordNodeEvent(this.ctx, node, "RegisteredNode", `Registered Node ${name} in Controller`);
      this.known.set(name, node);
      this.zones.addZone(zoneKey(node.metadata.labels));
      this.markNodeAsReachable(node);
    }
    if (this.known.size === cache.size) return;
    for (const [name, node] of [...this.known]) {
      if (cache.get(name)) continue;
      recordNodeEvent(this.ctx, node, "RemovingNode", `Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
      this.steady.delete(name);
    }
  }

  /** One node of a pass: health, zone count, NoExecute tainting, and NotReady pods on a transition. */
  private updateNode(node: Stored<Node>, nowMs: number): void {
    const { api } = this.ctx;
    const name = node.metadata.name;
    const lease = api.get<Lease>("Lease", LEASE_NAMESPACE, name);
    // Fast path: the very Node of a pass that settled it (a renewed Lease only moves the probe
    // time) only counts towards its zone until its deadline.
    const steady = this.steady.get(name);
    if (steady !== undefined && steady.node === node && nowMs < steady.untilMs) {
      if (steady.lease !== lease) this.renewSteady(steady, name, lease, nowMs);
      if (nowMs < steady.untilMs) {
        if (steady.counted) this.count(steady.zone, steady.ready);
        return;
      }
    }
    const r = tryUpdateNodeHealth(
      this.health.get(name),
      node,
      lease?.spec?.renewTime ?? undefined,
      this.passClock,
      this.grace,
    );
    let current = node;
    if (r.write) {
      const conditions = r.write;
      current = api.replace<Node>(
        "Node",
        undefined,
        name,
        (cur) => ({ ...cur, status: { ...cur.status, conditions } }),
        { subresource: "status" },
      );
    }
    this.health.set(name, r.health);
    const counted = node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION] === undefined;
    if (counted) this.count(zoneKey(node.metadata.labels), r.current === "True");
    if (steady !== undefined) steady.untilMs = Number.NEGATIVE_INFINITY;
    if (r.current === undefined) return;
    this.processTaintBaseEviction(current, r.observed);
    if (!r.write && r.current === r.observed) this.settle(steady, name, node, lease, counted, r);
    if (r.current !== "True" && r.observed === "True") {
      recordNodeStatusChange(this.ctx, current, "NodeNotReady");
      markPodsNotReady(this.ctx, api.list<Pod>("Pod", { nodeName: name }), name);
    }
  }

  /**
   * A steady node's Lease changed: as refreshProbe, a later renewTime is a sign of life now, which
   * moves the probe time and so the deadline (a settled Unknown node has none: it stays Unknown
   * until the kubelet posts status).
   */
  private renewSteady(steady: Steady, name: string, lease: Stored<Lease> | undefined, nowMs: number): void {
    steady.lease = lease;
    const renewTime = lease?.spec?.renewTime ?? undefined;
    const h = this.health.get(name)!;
    if (renewTime === undefined || (h.leaseRenewTime !== undefined && h.leaseRenewTime >= renewTime)) return;
    // In place: the entry is the controller's own, and this runs for every node every renewal.
    h.leaseRenewTime = renewTime;
    h.probeMs = nowMs;
    if (steady.untilMs !== Number.POSITIVE_INFINITY) steady.untilMs = nowMs + steady.graceMs;
  }

  /**
   * After a pass that wrote nothing and left Ready as it was: the node is steady if the next pass
   * over the same objects would do nothing either. A Ready node must carry no NoExecute taint
   * (else it is untainted); a NotReady or Unknown one must carry its own NoExecute taint and not
   * the other (else it is queued or swapped), and it is then in its zone's queue's set already.
   * A Ready or NotReady node holds until probe + grace; an Unknown one has no deadline.
   */
  private settle(
    steady: Steady | undefined,
    name: string,
    node: Stored<Node>,
    lease: Stored<Lease> | undefined,
    counted: boolean,
    r: HealthUpdate,
  ): void {
    const taints = node.spec?.taints;
    const hasUnreachable = taintExists(taints, UNREACHABLE_NO_EXECUTE);
    const hasNotReady = taintExists(taints, NOT_READY_NO_EXECUTE);
    const settled =
      r.observed === "True"
        ? !hasUnreachable && !hasNotReady
        : r.observed === "False"
          ? hasNotReady && !hasUnreachable
          : hasUnreachable && !hasNotReady;
    if (!settled) return;
    const untilMs = r.observed === "Unknown" ? Number.POSITIVE_INFINITY : r.health.probeMs + r.graceMs;
    const zone = zoneKey(node.metadata.labels);
    const ready = r.observed === "True";
    if (steady === undefined) {
      this.steady.set(name, { node, lease, zone, counted, ready, graceMs: r.graceMs, untilMs });
      return;
    }
    steady.node = node;
    steady.lease = lease;
    steady.zone = zone;
    steady.counted = counted;
    steady.ready = ready;
    steady.graceMs = r.graceMs;
    steady.untilMs = untilMs;
  }

  private count(zone: string, ready: boolean): void {
    let c = this.counts.get(zone);
    if (!c) this.counts.set(zone, (c = { ready: 0, notReady: 0 }));
    if (ready) c.ready++;
    else c.notReady++;
  }

  /** processTaintBaseEviction: queue a NotReady/Unknown node for its NoExecute taint (swapping at once if it has the other one); untaint a Ready one. */
  private processTaintBaseEviction(node: Stored<Node>, observed: string): void {
    const taints = node.spec?.taints;
    if (observed === "True") {
      this.markNodeAsReachable(node);
      return;
    }
    const [want, other] =
      observed === "False"
        ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE]
        : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
    if (taintExists(taints, other)) {
      const nowTs = this.ctx.clock.time(this.ctx.engine.nowMs);
      swapNodeControllerTaint(this.ctx.api, node, [want], [other], nowTs);
      return;
    }
    // markNodeForTainting: a node that lost its taint meanwhile may be queued again.
    const q = this.zones.queue(zoneKey(node.metadata.labels));
    if (!taintExists(taints, want)) q.remove(node.metadata.name);
    if (q.add(node.metadata.name, node.metadata.uid, this.ctx.engine.nowMs)) this.scheduleTaintPass();
  }

  /** markNodeAsReachable: both NoExecute taints off, and out of the tainting queue. */
  private markNodeAsReachable(node: Stored<Node>): void {
    removeTaints(this.ctx.api, node, ONLY_UNREACHABLE);
    removeTaints(this.ctx.api, node, ONLY_NOT_READY);
    this.zones.queue(zoneKey(node.metadata.labels)).remove(node.metadata.name);
  }

  private readonly disruptionHost = {
    markAllReachable: () => {
      // Nodes leave their tainting queues: none stays settled as queued.
      this.steady.clear();
      for (const node of this.ctx.api.cache("Node").values()) this.markNodeAsReachable(node as Stored<Node>);
    },
    resetProbeTimestamps: () => {
      const nowMs = this.ctx.engine.nowMs;
      this.steady.clear();
      for (const [name, h] of this.health)
        this.health.set(name, { ...h, probeMs: nowMs, readyTransitionMs: nowMs });
    },
  };

  // ---- the NoExecute tainting pass (every NodeEvictionPeriod, run only when it can act) ----

  /** Schedules the next tainting pass on the 100 ms grid, at the first tick where a zone could taint. */
  private scheduleTaintPass(): void {
    const useful = this.zones.nextUsefulMs();
    if (useful === Number.POSITIVE_INFINITY) return;
    const nowMs = this.ctx.engine.nowMs;
    const p = NODE_EVICTION_PERIOD_MS;
    const atMs = Math.ceil(Math.max(useful, nowMs + 1) / p) * p;
    if (this.taintPassTimer !== undefined && this.taintPassAtMs <= atMs) return;
    if (this.taintPassTimer !== undefined) this.ctx.engine.cancel(this.taintPassTimer);
    this.taintPassAtMs = atMs;
    this.taintPassTimer = this.ctx.engine.at(atMs, this.taintPass);
  }

  /** doNoExecuteTaintingPass: each zone's queue, as far as its bucket allows. */
  private readonly taintPass = () => {
    this.taintPassTimer = undefined;
    this.taintPassAtMs = Number.POSITIVE_INFINITY;
    const { api, engine, clock } = this.ctx;
    const nowMs = engine.nowMs;
    const nowTs = clock.time(nowMs);
    for (const q of this.zones.queues.values()) {
      q.try(nowMs, (v) => {
        const node = api.get<Node>("Node", undefined, v.value);
        if (!node) return { ok: true };
        const ready = byType(node.status?.conditions, "Ready");
        if (!ready) return { ok: false, waitMs: 50 };
        // "unreachable" and "not-ready" mirror Ready=Unknown and Ready=False: one replaces the other.
        if (ready.status === "False")
          swapNodeControllerTaint(api, node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], nowTs);
        else if (ready.status === "Unknown")
          swapNodeControllerTaint(api, node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], nowTs);
        return { ok: true };
      });
    }
    this.scheduleTaintPass();
  };

  // ---- watches ----

  /** doNoScheduleTaintingPass for a node that was added or changed. */
  private syncNoScheduleTaints(name: string): void {
    const node = this.ctx.api.get<Node>("Node", undefined, name);
    if (node) doNoScheduleTaintingPass(this.ctx.api, node, this.ctx.clock.time(this.ctx.engine.nowMs));
  }

  /** processPod: a pod newly bound to a node the controller last saw not Ready is marked NotReady. */
  private onPod(ev: WatchEvent<Pod>): void {
    if (ev.type === "DELETED") return;
    const nodeName = ev.object.spec?.nodeName;
    if (!nodeName || (ev.type === "MODIFIED" && ev.old?.spec?.nodeName === nodeName)) return;
    const ready = this.health.get(nodeName)?.ready;
    if (!ready || ready.status === "True") return;
    if (!this.ctx.api.get("Node", undefined, nodeName)) return;
    const m = ev.object.metadata;
    const pod = this.ctx.api.get<Pod>("Pod", m.namespace, m.name);
    if (pod) markPodsNotReady(this.ctx, [pod], nodeName);
  }
}
