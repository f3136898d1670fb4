/**
 * kubesim's stand-in for the cluster's external provisioners (sig-storage-lib-external-provisioner,
 * as in csi-provisioner or local-path-provisioner): it answers every provisioner name the PV
 * controller hands out, creates the volume after a provisioning delay, and deletes released
 * volumes it provisioned whose policy is Delete.
 */
import type { SimContext } from "../../api/context.js";
import { ApiError } from "../../api/errors.js";
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass, Stored } from "../../api/types.js";
import type { Rng } from "../../engine/rng.js";
import type { DurationRange } from "../../scenario/types.js";
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  claimKey,
} from "./helpers.js";
import { externalProvisionerName } from "./provision-claim.js";
import { provisionedVolume, provisionedVolumeName } from "./provisioned-volume.js";

/**
 * How long a provisioner takes to create (or delete) a volume when the scenario does not set
 * `timing.volumeProvision`: uniform 1–3 s (kubesim's choice: a cloud disk or a local directory).
 */
export const DEFAULT_VOLUME_PROVISION: DurationRange = { minMs: 1_000, maxMs: 3_000 };

// Simplification: one component serves every provisioner; its events name the provisioner as their
// source, where a real one adds its pod and a uuid. It never fails, and adds no finalizer to volumes.

/** The external provisioners of one cluster. */
export class ExternalProvisioner {
  private readonly rng: Rng;
  private readonly delay: DurationRange;
  /** Claims (by uid) being provisioned, volumes (by name) being deleted. */
  private readonly provisioning = new Set<string>();
  private readonly deleting = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.rng = ctx.rng.fork("external-provisioner");
    this.delay = ctx.scenario.timing.volumeProvision ?? DEFAULT_VOLUME_PROVISION;
    ctx.api.watch<PersistentVolumeClaim>("PersistentVolumeClaim", (ev) => {
      if (ev.type !== "DELETED") this.onClaim(ev.object);
    });
    ctx.api.watch<PersistentVolume>("PersistentVolume", (ev) => {
      if (ev.type !== "DELETED") this.onVolume(ev.object);
    });
  }

  private drawMs(): number {
    const r = this.delay;
    return r.minMs === r.maxMs ? r.minMs : this.rng.intBetween(r.minMs, r.maxMs);
  }

  /** shouldProvision: a claim naming a provisioner, not bound, and (WaitForFirstConsumer) placed. */
  private provisionerFor(
    claim: Stored<PersistentVolumeClaim>,
  ): { name: string; sc: Stored<StorageClass> } | undefined {
    const ann = claim.metadata.annotations ?? {};
    const name = ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER];
    if (!name || claim.spec?.volumeName || claim.metadata.deletionTimestamp) return undefined;
    const sc = this.ctx.api.get<StorageClass>("StorageClass", undefined, claimClass(claim));
    if (!sc || externalProvisionerName(sc.provisioner) !== name) return undefined;
    if (sc.volumeBindingMode === "WaitForFirstConsumer" && ann[ANN_SELECTED_NODE] === undefined)
      return undefined;
    return { name, sc };
  }

  private onClaim(claim: Stored<PersistentVolumeClaim>): void {
    const uid = claim.metadata.uid;
    if (this.provisioning.has(uid)) return;
    const p = this.provisionerFor(claim);
    if (!p) return;
    if (this.ctx.api.get("PersistentVolume", undefined, provisionedVolumeName(claim))) return;
    this.provisioning.add(uid);
    const message = `External provisioner is provisioning volume for claim "${claimKey(claim)}"`;
    this.ctx.events.record(claim, "Normal", "Provisioning", message, p.name);
    this.ctx.engine.after(this.drawMs(), () => this.finish(claim));
  }

  // The volume exists now: save the PV object (bound to the claim) unless the claim went away meanwhile.
  private finish(seen: Stored<PersistentVolumeClaim>): void {
    this.provisioning.delete(seen.metadata.uid);
    const api = this.ctx.api;
    const claim = api.get<PersistentVolumeClaim>(
      "PersistentVolumeClaim",
      seen.metadata.namespace,
      seen.metadata.name,
    );
    if (!claim || claim.metadata.uid !== seen.metadata.uid) return;
    const p = this.provisionerFor(claim);
    if (!p) return;
    const nodeName = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    const node = nodeName ? api.get<Node>("Node", undefined, nodeName) : undefined;
    try {
      api.create(provisionedVolume(p.name, claim, p.sc, node));
    } catch (e) {
      if (e instanceof ApiError && e.reason === "AlreadyExists") return;
      throw e;
    }
    const message = `Successfully provisioned volume ${provisionedVolumeName(claim)}`;
    this.ctx.events.record(claim, "Normal", "ProvisioningSucceeded", message, p.name);
  }

  /** shouldDelete: a Released volume this provisioner made, with policy Delete. */
  private onVolume(pv: Stored<PersistentVolume>): void {
    const name = pv.metadata.name;
    if (this.deleting.has(name) || !this.shouldDelete(pv)) return;
    this.deleting.add(name);
    this.ctx.engine.after(this.drawMs(), () => {
      this.deleting.delete(name);
      const current = this.ctx.api.get<PersistentVolume>("PersistentVolume", undefined, name);
      if (current && current.metadata.uid === pv.metadata.uid && this.shouldDelete(current)) {
        this.ctx.api.delete("PersistentVolume", undefined, name);
      }
    });
  }

  private shouldDelete(pv: Stored<PersistentVolume>): boolean {
    const by = pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    return (
      by !== undefined &&
      externalProvisionerName(by) === by &&
      pv.status?.phase === "Released" &&
      pv.spec?.persistentVolumeReclaimPolicy === "Delete"
    );
  }
}
