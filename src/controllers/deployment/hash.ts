/**
 * pod-template-hash (controller_utils.go: ComputeHash): FNV-32a of the template (plus the
 * collision count), its decimal digits mapped through rand.SafeEncodeString's alphabet.
 * Simplification: the template is serialised as canonical JSON (sorted keys) instead of Go's
 * object dump, so hashes have Kubernetes' shape and behaviour but not its exact values.
 */
import type { PodTemplateSpec } from "../../api/types.js";
import { utf8Bytes } from "../../api/utf8.js";

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/** canonicalJson(a) === canonicalJson(b), without building the strings (a status check on every sync). */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object")
    return canonicalJson(a) === canonicalJson(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!canonicalEqual(a[i], b[i])) return false;
    return true;
  }
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  let na = 0;
  for (const k in oa) {
    if (oa[k] === undefined) continue;
    na++;
    if (ob[k] === undefined || !canonicalEqual(oa[k], ob[k])) return false;
  }
  let nb = 0;
  for (const k in ob) if (ob[k] !== undefined) nb++;
  return na === nb;
}

function fnv32aUpdate(h: number, bytes: ArrayLike<number>): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character c becomes ALPHANUMS[c mod 27]. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** ComputeHash(template, collisionCount). */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32aUpdate(0x811c9dc5, utf8Bytes(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    // The collision count is written as 8 bytes: uint32 little-endian, then four zero bytes.
    const c = collisionCount >>> 0;
    h = fnv32aUpdate(h, [c & 255, (c >>> 8) & 255, (c >>> 16) & 255, (c >>> 24) & 255, 0, 0, 0, 0]);
  }
  return safeEncodeString(String(h));
}
