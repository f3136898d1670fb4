/**
 * syncClaim (pv_controller.go): an unbound claim is matched to a volume, or provisioned, or left
 * Pending with the event that says why; a bound claim is kept bound, or marked Lost.
 */
import type { PersistentVolume, PersistentVolumeClaim, Stored } from "../../api/types.js";
import { findBestMatchForClaim } from "./best-match.js";
import { bind, updateClaimStatus, updateClaimStatusWithEvent } from "./binding.js";
import type { PersistentVolumeController } from "./controller.js";
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  checkAccessModes,
  claimClass,
  claimHasClass,
  claimKey,
  compareVolumeSize,
  defaultClass,
  isDelayBindingMode,
  isDelayBindingProvisioning,
  isVolumeBoundToClaim,
  volumeClass,
  volumeModeMismatch,
} from "./helpers.js";
import { provisionClaim } from "./provision-claim.js";

type Claim = Stored<PersistentVolumeClaim>;
type Volume = Stored<PersistentVolume>;

/** The FailedBinding message of a claim with no volume and no class to provision from. */
export const NO_VOLUMES_NO_CLASS =
  "no persistent volumes available for this claim and no storage class is set";
/** The WaitForFirstConsumer message. */
export const WAITING_FOR_FIRST_CONSUMER = "waiting for first consumer to be created before binding";

/** syncClaim: bind-completed decides between the unbound and the bound path. */
export function syncClaim(c: PersistentVolumeController, claim: Claim): void {
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) syncUnboundClaim(c, claim);
  else syncBoundClaim(c, claim);
}

function syncUnboundClaim(c: PersistentVolumeController, claim: Claim): void {
  if (claim.spec?.volumeName) {
    syncPreboundClaim(c, claim, claim.spec.volumeName);
    return;
  }
  const delayBinding = isDelayBindingMode(claim, (n) => c.storageClass(n));
  const volume = findBestMatchForClaim(claim, c.volumes(), delayBinding);
  if (volume) {
    bind(c, volume, claim);
    return;
  }
  if (assignDefaultStorageClass(c, claim)) return;
  if (delayBinding && !isDelayBindingProvisioning(claim)) emitEventForUnboundDelayBindingClaim(c, claim);
  else if (claimClass(claim) !== "") {
    // The claim is updated by the (asynchronous) provisioning; binding continues in a later sync.
    provisionClaim(c, claim);
    return;
  } else c.event(claim, "Normal", "FailedBinding", NO_VOLUMES_NO_CLASS);
  updateClaimStatus(c, claim, "Pending", undefined);
}

/** The user named a volume in spec.volumeName. */
function syncPreboundClaim(c: PersistentVolumeController, claim: Claim, volumeName: string): void {
  const volume = c.ctx.api.get<PersistentVolume>("PersistentVolume", undefined, volumeName);
  if (!volume) {
    // The requested volume does not exist (yet): retry at the next sync.
    updateClaimStatus(c, claim, "Pending", undefined);
    return;
  }
  if (!volume.spec?.claimRef) {
    const why = checkVolumeSatisfyClaim(volume, claim);
    if (why === undefined) bind(c, volume, claim);
    else {
      c.event(claim, "Warning", "VolumeMismatch", `Cannot bind to requested volume "${volumeName}": ${why}`);
      updateClaimStatus(c, claim, "Pending", undefined);
    }
    return;
  }
  if (isVolumeBoundToClaim(volume, claim)) {
    bind(c, volume, claim);
    return;
  }
  c.event(claim, "Warning", "FailedBinding", `volume "${volumeName}" already bound to a different claim.`);
  // A claim the controller bound cannot get here unless someone removed bind-completed; it stays as it is.
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    updateClaimStatus(c, claim, "Pending", undefined);
  }
}

/** checkVolumeSatisfyClaim: why a volume named by the claim cannot serve it (undefined: it can). */
export function checkVolumeSatisfyClaim(volume: Volume, claim: Claim): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (compareVolumeSize(volume, claim) < 0) return "requested PV is too small";
  if (volumeClass(volume) !== claimClass(claim)) return "storageClassName does not match";
  if (volumeModeMismatch(claim, volume)) return "incompatible volumeMode";
  if (!checkAccessModes(claim, volume)) return "incompatible accessMode";
  return undefined;
}

function syncBoundClaim(c: PersistentVolumeController, claim: Claim): void {
  const name = claim.spec?.volumeName;
  if (!name) {
    const lost = "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!";
    updateClaimStatusWithEvent(c, claim, "Lost", "ClaimLost", lost);
    return;
  }
  const volume = c.ctx.api.get<PersistentVolume>("PersistentVolume", undefined, name);
  if (!volume) {
    const lost = "Bound claim has lost its PersistentVolume. Data on the volume is lost!";
    updateClaimStatusWithEvent(c, claim, "Lost", "ClaimLost", lost);
    return;
  }
  const ref = volume.spec?.claimRef;
  // Unbound volume (or a binding this controller has not seen finished): bind again; bound to us: all is well.
  if (!ref || ref.uid === claim.metadata.uid) bind(c, volume, claim);
  else {
    const misbound = "Two claims are bound to the same volume, this one is bound incorrectly";
    updateClaimStatusWithEvent(c, claim, "Lost", "ClaimMisbound", misbound);
  }
}

/**
 * assignDefaultStorageClass (retroactive default class, GA in v1.28): a claim created without a
 * class, before any default class existed, gets the default class now. True when it was updated.
 */
function assignDefaultStorageClass(c: PersistentVolumeController, claim: Claim): boolean {
  if (claimHasClass(claim)) return false;
  const def = defaultClass(c.storageClasses());
  const name = def?.metadata?.name;
  if (!name) return false;
  c.ctx.api.mutate<PersistentVolumeClaim>(
    "PersistentVolumeClaim",
    claim.metadata.namespace,
    claim.metadata.name,
    (d) => {
      (d.spec ??= {}).storageClassName = name;
    },
  );
  return true;
}

/** emitEventForUnboundDelayBindingClaim: who the claim waits for. */
function emitEventForUnboundDelayBindingClaim(c: PersistentVolumeController, claim: Claim): void {
  const pods = c.nonScheduledPodsUsing(claimKey(claim));
  if (pods.length === 0) {
    c.event(claim, "Normal", "WaitForFirstConsumer", WAITING_FOR_FIRST_CONSUMER);
    return;
  }
  const message =
    pods.length > 1
      ? `waiting for pods ${pods.join(",")} to be scheduled`
      : `waiting for pod ${pods[0]} to be scheduled`;
  c.event(claim, "Normal", "WaitForPodScheduled", message);
}
