/** The kinds kubesim models: their group/version, resource names and scope. */

export interface KindInfo {
  kind: string;
  apiVersion: string;
  group: string;
  /** Lower-case plural resource name, e.g. `deployments`. */
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

function k(
  kind: string,
  apiVersion: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[] = [],
): KindInfo {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
  return { kind, apiVersion, group, plural, singular: kind.toLowerCase(), shortNames, namespaced };
}

export const KINDS: readonly KindInfo[] = [
  k("Namespace", "v1", "namespaces", false, ["ns"]),
  k("Node", "v1", "nodes", false, ["no"]),
  k("Pod", "v1", "pods", true, ["po"]),
  k("Service", "v1", "services", true, ["svc"]),
  k("Endpoints", "v1", "endpoints", true, ["ep"]),
  k("ConfigMap", "v1", "configmaps", true, ["cm"]),
  k("Secret", "v1", "secrets", true, []),
  k("ServiceAccount", "v1", "serviceaccounts", true, ["sa"]),
  k("PersistentVolumeClaim", "v1", "persistentvolumeclaims", true, ["pvc"]),
  k("PersistentVolume", "v1", "persistentvolumes", false, ["pv"]),
  k("Event", "v1", "events", true, ["ev"]),
  k("Lease", "coordination.k8s.io/v1", "leases", true, []),
  k("ReplicaSet", "apps/v1", "replicasets", true, ["rs"]),
  k("Deployment", "apps/v1", "deployments", true, ["deploy"]),
  k("StatefulSet", "apps/v1", "statefulsets", true, ["sts"]),
  k("ControllerRevision", "apps/v1", "controllerrevisions", true, []),
  k("EndpointSlice", "discovery.k8s.io/v1", "endpointslices", true, []),
  k("StorageClass", "storage.k8s.io/v1", "storageclasses", false, ["sc"]),
  k("PodDisruptionBudget", "policy/v1", "poddisruptionbudgets", true, ["pdb"]),
];

const BY_KIND = new Map<string, KindInfo>(KINDS.map((i) => [i.kind, i]));
const BY_NAME = new Map<string, KindInfo>();
for (const i of KINDS) {
  for (const n of [i.kind.toLowerCase(), i.plural, i.singular, ...i.shortNames]) BY_NAME.set(n, i);
  if (i.group) BY_NAME.set(`${i.plural}.${i.group}`, i);
}

/** Info for a kind name such as `Deployment`; undefined if kubesim does not model it. */
export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
}

/** Resolves what a user types after `kubectl get`: `deploy`, `pods`, `statefulset`, `rs.apps`... */
export function resolveResource(name: string): KindInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** `Deployment.apps` / `Pod` — the qualified kind used in apiserver messages. */
export function qualifiedKind(info: KindInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

/** `deployments.apps` / `pods` — the resource name used in NotFound / AlreadyExists messages. */
export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}
