/**
 * StatefulSet revision history (pkg/controller/history/controller_history.go and the revision
 * helpers of stateful_set_utils.go / stateful_set_control.go): ControllerRevisions named
 * `<set>-<hash>` holding the pod template, the current and update revisions, rollback by
 * renumbering an equal revision, and truncation beyond revisionHistoryLimit.
 * Simplification: the revision data is the template as canonical JSON (sorted keys) rather than
 * Go's struct-ordered encoding, so hashes have Kubernetes' shape and behaviour, not its values.
 */
import type { ApiServer } from "../../api/apiserver.js";
import { ApiError } from "../../api/errors.js";
import type { Selector } from "../../api/labels.js";
import type { ControllerRevision, Pod, PodTemplateSpec, StatefulSet, Stored } from "../../api/types.js";
import { canonicalJson, safeEncodeString } from "../deployment/hash.js";
import { controllerOf } from "../pod-utils.js";
import { controllerRefTo, REVISION_LABEL } from "./identity.js";

/** history.ControllerRevisionHashLabel. */
export const REVISION_HASH_LABEL = "controller.kubernetes.io/hash";
/** Bound on hash-collision retries in one sync (Kubernetes loops until a free name appears). */
const MAX_COLLISION_RETRIES = 16;

/** FNV-1 (not 1a: multiply, then xor) over UTF-8 bytes, continuing from `h`. */
export function fnv32(s: string, h = 0x811c9dc5): number {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const bytes =
      c < 0x80
        ? [c]
        : c < 0x800
          ? [0xc0 | (c >> 6), 0x80 | (c & 63)]
          : c < 0x10000
            ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
            : [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  }
  return h >>> 0;
}

/** HashControllerRevision: fnv32 of the data, then the decimal collision count, SafeEncodeString'd. */
export function hashRevisionData(dataJson: string, collisionCount?: number): string {
  let h = fnv32(dataJson);
  if (collisionCount !== undefined) h = fnv32(String(collisionCount), h);
  return safeEncodeString(String(h));
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** getPatch: the data of a revision, a strategic-merge patch replacing the whole pod template. */
export function revisionData(template: PodTemplateSpec | undefined): { spec: { template: unknown } } {
  return { spec: { template: { ...(template ?? {}), $patch: "replace" } } };
}

const dataJsonCache = new WeakMap<object, string>();
const templateJsonCache = new WeakMap<object, string>();

/** The canonical JSON of the data a revision of this template holds (memoised per frozen template). */
export function templateDataJson(template: PodTemplateSpec | undefined): string {
  if (!template) return canonicalJson(revisionData(template));
  let s = templateJsonCache.get(template);
  if (s === undefined) templateJsonCache.set(template, (s = canonicalJson(revisionData(template))));
  return s;
}

/** The canonical JSON of a revision's data (memoised per frozen data object). */
function dataJsonOf(data: unknown): string {
  if (data === null || typeof data !== "object") return canonicalJson(data);
  let s = dataJsonCache.get(data);
  if (s === undefined) dataJsonCache.set(data, (s = canonicalJson(data)));
  return s;
}

/** ApplyRevision, for the only state a revision holds: the pod template it recorded. */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec {
  const t = { ...((rev.data as { spec?: { template?: Record<string, unknown> } })?.spec?.template ?? {}) };
  delete t.$patch;
  return t as PodTemplateSpec;
}

/** history.EqualRevision: same data (hash labels here are never decimal, so never compared). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return dataJsonOf(a.data) === dataJsonOf(b.data);
}

/** history.SortControllerRevisions: by revision, then creation time, then name. */
export function sortRevisions<T extends ControllerRevision>(revs: T[]): T[] {
  return revs.sort((a, b) => {
    if ((a.revision ?? 0) !== (b.revision ?? 0)) return (a.revision ?? 0) - (b.revision ?? 0);
    const ta = a.metadata?.creationTimestamp ?? "";
    const tb = b.metadata?.creationTimestamp ?? "";
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = a.metadata?.name ?? "";
    const nb = b.metadata?.name ?? "";
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** nextRevision: one more than the highest revision number (1 for none); `revs` sorted. */
export function nextRevision(revs: readonly ControllerRevision[]): number {
  return revs.length === 0 ? 1 : (revs[revs.length - 1]!.revision ?? 0) + 1;
}

/**
 * newRevision / history.NewControllerRevision: template labels plus the hash label, the set as
 * controller, the set's annotations, the data and the revision number; named `<set>-<hash>`.
 */
export function newRevision(
  set: Stored<StatefulSet>,
  revision: number,
  collisionCount: number,
): ControllerRevision {
  const data = revisionData(set.spec?.template);
  const hash = hashRevisionData(templateDataJson(set.spec?.template), collisionCount);
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: revisionName(set.metadata.name, hash),
      namespace: set.metadata.namespace,
      labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(set.metadata.annotations ? { annotations: { ...set.metadata.annotations } } : {}),
      ownerReferences: [controllerRefTo(set)],
    },
    data,
    revision,
  };
}

/** ListControllerRevisions: revisions in the namespace matching the selector, ours or orphaned. */
export function listRevisions(
  api: ApiServer,
  set: Stored<StatefulSet>,
  selector: Selector,
): Stored<ControllerRevision>[] {
  const uid = set.metadata.uid;
  return api
    .list<ControllerRevision>("ControllerRevision", { namespace: set.metadata.namespace, selector })
    .filter((r) => {
      const ref = controllerOf(r);
      return !ref || ref.uid === uid;
    });
}

/**
 * history.CreateControllerRevision: creates the revision, renaming it with a bumped collision
 * count while the name is taken by a revision with different data (an equal one is returned).
 */
function createRevision(
  api: ApiServer,
  set: Stored<StatefulSet>,
  rev: ControllerRevision,
  json: string,
  collision: { count: number },
): Stored<ControllerRevision> {
  for (let attempt = 0; attempt < MAX_COLLISION_RETRIES; attempt++) {
    const name = revisionName(set.metadata.name, hashRevisionData(json, collision.count));
    try {
      return api.create({ ...rev, metadata: { ...rev.metadata, name } });
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "AlreadyExists") throw e;
      const existing = api.get<ControllerRevision>("ControllerRevision", set.metadata.namespace, name);
      if (existing && dataJsonOf(existing.data) === json) return existing;
      collision.count++;
    }
  }
  throw new ApiError("AlreadyExists", `too many ControllerRevision name collisions for ${set.metadata.name}`);
}

export interface SetRevisions {
  current: Stored<ControllerRevision>;
  update: Stored<ControllerRevision>;
  collisionCount: number;
}

/**
 * getStatefulSetRevisions: the update revision is the set's template — the newest revision if it
 * is equal, an older equal one renumbered to the next revision (a rollback), or a new one. The
 * current revision is the one named in status.currentRevision, else the update revision.
 * `revs` must be sorted.
 */
export function getStatefulSetRevisions(
  api: ApiServer,
  set: Stored<StatefulSet>,
  revs: readonly Stored<ControllerRevision>[],
): SetRevisions {
  const collision = { count: set.status?.collisionCount ?? 0 };
  const json = templateDataJson(set.spec?.template);
  const equal = revs.filter((r) => dataJsonOf(r.data) === json);
  const revision = nextRevision(revs);
  let update: Stored<ControllerRevision>;
  const last = revs[revs.length - 1];
  if (equal.length > 0 && last && equalRevision(last, equal[equal.length - 1]!)) update = last;
  else if (equal.length > 0) {
    const old = equal[equal.length - 1]!;
    update = api.mutate<ControllerRevision>(
      "ControllerRevision",
      old.metadata.namespace,
      old.metadata.name,
      (d) => {
        d.revision = revision;
      },
    );
  } else update = createRevision(api, set, newRevision(set, revision, collision.count), json, collision);
  const current = revs.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount: collision.count };
}

/**
 * truncateHistory: deletes the oldest revisions that are not live (current, update, or named by a
 * pod's controller-revision-hash label) until at most revisionHistoryLimit of them remain.
 */
export function truncateHistory(
  api: ApiServer,
  set: Stored<StatefulSet>,
  pods: readonly Pod[],
  revs: readonly Stored<ControllerRevision>[],
  live: readonly (string | undefined)[],
): void {
  const keep = new Set<string>();
  for (const n of live) if (n) keep.add(n);
  for (const p of pods) keep.add(p.metadata?.labels?.[REVISION_LABEL] ?? "");
  const history = revs.filter((r) => !keep.has(r.metadata.name));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    try {
      api.delete("ControllerRevision", r.metadata.namespace, r.metadata.name);
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
  }
}
