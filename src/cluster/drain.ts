/**
 * `kubectl drain` (staging/src/k8s.io/kubectl/pkg/drain/drain.go, pkg/cmd/drain): cordons the
 * node, refuses pods it may not remove, then evicts the rest through the Eviction API, retrying
 * refused evictions every 5 s and polling every 1 s until each pod is gone, or until --timeout.
 * The command outlives its action: later lines come back through `followUp` (see actions.ts).
 * Simplification: always evicts (no --disable-eviction, --pod-selector, --skip-wait-for-delete-timeout).
 */
import type { ApiServer } from "../api/apiserver.js";
import type { ApiError } from "../api/errors.js";
import { evictPod } from "../api/eviction.js";
import type { Pod, Stored } from "../api/types.js";
import { parseDurationMs } from "../engine/duration.js";
import { formatGoDuration } from "../kubelet/messages.js";
import type { KubectlCommand } from "../scenario/types.js";

/** EvictionRetryDelay: how long drain waits after a 429 before evicting again. */
export const EVICTION_RETRY_DELAY_MS = 5000;
/** waitForDelete's poll interval. */
export const DELETE_POLL_MS = 1000;

/** What one step of a running kubectl command printed, and when (if ever) it continues. */
export interface KubectlStep {
  output?: string;
  error?: string;
  followUp?: FollowUp;
}

/** The rest of a command that keeps running: after `afterMs`, `run()` gives its next step. */
export interface FollowUp {
  afterMs: number;
  run(): KubectlStep;
}

/** A client-side refusal, printed as `error: ...` by runKubectl. */
export class DrainRefused extends Error {}

interface PodState {
  pod: Stored<Pod>;
  /** "evict": the next eviction attempt is due; "wait": evicted, waiting for the pod to go. */
  phase: "evict" | "wait" | "done";
  dueMs: number;
}

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

function finished(p: Pod): boolean {
  return p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
}

/** GetPodsForDeletion's filters: the pods to evict, warnings, and errors (each `msg: ns/a, ns/b`). */
export function podsForDeletion(
  pods: readonly Stored<Pod>[],
  flags: Record<string, string>,
): { evict: Stored<Pod>[]; warnings: string; errors: string[] } {
  const warn = new Map<string, string[]>();
  const errs = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, msg: string, p: Stored<Pod>) => {
    const list = m.get(msg) ?? [];
    list.push(`${p.metadata.namespace}/${p.metadata.name}`);
    m.set(msg, list);
  };
  const evict: Stored<Pod>[] = [];
  for (const p of pods) {
    const ctrl = p.metadata.ownerReferences?.find((r) => r.controller);
    if (ctrl?.kind === "DaemonSet") {
      if (flags["ignore-daemonsets"] === "true") add(warn, "ignoring DaemonSet-managed Pods", p);
      else add(errs, "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", p);
      continue;
    }
    if (p.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) continue;
    let ok = true;
    if (!finished(p) && (p.spec?.volumes ?? []).some((v) => v.emptyDir)) {
      if (flags["delete-emptydir-data"] === "true") add(warn, "deleting Pods with local storage", p);
      else {
        add(errs, "cannot delete Pods with local storage (use --delete-emptydir-data to override)", p);
        ok = false;
      }
    }
    if (!finished(p) && !ctrl) {
      if (flags.force === "true") add(warn, "deleting Pods that declare no controller", p);
      else {
        add(errs, "cannot delete Pods that declare no controller (use --force to override)", p);
        ok = false;
      }
    }
    if (ok) evict.push(p);
  }
  const join = (m: Map<string, string[]>) => [...m.keys()].sort().map((k) => `${k}: ${m.get(k)!.join(", ")}`);
  return { evict, warnings: join(warn).join("; "), errors: join(errs) };
}

/** How cmd/drain reports a node it could not drain. */
function failure(node: string, err: string): string {
  return [
    `error: unable to drain node "${node}" due to error: ${err}, continuing command...`,
    "There are pending nodes to be drained:",
    ` ${node}`,
    `error: ${err}`,
  ].join("\n");
}

/** Runs `kubectl drain NODE` after the cordon: the first step now, the rest as follow-ups. */
export function drainPods(
  api: ApiServer,
  cmd: KubectlCommand,
  node: string,
  cordonLine: string,
): KubectlStep {
  const pods = api.list<Pod>("Pod", { nodeName: node }).sort((a, b) => (cmpKey(a) < cmpKey(b) ? -1 : 1));
  const { evict, warnings, errors: refusals } = podsForDeletion(pods, cmd.flags);
  const lines = [cordonLine];
  if (refusals.length > 0) return { output: lines.join("\n"), error: failure(node, aggregate(refusals)) };
  if (warnings) lines.push(`Warning: ${warnings}`);
  const timeoutMs = parseDurationMs(cmd.flags.timeout ?? "0") ?? 0;
  const grace = cmd.flags["grace-period"] !== undefined ? Number(cmd.flags["grace-period"]) : -1;
  const startMs = api.engine.nowMs;
  const states: PodState[] = evict.map((pod) => ({ pod, phase: "evict", dueMs: startMs }));
  const errors: string[] = [];
  const step = (out: string[]): KubectlStep => {
    const nowMs = api.engine.nowMs;
    // The context.WithTimeout each pod's loop checks when it wakes (before evicting, after a poll).
    const timedOut = timeoutMs > 0 && nowMs >= startMs + timeoutMs;
    const ctx = { api, grace, out, errors, timedOut, timeout: formatGoDuration(timeoutMs) };
    for (const s of states) {
      if (s.phase === "done" || s.dueMs > nowMs) continue;
      if (s.phase === "evict") attempt(ctx, s);
      if (s.phase === "wait") poll(ctx, s);
    }
    const pending = states.filter((s) => s.phase !== "done");
    if (pending.length > 0) {
      const nextMs = Math.min(...pending.map((s) => s.dueMs));
      return { ...text(out), followUp: { afterMs: nextMs - nowMs, run: () => step([]) } };
    }
    if (errors.length > 0) {
      return {
        ...text(out),
        error: failure(node, errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`),
      };
    }
    out.push(`node/${node} drained`);
    return text(out);
  };
  return step(lines);
}

/** utilerrors.NewAggregate's message: one error as-is, several as `[a, b]`. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`;
}

function text(lines: string[]): { output?: string } {
  return lines.length > 0 ? { output: lines.join("\n") } : {};
}

function cmpKey(p: Stored<Pod>): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

interface StepContext {
  api: ApiServer;
  grace: number;
  out: string[];
  errors: string[];
  timedOut: boolean;
  timeout: string;
}

/** One pass of evictPods' loop for a pod: evict, or print the 429 and retry in 5 s; other errors end the pod. */
function attempt(ctx: StepContext, s: PodState): void {
  const { api, out } = ctx;
  const { namespace, name } = s.pod.metadata;
  out.push(`evicting pod ${namespace}/${name}`);
  if (ctx.timedOut) {
    ctx.errors.push(
      `error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${ctx.timeout}`,
    );
    s.phase = "done";
    return;
  }
  const res = evictPod(
    api,
    namespace ?? "default",
    name,
    ctx.grace >= 0 ? { gracePeriodSeconds: ctx.grace } : {},
  );
  if (res.ok) {
    s.phase = "wait";
    return;
  }
  const e: ApiError = res.error;
  if (e.reason === "TooManyRequests") {
    const delay = formatGoDuration(EVICTION_RETRY_DELAY_MS);
    out.push(
      `error when evicting pods/"${name}" -n "${namespace}" (will retry after ${delay}): ${e.message}`,
    );
    s.dueMs = api.engine.nowMs + EVICTION_RETRY_DELAY_MS;
    return;
  }
  s.phase = "done";
  if (e.reason !== "NotFound")
    ctx.errors.push(`error when evicting pods/"${name}" -n "${namespace}": ${e.message}`);
}

/** waitForDelete: the pod is gone once it is not found or has a new uid; else poll again in 1 s. */
function poll(ctx: StepContext, s: PodState): void {
  const { namespace, name, uid } = s.pod.metadata;
  const now = ctx.api.get<Pod>("Pod", namespace, name);
  if (!now || now.metadata.uid !== uid) {
    ctx.out.push(`pod/${name} evicted`);
    s.phase = "done";
  } else if (ctx.timedOut) {
    ctx.errors.push(
      `error when waiting for pod "${name}" terminating: global timeout reached: ${ctx.timeout}`,
    );
    s.phase = "done";
  } else {
    s.dueMs = ctx.api.engine.nowMs + DELETE_POLL_MS;
  }
}
