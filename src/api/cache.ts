/**
 * An indexed collection of immutable objects of one kind: by namespace and name, label, owner and
 * (for pods) node. The apiserver's store and every informer cache are instances of it.
 */
import type { KubeObject, Stored } from "./types.js";

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(namespace: string | undefined, name: string): string {
  // Joined, not a template: a template's result is a chain of pieces; a joined one is one flat string.
  return namespace ? [namespace, "/", name].join("") : name;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? "");
}

/**
 * An index bucket's members in key order, each as its name and its namespace's map: a list reads
 * each object with one lookup by the object's own name string (hash cached), no key split.
 */
export interface SortedBucket<T extends KubeObject = KubeObject> {
  readonly names: readonly string[];
  readonly spaces: readonly ReadonlyMap<string, Stored<T>>[];
}

// The sorted members of an index bucket, kept until the bucket changes: status writes (most
// writes) change no bucket, so lists sort only after creations, deletions and label or owner changes.
const sortedKeys = new WeakMap<ReadonlySet<string>, SortedBucket>();

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

function hasController(obj: KubeObject): boolean {
  const refs = obj.metadata?.ownerReferences;
  if (refs) for (const r of refs) if (r.controller) return true;
  return false;
}

function nodeNameOf(obj: KubeObject): string | undefined {
  return (obj.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
}

/** Whether an object needs its key in a key index (labels, owners, node, orphan); else none is built. */
function needsKey(obj: KubeObject, adoptable: boolean): boolean {
  const m = obj.metadata!;
  if (m.ownerReferences !== undefined || nodeNameOf(obj) !== undefined) return true;
  if (m.labels !== undefined) for (const _ in m.labels) return true;
  return adoptable && !!m.namespace;
}

/**
 * A stored object kept in a compact form, by a cache made to pack its kind (Events: see
 * event-pack.ts). The cache hands out `unpack()`, a new frozen object equal to the one stored.
 */
export abstract class Packed {
  abstract unpack(): Stored;
}

/** The object a map of the cache holds, unpacked. */
function opened<T extends KubeObject>(x: Stored<T> | Packed | undefined): Stored<T> | undefined {
  return x instanceof Packed ? (x.unpack() as Stored<T>) : x;
}

/** A namespace's objects as a map, each unpacked when read. */
class UnpackingMap<T extends KubeObject> implements ReadonlyMap<string, Stored<T>> {
  constructor(private readonly raw: ReadonlyMap<string, Stored<T> | Packed>) {}

  get size(): number {
    return this.raw.size;
  }

  get(name: string): Stored<T> | undefined {
    return opened(this.raw.get(name));
  }

  has(name: string): boolean {
    return this.raw.has(name);
  }

  forEach(
    fn: (value: Stored<T>, key: string, map: ReadonlyMap<string, Stored<T>>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.raw) fn.call(thisArg, opened(v)!, k, this);
  }

  *entries(): MapIterator<[string, Stored<T>]> {
    for (const [k, v] of this.raw) yield [k, opened(v)!];
  }

  keys(): MapIterator<string> {
    return this.raw.keys();
  }

  *values(): MapIterator<Stored<T>> {
    for (const v of this.raw.values()) yield opened(v)!;
  }

  [Symbol.iterator](): MapIterator<[string, Stored<T>]> {
    return this.entries();
  }
}

const NO_OBJECTS: ReadonlyMap<string, never> = new Map<string, never>();
const NO_NAMES: readonly string[] = [];
// A namespace's names in order, as sortedKeys for index buckets.
const sortedNames = new WeakMap<ReadonlyMap<string, unknown>, readonly string[]>();

export class ObjectCache<T extends KubeObject = KubeObject> {
  /**
   * Objects by namespace ("" for cluster-scoped kinds), then by name: a lookup hashes the
   * caller's strings (usually an object's own, hash cached) instead of building a `namespace/name`
   * key, and an object that no key index needs (most Events) costs one map entry.
   */
  private readonly byNamespace = new Map<string, Map<string, Stored<T> | Packed>>();
  private count = 0;
  private readonly byLabel = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  /** Namespaced objects without a controller reference, by namespace (orphans to adopt). */
  private readonly orphans = new Map<string, Set<string>>();

  /**
   * `adoptable`: whether controllers may adopt objects of this kind (not Events: no orphan index).
   * `pack`: a compact form to keep an object in (undefined: keep it as it is); reads unpack it.
   */
  constructor(
    private readonly adoptable = true,
    private readonly pack?: (obj: Stored<T>) => Packed | undefined,
  ) {}

  get size(): number {
    return this.count;
  }

  /** The object under a key (`namespace/name`, or `name` for cluster-scoped objects). */
  get(key: string): Stored<T> | undefined {
    const i = key.indexOf("/");
    if (i < 0) return this.getIn("", key);
    return this.getIn(key.slice(0, i), key.slice(i + 1));
  }

  /** The object `name` in `namespace` (undefined or "" for cluster-scoped objects): no key is built. */
  getIn(namespace: string | undefined, name: string): Stored<T> | undefined {
    return this.open(this.byNamespace.get(namespace || "")?.get(name));
  }

  // What a map holds, as the object stored (no instanceof test where nothing is packed).
  private open(x: Stored<T> | Packed | undefined): Stored<T> | undefined {
    return this.pack === undefined ? (x as Stored<T> | undefined) : opened(x);
  }

  /**
   * The object `name` in `namespace` as this cache keeps it: packed, when it packs its kind (the
   * Event recorder reads a packed Event's identity fields without rebuilding it).
   */
  keptIn(namespace: string | undefined, name: string): Stored<T> | Packed | undefined {
    return this.byNamespace.get(namespace || "")?.get(name);
  }

  /** The objects of a namespace by name, in insertion order (empty if none). */
  objectsIn(namespace: string): ReadonlyMap<string, Stored<T>> {
    const objects = this.byNamespace.get(namespace);
    if (!objects) return NO_OBJECTS;
    return this.pack === undefined ? (objects as Map<string, Stored<T>>) : new UnpackingMap(objects);
  }

  /**
   * All objects: namespace by namespace (in the order each first held an object), each in
   * insertion order; for cluster-scoped kinds plain insertion order (callers sort when order matters).
   */
  values(): IterableIterator<Stored<T>> {
    // One namespace (every cluster-scoped kind): its own iterator, no generator in between.
    if (this.byNamespace.size === 1 && this.pack === undefined)
      return this.byNamespace.values().next().value!.values() as IterableIterator<Stored<T>>;
    return this.allValues();
  }

  private *allValues(): IterableIterator<Stored<T>> {
    for (const objects of this.byNamespace.values()) for (const x of objects.values()) yield this.open(x)!;
  }

  /** All keys, in the order of `values` (callers sort when order matters). */
  *keys(): IterableIterator<string> {
    for (const [ns, objects] of this.byNamespace)
      for (const name of objects.keys()) yield objectKey(ns, name);
  }

  /** Inserts or replaces the object under its key, keeping every index current. */
  put(obj: Stored<T>): Stored<T> | undefined {
    const objects = this.namespaceOf(obj);
    const old = this.open(objects.get(obj.metadata.name));
    objects.set(obj.metadata.name, this.kept(obj));
    this.indexPut(objects, old, obj);
    return old;
  }

  /**
   * As `put`, for a caller that has just read `old` under the object's key (`getIn`; undefined
   * if none) and changed nothing since: the apiserver's writes, one name lookup fewer.
   */
  putOver(old: Stored<T> | undefined, obj: Stored<T>): void {
    const objects = this.namespaceOf(obj);
    objects.set(obj.metadata.name, this.kept(obj));
    this.indexPut(objects, old, obj);
  }

  /** What the maps hold for `obj`: its packed form, when this cache packs and it packs. */
  private kept(obj: Stored<T>): Stored<T> | Packed {
    return this.pack === undefined ? obj : (this.pack(obj) ?? obj);
  }

  // The map of the object's namespace, made on its first object.
  private namespaceOf(obj: Stored<T>): Map<string, Stored<T> | Packed> {
    const ns = obj.metadata.namespace || "";
    let objects = this.byNamespace.get(ns);
    // Namespaces are few: their maps stay once made, so the order of `values` is stable.
    if (!objects) this.byNamespace.set(ns, (objects = new Map()));
    return objects;
  }

  // The indexes after `obj` replaced `old` (or was added) in its namespace's map.
  private indexPut(
    objects: ReadonlyMap<string, Stored<T> | Packed>,
    old: Stored<T> | undefined,
    obj: Stored<T>,
  ): void {
    if (old === undefined) {
      this.count++;
      this.membersChanged(objects);
      if (needsKey(obj, this.adoptable)) this.indexNew(obj, keyOf(obj));
      return;
    }
    const oldNode = nodeNameOf(old);
    const newNode = nodeNameOf(obj);
    const labelsChanged = old.metadata.labels !== obj.metadata.labels;
    const ownersChanged = old.metadata.ownerReferences !== obj.metadata.ownerReferences;
    if (!labelsChanged && !ownersChanged && oldNode === newNode) return;
    const key = keyOf(obj);
    if (labelsChanged) this.indexLabels(old.metadata.labels, obj.metadata.labels, key);
    if (ownersChanged) {
      this.indexOwners(old, obj, key);
      this.indexOrphan(old, obj, key);
    }
    if (oldNode !== newNode) {
      if (oldNode) removeFrom(this.byNode, oldNode, key);
      if (newNode) addTo(this.byNode, newNode, key);
    }
  }

  /** Removes the object with this key; returns it if it was there. */
  remove(key: string): Stored<T> | undefined {
    const old = this.get(key);
    return old && this.removeIn(old.metadata.namespace, old.metadata.name);
  }

  /** Removes the object `name` in `namespace` (as `getIn`); returns it if it was there. */
  removeIn(namespace: string | undefined, name: string): Stored<T> | undefined {
    const ns = namespace || "";
    const objects = this.byNamespace.get(ns);
    const old = this.open(objects?.get(name));
    if (!old) return undefined;
    objects!.delete(name);
    this.count--;
    this.membersChanged(objects!);
    if (!needsKey(old, this.adoptable)) return old;
    const key = keyOf(old);
    this.indexLabels(old.metadata.labels, undefined, key);
    this.indexOwners(old, undefined, key);
    this.indexOrphan(old, undefined, key);
    const node = nodeNameOf(old);
    if (node) removeFrom(this.byNode, node, key);
    return old;
  }

  /** The members of one of this cache's index buckets (from keysXxx) in key order, cached until it changes. */
  sortedBucket(keys: ReadonlySet<string>): SortedBucket<T> {
    let sorted = sortedKeys.get(keys) as SortedBucket<T> | undefined;
    if (!sorted) sortedKeys.set(keys, (sorted = this.sortBucket(keys)));
    return sorted;
  }

  private sortBucket(keys: ReadonlySet<string>): SortedBucket<T> {
    const names: string[] = [];
    const spaces: ReadonlyMap<string, Stored<T>>[] = [];
    for (const key of [...keys].sort()) {
      const o = this.get(key);
      if (!o) continue;
      names.push(o.metadata.name);
      spaces.push(this.objectsIn(o.metadata.namespace || ""));
    }
    return { names, spaces };
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

  /** The names in a namespace in string order (its keys' order), cached until its members change. */
  sortedNamesIn(namespace: string): readonly string[] {
    const objects = this.byNamespace.get(namespace);
    if (!objects) return NO_NAMES;
    let sorted = sortedNames.get(objects);
    if (!sorted) sortedNames.set(objects, (sorted = [...objects.keys()].sort()));
    return sorted;
  }

  private membersChanged(objects: ReadonlyMap<string, Stored<T> | Packed>): void {
    sortedNames.delete(objects);
  }

  // A new object into every key index that applies to it.
  private indexNew(obj: Stored<T>, key: string): void {
    this.indexLabels(undefined, obj.metadata.labels, key);
    this.indexOwners(undefined, obj, key);
    this.indexOrphan(undefined, obj, key);
    const node = nodeNameOf(obj);
    if (node) addTo(this.byNode, node, key);
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
