/**
 * The kubelet's volume manager, as far as starting a pod needs it (pkg/kubelet/volumemanager:
 * WaitForAttachAndMount, the desired-state populator, the reconciler's mounts): SyncPod goes no
 * further than ContainerCreating until every volume the containers use is mounted.
 */
import type { Volume } from "kubernetes-types/core/v1.js";
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret } from "../api/types.js";
import type { PodWorker } from "./pod-worker.js";

/** volume_manager.go: podAttachAndMountTimeout. */
export const POD_ATTACH_AND_MOUNT_TIMEOUT_MS = 120_000;
/** volume_manager.go: podAttachAndMountRetryInterval (the wait's poll; the first poll is at once). */
export const POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS = 300;
/** exponentialbackoff: a failed mount is retried after 500 ms, doubling up to 2 min 2 s. */
export const MOUNT_BACKOFF_INITIAL_MS = 500;
export const MOUNT_BACKOFF_MAX_MS = 122_000;

// Simplification: mounts are attempted at the wait's 300 ms polls (the reconciler runs every 100 ms,
// also between waits); nothing is attachable, so `unattached volumes` is always empty; a mounted
// volume stays mounted for the pod's life.

interface MountState {
  readonly volume: Volume;
  mounted: boolean;
  failures: number;
  nextAttemptMs: number;
}

// The state of a pod whose volumes are all mounted (most pods, all their life): nothing is kept.
const ALL_MOUNTED: readonly MountState[] = Object.freeze([]);

/** GetPodVolumeNames: the volumes some container mounts or maps as a device, sorted. */
export function volumesInUse(pod: Pod): string[] {
  const spec = pod.spec;
  if (!spec?.volumes?.length) return [];
  const used = new Set<string>();
  const containers = [
    ...(spec.initContainers ?? []),
    ...spec.containers,
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const c of containers) {
    for (const m of c.volumeMounts ?? []) used.add(m.name);
    for (const d of (c as { volumeDevices?: { name: string }[] }).volumeDevices ?? []) used.add(d.name);
  }
  return spec.volumes
    .filter((v) => used.has(v.name))
    .map((v) => v.name)
    .sort();
}

/** The volumes of one pod on this node and their mount state. */
export class PodVolumes {
  /** The volumes in use, sorted by name, each with its mount state; dropped once all are mounted. */
  private states: readonly MountState[] = ALL_MOUNTED;

  constructor(private readonly w: PodWorker) {
    if (!w.pod.spec?.volumes?.length) return;
    const names = new Set(volumesInUse(w.pod));
    const inUse = (w.pod.spec?.volumes ?? [])
      .filter((v) => names.has(v.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    // map() allocates exactly: a filtered array keeps spare capacity.
    if (inUse.length > 0)
      this.states = inUse.map((volume) => ({ volume, mounted: false, failures: 0, nextAttemptMs: 0 }));
  }

  /** Every volume in use is mounted (true at once for a pod that uses none). */
  get mounted(): boolean {
    for (const s of this.states) if (!s.mounted) return false;
    // A mounted volume stays mounted for the pod's life: its state need not be kept.
    this.states = ALL_MOUNTED;
    return true;
  }

  /**
   * WaitForAttachAndMount: polls every 300 ms (first at once) until every volume is mounted, then
   * `onMounted`. A claim that cannot be processed ends the wait with a FailedMount event; two
   * minutes end it without one (SyncPod skips the event when `wait.Interrupted(err)`, and a
   * timeout is an interruption). Either way `onError` follows, and the pod worker retries the sync later.
   */
  wait(onMounted: () => void, onError: () => void): void {
    const w = this.w;
    const deadlineMs = w.kubelet.nowMs + POD_ATTACH_AND_MOUNT_TIMEOUT_MS;
    const epoch = w.epoch;
    let first = true;
    const poll = (nowMs: number) => {
      if (epoch !== w.epoch) return;
      if (!first) {
        const failed = this.processAndMount(nowMs);
        if (failed) {
          w.kubelet.event(w.pod, "Warning", "FailedMount", `Unable to attach or mount volumes: ${failed}`);
          onError();
          return;
        }
      }
      first = false;
      if (this.mounted) onMounted();
      else if (nowMs + POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS > deadlineMs) {
        // No event, but the pod worker logs the failed sync: the timeline shows it as a step.
        const why = this.waitError([], "context deadline exceeded");
        w.kubelet.step(w.pod, "SyncPod", `Error syncing pod, skipping: ${why}`);
        onError();
      } else w.timers.after(POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS, poll);
    };
    poll(w.kubelet.nowMs);
  }

  // One populator pass (claims resolved to volumes) and the reconciler's due mounts. Returns the
  // wait's error when some claim could not be processed.
  private processAndMount(nowMs: number): string | undefined {
    const errors: string[] = [];
    const unprocessed: string[] = [];
    for (const st of this.states) {
      const v = st.volume;
      if (st.mounted) continue;
      const spec = this.volumeSpec(v);
      if (spec.error !== undefined) {
        if (!errors.includes(spec.error)) errors.push(spec.error);
        unprocessed.push(v.name);
        continue;
      }
      if (nowMs >= st.nextAttemptMs) this.mount(v, spec.name, st, nowMs);
    }
    return errors.length === 0 ? undefined : this.waitError(unprocessed, errors.sort().join("; "));
  }

  /** WaitForAttachAndMount's error: what is not mounted, what could not be processed, and why. */
  private waitError(unprocessed: readonly string[], cause: string): string {
    const unmounted = this.states.filter((s) => !s.mounted).map((s) => s.volume.name);
    return (
      `unmounted volumes=[${unmounted.join(" ")}], unattached volumes=[], ` +
      `failed to process volumes=[${unprocessed.join(" ")}]: ${cause}`
    );
  }

  // The reconciler's MountVolume; `specName` is the volume's name in messages (a claim's is its PV's).
  private mount(v: Volume, specName: string, st: MountState, nowMs: number): void {
    const w = this.w;
    const why = this.setUpError(v);
    if (why === undefined) {
      st.mounted = true;
      w.kubelet.step(w.pod, "MountVolume", `MountVolume.SetUp succeeded for volume "${specName}"`);
      return;
    }
    st.failures++;
    st.nextAttemptMs =
      nowMs + Math.min(MOUNT_BACKOFF_INITIAL_MS * 2 ** (st.failures - 1), MOUNT_BACKOFF_MAX_MS);
    w.kubelet.event(
      w.pod,
      "Warning",
      "FailedMount",
      `MountVolume.SetUp failed for volume "${specName}" : ${why}`,
    );
  }

  // createVolumeSpec: a claim must be Bound to a volume bound back to it (getPVCExtractPV, getPVSpec).
  private volumeSpec(v: Volume): { name: string; error?: undefined } | { error: string } {
    const claimName =
      v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${this.w.name}-${v.name}` : undefined);
    if (claimName === undefined) return { name: v.name };
    const r = this.claimVolume(claimName);
    return "error" in r ? { error: `error processing PVC ${this.w.namespace}/${claimName}: ${r.error}` } : r;
  }

  private claimVolume(claimName: string): { name: string } | { error: string } {
    const api = this.w.kubelet.cluster.api;
    const pvc = api.get<PersistentVolumeClaim>("PersistentVolumeClaim", this.w.namespace, claimName);
    if (!pvc)
      return {
        error: `failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`,
      };
    if (pvc.metadata.deletionTimestamp) return { error: "PVC is being deleted" };
    if (pvc.status?.phase !== "Bound") return { error: "PVC is not bound" };
    const pvName = pvc.spec?.volumeName;
    if (!pvName) return { error: "PVC has empty pvc.Spec.VolumeName" };
    const pv = api.get<PersistentVolume>("PersistentVolume", undefined, pvName);
    if (!pv)
      return {
        error: `failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`,
      };
    const ref = pv.spec?.claimRef;
    if (!ref) {
      return {
        error: `found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`,
      };
    }
    if (ref.uid !== pvc.metadata.uid) {
      return {
        error: `found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${ref.uid ?? ""} does not point to claim.UID ${pvc.metadata.uid}`,
      };
    }
    return { name: pvName };
  }

  // SetUp: secret and configMap volumes need their object and every key their items name (unless
  // optional: then a missing object is empty and a missing key is skipped); the rest always mount.
  private setUpError(v: Volume): string | undefined {
    if (v.secret)
      return this.payloadError("Secret", v.secret.secretName ?? "", v.secret.items, v.secret.optional);
    if (v.configMap)
      return this.payloadError("ConfigMap", v.configMap.name ?? "", v.configMap.items, v.configMap.optional);
    if (v.projected) {
      const errs: string[] = [];
      for (const s of v.projected.sources ?? []) {
        const e = s.secret
          ? this.payloadError("Secret", s.secret.name ?? "", s.secret.items, s.secret.optional)
          : s.configMap
            ? this.payloadError("ConfigMap", s.configMap.name ?? "", s.configMap.items, s.configMap.optional)
            : undefined;
        if (e) errs.push(e);
      }
      // utilerrors.NewAggregate: one error as itself, several in brackets.
      return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
    }
    return undefined;
  }

  // The object from the kubelet's watch-based secret/configmap manager (NotFound names the singular
  // resource), then MakePayload's check of `items[].key` (pkg/volume/secret, pkg/volume/configmap).
  private payloadError(
    kind: "Secret" | "ConfigMap",
    name: string,
    items: readonly { key: string }[] | undefined,
    optional: boolean | undefined,
  ): string | undefined {
    const obj = this.w.kubelet.cluster.api.get<Secret | ConfigMap>(kind, this.w.namespace, name);
    if (!obj)
      return optional ? undefined : `${kind === "Secret" ? "secret" : "configmap"} "${name}" not found`;
    if (optional) return undefined;
    for (const it of items ?? []) {
      if (hasKey(kind, obj, it.key)) continue;
      return kind === "Secret"
        ? `references non-existent secret key: ${it.key}`
        : `configmap references non-existent config key: ${it.key}`;
    }
    return undefined;
  }
}

// A Secret's keys are its data (stringData, if stored, too); a ConfigMap's its data and binaryData.
function hasKey(kind: "Secret" | "ConfigMap", obj: Secret | ConfigMap, key: string): boolean {
  if (kind === "Secret") {
    const s = obj as Secret;
    return Object.hasOwn(s.data ?? {}, key) || Object.hasOwn(s.stringData ?? {}, key);
  }
  const cm = obj as ConfigMap;
  return Object.hasOwn(cm.data ?? {}, key) || Object.hasOwn(cm.binaryData ?? {}, key);
}

/**
 * The pod worker's part: while the wait runs the worker is busy; mounted, `then` continues the sync
 * (the sandbox); otherwise the sync is retried after the usual back-off.
 */
export function waitForVolumes(w: PodWorker, then: () => void): void {
  w.busy = true;
  w.volumes.wait(
    () => {
      w.busy = false;
      then();
    },
    () => {
      w.busy = false;
      w.requestSync(w.errorRetryAt());
    },
  );
}
