/** The built-in invariants' names (a leaf module: the scenario loader reads them without the checkers). */

/** Every built-in invariant, in the order help texts list them. */
export const INVARIANT_NAMES = [
  "rollout-bounds",
  "statefulset-identity",
  "node-capacity",
  "pod-node-exists",
  "pvc-binding",
  "convergence",
] as const;

export type InvariantName = (typeof INVARIANT_NAMES)[number];

/** Whether a name is a built-in invariant. */
export function isInvariantName(name: string): name is InvariantName {
  return (INVARIANT_NAMES as readonly string[]).includes(name);
}
