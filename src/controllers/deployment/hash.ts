/**
 * pod-template-hash (controller_utils.go: ComputeHash): FNV-32a of the template (plus the
 * collision count), its decimal digits mapped through rand.SafeEncodeString's alphabet.
 * Simplification: the template is serialised as canonical JSON (sorted keys) instead of Go's
 * object dump, so hashes have Kubernetes' shape and behaviour but not its exact values.
 */
import type { PodTemplateSpec } from "../../api/types.js";

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

function fnv32aUpdate(h: number, bytes: ArrayLike<number>): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else {
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
  }
  return out;
}

/** rand.SafeEncodeString: each character c becomes ALPHANUMS[c mod 27]. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** ComputeHash(template, collisionCount). */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32aUpdate(0x811c9dc5, utf8(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    // The collision count is written as 8 bytes: uint32 little-endian, then four zero bytes.
    const c = collisionCount >>> 0;
    h = fnv32aUpdate(h, [c & 255, (c >>> 8) & 255, (c >>> 16) & 255, (c >>> 24) & 255, 0, 0, 0, 0]);
  }
  return safeEncodeString(String(h));
}
