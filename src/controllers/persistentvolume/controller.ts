/**
 * The PersistentVolume controller (pkg/controller/volume/persistentvolume/pv_controller_base.go):
 * a claim queue and a volume queue fed by watches and by a full resync every 15 s, and an index of
 * pods by the claims they use. The sync rules are in claim-sync.ts and volume-sync.ts.
 */
import type { WatchEvent } from "../../api/apiserver.js";
import type { SimContext } from "../../api/context.js";
import type { EventType } from "../../api/events.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, Stored } from "../../api/types.js";
import { WorkQueue } from "../workqueue.js";
import { syncClaim } from "./claim-sync.js";
import { admitDefaultStorageClass } from "./default-class.js";
import { ExternalProvisioner } from "./provisioner.js";
import { syncVolume } from "./volume-sync.js";

// Simplification: the controller reads the apiserver's store, where Kubernetes keeps informer caches
// updated with its own writes; no pvc-protection or pv-protection finalizers, so a claim or volume
// in use is deleted at once.

/** --pvclaimbinder-sync-period: every claim and volume is synced again this often. */
export const PV_RESYNC_PERIOD_MS = 15_000;
/** The controller's event source. */
export const PV_CONTROLLER = "persistentvolume-controller";

/** The claims a pod's volumes name (generic ephemeral volumes use `<pod>-<volume>`). */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ""}-${v.name}`);
  }
  return out;
}

/** The PV controller of one cluster. */
export class PersistentVolumeController {
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  /** claim key → uid → the pods that use the claim (common.PodPVCIndex). */
  private readonly podsByClaim = new Map<string, Map<string, Stored<Pod>>>();
  private resyncArmed = false;

  constructor(readonly ctx: SimContext) {
    this.claimQueue = new WorkQueue(ctx.engine, (k) => this.syncClaimKey(k));
    this.volumeQueue = new WorkQueue(ctx.engine, (k) => this.syncVolumeKey(k));
    ctx.api.watch<PersistentVolumeClaim>("PersistentVolumeClaim", (ev) => this.onClaim(ev));
    ctx.api.watch<PersistentVolume>("PersistentVolume", (ev) => this.onVolume(ev));
    ctx.api.watch<Pod>("Pod", (ev) => this.onPod(ev));
  }

  /** A StorageClass by name. */
  storageClass(name: string): Stored<StorageClass> | undefined {
    return this.ctx.api.get<StorageClass>("StorageClass", undefined, name);
  }

  /** Every StorageClass. */
  storageClasses(): Stored<StorageClass>[] {
    return this.ctx.api.list<StorageClass>("StorageClass");
  }

  /** Every PersistentVolume, unordered (matching breaks its own ties). */
  volumes(): Iterable<Stored<PersistentVolume>> {
    return this.ctx.api.cache("PersistentVolume").values() as Iterable<Stored<PersistentVolume>>;
  }

  /** findNonScheduledPodsByPVC: active pods using the claim that no node has yet, by name. */
  nonScheduledPodsUsing(claimKey: string): string[] {
    const pods = this.podsByClaim.get(claimKey);
    if (!pods) return [];
    const names: string[] = [];
    for (const p of pods.values()) {
      const phase = p.status?.phase;
      if (phase === "Succeeded" || phase === "Failed" || p.spec?.nodeName) continue;
      names.push(p.metadata.name);
    }
    return names.sort();
  }

  /** Records an event from persistentvolume-controller. */
  event(obj: Stored, type: EventType, reason: string, message: string): void {
    this.ctx.events.record(obj, type, reason, message, PV_CONTROLLER);
  }

  private onClaim(ev: WatchEvent<PersistentVolumeClaim>): void {
    const claim = ev.object;
    this.claimQueue.add(`${claim.metadata.namespace}/${claim.metadata.name}`);
    // deleteClaim: the volume is synced at once, so that it is Released without waiting for the resync.
    if (ev.type === "DELETED" && claim.spec?.volumeName) this.volumeQueue.add(claim.spec.volumeName);
    this.armResync();
  }

  private onVolume(ev: WatchEvent<PersistentVolume>): void {
    const volume = ev.object;
    this.volumeQueue.add(volume.metadata.name);
    // deleteVolume: the claim is synced at once, so that it is Lost without waiting for the resync.
    const ref = volume.spec?.claimRef;
    if (ev.type === "DELETED" && ref) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
    this.armResync();
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const pod = ev.object;
    if (!pod.spec?.volumes?.length) return;
    const ns = pod.metadata.namespace ?? "default";
    for (const name of podClaimNames(pod)) {
      const key = `${ns}/${name}`;
      let pods = this.podsByClaim.get(key);
      if (ev.type === "DELETED") {
        pods?.delete(pod.metadata.uid);
        if (pods?.size === 0) this.podsByClaim.delete(key);
        continue;
      }
      if (!pods) this.podsByClaim.set(key, (pods = new Map()));
      pods.set(pod.metadata.uid, pod);
    }
  }

  private syncClaimKey(key: string): void {
    const slash = key.indexOf("/");
    const claim = this.ctx.api.get<PersistentVolumeClaim>(
      "PersistentVolumeClaim",
      key.slice(0, slash),
      key.slice(slash + 1),
    );
    if (claim) syncClaim(this, claim);
  }

  private syncVolumeKey(name: string): void {
    const volume = this.ctx.api.get<PersistentVolume>("PersistentVolume", undefined, name);
    if (volume) syncVolume(this, volume);
  }

  // The resync ticks every 15 s from time 0 while claims or volumes exist (an idle cluster schedules nothing).
  private armResync(): void {
    if (this.resyncArmed) return;
    this.resyncArmed = true;
    const now = this.ctx.engine.nowMs;
    const next = (Math.floor(now / PV_RESYNC_PERIOD_MS) + 1) * PV_RESYNC_PERIOD_MS;
    this.ctx.engine.at(next, () => this.resync());
  }

  private resync(): void {
    this.resyncArmed = false;
    const api = this.ctx.api;
    const claims = api.list<PersistentVolumeClaim>("PersistentVolumeClaim");
    for (const c of claims) this.claimQueue.add(`${c.metadata.namespace}/${c.metadata.name}`);
    const volumes = api.list<PersistentVolume>("PersistentVolume");
    for (const v of volumes) this.volumeQueue.add(v.metadata.name);
    if (claims.length > 0 || volumes.length > 0) this.armResync();
  }
}

/**
 * Starts the PV controller, the DefaultStorageClass admission plugin and kubesim's stand-in for
 * the clusters' external provisioners.
 */
export function startPersistentVolumeController(ctx: SimContext): PersistentVolumeController {
  ctx.api.addAdmission((op, obj) => admitDefaultStorageClass(ctx.api, op, obj));
  new ExternalProvisioner(ctx);
  return new PersistentVolumeController(ctx);
}
