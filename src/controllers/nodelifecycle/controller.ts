/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go): every
 * monitor period it checks each node's signs of life, posts Unknown conditions past the grace
 * period, marks the pods of a node gone NotReady, taints nodes NoSchedule at once and NoExecute
 * through per-zone rate-limited queues, and takes the taints off when Ready comes back.
 */
import type { WatchEvent } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { byType } from "../../api/lists.js";
import type { Lease, Mutable, Node, Pod, Stored } from "../../api/types.js";
import type { TimerId } from "../../engine/engine.js";
import { WorkQueue } from "../workqueue.js";
import {
  LABEL_EXCLUDE_DISRUPTION,
  NODE_EVICTION_PERIOD_MS,
  type NodeLifecycleConfig,
  resolveConfig,
} from "./config.js";
import { type NodeHealth, tryUpdateNodeHealth } from "./health.js";
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

export class NodeLifecycleController {
  readonly cfg: NodeLifecycleConfig;
  /** knownNodeSet: nodes the controller has registered (RegisteredNode), as first seen. */
  private readonly known = new Map<string, Stored<Node>>();
  private readonly health = new Map<string, NodeHealth>();
  /** Nodes whose last pass changed nothing: the objects it saw, and until when that holds. */
  private readonly quiet = new Map<
    string,
    { node: Stored<Node>; lease: Stored<Lease> | undefined; untilMs: number }
  >();
  readonly zones: ZoneTainters;
  private readonly counts = new Map<string, ZoneCount>();
  private readonly nodeUpdates: WorkQueue;
  private taintPassTimer: TimerId | undefined;
  private taintPassAtMs = Number.POSITIVE_INFINITY;

  constructor(private readonly ctx: SimContext) {
    this.cfg = resolveConfig(ctx.scenario.timing, ctx.rng.fork("node-lifecycle"));
    this.zones = new ZoneTainters(this.cfg);
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
    const { api, engine, clock } = this.ctx;
    const nowMs = engine.nowMs;
    const nowTs = clock.time(nowMs);
    this.classifyNodes();
    this.counts.clear();
    for (const node of api.cache("Node").values()) this.updateNode(node as Stored<Node>, nowMs, nowTs);
    this.zones.handleDisruption(this.counts, this.disruptionHost, nowMs);
    this.scheduleTaintPass();
  }

  /** classifyNodes: RegisteredNode for new nodes, RemovingNode for nodes gone, a queue for each new zone. */
  private classifyNodes(): void {
    const cache = this.ctx.api.cache("Node");
    const added: Stored<Node>[] = [];
    for (const obj of cache.values()) {
      const node = obj as Stored<Node>;
      if (!this.known.has(node.metadata.name)) added.push(node);
      else this.zones.addZone(zoneKey(node.metadata.labels));
    }
    for (const node of added) {
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
      this.quiet.delete(name);
    }
  }

  /** One node of a pass: health, zone count, NoExecute tainting, and NotReady pods on a transition. */
  private updateNode(node: Stored<Node>, nowMs: number, nowTs: string): void {
    const { api, clock } = this.ctx;
    const name = node.metadata.name;
    const lease = api.get<Lease>("Lease", LEASE_NAMESPACE, name);
    // Fast path: a healthy node whose Node and Lease are the very objects of a quiet pass before
    // (nothing to refresh, to post or to untaint) only counts towards its zone until its deadline.
    const quiet = this.quiet.get(name);
    if (quiet && quiet.node === node && quiet.lease === lease && nowMs < quiet.untilMs) {
      if (node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION] === undefined) this.count(node, true);
      return;
    }
    this.quiet.delete(name);
    const created = node.metadata.creationTimestamp;
    const createdMs = () => (created ? clock.parse(created) : nowMs);
    const r = tryUpdateNodeHealth(
      this.health.get(name),
      node,
      lease?.spec?.renewTime ?? undefined,
      { nowMs, nowTs, createdMs },
      { monitorMs: this.cfg.monitorGracePeriodMs, startupMs: this.cfg.startupGracePeriodMs },
    );
    let current = node;
    if (r.write) {
      const conditions = r.write;
      current = api.mutate<Node>(
        "Node",
        undefined,
        name,
        (d) => {
          ((d as Mutable<Node>).status ??= {}).conditions = conditions as Mutable<typeof conditions>;
        },
        { subresource: "status" },
      );
    }
    this.health.set(name, r.health);
    if (node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION] === undefined)
      this.count(node, r.current === "True");
    if (r.current === undefined) return;
    this.processTaintBaseEviction(current, r.observed);
    if (r.current === "True" && r.observed === "True" && !r.write && !this.hasNoExecuteTaint(current)) {
      this.quiet.set(name, { node: current, lease, untilMs: r.health.probeMs + r.graceMs });
    }
    if (r.current !== "True" && r.observed === "True") {
      recordNodeStatusChange(this.ctx, current, "NodeNotReady");
      markPodsNotReady(this.ctx, api.list<Pod>("Pod", { nodeName: name }), name);
    }
  }

  private hasNoExecuteTaint(node: Stored<Node>): boolean {
    const t = node.spec?.taints;
    return taintExists(t, UNREACHABLE_NO_EXECUTE) || taintExists(t, NOT_READY_NO_EXECUTE);
  }

  private count(node: Stored<Node>, ready: boolean): void {
    const zone = zoneKey(node.metadata.labels);
    let c = this.counts.get(zone);
    if (!c) this.counts.set(zone, (c = { ready: 0, notReady: 0 }));
    if (ready) c.ready++;
    else c.notReady++;
  }

  /** processTaintBaseEviction: queue a NotReady/Unknown node for its NoExecute taint (swapping at once if it has the other one); untaint a Ready one. */
  private processTaintBaseEviction(node: Stored<Node>, observed: string): void {
    const taints = node.spec?.taints;
    const nowTs = this.ctx.clock.time(this.ctx.engine.nowMs);
    if (observed === "True") {
      this.markNodeAsReachable(node);
      return;
    }
    const [want, other] =
      observed === "False"
        ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE]
        : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
    if (taintExists(taints, other)) {
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
    removeTaints(this.ctx.api, node, [UNREACHABLE_NO_EXECUTE]);
    removeTaints(this.ctx.api, node, [NOT_READY_NO_EXECUTE]);
    this.zones.queue(zoneKey(node.metadata.labels)).remove(node.metadata.name);
  }

  private readonly disruptionHost = {
    markAllReachable: () => {
      for (const node of this.ctx.api.cache("Node").values()) this.markNodeAsReachable(node as Stored<Node>);
    },
    resetProbeTimestamps: () => {
      const nowMs = this.ctx.engine.nowMs;
      this.quiet.clear();
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
