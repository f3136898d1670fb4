/**
 * The StatefulSet control loop (stateful_set_control.go: UpdateStatefulSet, updateStatefulSet,
 * processReplica, processCondemned, runForAll): one sync makes the pods of a set conform — in
 * ordinal order and one at a time under OrderedReady, in slow-start batches under Parallel — then
 * scales down from the highest ordinal, then rolls outdated pods, then writes status.
 */
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import type { ControllerRevision, Mutable, Pod, StatefulSet, Stored } from "../../api/types.js";
import { isPodAvailable } from "../pod-utils.js";
import {
  identityMatches,
  inOrdinalRange,
  newVersionedStatefulSetPod,
  ordinalOf,
  replicasOf,
  startOrdinal,
  storageMatches,
} from "./identity.js";
import { type StatefulPodControl, SyncError } from "./pod-control.js";
import {
  getStatefulSetRevisions,
  revisionTemplate,
  type SetRevisions,
  truncateHistory,
} from "./revisions.js";
import { rollingUpdate } from "./rolling.js";
import {
  computeStatus,
  isCreated,
  isHealthy,
  isRunningAndReady,
  isTerminating,
  writeStatus,
} from "./status.js";

/** Most pods one Parallel batch touches (MaxBatchSize). */
export const MAX_BATCH_SIZE = 500;

type Status = Mutable<NonNullable<StatefulSet["status"]>>;

/** What one sync did: the status it computed, an error to retry on, and why it waits (if it does). */
export interface SyncOutcome {
  status?: Status;
  error?: string;
  wait?: string;
}

/**
 * runForAll's Parallel half (slowStartBatch with initial batch 1): batches of 1, 2, 4, … capped at
 * MAX_BATCH_SIZE; stops after a batch in which any call failed. Returns the error messages.
 */
export function slowStartBatch(count: number, fn: (i: number) => void): string[] {
  let remaining = count;
  let next = 0;
  for (
    let batch = Math.min(remaining, 1);
    batch > 0;
    batch = Math.min(2 * batch, remaining, MAX_BATCH_SIZE)
  ) {
    const errors: string[] = [];
    for (let k = 0; k < batch; k++) {
      try {
        fn(next++);
      } catch (e) {
        if (!(e instanceof SyncError) && !(e instanceof ApiError)) throw e;
        errors.push(e.message);
      }
    }
    if (errors.length > 0) return errors;
    remaining -= batch;
  }
  return [];
}

/** One run of updateStatefulSet over a set and the pods it owns. */
class StatefulSetSync {
  private readonly monotonic: boolean;
  private readonly minReadySeconds: number;
  private readonly nowMs: number;
  readonly replicas: Pod[] = [];
  readonly condemned: Stored<Pod>[] = [];
  private firstUnhealthy: Pod | undefined;
  errors: string[] = [];
  wait: string | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly podControl: StatefulPodControl,
    private readonly set: Stored<StatefulSet>,
    private readonly revs: SetRevisions,
    readonly status: Status,
  ) {
    this.monotonic = set.spec?.podManagementPolicy !== "Parallel";
    this.minReadySeconds = set.spec?.minReadySeconds ?? 0;
    this.nowMs = ctx.engine.nowMs;
  }

  private available(p: Pod): boolean {
    return isPodAvailable(p, this.minReadySeconds, this.nowMs, this.ctx.clock);
  }

  private updateStatus(...lists: Pod[][]): void {
    const { current, update } = this.revs;
    computeStatus(
      this.status,
      this.minReadySeconds,
      this.nowMs,
      this.ctx.clock,
      current.metadata.name,
      update.metadata.name,
      ...lists,
    );
  }

  /** Splits pods into in-range replicas (by ordinal, missing ones as new pods) and condemned ones. */
  private partition(pods: readonly Stored<Pod>[]): void {
    const set = this.set;
    const start = startOrdinal(set);
    const count = replicasOf(set);
    for (const p of pods) {
      if (inOrdinalRange(p, set)) this.replicas[ordinalOf(p) - start] = p;
      else if (ordinalOf(p) >= 0) this.condemned.push(p);
    }
    const current = { name: this.revs.current.metadata.name, template: revisionTemplate(this.revs.current) };
    const update = { name: this.revs.update.metadata.name, template: revisionTemplate(this.revs.update) };
    for (let i = 0; i < count; i++)
      this.replicas[i] ??= newVersionedStatefulSetPod(set, current, update, start + i) as Pod;
    this.condemned.sort(
      (a, b) => ordinalOf(b) - ordinalOf(a) || (a.metadata.name < b.metadata.name ? -1 : 1),
    );
    this.firstUnhealthy =
      this.replicas.find((p) => !isHealthy(p)) ?? this.condemned.find((p) => !isHealthy(p));
  }

  /** updateStatefulSet. */
  run(pods: readonly Stored<Pod>[]): void {
    this.updateStatus(pods as Pod[]);
    this.partition(pods);
    if (this.set.metadata.deletionTimestamp) return;
    const stopped =
      this.runForAll(this.replicas.length, (i) => this.processReplica(i)) ||
      this.runForAll(this.condemned.length, (i) => this.fixPodClaim(i)) ||
      this.runForAll(this.condemned.length, (i) => this.processCondemned(i));
    this.updateStatus(this.replicas, this.condemned);
    if (stopped) return;
    // OnDelete: existing pods change only when someone deletes them.
    if (this.set.spec?.updateStrategy?.type === "OnDelete") return;
    const r = rollingUpdate(this.podControl, this.set, this.replicas, this.revs.update.metadata.name);
    this.status.currentReplicas = (this.status.currentReplicas ?? 0) - r.deleted;
    if (r.error) this.errors.push(r.error);
    if (r.waitingFor) this.wait = `rolling update: waiting for Pod ${r.waitingFor} to be Running and Ready`;
  }

  /** runForAll: in order, stopping at the first that says so (monotonic), or in slow-start batches. */
  private runForAll(count: number, fn: (i: number) => boolean): boolean {
    if (!this.monotonic) {
      this.errors = slowStartBatch(count, fn);
      return this.errors.length > 0;
    }
    for (let i = 0; i < count; i++) {
      try {
        if (fn(i)) return true;
      } catch (e) {
        if (!(e instanceof SyncError) && !(e instanceof ApiError)) throw e;
        this.errors.push(e.message);
        return true;
      }
    }
    return false;
  }

  private waitFor(message: string): true {
    this.wait ??= message;
    return true;
  }

  /** processReplica: true when this sync must stop here (monotonic) or after this pod. */
  private processReplica(i: number): boolean {
    const pod = this.replicas[i]!;
    const name = pod.metadata?.name ?? "";
    const phase = pod.status?.phase;
    // v1.31+: a finished pod is deleted; its replacement comes on a later sync, once it is gone.
    if (phase === "Failed" || phase === "Succeeded") {
      if (!isTerminating(pod)) {
        const err = this.podControl.deleteStatefulPod(this.set, pod as Stored<Pod>);
        if (err) throw new SyncError(err.message);
      }
      return this.waitFor(`waiting for ${phase} Pod ${name} to be deleted before it is recreated`);
    }
    if (!isCreated(pod)) {
      if (this.podControl.podClaimIsStale(this.set, pod))
        return this.waitFor(`waiting for the stale claims of Pod ${name} to be deleted`);
      this.podControl.createStatefulPod(this.set, pod);
      if (this.monotonic) return true;
    }
    if (phase === "Pending")
      this.podControl.createMissingPersistentVolumeClaims(this.set, pod as Stored<Pod>);
    if (this.monotonic) {
      if (isTerminating(pod)) return this.waitFor(`waiting for Pod ${name} to terminate`);
      if (!isRunningAndReady(pod)) return this.waitFor(`waiting for Pod ${name} to be Running and Ready`);
      if (!this.available(pod))
        return this.waitFor(
          `waiting for Pod ${name} to be available (minReadySeconds ${this.minReadySeconds})`,
        );
    }
    if (!isCreated(pod)) return false;
    const retentionMatch = this.podControl.claimsMatchRetentionPolicy(this.set, pod);
    if (identityMatches(this.set, pod) && storageMatches(this.set, pod) && retentionMatch) return false;
    this.podControl.updateStatefulPod(this.set, pod as Stored<Pod>);
    return false;
  }

  /** The claims of a condemned pod get the references the retention policy wants once scaled down. */
  private fixPodClaim(i: number): boolean {
    const pod = this.condemned[i]!;
    if (this.podControl.claimsMatchRetentionPolicy(this.set, pod)) return false;
    const err = this.podControl.updatePodClaimForRetentionPolicy(this.set, pod);
    if (err) throw new SyncError(err);
    return false;
  }

  /** processCondemned: scale-down of one pod, highest ordinal first; true when this sync must stop. */
  private processCondemned(i: number): boolean {
    const pod = this.condemned[i]!;
    const name = pod.metadata.name;
    if (isTerminating(pod))
      return this.monotonic
        ? this.waitFor(`waiting for Pod ${name} to terminate prior to scale down`)
        : false;
    if (this.monotonic && pod !== this.firstUnhealthy) {
      const blocker = this.firstUnhealthy?.metadata?.name ?? name;
      if (!isRunningAndReady(pod))
        return this.waitFor(`waiting for Pod ${blocker} to be Running and Ready prior to scale down`);
      if (!this.available(pod))
        return this.waitFor(`waiting for Pod ${blocker} to be available prior to scale down`);
    }
    const err = this.podControl.deleteStatefulPod(this.set, pod);
    if (err) throw new SyncError(err.message);
    return true;
  }
}

/**
 * UpdateStatefulSet: revisions, the sync, the status write (also after an error), and history
 * truncation. `revisions` are the set's ControllerRevisions, sorted.
 */
export function updateStatefulSet(
  ctx: SimContext,
  podControl: StatefulPodControl,
  set: Stored<StatefulSet>,
  pods: readonly Stored<Pod>[],
  revisions: readonly Stored<ControllerRevision>[],
): SyncOutcome {
  let revs: SetRevisions;
  try {
    revs = getStatefulSetRevisions(ctx.api, set, revisions);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { error: e.message };
  }
  const status: Status = {
    replicas: 0,
    observedGeneration: set.metadata.generation ?? 1,
    currentRevision: revs.current.metadata.name,
    updateRevision: revs.update.metadata.name,
    collisionCount: revs.collisionCount,
  };
  const run = new StatefulSetSync(ctx, podControl, set, revs, status);
  run.run(pods);
  writeStatus(ctx.api, set, status);
  truncateHistory(ctx.api, set, pods, revisions, [revs.current.metadata.name, revs.update.metadata.name]);
  const error =
    run.errors.length === 0
      ? undefined
      : run.errors.length === 1
        ? run.errors[0]
        : `[${run.errors.join(", ")}]`;
  return { status, error, wait: run.wait };
}
