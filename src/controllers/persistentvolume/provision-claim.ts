/**
 * The PV controller's side of dynamic provisioning (pv_controller.go: provisionClaim,
 * findProvisionablePlugin, provisionClaimOperationExternal): it names the provisioner on the claim
 * and says it is waiting; an external provisioner (provisioner.ts) creates the volume.
 */
import type { PersistentVolumeClaim, Stored } from "../../api/types.js";
import type { PersistentVolumeController } from "./controller.js";
import { ANN_BETA_STORAGE_PROVISIONER, ANN_STORAGE_PROVISIONER, claimClass } from "./helpers.js";

// Simplification: v1.33 has no in-tree provisioner left that kubesim models; every provisioner is external.

/** In-tree provisioner names whose volumes CSI drivers provision now (CSI migration, GA). */
const MIGRATED: Readonly<Record<string, string>> = {
  "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
  "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
  "kubernetes.io/azure-disk": "disk.csi.azure.com",
  "kubernetes.io/azure-file": "file.csi.azure.com",
  "kubernetes.io/cinder": "cinder.csi.openstack.org",
  "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
};

/**
 * The external provisioner that serves a class's `provisioner`: its CSI driver for a migrated
 * in-tree name, the name itself for any other that is not `kubernetes.io/…`; undefined when none
 * can (`kubernetes.io/no-provisioner`, unknown in-tree names).
 */
export function externalProvisionerName(provisioner: string): string | undefined {
  if (Object.hasOwn(MIGRATED, provisioner)) return MIGRATED[provisioner];
  return provisioner.startsWith("kubernetes.io/") ? undefined : provisioner;
}

/** The ExternalProvisioning event's message (wording of v1.28+). */
export function externalProvisioningMessage(provisioner: string): string {
  return (
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' ` +
    "or manually by the system administrator. If volume creation is delayed, please verify that " +
    "the provisioner is running and correctly registered."
  );
}

/** provisionClaim: annotate the claim with its provisioner and report that it waits for it (every sync). */
export function provisionClaim(c: PersistentVolumeController, claim: Stored<PersistentVolumeClaim>): void {
  const className = claimClass(claim);
  const sc = c.storageClass(className);
  if (!sc) {
    c.event(claim, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`);
    return;
  }
  const provisioner = externalProvisionerName(sc.provisioner);
  if (provisioner === undefined) {
    c.event(claim, "Warning", "ProvisioningFailed", `no volume plugin matched name: ${sc.provisioner}`);
    return;
  }
  let current = claim;
  // setClaimProvisioner: both annotations, written once.
  if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
    current = c.ctx.api.mutate<PersistentVolumeClaim>(
      "PersistentVolumeClaim",
      claim.metadata.namespace,
      claim.metadata.name,
      (d) => {
        d.metadata!.annotations = {
          ...d.metadata!.annotations,
          [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
          [ANN_STORAGE_PROVISIONER]: provisioner,
        };
      },
    );
  }
  c.event(current, "Normal", "ExternalProvisioning", externalProvisioningMessage(provisioner));
}
