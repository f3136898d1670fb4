/** The kubelet's constants (Kubernetes' defaults) and the scenario timings it reads, resolved once per node. */
import type { Rng } from "../engine/rng.js";
import type { DurationRange, Timing } from "../scenario/types.js";

/** pkg/kubelet/apis/config/v1beta1/defaults.go: nodeLeaseDurationSeconds. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** kubelet.go: nodeLeaseRenewIntervalFraction (0.25) × lease duration. */
export const LEASE_RENEW_INTERVAL_MS = 10_000;
/** nodeStatusUpdateFrequency: how often the node status is computed. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** nodeStatusReportFrequency: the longest a status may go unreported when nothing changed. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** kubelet.go: backOffPeriod, the first crash / image-pull back-off. */
export const BACKOFF_INITIAL_MS = 10_000;
/** kubelet.go: MaxContainerBackOff (and the image back-off's max). */
export const BACKOFF_MAX_MS = 300_000;
/** pod_workers.go: a failed sync is retried after wait.Jitter(backOffPeriod, 0.5). */
export const SYNC_ERROR_RETRY_MS = 10_000;
export const SYNC_ERROR_RETRY_JITTER = 0.5;
/** pleg/generic.go: relistPeriod; container exits are noticed at the next relist. */
export const PLEG_RELIST_PERIOD_MS = 1_000;
/** kuberuntime_container.go: minimumGracePeriodInSeconds passed to StopContainer. */
export const MIN_GRACE_PERIOD_SECONDS = 2;
/** DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** The sandbox (infra) image of containerd 2.0 / Kubernetes 1.33. */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
export const PAUSE_IMAGE_SIZE_BYTES = 320_368;
/** kubelet_node_status.go: maxImagesInNodeStatus. */
export const MAX_IMAGES_IN_NODE_STATUS = 50;

/** Durations the kubelet draws (each a fixed value or a uniform range), in ms. */
export interface KubeletTimings {
  /** RunPodSandbox: pause container, network namespace, CNI (timing.sandboxCreate). */
  sandboxCreate: DurationRange;
  /** Pulling an image that is not on the node (timing.imagePull; an image's own `pull` wins). */
  imagePull: DurationRange;
  /** A pull that fails (manifest resolution), unless the image gives `pull`. */
  imagePullFail: DurationRange;
  /** A pull of an image already on the node (policy Always): only the manifest is checked. */
  imageRepull: DurationRange;
  /** CreateContainer + StartContainer, from `Created` to `Started` (timing.containerStart). */
  containerStart: DurationRange;
  /** From SIGTERM until a process that handles it exits (timing.containerStop; an image's `terminate` wins). */
  containerStop: DurationRange;
  /** An exec or httpGet lifecycle hook (sleep hooks take their own seconds). */
  hook: DurationRange;
  /** How often the node status is computed (timing.nodeStatusUpdateFrequency). */
  nodeStatusUpdateFrequencyMs: number;
  /** Unchanged status is still reported this often: 5 min, or the update frequency when that is set. */
  nodeStatusReportFrequencyMs: number;
}

const fixed = (ms: number): DurationRange => ({ minMs: ms, maxMs: ms });
const range = (minMs: number, maxMs: number): DurationRange => ({ minMs, maxMs });

/** The kubelet's timings: the scenario's overrides over kubesim's defaults (documented in the README). */
export function resolveTimings(timing: Timing): KubeletTimings {
  const update = timing.nodeStatusUpdateFrequency;
  const updateMs = update ? update.minMs : NODE_STATUS_UPDATE_FREQUENCY_MS;
  return {
    sandboxCreate: timing.sandboxCreate ?? range(300, 1_000),
    imagePull: timing.imagePull ?? range(1_000, 3_000),
    imagePullFail: range(500, 1_000),
    imageRepull: range(200, 500),
    containerStart: timing.containerStart ?? range(200, 500),
    containerStop: timing.containerStop ?? fixed(100),
    hook: fixed(100),
    nodeStatusUpdateFrequencyMs: updateMs,
    // defaults.go: the report frequency follows an explicitly set update frequency.
    nodeStatusReportFrequencyMs: update ? updateMs : NODE_STATUS_REPORT_FREQUENCY_MS,
  };
}

/** Draws a duration from a range (a fixed range draws nothing, so it never shifts the stream). */
export function draw(rng: Rng, r: DurationRange): number {
  return r.minMs === r.maxMs ? r.minMs : rng.intBetween(r.minMs, r.maxMs);
}

/** wait.Jitter(d, factor): d plus up to factor × d, uniformly. */
export function jitterMs(rng: Rng, baseMs: number, factor: number): number {
  return baseMs + Math.floor(rng.next() * factor * baseMs);
}
