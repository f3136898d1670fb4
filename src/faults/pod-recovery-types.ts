/** What the pod-fault tracker records of container crashes and image-pull faults, and of the pods they hit. */

/** A container crash or OOM kill injected into one pod. */
export interface ContainerFaultTrack {
  kind: "container";
  type: "container-crash" | "oom";
  /** `namespace/name` and uid of the pod when the fault began. */
  podKey: string;
  uid: string;
  container: string;
  /** The pod's node when the fault began. */
  node?: string;
  exitCode: number;
  reason: string;
  sinceMs: number;
  /** Every start crashes until healed (`for:` or a later `heal:`), rather than once. */
  lasting: boolean;
  healedMs?: number;
  /** The container's ID in the status when a lasting fault healed: a run started before it may still crash. */
  containerIdAtHeal?: string;
  /** The process was running when the fault began (and was killed). */
  killed: boolean;
  /** The container's restartCount when the fault began. */
  restartsBefore: number;
  restartsNow: number;
  /** The pod's Ready condition left True (or was not True at the first write after the fault). */
  notReadyMs?: number;
  /** Ready again (after the heal, for a lasting fault). */
  recoveredMs?: number;
  /** The pod object went away (or got a deletionTimestamp) before it was Ready again. */
  deletedMs?: number;
}

/** One pod that could not pull the faulty image. */
export interface BlockedPod {
  key: string;
  uid: string;
  /** First ErrImagePull / ImagePullBackOff seen while the fault was active. */
  blockedMs: number;
  recoveredMs?: number;
  deletedMs?: number;
}

/** Pulls of one image (on one node, or on all) fail while the fault lasts. */
export interface ImageFaultTrack {
  kind: "image";
  id: number;
  /** As the scenario gave it, and normalised (`docker.io/library/nginx:1.27`). */
  image: string;
  normalized: string;
  node?: string;
  sinceMs: number;
  healedMs?: number;
  /** Blocked pods by uid, in the order they were first blocked. */
  pods: Map<string, BlockedPod>;
}

export type PodFaultTrack = ContainerFaultTrack | ImageFaultTrack;
