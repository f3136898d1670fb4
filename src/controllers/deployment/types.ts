/** Types the Deployment controller uses (re-exported from the api layer). */

export type { DeploymentCondition } from "kubernetes-types/apps/v1.js";
export type { Deployment, ReplicaSet, Stored } from "../../api/types.js";
