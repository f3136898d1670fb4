/**
 * The PersistentVolume an external provisioner creates for a claim: named `pvc-<claim uid>`,
 * pre-bound to the claim, with the class's reclaim policy, and reachable from the node the
 * scheduler chose (a local path on that node, or a disk in its zone).
 */
import type { NodeSelectorTerm } from "kubernetes-types/core/v1.js";
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass, Stored } from "../../api/types.js";
import { claimReference } from "./binding.js";
import { ANN_DYNAMICALLY_PROVISIONED } from "./helpers.js";

const HOSTNAME_LABEL = "kubernetes.io/hostname";
const ZONE_LABEL = "topology.kubernetes.io/zone";

/** getProvisionedVolumeNameForClaim. */
export function provisionedVolumeName(claim: Stored<PersistentVolumeClaim>): string {
  return `pvc-${claim.metadata.uid}`;
}

/** Node-local provisioners (local-path, hostpath) put the volume in a directory of the chosen node. */
export function isNodeLocalProvisioner(provisioner: string): boolean {
  const p = provisioner.toLowerCase();
  return p.includes("local") || p.includes("hostpath");
}

// Simplification: topology comes from the chosen node only (hostname for node-local provisioners,
// else its zone label); StorageClass allowedTopologies are not used to place Immediate volumes.
function affinityTerm(provisioner: string, node: Stored<Node> | undefined): NodeSelectorTerm | undefined {
  if (!node) return undefined;
  const labels = node.metadata.labels ?? {};
  if (isNodeLocalProvisioner(provisioner)) {
    const host = labels[HOSTNAME_LABEL] ?? node.metadata.name;
    return { matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [host] }] };
  }
  const zone = labels[ZONE_LABEL];
  return zone ? { matchExpressions: [{ key: ZONE_LABEL, operator: "In", values: [zone] }] } : undefined;
}

function volumeSource(provisioner: string, claim: Stored<PersistentVolumeClaim>): Record<string, unknown> {
  const pvName = provisionedVolumeName(claim);
  if (isNodeLocalProvisioner(provisioner)) {
    const dir = `${pvName}_${claim.metadata.namespace}_${claim.metadata.name}`;
    return { hostPath: { path: `/var/local-path-provisioner/${dir}`, type: "DirectoryOrCreate" } };
  }
  return { csi: { driver: provisioner, volumeHandle: pvName, fsType: "ext4" } };
}

/** The volume `provisioner` creates for `claim` of class `sc`, placed for `node` (WaitForFirstConsumer). */
export function provisionedVolume(
  provisioner: string,
  claim: Stored<PersistentVolumeClaim>,
  sc: Stored<StorageClass>,
  node: Stored<Node> | undefined,
): PersistentVolume {
  const term = affinityTerm(provisioner, node);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: provisionedVolumeName(claim),
      annotations: { [ANN_DYNAMICALLY_PROVISIONED]: provisioner },
    },
    spec: {
      accessModes: [...(claim.spec?.accessModes ?? [])],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? "0" },
      claimRef: claimReference(claim),
      ...(sc.mountOptions?.length ? { mountOptions: [...sc.mountOptions] } : {}),
      ...(term ? { nodeAffinity: { required: { nodeSelectorTerms: [term] } } } : {}),
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
      storageClassName: sc.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? "Filesystem",
      ...volumeSource(provisioner, claim),
    },
  };
}
