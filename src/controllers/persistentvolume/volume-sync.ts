/**
 * syncVolume (pv_controller.go): an unclaimed volume is Available; a volume whose claim is gone is
 * Released and reclaimed by its policy (Retain keeps it, Delete deletes it); a binding half made
 * is handed to the claim's sync.
 */
import type { PersistentVolume, PersistentVolumeClaim, Stored } from "../../api/types.js";
import { unbindVolume, updateVolumePhase, updateVolumePhaseWithEvent } from "./binding.js";
import type { PersistentVolumeController } from "./controller.js";
import { ANN_DYNAMICALLY_PROVISIONED, volumeModeMismatch } from "./helpers.js";

type Volume = Stored<PersistentVolume>;
type Claim = Stored<PersistentVolumeClaim>;

/** syncVolume. */
export function syncVolume(c: PersistentVolumeController, volume: Volume): void {
  const ref = volume.spec?.claimRef;
  // Unused, or pre-bound by the user to a claim whose sync will bind it.
  if (!ref?.uid) {
    updateVolumePhase(c, volume, "Available");
    return;
  }
  let claim = c.ctx.api.get<PersistentVolumeClaim>("PersistentVolumeClaim", ref.namespace, ref.name ?? "");
  // A claim of the same name but another uid: the one the volume was bound to is gone.
  if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
  if (!claim) {
    releaseAndReclaim(c, volume);
    return;
  }
  const volumeName = claim.spec?.volumeName ?? "";
  if (volumeName === "") {
    if (volumeModeMismatch(claim, volume)) {
      volumeModeEvents(c, volume, claim);
      return;
    }
    // Bound volume, Pending claim (a provisioned volume, or a half-made binding): the claim's sync binds it.
    c.claimQueue.add(`${claim.metadata.namespace}/${claim.metadata.name}`);
    return;
  }
  if (volumeName === volume.metadata.name) {
    updateVolumePhase(c, volume, "Bound");
    return;
  }
  // The claim went to another volume.
  const provisioned = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined;
  if (provisioned && volume.spec?.persistentVolumeReclaimPolicy === "Delete") releaseAndReclaim(c, volume);
  else unbindVolume(c, volume);
}

function volumeModeEvents(c: PersistentVolumeController, volume: Volume, claim: Claim): void {
  c.event(
    volume,
    "Warning",
    "VolumeMismatch",
    `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
  );
  c.event(
    claim,
    "Warning",
    "VolumeMismatch",
    `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
  );
}

// Released (once; a Failed volume keeps its phase, so the user sees what went wrong), then reclaimed.
function releaseAndReclaim(c: PersistentVolumeController, volume: Volume): void {
  let v = volume;
  const phase = v.status?.phase;
  if (phase !== "Released" && phase !== "Failed") v = updateVolumePhase(c, v, "Released");
  reclaimVolume(c, v);
}

/** Volume sources whose deletion an external (CSI) deleter owns: in-tree cloud disks are migrated to CSI. */
const EXTERNAL_SOURCES = [
  "csi",
  "awsElasticBlockStore",
  "gcePersistentDisk",
  "azureDisk",
  "azureFile",
  "cinder",
  "vsphereVolume",
  "portworxVolume",
];

/**
 * reclaimVolume + deleteVolumeOperation. Retain: nothing. Delete: a provisioned or CSI volume is
 * left to its external deleter (provisioner.ts); a hostPath under /tmp is deleted here; any other
 * in-tree source has no deleter, and the volume is Failed.
 */
function reclaimVolume(c: PersistentVolumeController, volume: Volume): void {
  // Simplification: no kubernetes.io/pv-controller deletion finalizer (HonorPVReclaimPolicy) on volumes.
  // Simplification: Recycle (deprecated) is treated as Retain: no recycler pod is modelled.
  if (volume.spec?.persistentVolumeReclaimPolicy !== "Delete") return;
  const spec = (volume.spec ?? {}) as Record<string, unknown>;
  const external =
    volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined ||
    EXTERNAL_SOURCES.some((s) => spec[s] !== undefined && spec[s] !== null);
  if (external) return;
  const hostPath = volume.spec?.hostPath?.path;
  let failure: string;
  if (hostPath !== undefined) {
    // The hostPath deleter is for development only: it removes nothing outside /tmp.
    if (/\/tmp\/.+/.test(hostPath)) {
      c.ctx.api.delete("PersistentVolume", undefined, volume.metadata.name);
      return;
    }
    failure = `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`;
  } else {
    failure = `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`;
  }
  updateVolumePhaseWithEvent(c, volume, "Failed", "VolumeFailedDelete", failure);
}
