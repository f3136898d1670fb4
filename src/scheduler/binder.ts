/** The scheduler's API writes: binding, the PodScheduled condition, Scheduled and FailedScheduling events. */
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import type { Mutable, Pod, PodCondition, Stored } from "../api/types.js";
import { scheduledMessage, truncateMessage } from "./messages.js";
import { DEFAULT_SCHEDULER_NAME } from "./profile.js";

/** PodScheduled reasons (core/v1 PodReasonUnschedulable, PodReasonSchedulerError, PodReasonSchedulingGated). */
export type PodScheduledReason = "Unschedulable" | "SchedulerError" | "SchedulingGated";

/** The condition message of a gated pod (pod strategy's applySchedulingGatedCondition). */
export const SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";

type PodDraft = Mutable<Pod>;

function setCondition(draft: PodDraft, cond: PodCondition): void {
  const status = (draft.status ??= {});
  const conds = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === cond.type);
  if (i < 0) conds.push(cond as Mutable<PodCondition>);
  else conds[i] = cond as Mutable<PodCondition>;
}

/** Writes the scheduler's decisions through the apiserver. */
export class Binder {
  constructor(private readonly ctx: SimContext) {}

  /** Binds the pod to the node through the pods/binding subresource (one write), unless it can't be. */
  bind(pod: Stored<Pod>, nodeName: string): Stored<Pod> | undefined {
    const { api } = this.ctx;
    const ns = pod.metadata.namespace;
    let bound: Stored<Pod>;
    try {
      bound = api.bind(ns, pod.metadata.name, nodeName, pod.metadata.uid) as Stored<Pod>;
    } catch (e) {
      // Gone, replaced, terminating or already bound: nothing to do (the scheduler forgets it).
      if (e instanceof ApiError && (e.reason === "NotFound" || e.reason === "Conflict")) return undefined;
      throw e;
    }
    this.ctx.events.record(
      bound,
      "Normal",
      "Scheduled",
      scheduledMessage(ns ?? "default", pod.metadata.name, nodeName),
      DEFAULT_SCHEDULER_NAME,
    );
    return bound;
  }

  /**
   * handleSchedulingFailure: a Warning FailedScheduling event (repeats aggregate in the recorder)
   * and PodScheduled=False with the message, written only when it changed.
   */
  failed(pod: Stored<Pod>, reason: PodScheduledReason, message: string): void {
    const current = this.ctx.api.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid || current.spec?.nodeName) return;
    this.ctx.events.record(
      current,
      "Warning",
      "FailedScheduling",
      truncateMessage(message),
      DEFAULT_SCHEDULER_NAME,
    );
    this.setPodScheduledFalse(current, reason, message);
  }

  /** A gated pod shows PodScheduled=False, reason SchedulingGated (if it does not already). */
  gated(pod: Stored<Pod>): void {
    const current = this.ctx.api.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid || current.spec?.nodeName) return;
    this.setPodScheduledFalse(current, "SchedulingGated", SCHEDULING_GATED_MESSAGE);
  }

  private setPodScheduledFalse(pod: Stored<Pod>, reason: PodScheduledReason, message: string): void {
    const old = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (old && old.status === "False" && old.reason === reason && old.message === message) return;
    const { api, engine, clock } = this.ctx;
    // The transition time moves only when the status does (podutil.UpdatePodCondition).
    const lastTransitionTime =
      old?.status === "False" && old.lastTransitionTime ? old.lastTransitionTime : clock.time(engine.nowMs);
    api.mutate<PodDraft>(
      "Pod",
      pod.metadata.namespace,
      pod.metadata.name,
      (d) => setCondition(d, { type: "PodScheduled", status: "False", reason, message, lastTransitionTime }),
      { subresource: "status" },
    );
  }
}
