/**
 * kubectl, client side: carries out a parsed `kubectl ...` command against the apiserver at its
 * scenario time, and returns what kubectl would print (or its error). Controllers that act on the
 * result (rollouts, evictions) are modelled elsewhere; this file is only the client.
 */

import type { ApiServer } from "../api/apiserver.js";
import { deepCopy } from "../api/copy.js";
import { ApiError } from "../api/errors.js";
import { type KindInfo, qualifiedResource, resolveResource } from "../api/kinds.js";
import { parseSelector } from "../api/labels.js";
import { applyMergePatch, jsonEqual } from "../api/merge-patch.js";
import type {
  Deployment,
  KubeObject,
  Mutable,
  ObjectMeta,
  ReplicaSet,
  StatefulSet,
  Stored,
} from "../api/types.js";
import type { KubectlCommand } from "../scenario/types.js";
import { drainPods, type KubectlStep } from "./drain.js";
import { deploymentRolloutStatus, statefulSetRolloutStatus } from "./rollout-status.js";

/** What kubectl printed; a command that keeps running (drain) continues through `followUp`. */
export type KubectlResult = KubectlStep;

type Any = Record<string, any>;

/** Thrown for client-side errors; printed as `error: <message>`. */
class KubectlError extends Error {}

/** `deployment.apps/web`, as kubectl names an object in its output. */
function ref(info: KindInfo, name: string): string {
  return `${info.group ? `${info.singular}.${info.group}` : info.singular}/${name}`;
}

interface Target {
  info: KindInfo;
  name: string;
  namespace: string;
}

function parseTarget(args: string[], namespace: string): { target: Target; rest: string[] } {
  const first = args[0];
  if (!first) throw new KubectlError("you must specify the type of resource and a name");
  let kindText = first;
  let name: string | undefined;
  let rest: string[];
  if (first.includes("/")) {
    [kindText, name] = first.split("/", 2) as [string, string];
    rest = args.slice(1);
  } else {
    name = args[1];
    rest = args.slice(2);
  }
  const info = resolveResource(kindText);
  if (!info) throw new KubectlError(`the server doesn't have a resource type "${kindText}"`);
  if (!name) throw new KubectlError(`resource(s) were provided, but no name was specified`);
  return { target: { info, name, namespace: info.namespaced ? namespace : "" }, rest };
}

/** How kubectl prints an apiserver error: `The Deployment "web" is invalid: …` for Invalid. */
export function kubectlApiError(e: ApiError): string {
  return e.reason === "Invalid" ? `The ${e.message}` : `Error from server (${e.reason}): ${e.message}`;
}

/** Runs one kubectl command; never throws for Kubernetes-level failures. */
export function runKubectl(api: ApiServer, cmd: KubectlCommand): KubectlResult {
  try {
    if (cmd.verb === "drain") return drain(api, cmd);
    return { output: dispatch(api, cmd) };
  } catch (e) {
    if (e instanceof ApiError) return { error: kubectlApiError(e) };
    if (e instanceof KubectlError) return { error: `error: ${e.message}` };
    throw e;
  }
}

function dispatch(api: ApiServer, cmd: KubectlCommand): string {
  const ns = cmd.flags.namespace ?? cmd.flags.n ?? "default";
  switch (cmd.verb) {
    case "apply":
    case "create":
      return applyObjects(api, cmd.objects ?? [], ns, cmd.verb === "create");
    case "delete":
      return deleteCmd(api, cmd, ns);
    case "scale":
      return scale(api, cmd, ns);
    case "set":
      return setImage(api, cmd, ns);
    case "patch":
    case "edit":
      return patch(api, cmd, ns);
    case "rollout":
      return rollout(api, cmd, ns);
    case "cordon":
    case "uncordon":
      return cordon(api, cmd.args[0] ?? "", cmd.verb === "cordon");
    case "label":
    case "annotate":
      return labelOrAnnotate(api, cmd, ns);
    default:
      throw new KubectlError(`unknown command "${cmd.verb}" for "kubectl"`);
  }
}

function applyObjects(api: ApiServer, objects: KubeObject[], ns: string, createOnly: boolean): string {
  const lines: string[] = [];
  for (const obj of objects) {
    const info = resolveResource(obj.kind ?? "");
    if (!info) throw new KubectlError(`no matches for kind "${obj.kind}"`);
    const name = obj.metadata?.name ?? "";
    const namespace = info.namespaced ? obj.metadata?.namespace || ns : undefined;
    const withNs = { ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } };
    const existing = name ? api.get(info.kind, namespace, name) : undefined;
    if (!existing || createOnly) {
      const created = api.create(withNs);
      lines.push(`${ref(info, created.metadata.name)} created`);
      continue;
    }
    // Simplification: apply replaces the fields the manifest sets (no three-way strategic merge).
    const next = applyMergePatch(existing, {
      metadata: { labels: withNs.metadata.labels ?? null, annotations: withNs.metadata.annotations ?? null },
      spec: obj.spec ?? null,
    }) as Any;
    next.spec = obj.spec;
    for (const k of Object.keys(obj) as (keyof KubeObject)[]) {
      if (k !== "metadata" && k !== "spec" && k !== "status" && k !== "apiVersion" && k !== "kind")
        next[k] = obj[k];
    }
    if (jsonEqual(next.spec, existing.spec) && jsonEqual(next.metadata.labels, existing.metadata.labels)) {
      lines.push(`${ref(info, name)} unchanged`);
      continue;
    }
    api.update({
      ...next,
      metadata: { ...next.metadata, resourceVersion: existing.metadata.resourceVersion },
    });
    lines.push(`${ref(info, name)} configured`);
  }
  return lines.join("\n");
}

function deleteCmd(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const force = cmd.flags.force === "true";
  const grace = cmd.flags["grace-period"] !== undefined ? Number(cmd.flags["grace-period"]) : undefined;
  const cascade = cmd.flags.cascade ?? "background";
  const policy = cascade === "orphan" ? "Orphan" : cascade === "foreground" ? "Foreground" : "Background";
  const gracePeriodSeconds = force && (grace === undefined || grace === 0) ? 0 : grace;
  const targets = deleteTargets(api, cmd, ns);
  if (targets.length === 0) return `No resources found in ${ns} namespace.`;
  const lines: string[] = [];
  if (gracePeriodSeconds === 0 && force) {
    lines.push(
      "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.",
    );
  }
  for (const target of targets) {
    api.delete(target.info.kind, target.namespace, target.name, {
      gracePeriodSeconds,
      propagationPolicy: policy,
    });
    const what = `${target.info.group ? `${target.info.singular}.${target.info.group}` : target.info.singular} "${target.name}"`;
    lines.push(`${what} ${gracePeriodSeconds === 0 && force ? "force deleted" : "deleted"}`);
  }
  return lines.join("\n");
}

/** `delete KIND/NAME...`, `delete KIND NAME...` or `delete KIND -l SELECTOR`. */
function deleteTargets(api: ApiServer, cmd: KubectlCommand, ns: string): Target[] {
  const selector = cmd.flags.selector ?? cmd.flags.l;
  if (selector !== undefined) {
    const info = resolveResource(cmd.kind ?? cmd.args[0] ?? "");
    if (!info) throw new KubectlError(`the server doesn't have a resource type "${cmd.args[0]}"`);
    const sel = parseSelector(selector);
    return api
      .list(info.kind, { ...(info.namespaced ? { namespace: ns } : {}), selector: sel })
      .map((o) => ({ info, name: o.metadata.name, namespace: info.namespaced ? ns : "" }));
  }
  if (cmd.targets && cmd.targets.length > 0) {
    return cmd.targets.map((t) => {
      const info = resolveResource(t.kind);
      if (!info) throw new KubectlError(`the server doesn't have a resource type "${t.kind}"`);
      return { info, name: t.name, namespace: info.namespaced ? ns : "" };
    });
  }
  return [parseTarget(cmd.args, ns).target];
}

function scale(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const { target } = parseTarget(cmd.args, ns);
  const replicas = Number(cmd.flags.replicas);
  if (cmd.flags.replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
    throw new KubectlError(
      "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
    );
  }
  if (!["Deployment", "ReplicaSet", "StatefulSet"].includes(target.info.kind)) {
    throw new KubectlError(`cannot scale ${target.info.plural}`);
  }
  api.patch(target.info.kind, target.namespace, target.name, { spec: { replicas } });
  return `${ref(target.info, target.name)} scaled`;
}

function setImage(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const args = cmd.args[0] === "image" ? cmd.args.slice(1) : cmd.args;
  const { target, rest } = parseTarget(args, ns);
  const obj = api.get(target.info.kind, target.namespace, target.name);
  if (!obj) throw new ApiError("NotFound", `${qualifiedResource(target.info)} "${target.name}" not found`);
  const pairs = rest.map((p) => p.split("=", 2) as [string, string]);
  const next = deepCopy(obj) as Any;
  const podSpec = target.info.kind === "Pod" ? next.spec : next.spec?.template?.spec;
  for (const [cname, image] of pairs) {
    const all = [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])];
    const matched = cname === "*" ? all : all.filter((c: Any) => c.name === cname);
    if (matched.length === 0) throw new KubectlError(`unable to find container named "${cname}"`);
    for (const c of matched) c.image = image;
  }
  if (jsonEqual(next.spec, obj.spec)) return `${ref(target.info, target.name)} image updated`;
  api.update(next);
  return `${ref(target.info, target.name)} image updated`;
}

function patch(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const { target } = parseTarget(cmd.args, ns);
  const body = cmd.patch;
  if (body === undefined) throw new KubectlError("must specify -p to patch");
  const before = api.get(target.info.kind, target.namespace, target.name);
  const after = api.patch(target.info.kind, target.namespace, target.name, body);
  const verb = cmd.verb === "edit" ? "edited" : "patched";
  return `${ref(target.info, target.name)} ${before === after ? `${verb} (no change)` : verb}`;
}

function cordon(api: ApiServer, name: string, on: boolean): string {
  const node = api.get("Node", undefined, name);
  if (!node) throw new ApiError("NotFound", `nodes "${name}" not found`);
  const already = ((node.spec as Any)?.unschedulable === true) === on;
  if (already) return `node/${name} already ${on ? "cordoned" : "uncordoned"}`;
  api.patch("Node", undefined, name, { spec: { unschedulable: on ? true : null } });
  return `node/${name} ${on ? "cordoned" : "uncordoned"}`;
}

/** `kubectl drain NODE`: cordon, then evict through the Eviction API (src/cluster/drain.ts). */
function drain(api: ApiServer, cmd: KubectlCommand): KubectlResult {
  const name = cmd.args[0] ?? "";
  return drainPods(api, cmd, name, cordon(api, name, true));
}

function labelOrAnnotate(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const { target, rest } = parseTarget(cmd.args, ns);
  const field = cmd.verb === "label" ? "labels" : "annotations";
  const change: Record<string, string | null> = {};
  const obj = api.get(target.info.kind, target.namespace, target.name);
  if (!obj) throw new ApiError("NotFound", `${qualifiedResource(target.info)} "${target.name}" not found`);
  const current = (obj.metadata as Any)[field] ?? {};
  for (const kv of rest) {
    if (kv.endsWith("-")) change[kv.slice(0, -1)] = null;
    else {
      const [k, v] = kv.split("=", 2) as [string, string | undefined];
      if (v === undefined)
        throw new KubectlError(
          `at least one ${cmd.verb === "label" ? "label" : "annotation"} update is required`,
        );
      if (current[k] !== undefined && current[k] !== v && cmd.flags.overwrite !== "true") {
        throw new KubectlError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
      }
      change[k] = v;
    }
  }
  api.patch(target.info.kind, target.namespace, target.name, { metadata: { [field]: change } });
  return `${ref(target.info, target.name)} ${cmd.verb === "label" ? "labeled" : "annotated"}`;
}

function rollout(api: ApiServer, cmd: KubectlCommand, ns: string): string {
  const sub = cmd.args[0] ?? "";
  const { target } = parseTarget(cmd.args.slice(1), ns);
  const obj = api.get(target.info.kind, target.namespace, target.name);
  if (!obj) throw new ApiError("NotFound", `${qualifiedResource(target.info)} "${target.name}" not found`);
  const id = ref(target.info, target.name);
  switch (sub) {
    case "pause":
    case "resume": {
      const paused = (obj.spec as Any)?.paused === true;
      if (target.info.kind !== "Deployment") throw new KubectlError(`${id} ${sub}ing is not supported`);
      if (paused === (sub === "pause"))
        throw new KubectlError(
          `${qualifiedResource(target.info)} "${target.name}" is ${sub === "pause" ? "already paused" : "not paused"}`,
        );
      api.patch("Deployment", target.namespace, target.name, {
        spec: { paused: sub === "pause" ? true : null },
      });
      return `${id} ${sub === "pause" ? "paused" : "resumed"}`;
    }
    case "restart": {
      if ((obj.spec as Any)?.paused)
        throw new KubectlError(`can't restart paused deployment (run rollout resume first)`);
      const at = api.clock.time(api.engine.nowMs);
      api.patch(target.info.kind, target.namespace, target.name, {
        spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } },
      });
      return `${id} restarted`;
    }
    case "undo":
      return undo(api, obj as Stored<Deployment>, Number(cmd.flags["to-revision"] ?? "0"), id);
    case "status":
      if (target.info.kind === "Deployment")
        return deploymentRolloutStatus(obj as Stored<Deployment>).message;
      if (target.info.kind === "StatefulSet")
        return statefulSetRolloutStatus(obj as Stored<StatefulSet>).message;
      throw new KubectlError(`no status viewer has been implemented for ${target.info.kind}`);
    case "history":
      return rolloutHistory(api, obj as Stored<Deployment>, id);
    default:
      throw new KubectlError(`unknown command "${sub}" for "kubectl rollout"`);
  }
}

const SKIPPED_ANNOTATIONS = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

/** The Deployment's ReplicaSets (controlled by it), each with its revision number. */
export function ownedReplicaSets(
  api: ApiServer,
  d: Stored<Deployment>,
): { rs: Stored<ReplicaSet>; revision: number }[] {
  return api
    .list<ReplicaSet>("ReplicaSet", { namespace: d.metadata.namespace, ownerUid: d.metadata.uid })
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid && r.controller))
    .map((rs) => ({
      rs,
      revision: Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? "NaN"),
    }))
    .filter((x) => Number.isInteger(x.revision));
}

/** kubectl's client-side rollback (polymorphichelpers/rollback.go: DeploymentRollbacker.Rollback). */
function undo(api: ApiServer, d: Stored<Deployment>, toRevision: number, id: string): string {
  const history = ownedReplicaSets(api, d);
  let chosen: Stored<ReplicaSet> | undefined;
  if (toRevision > 0) {
    chosen = history.find((h) => h.revision === toRevision)?.rs;
    if (!chosen) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  } else {
    const sorted = [...history].sort((a, b) => b.revision - a.revision);
    chosen = sorted[1]?.rs;
    if (!chosen) throw new KubectlError(`no rollout history found for deployment "${d.metadata.name}"`);
  }
  if (d.spec?.paused) {
    throw new KubectlError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  const template = deepCopy(chosen.spec?.template ?? {}) as Any;
  if (template.metadata?.labels) delete template.metadata.labels["pod-template-hash"];
  // kubectl prints the revision it was asked for (0 when none was given).
  if (jsonEqual(template, d.spec?.template)) {
    return `${id} skipped rollback (current template already matches revision ${toRevision})`;
  }
  // The patch replaces the annotations: the Deployment's own bookkeeping ones, plus the revision's.
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {}))
    if (SKIPPED_ANNOTATIONS.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(chosen.metadata.annotations ?? {}))
    if (!SKIPPED_ANNOTATIONS.has(k)) annotations[k] = v;
  api.mutate<Deployment>("Deployment", d.metadata.namespace, d.metadata.name, (draft) => {
    (draft.spec as Any).template = template;
    (draft.metadata as Mutable<ObjectMeta>).annotations = annotations;
  });
  return `${id} rolled back`;
}

function rolloutHistory(api: ApiServer, d: Stored<Deployment>, id: string): string {
  const rows = ownedReplicaSets(api, d).sort((a, b) => a.revision - b.revision);
  const lines = [id, "REVISION  CHANGE-CAUSE"];
  for (const h of rows) {
    const cause = h.rs.metadata.annotations?.["kubernetes.io/change-cause"] ?? "<none>";
    lines.push(`${String(h.revision).padEnd(10)}${cause}`);
  }
  return lines.join("\n");
}
