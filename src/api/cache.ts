/**
 * An indexed collection of immutable objects of one kind: by key, namespace, label, owner and
 * (for pods) node. The apiserver's store and every informer cache are instances of it.
 */
import type { KubeObject, Stored } from "./types.js";

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? "");
}

// The sorted keys of an index bucket, kept until the bucket changes: status writes (most writes)
// change no bucket, so lists sort only after creations, deletions and label or owner changes.
const sortedKeys = new WeakMap<ReadonlySet<string>, readonly string[]>();

function addTo(index: Map<string, Set<string>>, k: string, key: string): void {
  let set = index.get(k);
  if (!set) index.set(k, (set = new Set()));
  else if (set.has(key)) return;
  set.add(key);
  sortedKeys.delete(set);
}

function removeFrom(index: Map<string, Set<string>>, k: string, key: string): void {
  const set = index.get(k);
  if (!set?.delete(key)) return;
  sortedKeys.delete(set);
  if (set.size === 0) index.delete(k);
}

/** The keys of an index bucket (from the keysXxx methods) in string order, cached until it changes. */
export function sortedKeysOf(keys: ReadonlySet<string>): readonly string[] {
  let sorted = sortedKeys.get(keys);
  if (!sorted) sortedKeys.set(keys, (sorted = [...keys].sort()));
  return sorted;
}

function hasController(obj: KubeObject): boolean {
  const refs = obj.metadata?.ownerReferences;
  if (refs) for (const r of refs) if (r.controller) return true;
  return false;
}

function nodeNameOf(obj: KubeObject): string | undefined {
  return (obj.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
}

export class ObjectCache<T extends KubeObject = KubeObject> {
  private readonly objects = new Map<string, Stored<T>>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly byLabel = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  /** Namespaced objects without a controller reference, by namespace (orphans to adopt). */
  private readonly orphans = new Map<string, Set<string>>();

  /** `adoptable`: whether controllers may adopt objects of this kind (not Events: no orphan index). */
  constructor(private readonly adoptable = true) {}

  get size(): number {
    return this.objects.size;
  }

  get(key: string): Stored<T> | undefined {
    return this.objects.get(key);
  }

  /** All objects, in insertion order of their keys (callers sort when order matters). */
  values(): IterableIterator<Stored<T>> {
    return this.objects.values();
  }

  /** All keys, in insertion order (callers sort when order matters). */
  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  /** Inserts or replaces the object under its key, keeping every index current. */
  put(obj: Stored<T>): Stored<T> | undefined {
    const key = keyOf(obj);
    const old = this.objects.get(key);
    this.objects.set(key, obj);
    if (old === undefined) {
      if (obj.metadata.namespace) addTo(this.byNamespace, obj.metadata.namespace, key);
      this.indexLabels(undefined, obj.metadata.labels, key);
      this.indexOwners(undefined, obj, key);
      this.indexOrphan(undefined, obj, key);
      const node = nodeNameOf(obj);
      if (node) addTo(this.byNode, node, key);
      return undefined;
    }
    if (old.metadata.labels !== obj.metadata.labels)
      this.indexLabels(old.metadata.labels, obj.metadata.labels, key);
    if (old.metadata.ownerReferences !== obj.metadata.ownerReferences) {
      this.indexOwners(old, obj, key);
      this.indexOrphan(old, obj, key);
    }
    const oldNode = nodeNameOf(old);
    const newNode = nodeNameOf(obj);
    if (oldNode !== newNode) {
      if (oldNode) removeFrom(this.byNode, oldNode, key);
      if (newNode) addTo(this.byNode, newNode, key);
    }
    return old;
  }

  /** Removes the object with this key; returns it if it was there. */
  remove(key: string): Stored<T> | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.objects.delete(key);
    if (old.metadata.namespace) removeFrom(this.byNamespace, old.metadata.namespace, key);
    this.indexLabels(old.metadata.labels, undefined, key);
    this.indexOwners(old, undefined, key);
    this.indexOrphan(old, undefined, key);
    const node = nodeNameOf(old);
    if (node) removeFrom(this.byNode, node, key);
    return old;
  }

  /** Keys of objects in a namespace (empty set if none). */
  keysInNamespace(namespace: string): ReadonlySet<string> {
    return this.byNamespace.get(namespace) ?? EMPTY;
  }

  /** Keys of objects carrying label `k=v`. */
  keysWithLabel(k: string, v: string): ReadonlySet<string> {
    return this.byLabel.get(`${k}=${v}`) ?? EMPTY;
  }

  /** Keys of objects with an ownerReference to this uid. */
  keysOwnedBy(uid: string): ReadonlySet<string> {
    return this.byOwner.get(uid) ?? EMPTY;
  }

  /** Keys of pods bound to this node (spec.nodeName). */
  keysOnNode(nodeName: string): ReadonlySet<string> {
    return this.byNode.get(nodeName) ?? EMPTY;
  }

  /** Keys of objects in a namespace that no controller owns (no ownerReference with controller: true). */
  keysWithoutController(namespace: string): ReadonlySet<string> {
    return this.orphans.get(namespace) ?? EMPTY;
  }

  private indexOrphan(old: KubeObject | undefined, obj: KubeObject | undefined, key: string): void {
    if (!this.adoptable) return;
    const ns = (obj ?? old)?.metadata?.namespace;
    if (!ns) return;
    const was = old !== undefined && !hasController(old);
    const is = obj !== undefined && !hasController(obj);
    if (was && !is) removeFrom(this.orphans, ns, key);
    else if (is && !was) addTo(this.orphans, ns, key);
  }

  private indexLabels(
    oldLabels: Record<string, string> | undefined,
    newLabels: Record<string, string> | undefined,
    key: string,
  ): void {
    if (oldLabels) for (const k in oldLabels) removeFrom(this.byLabel, `${k}=${oldLabels[k]}`, key);
    if (newLabels) for (const k in newLabels) addTo(this.byLabel, `${k}=${newLabels[k]}`, key);
  }

  private indexOwners(old: KubeObject | undefined, obj: KubeObject | undefined, key: string): void {
    const oldRefs = old?.metadata?.ownerReferences;
    if (oldRefs) for (const r of oldRefs) removeFrom(this.byOwner, r.uid, key);
    const newRefs = obj?.metadata?.ownerReferences;
    if (newRefs) for (const r of newRefs) addTo(this.byOwner, r.uid, key);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
