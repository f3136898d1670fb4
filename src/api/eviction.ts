/**
 * The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): deletes a pod only
 * if its PodDisruptionBudget allows it, decrementing disruptionsAllowed and noting the pod in
 * disruptedPods; otherwise answers 429 TooManyRequests.
 * Simplification: no resourceVersion precondition on the delete, no conflict retries, no dry-run.
 */
import type { ApiServer } from "./apiserver.js";
import { ApiError } from "./errors.js";
import { compileSelector } from "./labels.js";
import type { Mutable, Pod, PodCondition, PodDisruptionBudget, Stored } from "./types.js";

/** MaxDisruptedPodSize: evictions the PDB controller has not confirmed yet, at most. */
export const MAX_DISRUPTED_POD_SIZE = 2000;

/** Options of an eviction: the DeleteOptions it carries, and the time it is made at. */
export interface EvictOptions {
  gracePeriodSeconds?: number;
}

export type EvictResult = { ok: true } | { ok: false; error: ApiError };

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

function isReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** canIgnorePDB: terminal, pending or already terminating pods are deleted without a budget check. */
export function canIgnorePdb(p: Pod): boolean {
  const phase = p.status?.phase;
  return (
    phase === "Succeeded" || phase === "Failed" || phase === "Pending" || !!p.metadata?.deletionTimestamp
  );
}

/** getPodDisruptionBudgets: the PDBs of the pod's namespace whose non-empty selector matches it. */
export function pdbsForPod(api: ApiServer, pod: Stored<Pod>): Stored<PodDisruptionBudget>[] {
  return api
    .list<PodDisruptionBudget>("PodDisruptionBudget", { namespace: pod.metadata.namespace })
    .filter((pdb) => {
      // Unlike the disruption controller, eviction lets a nil or empty selector match nothing.
      const sel = compileSelector(pdb.spec?.selector);
      return !sel.empty && sel.matches(pod.metadata.labels);
    });
}

/**
 * The budget decision for one pod and its one PDB: "delete" (no decrement), "decrement", or the
 * error eviction.go answers. Pure, for table tests.
 */
export function evictionDecision(pod: Pod, pdb: PodDisruptionBudget): "delete" | "decrement" | ApiError {
  const st = pdb.status;
  if (!isReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === "AlwaysAllow") return "delete";
    const desired = st?.desiredHealthy ?? 0;
    if ((st?.currentHealthy ?? 0) >= desired && desired > 0) return "delete";
  }
  const name = pdb.metadata?.name ?? "";
  if (!st || (st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    return new ApiError("TooManyRequests", VIOLATION); // cause: still being processed (budgetCause)
  }
  const forbidden = `poddisruptionbudget.policy "${name}" is forbidden: `;
  if (st.disruptionsAllowed < 0)
    return new ApiError("Forbidden", `${forbidden}pdb disruptions allowed is negative`);
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    const detail = "DisruptedPods map too big - too many evictions not confirmed by PDB controller";
    return new ApiError("Forbidden", `${forbidden}${detail}`);
  }
  if (st.disruptionsAllowed === 0) return new ApiError("TooManyRequests", VIOLATION);
  return "decrement";
}

/**
 * The DisruptionBudget cause a 429 carries (kubectl prints only the message): the budget not yet
 * observed by its controller, or `The disruption budget web needs 2 healthy pods and has 2 currently`.
 */
export function budgetCause(pdb: PodDisruptionBudget): string {
  const st = pdb.status;
  const name = pdb.metadata?.name ?? "";
  if (!st || (st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0))
    return `The disruption budget ${name} is still being processed by the server.`;
  return `The disruption budget ${name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently`;
}

/** Creates an Eviction for `ns/name`: deletes the pod if its budget allows, else returns the error. */
export function evictPod(api: ApiServer, ns: string, name: string, opts: EvictOptions = {}): EvictResult {
  const nowTs = api.clock.time(api.engine.nowMs);
  const pod = api.get<Pod>("Pod", ns, name);
  if (!pod) return { ok: false, error: new ApiError("NotFound", `pods "${name}" not found`) };
  if (!canIgnorePdb(pod)) {
    const pdbs = pdbsForPod(api, pod);
    if (pdbs.length > 1) {
      const msg =
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
      return { ok: false, error: new ApiError("InternalError", msg) };
    }
    const pdb = pdbs[0];
    if (pdb) {
      const decision = evictionDecision(pod, pdb);
      if (decision instanceof ApiError) return { ok: false, error: decision };
      if (decision === "decrement") decrement(api, pdb, name, nowTs);
    }
  }
  return deleteWithCondition(api, pod, opts, nowTs);
}

/** checkAndDecrement's write: one fewer disruption allowed, the pod noted as disrupted. */
function decrement(api: ApiServer, pdb: Stored<PodDisruptionBudget>, podName: string, nowTs: string): void {
  api.mutate<PodDisruptionBudget>(
    "PodDisruptionBudget",
    pdb.metadata.namespace,
    pdb.metadata.name,
    (d) => {
      const s = (d as Mutable<PodDisruptionBudget>).status;
      if (!s) return;
      s.disruptionsAllowed -= 1;
      if (s.disruptionsAllowed === 0) {
        const c = s.conditions?.find((x) => x.type === "DisruptionAllowed");
        if (c && c.status !== "False") {
          c.status = "False";
          c.reason = "InsufficientPods";
          c.message = "";
          c.lastTransitionTime = nowTs;
        }
      }
      s.disruptedPods = { ...(s.disruptedPods ?? {}), [podName]: nowTs };
    },
    { subresource: "status" },
  );
}

/** addConditionAndDeletePod: DisruptionTarget=True (EvictionByEvictionAPI), then a graceful delete. */
function deleteWithCondition(
  api: ApiServer,
  pod: Stored<Pod>,
  opts: EvictOptions,
  nowTs: string,
): EvictResult {
  const { namespace, name } = pod.metadata;
  if (!pod.metadata.deletionTimestamp) {
    api.mutate<Pod>(
      "Pod",
      namespace,
      name,
      (d) => {
        const draft = d as Mutable<Pod>;
        const status = (draft.status ??= {});
        const conds = (status.conditions ??= []);
        const cond: Mutable<PodCondition> = {
          type: "DisruptionTarget",
          status: "True",
          reason: "EvictionByEvictionAPI",
          message: "Eviction API: evicting",
          lastTransitionTime: nowTs,
        };
        const i = conds.findIndex((c) => c.type === "DisruptionTarget");
        if (i >= 0) conds[i] = cond;
        else conds.push(cond);
      },
      { subresource: "status" },
    );
  }
  try {
    api.delete(
      "Pod",
      namespace,
      name,
      opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {},
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { ok: false, error: e };
  }
  return { ok: true };
}
