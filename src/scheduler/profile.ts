/** The default profile (apis/config/v1/default_plugins.go, v1.33): plugins in order, with weights. */
import type { FilterPlugin, ScorePlugin } from "./framework.js";
import { balancedAllocation } from "./plugins/balanced-allocation.js";
import { imageLocality } from "./plugins/imagelocality.js";
import { interPodAffinity } from "./plugins/interpodaffinity.js";
import { nodeAffinity } from "./plugins/nodeaffinity.js";
import { nodeName } from "./plugins/nodename.js";
import { nodePorts } from "./plugins/nodeports.js";
import { nodeResourcesFit } from "./plugins/noderesources-fit.js";
import { nodeUnschedulable } from "./plugins/nodeunschedulable.js";
import { podTopologySpread } from "./plugins/podtopologyspread.js";
import { taintToleration } from "./plugins/tainttoleration.js";
import { volumeBinding } from "./plugins/volume-binding.js";

/** A scheduling profile: the plugins run at Filter and at Score, in order. */
export interface Profile {
  readonly schedulerName: string;
  readonly filters: readonly FilterPlugin[];
  readonly scorers: readonly ScorePlugin[];
}

/** The profile's name and the schedulerName pods ask for by default. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

/**
 * The default profile. Extension point: the volume plugins (VolumeRestrictions, NodeVolumeLimits,
 * VolumeBinding, VolumeZone) go between NodeResourcesFit and PodTopologySpread, as in Kubernetes;
 * DefaultPreemption is a PostFilter (only its message is modelled, see messages.ts).
 */
export function defaultProfile(): Profile {
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    filters: [
      nodeUnschedulable,
      nodeName,
      taintToleration,
      nodeAffinity,
      nodePorts,
      nodeResourcesFit,
      // VolumeRestrictions, NodeVolumeLimits, VolumeZone: a later issue.
      volumeBinding,
      podTopologySpread,
      interPodAffinity,
    ] as FilterPlugin[],
    scorers: [
      taintToleration,
      nodeAffinity,
      nodeResourcesFit,
      // VolumeBinding (score only with StorageCapacityScoring): a later issue.
      podTopologySpread,
      interPodAffinity,
      balancedAllocation,
      imageLocality,
    ] as ScorePlugin[],
  };
}
