/** ImageLocality: favours nodes that already hold the pod's images, weighed by size and spread. */
import type { Pod, Stored } from "../../api/types.js";
import { NODE_ADD } from "../events.js";
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.js";
import { normalizedImageName } from "../nodeinfo.js";

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

interface ImageState {
  images: readonly string[];
  numContainers: number;
  totalNodes: number;
}

/** calculatePriority: the summed image score clamped and scaled to [0, 100] (integer). */
export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

const byPod = new WeakMap<object, { images: readonly string[]; numContainers: number }>();

// The normalised image names of init and regular containers, once per pod object.
function imagesOf(pod: Stored<Pod>): { images: readonly string[]; numContainers: number } {
  let hit = byPod.get(pod);
  if (!hit) {
    const spec = pod.spec;
    const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
    hit = {
      images: containers.map((c) => normalizedImageName(c.image ?? "")),
      numContainers: containers.length,
    };
    byPod.set(pod, hit);
  }
  return hit;
}

/** Score only (weight 1); no NormalizeScore. */
export const imageLocality: ScorePlugin<ImageState> = {
  name: "ImageLocality",
  events: NODE_ADD,
  weight: 1,
  preScore(cycle) {
    const { images, numContainers } = imagesOf(cycle.pod);
    return { images, numContainers, totalNodes: cycle.allNodes.length };
  },
  score(cycle, st, _nodes, ids, out) {
    // scaledImageScore per image: size × (nodes having it / all nodes), truncated to an integer.
    const spread = st.images.map((img) => cycle.cache.imageNodeCount(img) / st.totalNodes);
    const none = imageLocalityPriority(0, st.numContainers);
    // Sizes by node id: a node's images are read from columns (a size is never 0 where present).
    const sizes = st.images.map((img) => cycle.cache.imageSizesOf(img));
    const counts = cycle.cache.cols.imageCount;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (counts[id] === 0) {
        out[j] = none;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < sizes.length; k++) {
        const col = sizes[k];
        const size = col !== undefined && id < col.length ? col[id]! : 0;
        if (size !== 0) sum += Math.trunc(size * spread[k]!);
      }
      out[j] = imageLocalityPriority(sum, st.numContainers);
    }
  },
};
