/**
 * pvc-binding: a bound PersistentVolumeClaim names one PersistentVolume whose claimRef names it
 * back, and no two bound claims share a volume (pkg/controller/volume/persistentvolume: the
 * controller binds the volume first, claimRef, then the claim, so when a claim turns Bound its
 * volume already points at it).
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { PersistentVolume, PersistentVolumeClaim, Stored } from "../api/types.js";
import { type Invariant, type InvariantContext, objectRef } from "./types.js";

export const PVC_BINDING = "pvc-binding";

interface BoundClaim {
  key: string;
  uid: string;
}

const isBound = (c: PersistentVolumeClaim) => c.status?.phase === "Bound" && !!c.spec?.volumeName;

class PvcBinding implements Invariant {
  readonly name = PVC_BINDING;
  /** Volume name → the bound claim that names it. */
  private readonly byVolume = new Map<string, BoundClaim>();
  /** Claim uid → the volume it is bound to. */
  private readonly byClaim = new Map<string, string>();

  constructor(private readonly ctx: InvariantContext) {}

  onChange(ev: WatchEvent): void {
    if (ev.object.kind === "PersistentVolumeClaim") this.onClaim(ev as WatchEvent<PersistentVolumeClaim>);
    else if (ev.object.kind === "PersistentVolume" && ev.type !== "DELETED")
      this.onVolume(ev.object as Stored<PersistentVolume>);
  }

  private onClaim(ev: WatchEvent<PersistentVolumeClaim>): void {
    const c = ev.object;
    const uid = c.metadata.uid;
    const was = this.byClaim.get(uid);
    const bound = ev.type !== "DELETED" && isBound(c);
    const vol = bound ? c.spec!.volumeName! : undefined;
    if (was !== undefined && was !== vol) {
      this.byClaim.delete(uid);
      if (this.byVolume.get(was)?.uid === uid) this.byVolume.delete(was);
    }
    if (vol === undefined || was === vol) return;
    const key = `${c.metadata.namespace}/${c.metadata.name}`;
    const other = this.byVolume.get(vol);
    if (other && other.uid !== uid) {
      const msg = `persistentvolume ${vol} is bound to two claims: ${other.key} and ${key}`;
      this.ctx.report(PVC_BINDING, vol, msg, [
        `PersistentVolume/${vol}`,
        `PersistentVolumeClaim/${other.key}`,
        objectRef(c),
      ]);
    }
    this.byVolume.set(vol, { key, uid });
    this.byClaim.set(uid, vol);
    const pv = this.ctx.sim.api.get<PersistentVolume>("PersistentVolume", undefined, vol);
    const ref = pv?.spec?.claimRef;
    if (pv && ref && (ref.uid ? ref.uid === uid : `${ref.namespace}/${ref.name}` === key)) return;
    const why = pv
      ? `its claimRef names ${ref ? `${ref.namespace}/${ref.name}` : "no claim"}`
      : "it does not exist";
    const msg = `claim ${key} is Bound to persistentvolume ${vol}, but ${why}`;
    this.ctx.report(PVC_BINDING, key, msg, [objectRef(c), `PersistentVolume/${vol}`]);
  }

  private onVolume(pv: Stored<PersistentVolume>): void {
    const claim = this.byVolume.get(pv.metadata.name);
    const ref = pv.spec?.claimRef;
    if (!claim || !ref?.uid || ref.uid === claim.uid) return;
    const msg = `persistentvolume ${pv.metadata.name} claimRef names ${ref.namespace}/${ref.name} while claim ${claim.key} is Bound to it`;
    this.ctx.report(PVC_BINDING, pv.metadata.name, msg, [
      objectRef(pv),
      `PersistentVolumeClaim/${claim.key}`,
    ]);
  }
}

/** The pvc-binding checker. */
export function pvcBinding(ctx: InvariantContext): Invariant {
  return new PvcBinding(ctx);
}
