/**
 * The in-memory apiserver: create / get / list / update / patch / delete with resourceVersion,
 * uid, generation, generateName, graceful deletion and finalizers; watches delivered through the
 * engine after a latency, in resourceVersion order; synchronous observers for the timeline.
 */

import { produce } from "immer";
import type { Engine } from "../engine/engine.js";
import type { Rng } from "../engine/rng.js";
import { ObjectCache } from "./cache.js";
import { deepCopy, deepFreeze } from "./copy.js";
import { ApiError, type FieldError, invalidError } from "./errors.js";
import { packEvent } from "./event-pack.js";
import { HEX_CODES, putHex } from "./hex.js";
import { type KindInfo, kindInfo, qualifiedKind, qualifiedResource } from "./kinds.js";
import { applyMergePatch, jsonEqual } from "./merge-patch.js";
import { PartSharer } from "./share.js";
import type { SimClock } from "./time.js";
import type { KubeObject, Mutable, ObjectMeta as ObjectMetaRO, Stored } from "./types.js";

type ObjectMeta = Mutable<ObjectMetaRO>;

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change, as a watcher or observer sees it. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: Stored<T>;
  /** The previous version (MODIFIED and DELETED). */
  old?: Stored<T>;
}

export type WatchHandler<T extends KubeObject = KubeObject> = (ev: WatchEvent<T>) => void;

/** What the store needs of a label selector (see labels.ts `compileSelector`). */
export interface LabelMatcher {
  matches(labels: Record<string, string> | undefined): boolean;
}

export interface ListOptions {
  namespace?: string;
  selector?: LabelMatcher;
  /** Narrow by a label the selector requires (`k=v`), so the label index serves. */
  indexLabel?: readonly [string, string];
  /** Pods bound to this node. */
  nodeName?: string;
  /** Objects with an ownerReference to this uid. */
  ownerUid?: string;
  /** Only objects that no controller owns (with `namespace`: its orphans, from their own index). */
  withoutController?: boolean;
}

/** Reads from a shared informer cache (see ApiServer.lister). */
export interface Lister<T extends KubeObject = KubeObject> {
  get(namespace: string | undefined, name: string): Stored<T> | undefined;
  list(opts?: ListOptions): Stored<T>[];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  /** Delete only if the uid still matches. */
  uid?: string;
}

/** Mutating admission: runs on the draft after defaulting, before validation. */
export type AdmissionHook = (op: "CREATE" | "UPDATE", obj: KubeObject, old: KubeObject | undefined) => void;

export interface ApiServerOptions {
  engine: Engine;
  rng: Rng;
  clock: SimClock;
  /** Delay between a write and its delivery to watchers (default 5 ms). */
  watchLatencyMs?: number;
  applyDefaults?: (obj: KubeObject) => void;
  validate?: (obj: KubeObject, old?: KubeObject) => FieldError[];
}

/** Kinds whose status is a subresource: main-resource writes keep status, status writes keep spec. */
const STATUS_SUBRESOURCE = new Set([
  "Pod",
  "Node",
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "Service",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "Namespace",
  "PodDisruptionBudget",
]);
/** Kinds whose metadata.generation tracks spec changes. */
const HAS_GENERATION = new Set(["Deployment", "ReplicaSet", "StatefulSet", "PodDisruptionBudget"]);

const GENERATED_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

const DASH = 45;
/** A uid's 36 character codes, filled in place by each `uid()` (dashes and the version 4 fixed). */
const UID_CHARS: number[] = new Array(36).fill(0);
for (const i of [8, 13, 18, 23]) UID_CHARS[i] = DASH;
UID_CHARS[14] = "4".charCodeAt(0);

export class ApiServer {
  readonly engine: Engine;
  readonly clock: SimClock;
  private readonly rngNames: Rng;
  private readonly rngUid: Rng;
  private readonly stores = new Map<string, ObjectCache>();
  private readonly informers = new Map<string, ObjectCache>();
  private readonly watchers = new Map<string, WatchHandler[]>();
  private readonly nodeWatchers = new Map<string, WatchHandler[]>();
  private readonly observers: WatchHandler[] = [];
  private readonly admission: AdmissionHook[] = [];
  private readonly deleteHooks: ((obj: Stored) => void)[] = [];
  private readonly applyDefaultsFn: (obj: KubeObject) => void;
  private readonly validateFn: (obj: KubeObject, old?: KubeObject) => FieldError[];
  private rv = 0;
  /** Extra watch latency (fault injection); deliveries never reorder. */
  watchDelayMs = 0;
  private readonly watchLatencyMs: number;
  private batch: WatchEvent[] | null = null;
  private batchAtMs = -1;
  private lastDeliveryMs = 0;
  /** The resourceVersion when the latest informer cache was seeded: later changes find their `old` there. */
  private informersSeededRv = 0;
  /** Pods created under one controller share their identical parts (memory at scale). */
  private readonly sharer = new PartSharer();

  constructor(opts: ApiServerOptions) {
    this.engine = opts.engine;
    this.clock = opts.clock;
    this.rngNames = opts.rng.fork("apiserver/generateName");
    this.rngUid = opts.rng.fork("apiserver/uid");
    this.watchLatencyMs = opts.watchLatencyMs ?? 5;
    this.applyDefaultsFn = opts.applyDefaults ?? (() => {});
    this.validateFn = opts.validate ?? (() => []);
  }

  /** The current resourceVersion (the number of writes so far). */
  get resourceVersion(): number {
    return this.rv;
  }

  addAdmission(hook: AdmissionHook): void {
    this.admission.push(hook);
  }

  /** Called synchronously when an object is finally removed (used by the garbage collector). */
  onRemoved(fn: (obj: Stored) => void): void {
    this.deleteHooks.push(fn);
  }

  // ---- reads -------------------------------------------------------------------------------

  get<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Stored<T> | undefined {
    const ns = this.info(kind).namespaced ? namespace || "default" : undefined;
    return this.store(kind).getIn(ns, name) as Stored<T> | undefined;
  }

  /** Objects of a kind, narrowed by the options; ordered by key for determinism. */
  list<T extends KubeObject = KubeObject>(kind: string, opts: ListOptions = {}): Stored<T>[] {
    return listFrom(this.store(kind), opts) as Stored<T>[];
  }

  /** The indexed collection of a kind (read-only use: informers and hot paths). */
  cache(kind: string): ObjectCache {
    return this.store(kind);
  }

  /**
   * A lister over the shared informer cache of a kind: the state as watchers have seen it, one
   * watch latency behind the store — what a controller in kube-controller-manager reads.
   */
  lister<T extends KubeObject = KubeObject>(kind: string): Lister<T> {
    let cache = this.informers.get(kind);
    if (!cache) {
      cache = newCache(kind);
      // Seeded with what is stored now; changes still in flight re-put their (older) versions,
      // until the last of them leaves it as seeded.
      for (const o of this.store(kind).values()) cache.put(o);
      this.informers.set(kind, cache);
      this.informersSeededRv = this.rv;
    }
    const namespaced = this.info(kind).namespaced;
    const c = cache;
    return {
      get: (namespace, name) =>
        c.getIn(namespaced ? namespace || "default" : undefined, name) as Stored<T> | undefined,
      list: (opts = {}) => listFrom(c, opts) as Stored<T>[],
    };
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Creates an object. `trusted` is for objects a system component has just built and will not
   * touch again (Events): they are stored as given, without a copy, defaulting or validation.
   */
  create<T extends KubeObject>(input: T, opts: { trusted?: boolean } = {}): Stored<T> {
    const info = this.infoOf(input);
    const trusted = opts.trusted === true;
    const obj = (trusted ? input : deepCopy(input)) as KubeObject;
    const meta = (obj.metadata ??= {}) as ObjectMeta;
    obj.apiVersion = info.apiVersion;
    obj.kind = info.kind;
    if (info.namespaced) meta.namespace ||= "default";
    else if (meta.namespace !== undefined) delete meta.namespace;
    if (info.namespaced && info.kind !== "Namespace" && !this.get("Namespace", undefined, meta.namespace!)) {
      throw new ApiError("NotFound", `namespaces "${meta.namespace}" not found`);
    }
    // A generated name was found free just now (admission reads, it never writes): no second lookup.
    let generated: string | undefined;
    if (!meta.name && meta.generateName)
      meta.name = generated = this.generateName(info, meta.namespace, meta.generateName);
    this.prepareForCreate(info, obj);
    if (!trusted) {
      this.applyDefaultsFn(obj);
      for (const hook of this.admission) hook("CREATE", obj, undefined);
      const errs = this.validateFn(obj);
      if (errs.length > 0) throw invalidError(qualifiedKind(info), meta.name ?? "", errs);
    }
    const store = this.store(info.kind);
    const checked = generated !== undefined && meta.name === generated;
    if (!checked && store.getIn(meta.namespace, meta.name ?? "")) {
      throw new ApiError("AlreadyExists", `${qualifiedResource(info)} "${meta.name}" already exists`);
    }
    meta.uid = this.uid();
    meta.creationTimestamp = this.clock.time(this.engine.nowMs);
    if (HAS_GENERATION.has(info.kind)) meta.generation = 1;
    // Only delete what is there: `delete` turns V8 objects into slow dictionaries.
    if (meta.deletionTimestamp !== undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds !== undefined) delete meta.deletionGracePeriodSeconds;
    meta.resourceVersion = String(++this.rv);
    if (info.kind === "Pod") this.sharer.share(obj);
    const stored = deepFreeze(obj) as Stored<T>;
    if (info.kind === "Pod") this.sharer.created(stored);
    store.putOver(undefined, stored);
    this.emit({ type: "ADDED", object: stored });
    return stored;
  }

  /**
   * Replaces an object. With `subresource: "status"` only status changes; otherwise status is
   * kept from the stored object. A set resourceVersion that is not current is a Conflict.
   */
  update<T extends KubeObject>(input: T, opts: { subresource?: "status" } = {}): Stored<T> {
    const info = this.infoOf(input);
    const name = input.metadata?.name ?? "";
    const current = this.mustGet(info, input.metadata?.namespace, name);
    const rv = input.metadata?.resourceVersion;
    if (rv) checkResourceVersion(info, current, rv);
    const next = deepCopy(input) as KubeObject;
    return this.commitUpdate(info, current, next, opts.subresource === "status") as Stored<T>;
  }

  /**
   * Changes an object with an immer recipe on its current version (a read-modify-write that
   * cannot conflict). A recipe that changes nothing writes nothing, as on a real apiserver.
   */
  mutate<T extends KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    recipe: (draft: T) => void,
    opts: { subresource?: "status"; resourceVersion?: string } = {},
  ): Stored<T> {
    const info = this.info(kind);
    const current = this.mustGet(info, namespace, name) as Stored<T>;
    // An Update built from a cached copy carries its resourceVersion: stale means Conflict.
    if (opts.resourceVersion !== undefined) checkResourceVersion(info, current, opts.resourceVersion);
    const next = produce(current, recipe as (d: unknown) => void) as Stored<T>;
    return this.commitBuilt(info, current, next, opts.subresource === "status");
  }

  /**
   * Like `mutate` without immer, for hot writes: `build` returns the next version made of fresh
   * objects and unchanged (frozen) parts of the current one, and never touches the current one.
   * Returning the current object writes nothing. `resourceVersion`: as `mutate`'s.
   */
  replace<T extends KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    build: (current: Stored<T>) => T,
    opts: { subresource?: "status"; resourceVersion?: string } = {},
  ): Stored<T> {
    const info = this.info(kind);
    const current = this.mustGet(info, namespace, name) as Stored<T>;
    if (opts.resourceVersion !== undefined) checkResourceVersion(info, current, opts.resourceVersion);
    return this.commitBuilt(info, current, deepFreeze(build(current)), opts.subresource === "status");
  }

  // The next version a component built (recipe or builder, frozen): nothing to write when it is the current one.
  private commitBuilt<T extends KubeObject>(
    info: KindInfo,
    current: Stored<T>,
    next: T,
    statusOnly: boolean,
  ): Stored<T> {
    if (next === current) return current;
    return this.commitUpdate(info, current, next as KubeObject, statusOnly, true) as Stored<T>;
  }

  /** Applies a JSON merge patch (RFC 7386) to the current object. */
  patch<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    mergePatch: unknown,
    opts: { subresource?: "status" } = {},
  ): Stored<T> {
    const info = this.info(kind);
    const current = this.mustGet(info, namespace, name);
    const next = applyMergePatch(current, mergePatch) as KubeObject;
    if (jsonEqual(next, current)) return current as Stored<T>;
    const meta = (next.metadata = { ...next.metadata });
    meta.resourceVersion = current.metadata.resourceVersion;
    return this.commitUpdate(info, current, deepCopy(next), opts.subresource === "status") as Stored<T>;
  }

  /**
   * The pods/binding subresource (pkg/registry/core/pod/storage: assignPod): sets spec.nodeName
   * and PodScheduled=True in one write. A pod that is bound already, terminating or replaced
   * (uid differs) is a Conflict.
   */
  bind(namespace: string | undefined, name: string, nodeName: string, uid?: string): Stored {
    const info = this.info("Pod");
    const current = this.mustGet(info, namespace, name);
    const spec = current.spec as { nodeName?: string };
    const conflict = (why: string) =>
      new ApiError("Conflict", `Operation cannot be fulfilled on pods/binding "${name}": ${why}`);
    if (uid && current.metadata.uid !== uid) throw conflict(`uid mismatch`);
    if (current.metadata.deletionTimestamp)
      throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict(`pod ${name} is already assigned to node "${spec.nodeName}"`);
    const ts = this.clock.time(this.engine.nowMs);
    // Built directly (every pod is bound once): spec.nodeName, and PodScheduled=True unless it is.
    type Cond = { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string };
    const status = (current.status ?? {}) as { conditions?: readonly Cond[] };
    const conds = status.conditions ?? [];
    const cond: Cond = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: ts };
    const i = conds.findIndex((c) => c.type === "PodScheduled");
    let conditions = conds;
    if (i < 0) conditions = [...conds, cond];
    else if (conds[i]!.status !== "True") conditions = conds.map((c, j) => (j === i ? cond : c));
    const next = deepFreeze({
      ...current,
      spec: { ...(current.spec as object), nodeName },
      status: conditions === status.conditions ? status : { ...status, conditions },
    }) as KubeObject;
    return this.commitUpdate(info, current, next, false, true, true);
  }

  /**
   * Deletes an object. Pods on a node are deleted gracefully (deletionTimestamp set; the kubelet
   * finishes the job); objects with finalizers wait for them; dependents follow the propagation policy.
   */
  delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): Stored | undefined {
    const info = this.info(kind);
    const current = this.mustGet(info, namespace, name);
    if (opts.uid && opts.uid !== current.metadata.uid) {
      throw new ApiError(
        "Conflict",
        `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    const grace = this.gracePeriodFor(info, current, opts.gracePeriodSeconds);
    const policy = opts.propagationPolicy ?? "Background";
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (policy === "Foreground" && !finalizers.includes("foregroundDeletion"))
      finalizers.push("foregroundDeletion");
    if (policy === "Orphan" && !finalizers.includes("orphan")) finalizers.push("orphan");
    if (grace === 0 && finalizers.length === 0) return this.remove(info, current);
    const nowMs = this.engine.nowMs;
    const existing = current.metadata.deletionTimestamp;
    if (existing && grace > 0 && (current.metadata.deletionGracePeriodSeconds ?? 0) <= grace) return current;
    return this.mutate(info.kind, current.metadata.namespace, name, (d: KubeObject) => {
      const m = d.metadata as ObjectMeta;
      m.deletionTimestamp = this.clock.time(nowMs + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
      if (finalizers.length !== (m.finalizers?.length ?? 0)) m.finalizers = finalizers;
      if (HAS_GENERATION.has(info.kind)) m.generation = (m.generation ?? 0) + 1;
    });
  }

  // ---- watches -----------------------------------------------------------------------------

  /** Delivers every change of `kind` ("*" for all kinds) after the watch latency. Returns an unsubscribe. */
  watch<T extends KubeObject = KubeObject>(kind: string, handler: WatchHandler<T>): () => void {
    return addHandler(this.watchers, kind, handler as WatchHandler);
  }

  /** Delivers changes of pods bound to (or leaving) one node: the kubelet's field-selected watch. */
  watchNodePods(nodeName: string, handler: WatchHandler): () => void {
    return addHandler(this.nodeWatchers, nodeName, handler);
  }

  /**
   * Shows an object to observers as ADDED without storing it (events when event storage is off,
   * so very large runs keep their timeline without holding every Event).
   */
  announce(obj: KubeObject): void {
    const m = obj.metadata as ObjectMeta;
    m.resourceVersion = String(++this.rv);
    m.creationTimestamp = this.clock.time(this.engine.nowMs);
    const ev: WatchEvent = { type: "ADDED", object: obj as Stored };
    for (const o of this.observers) o(ev);
  }

  /** Called synchronously at every write, before watchers: for the timeline and invariant checkers. */
  observe(handler: WatchHandler): void {
    this.observers.push(handler);
  }

  // ---- internals ---------------------------------------------------------------------------

  /**
   * Stores `next` as the new version of `current`. `statusOnly` keeps spec (the status
   * subresource); otherwise status is kept unless `writesStatus` (the binding subresource).
   */
  private commitUpdate(
    info: KindInfo,
    current: Stored,
    next: KubeObject,
    statusOnly: boolean,
    trusted = false,
    writesStatus = false,
  ): Stored {
    const cm = current.metadata;
    const meta = next.metadata as ObjectMeta;
    if (statusOnly) {
      // Status writes keep spec; annotations may change with them (the apps status strategies
      // reset only spec and labels — the Deployment controller stores its revision this way).
      const merged: KubeObject = { ...current, status: next.status };
      if (meta.annotations !== cm.annotations) merged.metadata = { ...cm, annotations: meta.annotations };
      next = merged;
    } else {
      // A shallow copy: `next` may be an immer result, frozen.
      next = { ...next, apiVersion: info.apiVersion, kind: info.kind };
      if (STATUS_SUBRESOURCE.has(info.kind) && !writesStatus && next.status !== current.status) {
        next.status = current.status;
      }
      if (!trusted) {
        this.applyDefaultsFn(next);
        for (const hook of this.admission) hook("UPDATE", next, current);
        const errs = this.validateFn(next, current);
        if (errs.length > 0) throw invalidError(qualifiedKind(info), cm.name, errs);
      }
    }
    const m = (next.metadata = { ...(statusOnly ? (next.metadata as ObjectMeta) : meta) });
    // Identity fields are the server's; clients cannot change them.
    m.name = cm.name;
    if (cm.namespace) m.namespace = cm.namespace;
    m.uid = cm.uid;
    m.creationTimestamp = cm.creationTimestamp;
    if (!trusted) {
      if (cm.deletionTimestamp) m.deletionTimestamp = cm.deletionTimestamp;
      else if (m.deletionTimestamp !== undefined) delete m.deletionTimestamp;
      if (cm.deletionGracePeriodSeconds !== undefined)
        m.deletionGracePeriodSeconds = cm.deletionGracePeriodSeconds;
    }
    if (HAS_GENERATION.has(info.kind) && !statusOnly && !jsonEqual(next.spec, current.spec)) {
      m.generation = (cm.generation ?? 1) + 1;
    }
    m.resourceVersion = String(++this.rv);
    // Recipes (immer) hand back frozen subtrees: freezing the two new shells is enough.
    const stored = (trusted ? Object.freeze(next) : deepFreeze(next)) as Stored;
    if (trusted) Object.freeze(m);
    // `current` is what the store holds: read by the caller in this call, nothing written since.
    this.store(info.kind).putOver(current, stored);
    // An object being deleted whose last finalizer went away is removed now.
    if (m.deletionTimestamp && !m.finalizers?.length && (m.deletionGracePeriodSeconds ?? 0) === 0) {
      return this.remove(info, stored);
    }
    this.emit({ type: "MODIFIED", object: stored, old: current });
    return stored;
  }

  /** Final removal from storage. */
  private remove(info: KindInfo, current: Stored): Stored {
    const store = this.store(info.kind);
    store.removeIn(current.metadata.namespace, current.metadata.name);
    this.sharer.removed(current.metadata.uid);
    this.rv++;
    const gone = deepFreeze({
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(this.rv) },
    }) as Stored;
    this.emit({ type: "DELETED", object: gone, old: current });
    for (const fn of this.deleteHooks) fn(gone);
    return gone;
  }

  /** Removes an object whose graceful deletion is complete (the kubelet's final delete, grace 0). */
  finalizeDeletion(
    kind: string,
    namespace: string | undefined,
    name: string,
    uid?: string,
  ): Stored | undefined {
    const info = this.info(kind);
    const current = this.get(kind, namespace, name);
    if (!current || (uid && current.metadata.uid !== uid)) return undefined;
    if (current.metadata.finalizers?.length) {
      return this.mutate(kind, namespace, name, (d: KubeObject) => {
        (d.metadata as ObjectMeta).deletionGracePeriodSeconds = 0;
      });
    }
    return this.remove(info, current);
  }

  private gracePeriodFor(info: KindInfo, obj: Stored, requested: number | undefined): number {
    if (info.kind !== "Pod") return 0;
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    // Unscheduled and terminated pods go at once (podStrategy.CheckGracefulDelete).
    if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
    const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(grace, 0);
  }

  private prepareForCreate(info: KindInfo, obj: KubeObject): void {
    if (!STATUS_SUBRESOURCE.has(info.kind) || info.kind === "Node") return;
    if (info.kind === "Pod") obj.status = { phase: "Pending", qosClass: qosClass(obj) };
    else if (info.kind === "PersistentVolumeClaim" || info.kind === "PersistentVolume")
      obj.status = { phase: "Pending" };
    else if (info.kind === "Namespace") obj.status = { phase: "Active" };
    else delete obj.status;
  }

  private emit(ev: WatchEvent): void {
    for (const o of this.observers) o(ev);
    const deliverAt = Math.max(
      this.engine.nowMs + this.watchLatencyMs + this.watchDelayMs,
      this.lastDeliveryMs,
    );
    if (this.batch && this.batchAtMs === deliverAt) {
      this.batch.push(ev);
      return;
    }
    const batch: WatchEvent[] = [ev];
    const firstRv = this.rv;
    this.batch = batch;
    this.batchAtMs = deliverAt;
    this.lastDeliveryMs = deliverAt;
    this.engine.at(deliverAt, () => {
      if (this.batch === batch) this.batch = null;
      // Written after every informer was seeded: each informer holds each change's `old`.
      const oldHeld = firstRv > this.informersSeededRv;
      for (const e of batch) this.deliver(e, oldHeld);
    });
  }

  // `oldHeld`: the informer caches hold `ev.old` (or nothing, for ADDED), so no lookup is needed.
  private deliver(ev: WatchEvent, oldHeld: boolean): void {
    const kind = ev.object.kind;
    // The shared informer caches see the change before any handler runs, as in client-go.
    const informer = this.informers.get(kind);
    if (informer) {
      if (ev.type === "DELETED") informer.removeIn(ev.object.metadata.namespace, ev.object.metadata.name);
      else if (oldHeld) informer.putOver(ev.old, ev.object);
      else informer.put(ev.object);
    }
    const hs = this.watchers.get(kind);
    if (hs) for (const h of hs) h(ev);
    const all = this.watchers.get("*");
    if (all) for (const h of all) h(ev);
    if (kind === "Pod" && this.nodeWatchers.size > 0) {
      const node = (ev.object.spec as { nodeName?: string }).nodeName;
      const oldNode = (ev.old?.spec as { nodeName?: string } | undefined)?.nodeName;
      const hs = node ? this.nodeWatchers.get(node) : undefined;
      if (hs) for (const h of hs) h(ev);
      const olds = oldNode && oldNode !== node ? this.nodeWatchers.get(oldNode) : undefined;
      if (olds) for (const h of olds) h(ev);
    }
  }

  private generateName(info: KindInfo, namespace: string | undefined, base: string): string {
    const prefix = base.length > 58 ? base.slice(0, 58) : base;
    const store = this.store(info.kind);
    // The apiserver retries generated names that collide (RetryGenerateName, GA in v1.32).
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = prefix + this.rngNames.string(5, GENERATED_ALPHABET);
      if (!store.getIn(namespace, name)) return name;
    }
    throw new ApiError("AlreadyExists", `${qualifiedResource(info)} "${prefix}" already exists`);
  }

  /** A version-4 UUID drawn from the apiserver's uid stream. */
  private uid(): string {
    const r = this.rngUid;
    // The draws in their historical order (the variant first): the uids stay byte-identical.
    const variant = 8 + r.int(4);
    const c = UID_CHARS;
    putHex(c, 0, r.int(2 ** 32), 8);
    putHex(c, 9, r.int(2 ** 16), 4);
    putHex(c, 15, r.int(2 ** 12), 3);
    c[19] = HEX_CODES[variant]!;
    putHex(c, 20, r.int(2 ** 12), 3);
    putHex(c, 24, r.int(2 ** 24), 6);
    putHex(c, 30, r.int(2 ** 24), 6);
    // One flat string from char codes (no hex strings, pads or joins on the way).
    return String.fromCharCode.apply(null, c);
  }

  private store(kind: string): ObjectCache {
    let s = this.stores.get(kind);
    if (!s) {
      this.info(kind);
      this.stores.set(kind, (s = newCache(kind)));
    }
    return s;
  }

  private info(kind: string): KindInfo {
    const info = kindInfo(kind);
    if (!info) throw new ApiError("BadRequest", `no kind "${kind}" is registered`);
    return info;
  }

  private infoOf(obj: KubeObject): KindInfo {
    if (!obj.kind) throw new ApiError("BadRequest", "Object 'Kind' is missing");
    return this.info(obj.kind);
  }

  private mustGet(info: KindInfo, namespace: string | undefined, name: string): Stored {
    const obj = this.store(info.kind).getIn(info.namespaced ? namespace || "default" : undefined, name);
    if (!obj) throw new ApiError("NotFound", `${qualifiedResource(info)} "${name}" not found`);
    return obj;
  }
}

/**
 * The store or an informer cache of a kind. Events, the most numerous kind, are never adopted (no
 * orphan index) and are kept packed (event-pack.ts).
 */
function newCache(kind: string): ObjectCache {
  return kind === "Event" ? new ObjectCache(false, packEvent) : new ObjectCache();
}

/** Optimistic concurrency: an Update carrying a resourceVersion that is not current is a Conflict. */
function checkResourceVersion(info: KindInfo, current: Stored, resourceVersion: string): void {
  if (resourceVersion === current.metadata.resourceVersion) return;
  throw new ApiError(
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}

function addHandler(map: Map<string, WatchHandler[]>, key: string, h: WatchHandler): () => void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(h);
  return () => {
    const l = map.get(key);
    if (!l) return;
    const i = l.indexOf(h);
    if (i >= 0) l.splice(i, 1);
  };
}

/** Lists from an indexed cache, narrowed by the cheapest index that applies, sorted by key. */
export function listFrom(cache: ObjectCache, opts: ListOptions): Stored[] {
  let keys: ReadonlySet<string> | undefined;
  if (opts.nodeName !== undefined) keys = cache.keysOnNode(opts.nodeName);
  else if (opts.ownerUid !== undefined) keys = cache.keysOwnedBy(opts.ownerUid);
  else if (opts.withoutController && opts.namespace !== undefined)
    keys = cache.keysWithoutController(opts.namespace);
  else if (opts.indexLabel) keys = cache.keysWithLabel(opts.indexLabel[0], opts.indexLabel[1]);
  else if (opts.namespace !== undefined) return listNamespace(cache, opts.namespace, opts);
  const out: Stored[] = [];
  if (!keys) {
    // A full scan sorts (rare).
    for (const k of [...cache.keys()].sort()) {
      const o = cache.get(k);
      if (o && listed(o, opts)) out.push(o);
    }
    return out;
  }
  // Index buckets keep their members sorted between changes.
  const { names, spaces } = cache.sortedBucket(keys);
  for (let i = 0; i < names.length; i++) {
    const o = spaces[i]!.get(names[i]!);
    if (o && listed(o, opts)) out.push(o);
  }
  return out;
}

// A namespace's objects in name order (its keys' order: they share the prefix), by name lookups.
function listNamespace(cache: ObjectCache, namespace: string, opts: ListOptions): Stored[] {
  const objects = cache.objectsIn(namespace);
  const out: Stored[] = [];
  for (const name of cache.sortedNamesIn(namespace)) {
    const o = objects.get(name);
    if (o && listed(o, opts)) out.push(o);
  }
  return out;
}

// The filters of a list beyond its index.
function listed(o: Stored, opts: ListOptions): boolean {
  if (opts.namespace !== undefined && o.metadata.namespace !== opts.namespace) return false;
  if (opts.selector && !opts.selector.matches(o.metadata.labels)) return false;
  if (opts.withoutController && o.metadata.ownerReferences?.some((r) => r.controller)) return false;
  return true;
}

/** Pod QoS class (pkg/apis/core/helper/qos: GetPodQOS), from requests and limits of all containers. */
export function qosClass(pod: KubeObject): "Guaranteed" | "Burstable" | "BestEffort" {
  const spec = pod.spec as
    | {
        containers?: {
          resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
        }[];
        initContainers?: {
          resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
        }[];
      }
    | undefined;
  const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r])))
        guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
