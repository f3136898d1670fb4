/**
 * The disruption controller (pkg/controller/disruption/disruption.go): keeps each
 * PodDisruptionBudget's status (expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed,
 * disruptedPods and the DisruptionAllowed condition) in step with its pods and their controllers.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import { getScaledValueFromIntOrPercent } from "../api/intstr.js";
import { compileSelector, firstEqualityRequirement, selectorToString } from "../api/labels.js";
import type { KubeObject, Mutable, Pod, PodDisruptionBudget, Stored } from "../api/types.js";
import { controllerOf, isPodReady } from "./pod-utils.js";
import { WorkQueue } from "./workqueue.js";

/** DeletionTimeout: how long an eviction may stay unconfirmed in disruptedPods. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;
const COMPONENT = "controllermanager";

type Any = Record<string, any>;
type Pdb = Stored<PodDisruptionBudget>;

/** The numbers a PDB's status is built from (getExpectedPodCount). */
export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/** Whether a PDB selects a pod: policy/v1 lets an empty selector match everything; nil matches nothing. */
export function pdbSelectsPod(pdb: PodDisruptionBudget, pod: Pod): boolean {
  return compileSelector(pdb.spec?.selector).matches(pod.metadata?.labels);
}

/**
 * getExpectedPodCount: maxUnavailable and percentage minAvailable count against the controllers'
 * scale (rounded up); an integer minAvailable counts against the matching pods. `scaleOf` returns
 * the owning controller's uid and replicas for a controllerRef, or throws the sync error.
 */
export function expectedPodCount(
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
  scaleOf: (pod: Pod) => { uid: string; scale: number } | undefined,
): ExpectedCount {
  const spec = pdb.spec ?? {};
  const unmanagedPods: string[] = [];
  const expectedScale = (): number => {
    const scales = new Map<string, number>();
    for (const p of pods) {
      if (!controllerOf(p)) {
        unmanagedPods.push(p.metadata?.name ?? "");
        continue;
      }
      const found = scaleOf(p);
      if (!found) throw new Error(`found no controllers for pod "${p.metadata?.name}"`);
      scales.set(found.uid, found.scale);
    }
    let sum = 0;
    for (const s of scales.values()) sum += s;
    return sum;
  };
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const expectedCount = expectedScale();
    const maxUnavailable = getScaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (typeof spec.minAvailable === "number") {
    return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods };
  }
  if (typeof spec.minAvailable === "string") {
    const expectedCount = expectedScale();
    const desiredHealthy = getScaledValueFromIntOrPercent(spec.minAvailable, expectedCount, true);
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods };
}

/** updatePdbStatus: disruptionsAllowed = currentHealthy - desiredHealthy, never below 0 (0 with no expected pods). */
export function disruptionsAllowed(
  currentHealthy: number,
  desiredHealthy: number,
  expectedCount: number,
): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedCount <= 0 || allowed <= 0 ? 0 : allowed;
}

/** countHealthyPods: Ready pods not being deleted and not recently evicted. */
export function countHealthyPods(pods: readonly Pod[], disrupted: ReadonlySet<string>): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (disrupted.has(p.metadata?.name ?? "")) continue;
    if (isPodReady(p)) n++;
  }
  return n;
}

/** UpdateDisruptionAllowedCondition (pkg/apis/policy/helper): True/SufficientPods iff disruptions are allowed. */
export function setDisruptionAllowedCondition(
  status: Mutable<NonNullable<PodDisruptionBudget["status"]>>,
  nowTs: string,
  failure?: string,
): void {
  const ok = !failure && status.disruptionsAllowed > 0;
  const want = {
    type: "DisruptionAllowed",
    status: ok ? "True" : "False",
    reason: failure ? "SyncFailed" : ok ? "SufficientPods" : "InsufficientPods",
    message: failure ?? "",
    observedGeneration: status.observedGeneration,
  };
  const conds = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === "DisruptionAllowed");
  const prev = i >= 0 ? conds[i] : undefined;
  const lastTransitionTime = prev && prev.status === want.status ? prev.lastTransitionTime : nowTs;
  const next = { ...want, lastTransitionTime };
  // Rewrite only on a change, so an unchanged status is a no-op write (no watch event, no resync).
  if (
    prev &&
    prev.status === next.status &&
    prev.reason === next.reason &&
    prev.message === next.message &&
    prev.observedGeneration === next.observedGeneration
  )
    return;
  if (i >= 0) conds[i] = next;
  else conds.push(next);
}

/**
 * The PDB status controller. Simplification: stale DisruptionTarget conditions (a pod marked but
 * not deleted within 2 min) are not cleared, and PDBs are found per namespace by scanning its PDBs.
 */
export class DisruptionController {
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, (key) => this.sync(key));
    ctx.api.watch<PodDisruptionBudget>("PodDisruptionBudget", (ev) => {
      if (ev.type !== "DELETED") this.queue.add(keyOf(ev.object));
    });
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
    for (const kind of ["ReplicaSet", "Deployment", "StatefulSet"]) {
      ctx.api.watch(kind, (ev) => this.enqueueNamespace(ev.object.metadata.namespace ?? "default"));
    }
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const ns = ev.object.metadata.namespace ?? "default";
    for (const pdb of this.ctx.api.list<PodDisruptionBudget>("PodDisruptionBudget", { namespace: ns })) {
      if (pdbSelectsPod(pdb, ev.object) || (ev.old && pdbSelectsPod(pdb, ev.old))) this.queue.add(keyOf(pdb));
    }
  }

  private enqueueNamespace(ns: string): void {
    for (const pdb of this.ctx.api.list<PodDisruptionBudget>("PodDisruptionBudget", { namespace: ns }))
      this.queue.add(keyOf(pdb));
  }

  private sync(key: string): void {
    const [ns, name] = key.split("/") as [string, string];
    const pdb = this.ctx.api.get<PodDisruptionBudget>("PodDisruptionBudget", ns, name);
    if (!pdb) return;
    const sel = compileSelector(pdb.spec?.selector);
    const eq = firstEqualityRequirement(sel);
    const pods = sel.nothing
      ? []
      : this.ctx.api.list<Pod>("Pod", {
          namespace: ns,
          selector: sel,
          ...(eq ? { indexLabel: [eq.key, eq.value] as const } : {}),
        });
    if (pods.length === 0) this.event(pdb, "Normal", "NoPods", "No matching pods found");
    let counts: ExpectedCount;
    try {
      counts = expectedPodCount(pdb, pods, (p) => this.scaleOf(p));
    } catch (e) {
      const msg = (e as Error).message;
      this.event(
        pdb,
        "Warning",
        "CalculateExpectedPodCountFailed",
        `Failed to calculate the number of expected pods: ${msg}`,
      );
      this.writeStatus(pdb, (s) => {
        s.disruptionsAllowed = 0;
        setDisruptionAllowedCondition(s, this.now(), msg);
      });
      this.queue.addRateLimited(key);
      return;
    }
    if (counts.unmanagedPods.length > 0) {
      this.event(
        pdb,
        "Warning",
        "UnmanagedPods",
        `Pods selected by this PodDisruptionBudget (selector: ${selectorToString(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    // Simplification: the selector is printed in label-selector syntax, not as Go's %v of the struct.
    this.updateStatus(pdb, pods, counts);
  }

  /** buildDisruptedPodMap + countHealthyPods + updatePdbStatus, and a recheck when an eviction times out. */
  private updateStatus(pdb: Pdb, pods: Stored<Pod>[], counts: ExpectedCount): void {
    const nowMs = this.ctx.engine.nowMs;
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    const disrupted: Record<string, string> = {};
    let recheckMs: number | undefined;
    for (const [podName, ts] of Object.entries(pdb.status?.disruptedPods ?? {})) {
      const p = byName.get(podName);
      if (!p || p.metadata.deletionTimestamp) continue;
      const expiresMs = this.ctx.clock.parse(ts) + DELETION_TIMEOUT_MS;
      if (expiresMs < nowMs) continue;
      disrupted[podName] = ts;
      recheckMs = recheckMs === undefined ? expiresMs : Math.min(recheckMs, expiresMs);
    }
    const currentHealthy = countHealthyPods(pods, new Set(Object.keys(disrupted)));
    this.writeStatus(pdb, (s) => {
      s.expectedPods = counts.expectedCount;
      s.currentHealthy = currentHealthy;
      s.desiredHealthy = counts.desiredHealthy;
      s.disruptionsAllowed = disruptionsAllowed(currentHealthy, counts.desiredHealthy, counts.expectedCount);
      if (Object.keys(disrupted).length === 0) delete s.disruptedPods;
      else if (!sameRecord(s.disruptedPods, disrupted)) s.disruptedPods = disrupted;
      setDisruptionAllowedCondition(s, this.now());
    });
    if (recheckMs !== undefined) this.queue.addAfter(keyOf(pdb), recheckMs - nowMs + 1);
  }

  private writeStatus(
    pdb: Pdb,
    recipe: (s: Mutable<NonNullable<PodDisruptionBudget["status"]>>) => void,
  ): void {
    try {
      this.ctx.api.mutate<PodDisruptionBudget>(
        "PodDisruptionBudget",
        pdb.metadata.namespace,
        pdb.metadata.name,
        (d) => {
          const draft = d as Mutable<PodDisruptionBudget>;
          const s = (draft.status ??= {
            currentHealthy: 0,
            desiredHealthy: 0,
            disruptionsAllowed: 0,
            expectedPods: 0,
          });
          s.observedGeneration = d.metadata?.generation ?? 0;
          recipe(s);
        },
        { subresource: "status" },
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /**
   * The finders: ReplicaSet (or its Deployment), StatefulSet; uid must match the controllerRef.
   * Simplification: no ReplicationController finder and no /scale lookup for other controllers.
   */
  private scaleOf(pod: Pod): { uid: string; scale: number } | undefined {
    const ref = controllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata?.namespace ?? "default";
    if (ref.kind === "ReplicaSet") {
      const rs = this.ctx.api.get("ReplicaSet", ns, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const dref = controllerOf(rs);
      if (dref?.kind === "Deployment") {
        const d = this.ctx.api.get("Deployment", ns, dref.name);
        if (d && d.metadata.uid === dref.uid) return { uid: d.metadata.uid, scale: replicas(d) };
      }
      return { uid: rs.metadata.uid, scale: replicas(rs) };
    }
    if (ref.kind === "StatefulSet") {
      const ss = this.ctx.api.get("StatefulSet", ns, ref.name);
      if (ss && ss.metadata.uid === ref.uid) return { uid: ss.metadata.uid, scale: replicas(ss) };
    }
    return undefined;
  }

  private now(): string {
    return this.ctx.clock.time(this.ctx.engine.nowMs);
  }

  private event(pdb: Pdb, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(pdb, type, reason, message, COMPONENT);
  }
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function replicas(obj: KubeObject): number {
  return ((obj.spec as Any)?.replicas as number | undefined) ?? 1;
}

function keyOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace ?? "default"}/${o.metadata?.name}`;
}
