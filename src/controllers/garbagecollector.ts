/**
 * The garbage collector (kube-controller-manager's garbagecollector): deletes dependents whose
 * owners are gone, carries out foreground deletion and orphaning. It sees changes through its
 * watch, so it acts one watch latency after the owner changed, as in a cluster.
 * Simplification: no dependency graph is kept; owners are looked up by the store's owner index.
 */
import type { ApiServer, WatchEvent } from "../api/apiserver.js";
import { ApiError } from "../api/errors.js";
import { KINDS, kindInfo } from "../api/kinds.js";
import type { KubeObject, Mutable, ObjectMeta, OwnerReference, Stored } from "../api/types.js";

export class GarbageCollector {
  constructor(private readonly api: ApiServer) {
    api.watch("*", (ev) => this.onChange(ev));
  }

  private onChange(ev: WatchEvent): void {
    const m = ev.object.metadata;
    if (ev.type === "DELETED") {
      this.collectDependents(ev.object);
      // A dependent going away may complete its owners' foreground deletion.
      for (const ref of m.ownerReferences ?? []) this.maybeFinishForeground(ev.object, ref);
      return;
    }
    if (!m.deletionTimestamp) return;
    const fin = m.finalizers ?? [];
    if (fin.includes("orphan")) this.orphanDependents(ev.object);
    else if (fin.includes("foregroundDeletion")) this.deleteDependentsForeground(ev.object);
  }

  /** Every object with an ownerReference to this uid, across kinds, in key order. */
  private dependentsOf(uid: string): Stored[] {
    const out: Stored[] = [];
    for (const info of KINDS) {
      const cache = this.api.cache(info.kind);
      const keys = [...cache.keysOwnedBy(uid)].sort();
      for (const k of keys) {
        const o = cache.get(k);
        if (o) out.push(o);
      }
    }
    return out;
  }

  private ownerExists(dep: Stored, ref: OwnerReference): boolean {
    const info = kindInfo(ref.kind);
    if (!info) return false;
    const owner = this.api.get(ref.kind, info.namespaced ? dep.metadata.namespace : undefined, ref.name);
    return owner !== undefined && owner.metadata.uid === ref.uid;
  }

  private collectDependents(owner: Stored): void {
    for (const dep of this.dependentsOf(owner.metadata.uid)) {
      const refs = dep.metadata.ownerReferences ?? [];
      const alive = refs.filter((r) => r.uid !== owner.metadata.uid && this.ownerExists(dep, r));
      if (alive.length > 0) {
        // Some owners remain: only the dangling reference goes.
        this.safely(() =>
          this.api.mutate(dep.kind, dep.metadata.namespace, dep.metadata.name, (d: KubeObject) => {
            (d.metadata as Mutable<ObjectMeta>).ownerReferences = alive as Mutable<OwnerReference>[];
          }),
        );
      } else if (!dep.metadata.deletionTimestamp) {
        const policy = owner.metadata.finalizers?.includes("foregroundDeletion")
          ? "Foreground"
          : "Background";
        this.safely(() =>
          this.api.delete(dep.kind, dep.metadata.namespace, dep.metadata.name, { propagationPolicy: policy }),
        );
      }
    }
  }

  private deleteDependentsForeground(owner: Stored): void {
    const deps = this.dependentsOf(owner.metadata.uid);
    for (const dep of deps) {
      if (dep.metadata.deletionTimestamp) continue;
      this.safely(() =>
        this.api.delete(dep.kind, dep.metadata.namespace, dep.metadata.name, {
          propagationPolicy: "Foreground",
        }),
      );
    }
    if (!deps.some((d) => blocks(d, owner.metadata.uid))) this.removeFinalizer(owner, "foregroundDeletion");
  }

  private maybeFinishForeground(dep: Stored, ref: OwnerReference): void {
    const info = kindInfo(ref.kind);
    if (!info) return;
    const owner = this.api.get(ref.kind, info.namespaced ? dep.metadata.namespace : undefined, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid || !owner.metadata.deletionTimestamp) return;
    if (!owner.metadata.finalizers?.includes("foregroundDeletion")) return;
    if (!this.dependentsOf(ref.uid).some((d) => blocks(d, ref.uid)))
      this.removeFinalizer(owner, "foregroundDeletion");
  }

  private orphanDependents(owner: Stored): void {
    const uid = owner.metadata.uid;
    for (const dep of this.dependentsOf(uid)) {
      this.safely(() =>
        this.api.mutate(dep.kind, dep.metadata.namespace, dep.metadata.name, (d: KubeObject) => {
          const m = d.metadata as Mutable<ObjectMeta>;
          const refs = (m.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (refs.length > 0) m.ownerReferences = refs;
          else delete m.ownerReferences;
        }),
      );
    }
    this.removeFinalizer(owner, "orphan");
  }

  private removeFinalizer(obj: Stored, finalizer: string): void {
    this.safely(() =>
      this.api.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name, (d: KubeObject) => {
        const m = d.metadata as Mutable<ObjectMeta>;
        m.finalizers = (m.finalizers ?? []).filter((f) => f !== finalizer);
      }),
    );
  }

  /** The object may have changed or gone since the event was sent; the next event retries. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
  }
}

function blocks(dep: Stored, ownerUid: string): boolean {
  return (dep.metadata.ownerReferences ?? []).some(
    (r) => r.uid === ownerUid && r.blockOwnerDeletion === true,
  );
}
