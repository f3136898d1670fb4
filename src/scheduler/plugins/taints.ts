/** Toleration matching (core/v1 Toleration.ToleratesTaint, v1helper.FindMatchingUntoleratedTaint). */
import type { Taint, Toleration } from "../../api/types.js";

/** Whether one toleration tolerates a taint: effect (if set), key (if set), then Equal or Exists. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? "") {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** Whether any of the tolerations tolerates the taint. */
export function tolerationsTolerateTaint(tols: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tols) return false;
  for (let i = 0; i < tols.length; i++) if (toleratesTaint(tols[i]!, taint)) return true;
  return false;
}

/** The first taint (in node order) that `include` selects and no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tols: readonly Toleration[] | undefined,
  include: (t: Taint) => boolean,
): Taint | undefined {
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (include(taint) && !tolerationsTolerateTaint(tols, taint)) return taint;
  }
  return undefined;
}

/** DoNotScheduleTaintsFilterFunc: the effects that keep pods off a node. */
export function isDoNotScheduleTaint(t: Taint): boolean {
  return t.effect === "NoSchedule" || t.effect === "NoExecute";
}
