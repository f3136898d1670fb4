/**
 * The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault):
 * a claim created without a class gets the default StorageClass. An apiserver plugin, registered
 * by the PV controller's start-up in kubesim since both belong to storage.
 */
import type { ApiServer } from "../../api/apiserver.js";
import type { KubeObject, Mutable, PersistentVolumeClaim, StorageClass } from "../../api/types.js";
import { claimHasClass, defaultClass } from "./helpers.js";

/** Admit: on CREATE of a PersistentVolumeClaim with no class (not even ""), set the default one if any. */
export function admitDefaultStorageClass(api: ApiServer, op: "CREATE" | "UPDATE", obj: KubeObject): void {
  if (op !== "CREATE" || obj.kind !== "PersistentVolumeClaim") return;
  const claim = obj as Mutable<PersistentVolumeClaim>;
  if (claimHasClass(claim)) return;
  const name = defaultClass(api.list<StorageClass>("StorageClass"))?.metadata?.name;
  if (name) (claim.spec ??= {}).storageClassName = name;
}
