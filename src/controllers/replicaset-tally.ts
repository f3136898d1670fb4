/**
 * Running counts of the pods each ReplicaSet controls, kept current from the pod informer's events,
 * so that a sync which only refreshes status (most syncs: a pod became Ready) need not walk every
 * pod of the ReplicaSet. The counts are exactly what ClaimPods + calculateStatus would find, and
 * the active pods per node are what a scale-down's ranking would count from the owner index.
 */
import type { Selector } from "../api/labels.js";
import type { Pod, Stored } from "../api/types.js";
import { controllerOf, isPodActive, isPodReady } from "./pod-utils.js";

/** What one pod adds to its ReplicaSet's counts (one per pod: its facts are bits of one number). */
interface Share {
  pod: Stored<Pod>;
  /** Its node ("" when unbound) while it is active: counted in activeOnNode. */
  node: string | undefined;
  /** MATCHES | COUNTED | STRAY | TERMINATING | FULLY_LABELED | READY. */
  flags: number;
}

/** Matches the selector (kept to skip matching again while the labels object is the same). */
const MATCHES = 1;
/** Matches the selector and is active: counted in status.replicas. */
const COUNTED = 2;
/** Does not match the selector but is active: ClaimPods would release it. */
const STRAY = 4;
const TERMINATING = 8;
const FULLY_LABELED = 16;
const READY = 32;

/** The counts for one ReplicaSet (by uid), against its selector and template labels. */
export class ReplicaSetTally {
  private readonly shares = new Map<string, Share>();
  replicas = 0;
  fullyLabeled = 0;
  ready = 0;
  terminating = 0;
  /** Active pods it controls that no longer match: the sync must release them (slow path). */
  strays = 0;
  /** The node of each active pod with a non-controller ownerReference to this uid (rare). */
  private readonly ownedActive = new Map<string, string>();
  /** Active pods with any ownerReference to this uid (the owner index's pods), per node ("" for
   * unbound): the ranking of getPodsToDelete. */
  private readonly activePerNode = new Map<string, number>();

  constructor(
    readonly uid: string,
    readonly selector: Selector,
    readonly templateLabels: Readonly<Record<string, string>> | undefined,
  ) {}

  /** The pod's new state replaces its old one (undefined: it is gone or no longer ours); `podKey`
   * names the pod (the controller passes its uid). */
  set(podKey: string, pod: Stored<Pod> | undefined): void {
    const active = pod !== undefined && isPodActive(pod);
    const controlled = pod !== undefined && controllerOf(pod)?.uid === this.uid;
    const node = active && (controlled || ownedBy(pod!, this.uid)) ? (pod!.spec?.nodeName ?? "") : undefined;
    const old = this.shares.get(podKey);
    // A pod is in at most one of shares (controlled) and ownedActive (only owned).
    const loose = this.ownedActive.size > 0 ? this.ownedActive.get(podKey) : undefined;
    this.moveNode(old ? old.node : loose, node);
    if (loose !== undefined && (controlled || node === undefined)) this.ownedActive.delete(podKey);
    if (old) this.apply(old, -1);
    if (!controlled) {
      if (node !== undefined) this.ownedActive.set(podKey, node);
      if (old) this.shares.delete(podKey);
      return;
    }
    const share = this.shareOf(pod!, active, node, old);
    if (share !== old) this.shares.set(podKey, share);
    this.apply(share, 1);
  }

  /** Available pods: Ready ones, Ready for longer than minReadySeconds when that is set. */
  available(isAvailable: (p: Stored<Pod>) => boolean, minReadySeconds: number): number {
    if (minReadySeconds === 0) return this.ready;
    let n = 0;
    for (const s of this.shares.values())
      if ((s.flags & (COUNTED | READY)) === (COUNTED | READY) && isAvailable(s.pod)) n++;
    return n;
  }

  /** Active pods with an ownerReference to this ReplicaSet on the node ("" for unbound pods). */
  activeOnNode(nodeName: string): number {
    return this.activePerNode.get(nodeName) ?? 0;
  }

  private moveNode(was: string | undefined, node: string | undefined): void {
    if (was === node) return;
    if (was !== undefined) {
      const n = this.activePerNode.get(was)! - 1;
      if (n === 0) this.activePerNode.delete(was);
      else this.activePerNode.set(was, n);
    }
    if (node !== undefined) this.activePerNode.set(node, (this.activePerNode.get(node) ?? 0) + 1);
  }

  // The previous share is updated in place; selector and template labels are matched again only
  // when the labels changed (most pod events are status writes that keep the labels object).
  private shareOf(
    pod: Stored<Pod>,
    active: boolean,
    node: string | undefined,
    old: Share | undefined,
  ): Share {
    const labels = pod.metadata.labels;
    const sameLabels = old !== undefined && old.pod.metadata.labels === labels;
    const matches = sameLabels ? (old.flags & MATCHES) !== 0 : this.selector.matches(labels);
    const fullyLabeled = sameLabels ? (old.flags & FULLY_LABELED) !== 0 : this.isFullyLabeled(labels);
    let flags = fullyLabeled ? FULLY_LABELED : 0;
    if (matches) flags |= MATCHES | (active ? COUNTED : 0);
    else if (active) flags |= STRAY;
    if (matches && pod.metadata.deletionTimestamp !== undefined) flags |= TERMINATING;
    if (isPodReady(pod)) flags |= READY;
    if (old === undefined) return { pod, node, flags };
    old.pod = pod;
    old.node = node;
    old.flags = flags;
    return old;
  }

  private isFullyLabeled(labels: Readonly<Record<string, string>> | undefined): boolean {
    const tl = this.templateLabels;
    if (!tl) return true;
    const have = labels ?? {};
    for (const k in tl) if (have[k] !== tl[k]) return false;
    return true;
  }

  private apply(s: Share, sign: 1 | -1): void {
    const f = s.flags;
    if (f & COUNTED) {
      this.replicas += sign;
      if (f & FULLY_LABELED) this.fullyLabeled += sign;
      if (f & READY) this.ready += sign;
    }
    if (f & STRAY) this.strays += sign;
    if (f & TERMINATING) this.terminating += sign;
  }
}

function ownedBy(pod: Stored<Pod>, uid: string): boolean {
  const refs = pod.metadata.ownerReferences;
  if (refs) for (const r of refs) if (r.uid === uid) return true;
  return false;
}
