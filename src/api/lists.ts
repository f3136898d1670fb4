/**
 * Lookups in the arrays of stored objects. Stored objects are deep-frozen, and V8 (Node 20) runs
 * `find`, `some` and `filter` on a frozen array through a slow path (~10× a plain loop over a
 * 5-condition list), and `for…of` ~1.7× slower than an index, so the per-write lookups index.
 */

/** The first entry of `list` with this `type` (a condition), as `list.find((c) => c.type === type)`. */
export function byType<T extends { type?: string }>(
  list: readonly T[] | null | undefined,
  type: string,
): T | undefined {
  if (list) for (let i = 0; i < list.length; i++) if (list[i]!.type === type) return list[i];
  return undefined;
}
