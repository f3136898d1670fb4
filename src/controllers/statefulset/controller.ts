/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set.go): watches StatefulSets and
 * their pods, queues set keys, and per sync adopts orphaned revisions, claims its pods (by
 * selector and by name), runs the control loop, and re-queues for minReadySeconds.
 */
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import { compileSelector, type Selector } from "../../api/labels.js";
import type {
  ControllerRevision,
  Mutable,
  ObjectMeta,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
  Stored,
} from "../../api/types.js";
import { controllerOf, isPodReady } from "../pod-utils.js";
import { WorkQueue } from "../workqueue.js";
import { updateStatefulSet } from "./control.js";
import { controllerRefTo, isMemberOf, replicasOf } from "./identity.js";
import { COMPONENT, StatefulPodControl } from "./pod-control.js";
import { listRevisions, sortRevisions } from "./revisions.js";

const key = (ns: string | undefined, name: string) => `${ns ?? ""}/${name}`;

export class StatefulSetController {
  private readonly queue: WorkQueue;
  private readonly podControl: StatefulPodControl;
  private readonly selectors = new Map<string, { spec: unknown; sel: Selector }>();
  /** The last wait reason recorded per set, so the timeline states each reason once. */
  private readonly lastWait = new Map<string, string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, (k) => this.sync(k));
    this.podControl = new StatefulPodControl(ctx);
    ctx.api.watch<StatefulSet>("StatefulSet", (ev) =>
      this.queue.add(key(ev.object.metadata.namespace, ev.object.metadata.name)),
    );
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev.type, ev.object, ev.old));
    // Simplification: Kubernetes does not watch claims ("TODO: Watch volumes"); a claim's deletion
    // wakes the sets that select it, so a stale claim does not stall a scale-up until some other event.
    ctx.api.watch<PersistentVolumeClaim>("PersistentVolumeClaim", (ev) => {
      if (ev.type === "DELETED") for (const s of this.setsSelecting(ev.object)) this.enqueue(s);
    });
  }

  private enqueue(set: Stored<StatefulSet>): void {
    this.queue.add(key(set.metadata.namespace, set.metadata.name));
  }

  /** resolveControllerRef: the set a controller reference names, if it still has that uid. */
  private resolve(ns: string | undefined, ref: OwnerReference | undefined): Stored<StatefulSet> | undefined {
    if (ref?.kind !== "StatefulSet") return undefined;
    const set = this.ctx.api.get<StatefulSet>("StatefulSet", ns, ref.name);
    return set?.metadata.uid === ref.uid ? set : undefined;
  }

  /** getStatefulSetsForPod (and for claims): the sets in the namespace whose selector matches. */
  private setsSelecting(obj: { metadata: ObjectMeta }): Stored<StatefulSet>[] {
    return this.ctx.api
      .list<StatefulSet>("StatefulSet", { namespace: obj.metadata.namespace })
      .filter((s) => this.selectorOf(s).matches(obj.metadata.labels));
  }

  /** addPod / updatePod / deletePod. */
  private onPod(type: string, pod: Stored<Pod>, old: Stored<Pod> | undefined): void {
    const ns = pod.metadata.namespace;
    const ref = controllerOf(pod);
    const oldRef = old ? controllerOf(old) : undefined;
    if (oldRef && oldRef.uid !== ref?.uid) {
      const prev = this.resolve(ns, oldRef);
      if (prev) this.enqueue(prev);
    }
    if (ref) {
      const set = this.resolve(ns, ref);
      if (!set) return;
      this.enqueue(set);
      const minReady = set.spec?.minReadySeconds ?? 0;
      // Availability comes minReadySeconds after readiness, with no event of its own (+1 s for skew).
      if (type === "MODIFIED" && minReady > 0 && old && !isPodReady(old) && isPodReady(pod))
        this.queue.addAfter(key(ns, set.metadata.name), (minReady + 1) * 1000);
      return;
    }
    if (type === "DELETED") return;
    const changed = type === "ADDED" || old?.metadata.labels !== pod.metadata.labels || oldRef !== undefined;
    if (changed) for (const s of this.setsSelecting(pod)) this.enqueue(s);
  }

  private selectorOf(set: Stored<StatefulSet>): Selector {
    const k = key(set.metadata.namespace, set.metadata.name);
    const cached = this.selectors.get(k);
    if (cached && cached.spec === set.spec?.selector) return cached.sel;
    const sel = compileSelector(set.spec?.selector);
    this.selectors.set(k, { spec: set.spec?.selector, sel });
    return sel;
  }

  /** sync + syncStatefulSet. */
  private sync(k: string): void {
    const slash = k.indexOf("/");
    const set = this.ctx.api.get<StatefulSet>("StatefulSet", k.slice(0, slash), k.slice(slash + 1));
    if (!set) {
      this.selectors.delete(k);
      this.lastWait.delete(k);
      return;
    }
    try {
      const sel = this.selectorOf(set);
      const revisions = sortRevisions(this.adoptOrphanRevisions(set, sel));
      const pods = this.claimPods(set, sel);
      const out = updateStatefulSet(this.ctx, this.podControl, set, pods, revisions);
      this.recordWait(set, out.wait);
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && out.status && out.status.availableReplicas !== replicasOf(set))
        this.queue.addAfter(k, minReady * 1000);
      if (out.error) this.queue.addRateLimited(k);
      else this.queue.forget(k);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.queue.addRateLimited(k);
    }
  }

  /** A timeline step when the reason a set waits changes (the controller's V(4) log lines). */
  private recordWait(set: Stored<StatefulSet>, wait: string | undefined): void {
    const k = key(set.metadata.namespace, set.metadata.name);
    if (wait === undefined) {
      this.lastWait.delete(k);
      return;
    }
    if (this.lastWait.get(k) === wait) return;
    this.lastWait.set(k, wait);
    this.ctx.record({
      t: this.ctx.engine.nowMs,
      type: "step",
      component: COMPONENT,
      object: `StatefulSet/${set.metadata.namespace}/${set.metadata.name}`,
      step: "wait",
      message: wait,
    });
  }

  /** adoptOrphanRevisions: the set's revisions, orphans matching its selector adopted first. */
  private adoptOrphanRevisions(set: Stored<StatefulSet>, sel: Selector): Stored<ControllerRevision>[] {
    const out: Stored<ControllerRevision>[] = [];
    for (const r of listRevisions(this.ctx.api, set, sel)) {
      if (controllerOf(r) || set.metadata.deletionTimestamp) {
        out.push(r);
        continue;
      }
      const adopted = this.setControllerRef<ControllerRevision>(
        "ControllerRevision",
        r,
        controllerRefTo(set),
      );
      if (adopted) out.push(adopted);
    }
    return out;
  }

  /**
   * getPodsForStatefulSet (ClaimPods): its own pods that still match the selector and carry its
   * name, releasing those that do not; matching orphans with its name are adopted.
   */
  private claimPods(set: Stored<StatefulSet>, sel: Selector): Stored<Pod>[] {
    const api = this.ctx.api;
    const uid = set.metadata.uid;
    const deleting = set.metadata.deletionTimestamp !== undefined;
    const out: Stored<Pod>[] = [];
    for (const p of api.list<Pod>("Pod", { ownerUid: uid })) {
      if (controllerOf(p)?.uid !== uid) continue;
      if (sel.matches(p.metadata.labels) && isMemberOf(set, p)) out.push(p);
      else if (!deleting) this.setControllerRef<Pod>("Pod", p, undefined);
    }
    if (deleting || sel.nothing) return out;
    // Only orphans can be adopted: their own index instead of every matching pod.
    const candidates = api.list<Pod>("Pod", {
      namespace: set.metadata.namespace,
      selector: sel,
      withoutController: true,
    });
    for (const p of candidates) {
      if (controllerOf(p) || p.metadata.deletionTimestamp || !isMemberOf(set, p)) continue;
      const adopted = this.setControllerRef<Pod>("Pod", p, controllerRefTo(set));
      if (adopted) out.push(adopted);
    }
    return out;
  }

  /** Replaces the controller reference (adopt with a ref, release with none). */
  private setControllerRef<T extends Pod | ControllerRevision>(
    kind: string,
    obj: Stored<T>,
    ref: OwnerReference | undefined,
  ): Stored<T> | undefined {
    try {
      return this.ctx.api.mutate<T>(kind, obj.metadata.namespace, obj.metadata.name, (d) => {
        const m = d.metadata as Mutable<ObjectMeta>;
        const refs = [...(m.ownerReferences ?? []).filter((r) => !r.controller), ...(ref ? [ref] : [])];
        if (refs.length > 0) m.ownerReferences = refs as Mutable<OwnerReference>[];
        else delete m.ownerReferences;
      });
    } catch (e) {
      if (e instanceof ApiError && e.reason === "NotFound") return undefined;
      throw e;
    }
  }
}
