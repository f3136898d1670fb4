/**
 * Deep copy of JSON-shaped values (Kubernetes objects). Several times faster than
 * structuredClone, which goes through V8's serializer; the copy is unfrozen and mutable.
 */
export function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = deepCopy(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k in src) {
    const x = src[k];
    if (x !== undefined) out[k] = typeof x === "object" && x !== null ? deepCopy(x) : x;
  }
  return out as T;
}

/** Freezes a JSON-shaped value and everything in it; already-frozen parts are skipped. */
export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== "object" || Object.isFrozen(v)) return v;
  freezeTree(v);
  return v;
}

// Freezes an unfrozen object, then descends only into unfrozen objects: the leaves (strings,
// numbers) and the frozen parts a write reuses cost no call.
function freezeTree(v: object): void {
  Object.freeze(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "object" && x !== null && !Object.isFrozen(x)) freezeTree(x);
    }
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === "object" && x !== null && !Object.isFrozen(x)) freezeTree(x);
  }
}
