/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * every pod tolerates the not-ready and unreachable NoExecute taints for 300 s unless it says otherwise.
 */
import type { ApiServer } from "./apiserver.js";
import type { KubeObject, Mutable, Toleration } from "./types.js";

/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";

/** Whether a toleration already covers `key`'s NoExecute taint: its key empty or equal, its effect empty or NoExecute. */
function covers(t: Toleration, key: string): boolean {
  return (!t.key || t.key === key) && (!t.effect || t.effect === "NoExecute");
}

/**
 * Admit: appends `{key, operator: Exists, effect: NoExecute, tolerationSeconds}` for each of the
 * two taints the pod does not tolerate yet. Pods only, on CREATE and UPDATE of the main resource
 * (status writes never reach admission here, as subresources skip the plugin in Kubernetes).
 */
export function admitDefaultTolerations(obj: KubeObject, seconds = DEFAULT_TOLERATION_SECONDS): void {
  if (obj.kind !== "Pod") return;
  const spec = obj.spec as Mutable<{ tolerations?: Toleration[] }> | undefined;
  if (!spec) return;
  const tolerations = spec.tolerations ?? [];
  const needNotReady = !tolerations.some((t) => covers(t, TAINT_NODE_NOT_READY));
  const needUnreachable = !tolerations.some((t) => covers(t, TAINT_NODE_UNREACHABLE));
  if (!needNotReady && !needUnreachable) return;
  const added: Toleration[] = [];
  for (const [need, key] of [
    [needNotReady, TAINT_NODE_NOT_READY],
    [needUnreachable, TAINT_NODE_UNREACHABLE],
  ] as const) {
    if (need) added.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds });
  }
  spec.tolerations = [...tolerations, ...added];
}

/** Registers the plugin with the apiserver's mutating admission chain. */
export function registerDefaultTolerationSeconds(api: ApiServer, seconds = DEFAULT_TOLERATION_SECONDS): void {
  api.addAdmission((_op, obj) => admitDefaultTolerations(obj, seconds));
}
