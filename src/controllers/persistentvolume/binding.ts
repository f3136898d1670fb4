/**
 * The PV controller's writes (pv_controller.go: bind, bindVolumeToClaim, bindClaimToVolume,
 * updateClaimStatus, updateVolumePhase, unbindVolume): each writes only what differs, so a sync of
 * an already bound pair writes nothing.
 */
import type { ObjectReference } from "kubernetes-types/core/v1.js";
import type { Mutable, PersistentVolume, PersistentVolumeClaim, Stored } from "../../api/types.js";
import type { PersistentVolumeController } from "./controller.js";
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, isVolumeBoundToClaim } from "./helpers.js";

type Claim = Stored<PersistentVolumeClaim>;
type Volume = Stored<PersistentVolume>;

/** reference.GetReference for a claim: what pv.spec.claimRef holds. */
export function claimReference(claim: Claim): ObjectReference {
  return {
    kind: "PersistentVolumeClaim",
    namespace: claim.metadata.namespace ?? "default",
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: "v1",
    resourceVersion: claim.metadata.resourceVersion,
  };
}

/** updateVolumePhase: a status write when the phase (or message) changes; the transition time moves with it. */
export function updateVolumePhase(
  c: PersistentVolumeController,
  volume: Volume,
  phase: string,
  message = "",
): Volume {
  if (volume.status?.phase === phase) return volume;
  const ts = c.ctx.clock.time(c.ctx.engine.nowMs);
  return c.ctx.api.mutate<Mutable<PersistentVolume>>(
    "PersistentVolume",
    undefined,
    volume.metadata.name,
    (d) => {
      const st = (d.status ??= {});
      st.phase = phase;
      if (message) st.message = message;
      else if (st.message !== undefined) delete st.message;
      // PersistentVolumeLastPhaseTransitionTime (GA in v1.31): the registry stamps each phase change.
      (st as { lastPhaseTransitionTime?: string }).lastPhaseTransitionTime = ts;
    },
    { subresource: "status" },
  ) as Volume;
}

/** updateVolumePhaseWithEvent: the phase change and, only when it changed, the event. */
export function updateVolumePhaseWithEvent(
  c: PersistentVolumeController,
  volume: Volume,
  phase: string,
  reason: string,
  message: string,
): Volume {
  if (volume.status?.phase === phase) return volume;
  const next = updateVolumePhase(c, volume, phase, message);
  c.event(next, "Warning", reason, message);
  return next;
}

/**
 * updateClaimStatus: the phase; without a volume, no access modes or capacity; with one, its access
 * modes, and its capacity when the claim becomes Bound (a later difference may be a resize).
 */
export function updateClaimStatus(
  c: PersistentVolumeController,
  claim: Claim,
  phase: string,
  volume: Volume | undefined,
): Claim {
  const st = claim.status ?? {};
  const modes = volume?.spec?.accessModes;
  const capacity = volume?.spec?.capacity?.storage;
  const becoming = st.phase !== phase;
  const dirty =
    becoming ||
    (volume
      ? JSON.stringify(st.accessModes) !== JSON.stringify(modes) ||
        (becoming && st.capacity?.storage !== capacity)
      : st.accessModes !== undefined || st.capacity !== undefined);
  if (!dirty) return claim;
  return c.ctx.api.mutate<Mutable<PersistentVolumeClaim>>(
    "PersistentVolumeClaim",
    claim.metadata.namespace,
    claim.metadata.name,
    (d) => {
      const s = (d.status ??= {});
      s.phase = phase;
      if (!volume) {
        delete s.accessModes;
        delete s.capacity;
        return;
      }
      if (modes) s.accessModes = [...modes];
      if (becoming && capacity !== undefined) s.capacity = { ...volume.spec?.capacity };
    },
    { subresource: "status" },
  ) as Claim;
}

/** updateClaimStatusWithEvent: the status and the event, only when the phase changes. */
export function updateClaimStatusWithEvent(
  c: PersistentVolumeController,
  claim: Claim,
  phase: string,
  reason: string,
  message: string,
): Claim {
  if (claim.status?.phase === phase) return claim;
  const next = updateClaimStatus(c, claim, phase, undefined);
  c.event(next, "Warning", reason, message);
  return next;
}

/** GetBindVolumeToClaim + save: claimRef to the claim; bound-by-controller unless the user pre-bound it. */
function bindVolumeToClaim(c: PersistentVolumeController, volume: Volume, claim: Claim): Volume {
  const ref = volume.spec?.claimRef;
  const setRef =
    !ref ||
    ref.name !== claim.metadata.name ||
    ref.namespace !== claim.metadata.namespace ||
    ref.uid !== claim.metadata.uid;
  const setAnn =
    !isVolumeBoundToClaim(volume, claim) &&
    volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined;
  if (!setRef && !setAnn) return volume;
  return c.ctx.api.mutate<Mutable<PersistentVolume>>(
    "PersistentVolume",
    undefined,
    volume.metadata.name,
    (d) => {
      if (setRef) (d.spec ??= {}).claimRef = claimReference(claim);
      if (setAnn) d.metadata!.annotations = { ...d.metadata!.annotations, [ANN_BOUND_BY_CONTROLLER]: "yes" };
    },
  ) as Volume;
}

/** bindClaimToVolume: spec.volumeName, bound-by-controller (when the controller chose) and bind-completed. */
function bindClaimToVolume(c: PersistentVolumeController, claim: Claim, volume: Volume): Claim {
  const ann = claim.metadata.annotations ?? {};
  const shouldBind = claim.spec?.volumeName !== volume.metadata.name;
  const setBoundBy = shouldBind && ann[ANN_BOUND_BY_CONTROLLER] === undefined;
  const setCompleted = ann[ANN_BIND_COMPLETED] === undefined;
  if (!shouldBind && !setCompleted) return claim;
  return c.ctx.api.mutate<Mutable<PersistentVolumeClaim>>(
    "PersistentVolumeClaim",
    claim.metadata.namespace,
    claim.metadata.name,
    (d) => {
      if (shouldBind) (d.spec ??= {}).volumeName = volume.metadata.name;
      const a = { ...d.metadata!.annotations };
      if (setBoundBy) a[ANN_BOUND_BY_CONTROLLER] = "yes";
      if (setCompleted) a[ANN_BIND_COMPLETED] = "yes";
      d.metadata!.annotations = a;
    },
  ) as Claim;
}

/** bind: volume first (claimRef, then phase Bound), then the claim (volumeName, then phase Bound). */
export function bind(c: PersistentVolumeController, volume: Volume, claim: Claim): void {
  let v = bindVolumeToClaim(c, volume, claim);
  v = updateVolumePhase(c, v, "Bound");
  const bound = bindClaimToVolume(c, claim, v);
  updateClaimStatus(c, bound, "Bound", v);
}

/**
 * unbindVolume: undo a binding that lost (the claim went to another volume). A controller binding
 * is removed; a user's pre-binding keeps its name but loses the uid. The volume is Available again.
 */
export function unbindVolume(c: PersistentVolumeController, volume: Volume): void {
  const byController = volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined;
  const next = c.ctx.api.mutate<Mutable<PersistentVolume>>(
    "PersistentVolume",
    undefined,
    volume.metadata.name,
    (d) => {
      const spec = (d.spec ??= {});
      if (byController) {
        delete spec.claimRef;
        const a = { ...d.metadata!.annotations };
        delete a[ANN_BOUND_BY_CONTROLLER];
        if (Object.keys(a).length > 0) d.metadata!.annotations = a;
        else delete d.metadata!.annotations;
      } else if (spec.claimRef) spec.claimRef.uid = "";
    },
  ) as Volume;
  updateVolumePhase(c, next, "Available");
}
