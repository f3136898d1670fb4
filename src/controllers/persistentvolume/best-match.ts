/**
 * The PV controller's search for a claim's volume (pkg/controller/volume/persistentvolume/index.go):
 * volumes grouped by their set of access modes, the groups that offer every requested mode tried
 * from the fewest modes up, the smallest fit within the first group that has one.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "../../api/types.js";
import { findMatchingVolume } from "./helpers.js";

/** GetAccessModesAsString's order. */
const MODE_ORDER = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

function modesKey(modes: readonly string[] | undefined): string {
  if (!modes?.length) return "";
  return MODE_ORDER.filter((m) => modes.includes(m)).join(",");
}

/**
 * findBestMatchForClaim: the volume the PV controller binds `claim` to, if any. With
 * `delayBinding` (WaitForFirstConsumer) only volumes pre-bound to the claim qualify.
 */
export function findBestMatchForClaim<V extends PersistentVolume>(
  claim: PersistentVolumeClaim,
  volumes: Iterable<V>,
  delayBinding: boolean,
): V | undefined {
  const groups = new Map<string, V[]>();
  for (const pv of volumes) {
    const key = modesKey(pv.spec?.accessModes);
    const list = groups.get(key);
    if (list) list.push(pv);
    else groups.set(key, [pv]);
  }
  const requested = claim.spec?.accessModes ?? [];
  const candidates = [...groups.keys()]
    .filter((key) => {
      const offered = key === "" ? [] : key.split(",");
      return requested.every((m) => offered.includes(m));
    })
    // byAccessModes: fewest modes first (ties by key, where Go's sort leaves them unordered).
    .sort((a, b) => a.split(",").length - b.split(",").length || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of candidates) {
    const pv = findMatchingVolume(claim, groups.get(key)!, undefined, undefined, delayBinding);
    if (pv) return pv;
  }
  return undefined;
}
