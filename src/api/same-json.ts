/**
 * Equality of two plain-data values (objects, arrays, strings, numbers, booleans, null; no toJSON,
 * no cycles) exactly as their JSON texts would compare, without writing the texts: key order
 * counts, members JSON leaves out do not. The timeline compares every write with the last state
 * it recorded, and the kubelet every status with the last it wrote.
 */

type Any = Record<string, unknown>;

/** A scalar as JSON writes it: non-finite numbers as null; undefined (no JSON at all) stays apart. */
function jsonScalar(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  return inJson(v) ? v : undefined;
}

/** Whether an object property appears in JSON (undefined, functions and symbols are left out). */
function inJson(v: unknown): boolean {
  return v !== undefined && typeof v !== "function" && typeof v !== "symbol";
}

function sameJsonObject(a: Any, b: Any): boolean {
  // Same keys in the same order (JSON text is ordered), those JSON leaves out skipped.
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < ka.length && !inJson(a[ka[i]!])) i++;
    while (j < kb.length && !inJson(b[kb[j]!])) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    if (ka[i] !== kb[j] || !sameJson(a[ka[i]!], b[kb[j]!])) return false;
    i++;
    j++;
  }
}

/** True exactly when `JSON.stringify(a) === JSON.stringify(b)` for plain data. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const objA = typeof a === "object" && a !== null;
  const objB = typeof b === "object" && b !== null;
  if (!objA || !objB) return !objA && !objB && jsonScalar(a) === jsonScalar(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (!Array.isArray(a)) return sameJsonObject(a as Any, b as Any);
  const bs = b as unknown[];
  if (a.length !== bs.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameJson(jsonArrayItem(a[i]), jsonArrayItem(bs[i]))) return false;
  return true;
}

// Inside arrays JSON writes undefined, functions and symbols as null.
function jsonArrayItem(v: unknown): unknown {
  return inJson(v) ? v : null;
}
