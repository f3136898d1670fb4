/** The kubelet's node side (kubelet_node_status.go, nodestatus/setters.go, nodelease): registration, Lease renewals, node status. */
import { ApiError } from "../api/errors.js";
import { byType } from "../api/lists.js";
import type { Lease, Mutable, Node, NodeCondition, Stored } from "../api/types.js";
import type { TimerId } from "../engine/engine.js";
import { LEASE_RENEW_INTERVAL_MS, MAX_IMAGES_IN_NODE_STATUS, NODE_LEASE_DURATION_SECONDS } from "./config.js";
import { initialNode } from "./initial-node.js";
import type { Kubelet } from "./kubelet.js";
import { msg } from "./messages.js";

const LEASE_NAMESPACE = "kube-node-lease";
const REGISTER_RETRY_MS = 7_000;

/** One kubelet-set condition: type, the healthy status, reason, message and the event of the transition. */
const CONDITIONS = [
  [
    "MemoryPressure",
    "False",
    "KubeletHasSufficientMemory",
    "kubelet has sufficient memory available",
    "NodeHasSufficientMemory",
  ],
  [
    "DiskPressure",
    "False",
    "KubeletHasNoDiskPressure",
    "kubelet has no disk pressure",
    "NodeHasNoDiskPressure",
  ],
  [
    "PIDPressure",
    "False",
    "KubeletHasSufficientPID",
    "kubelet has sufficient PID available",
    "NodeHasSufficientPID",
  ],
  ["Ready", "True", "KubeletReady", "kubelet is posting ready status", "NodeReady"],
] as const;

/**
 * The setters: each condition keeps its transition time while its status holds; a changed status
 * gets a new transition time and an event (the pressure setters also fire on a new condition;
 * Ready only on a change of an existing one).
 */
export function nodeConditions(
  current: readonly NodeCondition[] | undefined,
  nowTs: string,
): { conditions: NodeCondition[]; events: string[] } {
  const events: string[] = [];
  const conditions = CONDITIONS.map(([type, status, reason, message, event]) => {
    const prev = byType(current, type);
    const same = prev?.status === status;
    if (!same && (prev || type !== "Ready")) events.push(event);
    return {
      type,
      status,
      lastHeartbeatTime: nowTs,
      lastTransitionTime: same && prev?.lastTransitionTime ? prev.lastTransitionTime : nowTs,
      reason,
      message,
    };
  });
  return { conditions, events };
}

/**
 * Registration, the Lease loop (every 10 s) and the status loop (every 10 s, written on change or
 * every 5 min). Simplification: the node is Ready as it registers (no CNI-not-ready period) and
 * never reports memory, disk or PID pressure.
 */
export class NodeStatusManager {
  private lastReportMs = Number.NEGATIVE_INFINITY;
  private reportedImages = -1;
  /** The Node as the last status tick saw it: unchanged since, so are its conditions. */
  private lastSeen: Stored<Node> | undefined;
  private leaseTimer: TimerId | undefined;
  private statusTimer: TimerId | undefined;
  // The two loops run for every node all run long: plain engine timers, no per-tick allocation.
  private readonly leaseTick = () => {
    this.renewLease();
    this.leaseTimer = this.k.cluster.engine.after(LEASE_RENEW_INTERVAL_MS, this.leaseTick);
  };
  private readonly statusTick = () => {
    this.update(false);
    this.k.afterStatusTick();
    this.statusTimer = this.k.cluster.engine.after(
      this.k.timings.nodeStatusUpdateFrequencyMs,
      this.statusTick,
    );
  };

  /** The renewTime of the renewal in progress, read by `renewed`. */
  private renewTime = "";
  /** The Update of a renewal: the stored Lease with the new renewTime (one builder, no closure per renewal). */
  private readonly renewed = (cur: Stored<Lease>): Lease => {
    const renewTime = this.renewTime;
    return cur.spec?.renewTime === renewTime ? cur : { ...cur, spec: { ...cur.spec, renewTime } };
  };

  constructor(private readonly k: Kubelet) {}

  /** Registers (or re-registers) the node, then starts both loops with this node's phase offsets. */
  start(): void {
    const k = this.k;
    this.register();
    const engine = k.cluster.engine;
    // A per-node phase so that thousands of nodes do not all write in the same millisecond.
    this.leaseTimer = engine.after(1 + k.rng.int(LEASE_RENEW_INTERVAL_MS), this.leaseTick);
    this.statusTimer = engine.after(1 + k.rng.int(k.timings.nodeStatusUpdateFrequencyMs), this.statusTick);
  }

  /** Stops both loops (kubelet stopped or crashed). */
  stop(): void {
    const engine = this.k.cluster.engine;
    if (this.leaseTimer !== undefined) engine.cancel(this.leaseTimer);
    if (this.statusTimer !== undefined) engine.cancel(this.statusTimer);
    this.leaseTimer = this.statusTimer = undefined;
    this.lastSeen = undefined;
  }

  private register(): void {
    const k = this.k;
    if (!k.canWrite()) {
      k.timers.after(REGISTER_RETRY_MS, () => this.register());
      return;
    }
    const api = k.cluster.api;
    const existing = api.get<Node>("Node", undefined, k.nodeName);
    if (existing) {
      k.event(existing, "Normal", "Starting", "Starting kubelet.");
      this.update(true);
    } else {
      const node = initialNode(k.spec, k.nodeName, k.index) as Mutable<Node>;
      const ts = k.cluster.clock.time(k.nowMs);
      const { conditions, events } = nodeConditions(undefined, ts);
      node.status = { ...node.status, conditions, ...this.extras() };
      const stored = api.create(node as Node);
      this.reportedImages = k.images.version;
      this.lastReportMs = k.nowMs;
      this.lastSeen = stored;
      k.event(stored, "Normal", "Starting", "Starting kubelet.");
      for (const e of events) k.event(stored, "Normal", e, msg.nodeStatus(k.nodeName, e));
      k.event(stored, "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
    }
    this.renewLease();
  }

  private extras() {
    const images = this.k.images
      .list(MAX_IMAGES_IN_NODE_STATUS)
      .map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes }));
    return { daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }, images };
  }

  /** Renews (or recreates) the node's Lease: the cheapest write of the cluster, one field. */
  renewLease(): void {
    const k = this.k;
    if (!k.canWrite()) return;
    const api = k.cluster.api;
    const renewTime = k.cluster.clock.microTime(k.nowMs);
    try {
      this.renewTime = renewTime;
      api.replace<Lease>("Lease", LEASE_NAMESPACE, k.nodeName, this.renewed);
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
    const node = api.get<Node>("Node", undefined, k.nodeName);
    if (!node) return;
    api.create<Lease>({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: k.nodeName,
        namespace: LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: k.nodeName, uid: node.metadata.uid }],
      },
      spec: { holderIdentity: k.nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime },
    });
  }

  /** tryUpdateNodeStatus: writes when a condition or the image list changed, or the report is due. */
  update(force: boolean): void {
    const k = this.k;
    if (!k.canWrite()) return;
    const api = k.cluster.api;
    const node = api.get<Node>("Node", undefined, k.nodeName) as Stored<Node> | undefined;
    if (!node) return;
    const imagesChanged = this.reportedImages !== k.images.version;
    const due = k.nowMs - this.lastReportMs >= k.timings.nodeStatusReportFrequencyMs;
    if (!force && !imagesChanged && !due && node === this.lastSeen) return;
    const ts = k.cluster.clock.time(k.nowMs);
    const { conditions, events } = nodeConditions(node.status?.conditions, ts);
    if (!force && events.length === 0 && !imagesChanged && !due) {
      this.lastSeen = node;
      return;
    }
    const images = imagesChanged ? this.extras().images : undefined;
    // Built, not an immer recipe: a new status of the stored one with the new conditions (and images).
    this.lastSeen = api.replace<Node>(
      "Node",
      undefined,
      k.nodeName,
      (cur) => {
        const status: Mutable<NonNullable<Node["status"]>> = { ...cur.status, conditions };
        if (images) status.images = images;
        return { ...cur, status };
      },
      { subresource: "status" },
    );
    this.reportedImages = k.images.version;
    this.lastReportMs = k.nowMs;
    for (const e of events) k.event(node, "Normal", e, msg.nodeStatus(k.nodeName, e));
  }
}
