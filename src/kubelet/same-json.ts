/** Equality of two plain-data values as their JSON texts would compare, without building the texts. */

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const SKIPPED = Symbol("skipped");

/** A primitive as JSON sees it: non-finite numbers are null; undefined, functions, symbols skipped. */
function atom(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return SKIPPED;
  return v;
}

/**
 * True exactly when `JSON.stringify(a) === JSON.stringify(b)` for plain data (objects, arrays,
 * strings, numbers, booleans, null; no toJSON): key order counts, undefined members do not. The
 * kubelet keeps the status it last wrote instead of its text, which cost ~1 KiB a pod.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aObj = typeof a === "object" && a !== null;
  const bObj = typeof b === "object" && b !== null;
  if (!aObj || !bObj) return !aObj && !bObj && atom(a) === atom(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return sameArray(a, b as unknown[]);
  return sameObject(a as Record<string, unknown>, b as Record<string, unknown>);
}

function sameArray(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = atom(a[i]);
    const y = atom(b[i]);
    // In an array a skipped member is written as null.
    if (!sameJson(x === SKIPPED ? null : a[i], y === SKIPPED ? null : b[i])) return false;
  }
  return true;
}

function sameObject(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ak = Object.keys(a).filter((k) => atom(a[k]) !== SKIPPED);
  const bk = Object.keys(b).filter((k) => atom(b[k]) !== SKIPPED);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i] || !sameJson(a[k], b[k])) return false;
  }
  return true;
}
