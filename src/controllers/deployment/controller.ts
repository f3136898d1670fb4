/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go): watches
 * Deployments, their ReplicaSets and pods, and runs one sync per queued Deployment — claim
 * ReplicaSets, then pause/scale/rollout as syncDeployment orders it.
 */
import type { Lister } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import { compileSelector } from "../../api/labels.js";
import type { Pod } from "../../api/types.js";
import { controllerRef, setControllerRef } from "../controller-ref.js";
import { controllerOf } from "../pod-utils.js";
import { QueueKeys, SyncError, WorkQueue } from "../workqueue.js";
import { DeploymentSync } from "./sync.js";
import type { Deployment, ReplicaSet, Stored } from "./types.js";

/** Retries before a failing Deployment is dropped from the queue (deployment_controller.go). */
const MAX_RETRIES = 15;

export class DeploymentController {
  readonly queue: WorkQueue;
  /** Each Deployment's queue key, made once. */
  readonly keys = new QueueKeys();
  /** The last "waiting" reason recorded per Deployment, so the timeline states each reason once. */
  readonly lastWait = new Map<string, string>();

  /** The shared informer caches this controller reads (a watch latency behind the store). */
  readonly deployments: Lister<Deployment>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly pods: Lister<Pod>;

  constructor(readonly ctx: SimContext) {
    this.deployments = ctx.api.lister<Deployment>("Deployment");
    this.replicaSets = ctx.api.lister<ReplicaSet>("ReplicaSet");
    this.pods = ctx.api.lister<Pod>("Pod");
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    ctx.api.watch<Deployment>("Deployment", (ev) =>
      this.queue.add(this.keys.of(ev.object.metadata.namespace, ev.object.metadata.name)),
    );
    ctx.api.watch<ReplicaSet>("ReplicaSet", (ev) => this.onReplicaSet(ev.object, ev.old));
    ctx.api.watch<Pod>("Pod", (ev) => {
      if (ev.type === "DELETED") this.onPodDeleted(ev.object);
    });
  }

  private onReplicaSet(rs: Stored<ReplicaSet>, old: Stored<ReplicaSet> | undefined): void {
    const ns = rs.metadata.namespace;
    const ref = controllerOf(rs);
    const oldRef = old ? controllerOf(old) : undefined;
    if (ref?.kind === "Deployment") this.queue.add(this.keys.of(ns, ref.name));
    if (oldRef?.kind === "Deployment" && oldRef.uid !== ref?.uid)
      this.queue.add(this.keys.of(ns, oldRef.name));
    if (!ref) {
      // An orphan: every Deployment that selects it may adopt it.
      for (const d of this.deployments.list({ namespace: ns })) {
        if (compileSelector(d.spec?.selector).matches(rs.metadata.labels))
          this.queue.add(this.keys.of(ns, d.metadata.name));
      }
    }
  }

  /** Recreate waits for old pods to be gone: their deletion wakes the Deployment. */
  private onPodDeleted(pod: Stored<Pod>): void {
    const rsRef = controllerOf(pod);
    if (rsRef?.kind !== "ReplicaSet") return;
    const rs = this.replicaSets.get(pod.metadata.namespace, rsRef.name);
    const dRef = rs ? controllerOf(rs) : undefined;
    if (dRef?.kind !== "Deployment") return;
    const d = this.deployments.get(pod.metadata.namespace, dRef.name);
    if (d?.spec?.strategy?.type === "Recreate")
      this.queue.add(this.keys.of(pod.metadata.namespace, dRef.name));
  }

  private sync(k: string): void {
    const slash = k.indexOf("/");
    const d = this.deployments.get(k.slice(0, slash), k.slice(slash + 1));
    if (!d) {
      this.keys.forget(k.slice(0, slash), k.slice(slash + 1));
      return;
    }
    try {
      const rsList = this.claimReplicaSets(d);
      new DeploymentSync(this, d, rsList).run();
      this.queue.forget(k);
    } catch (e) {
      if (!(e instanceof ApiError) && !(e instanceof SyncError)) throw e;
      if (this.queue.retries(k) < MAX_RETRIES) this.queue.addRateLimited(k);
      else this.queue.forget(k);
    }
  }

  /** getReplicaSetsForDeployment: owned ReplicaSets that match, plus matching orphans adopted now. */
  private claimReplicaSets(d: Stored<Deployment>): Stored<ReplicaSet>[] {
    const api = this.ctx.api;
    const sel = compileSelector(d.spec?.selector);
    const out: Stored<ReplicaSet>[] = [];
    const uid = d.metadata.uid;
    // Only its own ReplicaSets and orphans can be claimed: two indexes, not every ReplicaSet of the
    // namespace; merged back into key order (one namespace, so name order).
    const owned = this.replicaSets.list({ ownerUid: uid }).filter((rs) => controllerOf(rs)?.uid === uid);
    const orphans = this.replicaSets.list({ namespace: d.metadata.namespace, withoutController: true });
    // Each list is in key order already: only a merge with orphans (rare) needs the sort.
    const candidates =
      orphans.length === 0
        ? owned
        : [...owned, ...orphans].sort((a, b) =>
            a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
          );
    for (const rs of candidates) {
      if (rs.metadata.namespace !== d.metadata.namespace) continue;
      const ref = controllerOf(rs);
      const matches = sel.matches(rs.metadata.labels);
      if (ref?.uid === uid) {
        if (matches) out.push(rs);
        else setControllerRef(api, rs, undefined);
      } else if (!ref && matches && !d.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        const adopted = setControllerRef(api, rs, controllerRef(d, "apps/v1"));
        if (adopted) out.push(adopted);
      }
    }
    return out;
  }
}
