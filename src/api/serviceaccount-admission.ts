/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go): a new pod
 * gets `serviceAccountName: default` and, unless automount is off, the projected
 * `kube-api-access-xxxxx` volume mounted read-only at the service account path in every container.
 */
import type { Container, Volume } from "kubernetes-types/core/v1.js";
import type { SimContext } from "./context.js";
import { ApiError } from "./errors.js";
import { GENERATED_SUFFIX_LENGTH, NAME_ALPHABET } from "./names.js";
import type { KubeObject, Mutable, Pod, ServiceAccount } from "./types.js";

/** DefaultServiceAccountName. */
export const DEFAULT_SERVICE_ACCOUNT = "default";
/** DefaultAPITokenMountPath. */
export const API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** ServiceAccountVolumeName's prefix. */
export const API_ACCESS_VOLUME_PREFIX = "kube-api-access-";
/** The root CA ConfigMap every namespace gets (root-ca-cert-publisher). */
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
/** The bound token's lifetime: one hour plus the 7 s the plugin adds (warnafter / legacy token expiry). */
export const TOKEN_EXPIRATION_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/** The projected volume the plugin adds (TokenVolumeSource). */
export function apiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
    },
  };
}

/** Whether the token is mounted: the pod's setting wins, then the ServiceAccount's, then true. */
export function shouldAutomount(pod: Pod, sa: ServiceAccount | undefined): boolean {
  return pod.spec?.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
}

/** Registers the plugin (pods on CREATE only; mirror pods are left alone). */
export function registerServiceAccountAdmission(ctx: SimContext): void {
  const rng = ctx.rng.fork("serviceaccount-admission");
  ctx.api.addAdmission((op, obj) => {
    if (op !== "CREATE" || obj.kind !== "Pod") return;
    const pod = obj as Mutable<Pod> & KubeObject;
    if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    admitPod(ctx, pod, () => rng.string(GENERATED_SUFFIX_LENGTH, NAME_ALPHABET));
  });
}

// The ServiceAccount must exist (Forbidden otherwise; its controller retries); then the token
// volume and, for a pod without any, the ServiceAccount's imagePullSecrets.
function admitPod(ctx: SimContext, pod: Mutable<Pod>, suffix: () => string): void {
  const spec = pod.spec;
  if (!spec) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
  const ns = pod.metadata?.namespace ?? "default";
  const name = spec.serviceAccountName;
  const sa = ctx.api.get<ServiceAccount>("ServiceAccount", ns, name);
  if (!sa) {
    throw new ApiError(
      "Forbidden",
      `pods "${pod.metadata?.name ?? ""}" is forbidden: error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`,
    );
  }
  if (shouldAutomount(pod as Pod, sa)) mountToken(spec, suffix);
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length)
    spec.imagePullSecrets = sa.imagePullSecrets.map((r) => ({ name: r.name ?? "" }));
}

// mountServiceAccountToken: reuse an existing kube-api-access volume, else add one; mount it where
// no container already mounts something at the token path.
function mountToken(spec: Mutable<NonNullable<Pod["spec"]>>, suffix: () => string): void {
  const containers = [...(spec.initContainers ?? []), ...spec.containers] as Mutable<Container>[];
  const needs = containers.filter(
    (c) => !(c.volumeMounts ?? []).some((m) => m.mountPath === API_TOKEN_MOUNT_PATH),
  );
  if (needs.length === 0) return;
  const volumes = (spec.volumes ??= []);
  let name = volumes.find((v) => v.name.startsWith(API_ACCESS_VOLUME_PREFIX))?.name;
  if (name === undefined) {
    name = API_ACCESS_VOLUME_PREFIX + suffix();
    volumes.push(apiAccessVolume(name) as Mutable<Volume>);
  }
  for (const c of needs) {
    c.volumeMounts ??= [];
    c.volumeMounts.push({ name, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH });
  }
}
