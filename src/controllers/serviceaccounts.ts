/**
 * The ServiceAccounts controller (pkg/controller/serviceaccount) and the root-ca-cert-publisher
 * (pkg/controller/certificates/rootcacertpublisher): every namespace gets the `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap; also registers the ServiceAccount admission plugin.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import {
  DEFAULT_SERVICE_ACCOUNT,
  ROOT_CA_CONFIGMAP,
  registerServiceAccountAdmission,
} from "../api/serviceaccount-admission.js";
import type { ConfigMap, KubeObject, Namespace } from "../api/types.js";

/** A stand-in for the cluster CA bundle (the simulator signs nothing). */
export const ROOT_CA_PEM = "-----BEGIN CERTIFICATE-----\nkubesim-root-ca\n-----END CERTIFICATE-----\n";

/** Starts both controllers and the admission plugin. */
export function startServiceAccounts(ctx: SimContext): void {
  registerServiceAccountAdmission(ctx);
  // Simplification: namespaces present at start are served at once (the clusters' objects predate the scenario).
  for (const ns of ctx.api.list<Namespace>("Namespace", {})) ensureNamespace(ctx, ns);
  ctx.api.watch("Namespace", (ev: WatchEvent) => {
    if (ev.type === "ADDED") ensureNamespace(ctx, ev.object as Namespace);
  });
  // Both controllers put back what is deleted (serviceAccountDeleted, the publisher's cm handlers).
  const restore = (name: string) => (ev: WatchEvent) => {
    if (ev.type !== "DELETED" || ev.object.metadata?.name !== name) return;
    const ns = ctx.api.get<Namespace>("Namespace", undefined, ev.object.metadata?.namespace ?? "");
    if (ns) ensureNamespace(ctx, ns);
  };
  ctx.api.watch("ServiceAccount", restore(DEFAULT_SERVICE_ACCOUNT));
  ctx.api.watch("ConfigMap", restore(ROOT_CA_CONFIGMAP));
}

function ensureNamespace(ctx: SimContext, ns: Namespace): void {
  const name = ns.metadata?.name;
  if (!name || ns.metadata?.deletionTimestamp) return;
  createIfMissing(ctx, {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name },
  });
  createIfMissing(ctx, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: ROOT_CA_CONFIGMAP,
      namespace: name,
      annotations: { "kubernetes.io/description": ROOT_CA_DESCRIPTION },
    },
    data: { "ca.crt": ROOT_CA_PEM },
  } as ConfigMap);
}

const ROOT_CA_DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

function createIfMissing(ctx: SimContext, obj: KubeObject): void {
  if (ctx.api.get(obj.kind ?? "", obj.metadata?.namespace, obj.metadata?.name ?? "")) return;
  try {
    ctx.api.create(obj);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}
