/**
 * Structural sharing between objects a controller creates from one template: the parts of a new
 * object that are identical to the same parts of the last object created under the same
 * controller are replaced by those (frozen, immutable) parts, so 100 replicas hold one copy of
 * their containers, tolerations and labels instead of 100. Invisible to readers: a shared part is
 * equal, key order included, to what it replaces; only object identity is shared.
 *
 * Memos keyed by a part's identity stay correct because a part is only shared between objects of
 * one kind and one namespace (a controller and what it owns live in one namespace).
 */
import type { KubeObject, Stored } from "./types.js";

type Any = Record<string, unknown>;

/**
 * Returns `shared` when `fresh` is identical to it (same keys in the same order, scalars `===`);
 * otherwise `fresh`, with each of its parts that is identical to the same part of `shared` replaced
 * by that part. `fresh` is a mutable copy about to be frozen; `shared` is frozen.
 */
export function shareParts(fresh: unknown, shared: unknown): unknown {
  if (fresh === shared) return shared;
  if (typeof fresh !== "object" || fresh === null || typeof shared !== "object" || shared === null)
    return fresh;
  if (Array.isArray(fresh)) {
    if (!Array.isArray(shared)) return fresh;
    let same = fresh.length === shared.length;
    const n = Math.min(fresh.length, shared.length);
    for (let i = 0; i < n; i++) {
      const part = shareParts(fresh[i], shared[i]);
      fresh[i] = part;
      if (part !== shared[i]) same = false;
    }
    return same ? shared : fresh;
  }
  if (Array.isArray(shared)) return fresh;
  const a = fresh as Any;
  const b = shared as Any;
  // Identical means the same keys in the same order (for-in order is insertion order here).
  const kb = Object.keys(b);
  let same = true;
  let i = 0;
  for (const k in a) {
    if (same && kb[i] !== k) same = false;
    i++;
    const bv = b[k];
    if (bv === undefined) {
      same = false;
      continue;
    }
    const part = shareParts(a[k], bv);
    a[k] = part;
    if (part !== bv) same = false;
  }
  return same && i === kb.length ? shared : fresh;
}

/** The controller's uid from an object's ownerReferences, if it has one. */
function controllerUid(obj: KubeObject): string | undefined {
  const refs = obj.metadata?.ownerReferences;
  if (refs) for (const r of refs) if (r.controller) return r.uid;
  return undefined;
}

/** The last object created under each controller, to share parts with the next one. */
export class PartSharer {
  private readonly last = new Map<string, Stored>();

  /**
   * Shares the parts of `obj` (not yet frozen, about to be stored) that equal the last object
   * created under the same controller: its spec, its status and its metadata's labels,
   * annotations and ownerReferences (never its name, uid or times).
   */
  share(obj: KubeObject): void {
    const uid = controllerUid(obj);
    if (uid === undefined) return;
    const prev = this.last.get(uid);
    if (prev === undefined || prev.metadata.namespace !== obj.metadata?.namespace) return;
    const o = obj as Any;
    const p = prev as unknown as Any;
    if (o.spec !== undefined) o.spec = shareParts(o.spec, p.spec);
    if (o.status !== undefined) o.status = shareParts(o.status, p.status);
    const meta = obj.metadata as Any;
    const pm = prev.metadata as unknown as Any;
    if (meta.labels !== undefined) meta.labels = shareParts(meta.labels, pm.labels);
    if (meta.annotations !== undefined) meta.annotations = shareParts(meta.annotations, pm.annotations);
    meta.ownerReferences = shareParts(meta.ownerReferences, pm.ownerReferences);
  }

  /** `stored` was just created: the next object under its controller shares with it. */
  created(stored: Stored): void {
    const uid = controllerUid(stored);
    if (uid !== undefined) this.last.set(uid, stored);
  }

  /** An object was removed: if it was a controller, nothing more is created under it. */
  removed(uid: string): void {
    this.last.delete(uid);
  }
}
