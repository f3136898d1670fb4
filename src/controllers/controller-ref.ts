/**
 * Adoption and release through ownerReferences (controller_ref_manager.go: AdoptPod/ReleasePod
 * and their ReplicaSet twins): a controller claims an orphan by becoming its controller owner, and
 * lets go of an object that stopped matching by removing itself.
 */
import type { ApiServer } from "../api/apiserver.js";
import { ApiError } from "../api/errors.js";
import type { KubeObject, Mutable, ObjectMeta, OwnerReference, Stored } from "../api/types.js";

/** The controller reference a workload sets on what it owns. */
export function controllerRef(owner: Stored, apiVersion: string): OwnerReference {
  return {
    apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Replaces the object's controller reference with `ref` (adopt) or removes it (release), keeping
 * non-controller owners. Undefined when the object is gone.
 */
export function setControllerRef<T extends KubeObject>(
  api: ApiServer,
  obj: Stored<T>,
  ref: OwnerReference | undefined,
): Stored<T> | undefined {
  try {
    return api.mutate<T>(obj.kind, obj.metadata.namespace, obj.metadata.name, (d) => {
      const m = d.metadata as Mutable<ObjectMeta>;
      const refs = [...(m.ownerReferences ?? []).filter((r) => !r.controller), ...(ref ? [ref] : [])];
      if (refs.length > 0) m.ownerReferences = refs as Mutable<OwnerReference>[];
      else delete m.ownerReferences;
    });
  } catch (e) {
    if (e instanceof ApiError && e.reason === "NotFound") return undefined;
    throw e;
  }
}
