/** Kubernetes object types (the kubernetes-types package), plus the shapes the store relies on. */
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";

export type { ControllerRevision, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
export type { Lease } from "kubernetes-types/coordination/v1.js";
export type {
  ConfigMap,
  Container,
  ContainerStatus,
  Endpoints,
  Event,
  Namespace,
  Node,
  NodeCondition,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodCondition,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  Secret,
  Service,
  ServiceAccount,
  Taint,
  Toleration,
} from "kubernetes-types/core/v1.js";
export type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
export type {
  LabelSelector,
  LabelSelectorRequirement,
  ObjectMeta,
  OwnerReference,
} from "kubernetes-types/meta/v1.js";
export type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
export type { StorageClass } from "kubernetes-types/storage/v1.js";

/** Any object the apiserver stores: ordinary Kubernetes JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

/** A stored object: metadata is always filled in by the apiserver. */
export type Stored<T extends KubeObject = KubeObject> = T & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; uid: string; resourceVersion: string; creationTimestamp: string };
};

/** Removes `readonly` (deeply): kubernetes-types marks server-set fields read-only, but the
 * simulated control plane is the server. Use on drafts and fresh copies only. */
export type Mutable<T> = T extends (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
