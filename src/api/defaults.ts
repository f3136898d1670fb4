/** API defaulting: the SetDefaults_* functions of core/v1, apps/v1, storage/v1 and discovery/v1, applied in place. */
import { canonicalQuantity } from "./quantity.js";
import type {
  Container,
  Deployment,
  KubeObject,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  PodTemplateSpec,
  ReplicaSet,
  Secret,
  Service,
  StatefulSet,
  StorageClass,
} from "./types.js";

// Objects arrive as parsed YAML, so every nested value is checked before it is used.
type Obj = Record<string, unknown>;
// Narrows to a plain object while keeping the declared type of a typed field.
const isObj = <T>(v: T): v is T & Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

/** Default file mode of Secret, ConfigMap, DownwardAPI and projected volumes (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;
/** terminationGracePeriodSeconds when unset. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** The scheduler a pod gets when it names none. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

const IMAGE_TAG_RE = /^[\w][\w.-]{0,127}$/;

/**
 * The tag parsers.ParseImageName reports: the explicit tag, "" for a digest without a tag,
 * "latest" when neither is given, and "" when the reference does not parse.
 */
export function imageTag(image: string): string {
  if (image.length === 0 || image !== image.trim()) return "";
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const path = colon > slash ? named.slice(0, colon) : named;
  // Repository path components are lowercase; a registry host (first component) may not be.
  const firstSlash = path.indexOf("/");
  const repo =
    firstSlash >= 0 && /[.:]|^localhost$/.test(path.slice(0, firstSlash)) ? path.slice(firstSlash + 1) : path;
  if (repo.length === 0 || repo !== repo.toLowerCase()) return "";
  if (colon > slash) {
    const tag = named.slice(colon + 1);
    return IMAGE_TAG_RE.test(tag) ? tag : "";
  }
  return at >= 0 ? "" : "latest";
}

/** SetDefaults_Container's pull policy: Always for `:latest` or an untagged image, else IfNotPresent. */
export function defaultImagePullPolicy(image: string): "Always" | "IfNotPresent" {
  return imageTag(image) === "latest" ? "Always" : "IfNotPresent";
}

// SetDefaults_ResourceList: every quantity is rounded up to milli precision and, as a Quantity
// always is when serialised, printed in canonical form (`0.5` → `500m`). Malformed values are
// left for validation to report.
function defaultResourceList(rl: unknown): void {
  if (!isObj(rl)) return;
  for (const key of Object.keys(rl)) {
    const v = rl[key];
    if (typeof v !== "string" && typeof v !== "number") continue;
    const c = canonicalQuantity(v);
    if (c !== undefined && c !== v) rl[key] = c;
  }
}

function defaultHandler(h: unknown): void {
  if (!isObj(h) || !isObj(h.httpGet)) return;
  // SetDefaults_HTTPGetAction
  h.httpGet.path ??= "/";
  h.httpGet.scheme ??= "HTTP";
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  defaultHandler(p);
  // SetDefaults_Probe replaces zero as well as unset, since Go cannot tell them apart.
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
}

function defaultContainer(c: Container): void {
  if (!isObj(c)) return;
  c.imagePullPolicy ||= defaultImagePullPolicy(typeof c.image === "string" ? c.image : "");
  c.terminationMessagePath ||= "/dev/termination-log";
  c.terminationMessagePolicy ||= "File";
  for (const port of list(c.ports)) if (isObj(port)) port.protocol ||= "TCP";
  for (const env of list(c.env)) {
    const ref = isObj(env) && isObj(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
    if (isObj(ref)) ref.apiVersion ||= "v1";
  }
  if (isObj(c.resources)) {
    defaultResourceList(c.resources.limits);
    defaultResourceList(c.resources.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCES_WITH_MODE = ["secret", "configMap", "downwardAPI", "projected"] as const;

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  const sources = Object.keys(v).filter((k) => k !== "name" && v[k] !== null && v[k] !== undefined);
  // SetDefaults_Volume: a volume with no source is an emptyDir.
  if (sources.length === 0) v.emptyDir = {};
  for (const k of VOLUME_SOURCES_WITH_MODE) {
    const src = v[k];
    if (isObj(src)) src.defaultMode ??= DEFAULT_VOLUME_MODE;
  }
  if (isObj(v.hostPath)) v.hostPath.type ??= "";
}

/** SetDefaults_PodSpec plus the generated defaults of everything a pod spec contains. */
export function defaultPodSpec(spec: PodSpec): void {
  if (!isObj(spec)) return;
  spec.dnsPolicy ||= "ClusterFirst";
  spec.restartPolicy ||= "Always";
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  for (const c of list(spec.initContainers)) defaultContainer(c);
  for (const c of list(spec.containers)) defaultContainer(c);
  for (const v of list(spec.volumes)) defaultVolume(v);
  if (isObj(spec.overhead)) defaultResourceList(spec.overhead);
}

function requestsFromLimits(c: Container): void {
  if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits)) return;
  const requests = isObj(c.resources.requests) ? c.resources.requests : {};
  const missing = Object.entries(c.resources.limits).filter(([k]) => !Object.hasOwn(requests, k));
  if (missing.length > 0) c.resources.requests = { ...requests, ...Object.fromEntries(missing) };
}

function defaultPod(pod: Pod): void {
  if (!isObj(pod.spec)) return;
  const spec = pod.spec;
  defaultPodSpec(spec);
  // SetDefaults_Pod, not SetDefaults_PodSpec: only a Pod (never a template) gets requests from limits.
  for (const c of list(spec.containers)) requestsFromLimits(c);
  for (const c of list(spec.initContainers)) requestsFromLimits(c);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork === true) {
    for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
      for (const p of list(c?.ports)) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  // Not a default but the pod registry strategy (v1.27+): a negative grace period becomes 1.
  if (typeof spec.terminationGracePeriodSeconds === "number" && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
}

function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (isObj(t) && isObj(t.spec)) defaultPodSpec(t.spec);
}

function defaultDeployment(d: Deployment): void {
  if (!isObj(d.spec)) return;
  const spec = d.spec;
  spec.replicas ??= 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  spec.strategy.type ||= "RollingUpdate";
  if (spec.strategy.type === "RollingUpdate") {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
    spec.strategy.rollingUpdate.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

function defaultReplicaSet(rs: ReplicaSet): void {
  if (!isObj(rs.spec)) return;
  rs.spec.replicas ??= 1;
  defaultTemplate(rs.spec.template);
}

function defaultClaimTemplate(pvc: unknown): void {
  if (!isObj(pvc)) return;
  defaultPersistentVolumeClaim(pvc as PersistentVolumeClaim);
}

function defaultStatefulSet(sts: StatefulSet): void {
  if (!isObj(sts.spec)) return;
  const spec = sts.spec;
  spec.podManagementPolicy ||= "OrderedReady";
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = "RollingUpdate";
    spec.updateStrategy.rollingUpdate ??= {};
  }
  const ru = spec.updateStrategy.rollingUpdate;
  // maxUnavailable is defaulted only with the MaxUnavailableStatefulSet gate, alpha (off) in v1.33.
  if (spec.updateStrategy.type === "RollingUpdate" && isObj(ru)) ru.partition ??= 0;
  // StatefulSetAutoDeletePVC is GA since v1.32, so the retention policy is always defaulted.
  if (!isObj(spec.persistentVolumeClaimRetentionPolicy)) spec.persistentVolumeClaimRetentionPolicy = {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= "Retain";
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= "Retain";
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
  for (const pvc of list(spec.volumeClaimTemplates)) defaultClaimTemplate(pvc);
}

function isExternallyAccessible(spec: Obj): boolean {
  return (
    spec.type === "LoadBalancer" ||
    spec.type === "NodePort" ||
    (spec.type === "ClusterIP" && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (!isObj(spec)) return;
  spec.sessionAffinity ||= "None";
  if (spec.sessionAffinity === "None" && spec.sessionAffinityConfig !== undefined)
    delete spec.sessionAffinityConfig;
  // An incomplete ClientIP config is replaced whole, with the 3-hour default timeout.
  if (
    spec.sessionAffinity === "ClientIP" &&
    typeof spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== "number"
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ||= "ClusterIP";
  for (const p of list(spec.ports)) {
    if (!isObj(p)) continue;
    p.protocol ||= "TCP";
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === "") {
      p.targetPort = p.port;
    }
  }
  if (isExternallyAccessible(spec as Obj)) spec.externalTrafficPolicy ||= "Cluster";
  if (spec.type === "NodePort" || spec.type === "LoadBalancer" || spec.type === "ClusterIP") {
    spec.internalTrafficPolicy ??= "Cluster";
  }
  if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
}

function statusOf(obj: KubeObject): Obj {
  if (!isObj(obj.status)) obj.status = {};
  return obj.status as Obj;
}

function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  statusOf(pvc as KubeObject).phase ||= "Pending";
  if (!isObj(pvc.spec)) return;
  pvc.spec.volumeMode ??= "Filesystem";
  if (isObj(pvc.spec.resources)) {
    defaultResourceList(pvc.spec.resources.requests);
    defaultResourceList(pvc.spec.resources.limits);
  }
}

function defaultPersistentVolume(pv: PersistentVolume): void {
  statusOf(pv as KubeObject).phase ||= "Pending";
  if (!isObj(pv.spec)) return;
  pv.spec.persistentVolumeReclaimPolicy ||= "Retain";
  pv.spec.volumeMode ??= "Filesystem";
  defaultResourceList(pv.spec.capacity);
}

function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name;
  // SetDefaults_Namespace: every named namespace carries its own name as a label.
  const labels = ns.metadata?.labels;
  if (typeof name === "string" && name.length > 0 && labels?.["kubernetes.io/metadata.name"] !== name) {
    ns.metadata!.labels = { ...(isObj(labels) ? labels : {}), "kubernetes.io/metadata.name": name };
  }
  statusOf(ns as KubeObject).phase ||= "Active";
}

function defaultNode(node: Node): void {
  if (!isObj(node.status)) return;
  defaultResourceList(node.status.capacity);
  defaultResourceList(node.status.allocatable);
  // SetDefaults_NodeStatus: allocatable defaults to capacity.
  if (node.status.allocatable === undefined && isObj(node.status.capacity)) {
    node.status.allocatable = { ...node.status.capacity };
  }
}

function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= "Delete";
  sc.volumeBindingMode ??= "Immediate";
}

function defaultEndpointPorts(ports: unknown): void {
  for (const p of list(ports as Obj[])) {
    if (!isObj(p)) continue;
    p.protocol ??= "TCP";
  }
}

function defaultEndpoints(obj: KubeObject): void {
  for (const subset of list((obj as unknown as Obj).subsets as Obj[]))
    if (isObj(subset)) defaultEndpointPorts(subset.ports);
}

function defaultEndpointSlice(obj: KubeObject): void {
  // discovery/v1 SetDefaults_EndpointPort: name "" and protocol TCP.
  for (const p of list((obj as unknown as Obj).ports as Obj[])) {
    if (!isObj(p)) continue;
    p.name ??= "";
    p.protocol ??= "TCP";
  }
}

const DEFAULTERS: Record<string, (obj: KubeObject) => void> = {
  Pod: (o) => defaultPod(o as Pod),
  Deployment: (o) => defaultDeployment(o as Deployment),
  ReplicaSet: (o) => defaultReplicaSet(o as ReplicaSet),
  StatefulSet: (o) => defaultStatefulSet(o as StatefulSet),
  Service: (o) => defaultService(o as Service),
  PersistentVolumeClaim: (o) => defaultPersistentVolumeClaim(o as PersistentVolumeClaim),
  PersistentVolume: (o) => defaultPersistentVolume(o as PersistentVolume),
  StorageClass: (o) => defaultStorageClass(o as StorageClass),
  Namespace: (o) => defaultNamespace(o as Namespace),
  Node: (o) => defaultNode(o as Node),
  Secret: (o) => {
    (o as Secret).type ||= "Opaque";
  },
  Endpoints: defaultEndpoints,
  EndpointSlice: defaultEndpointSlice,
};

/**
 * Applies Kubernetes' API defaults for the object's kind, mutating a fresh plain (unfrozen)
 * object in place, as the apiserver does on create and update before validation. Fields are
 * written only when they change, so parts already defaulted (and perhaps frozen) are left alone. Kinds
 * without defaults (ConfigMap, Event, Lease, PodDisruptionBudget, ...) are left unchanged.
 */
export function applyDefaults(obj: KubeObject): void {
  if (!isObj(obj) || typeof obj.kind !== "string") return;
  const defaulter = Object.hasOwn(DEFAULTERS, obj.kind) ? DEFAULTERS[obj.kind] : undefined;
  defaulter?.(obj);
}
