/** `kubesim describe`: run to a simulated time and print what `kubectl describe` would show then. */
import { type KindInfo, qualifiedResource } from "../../src/api/kinds.js";
import type { Event, KubeObject } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import { type DescribeSources, describeNeeds, describeObject } from "../../src/report/kubectl/index.js";
import { EXIT, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster } from "../options.js";
import { parseRequests } from "./get.js";

export interface DescribeOptions {
  files: string[];
  atMs?: number;
  seed?: number;
  namespace?: string;
  allNamespaces: boolean;
  /** `--show-events`; undefined when not given (kubectl then shows events for a single object only). */
  showEvents?: boolean;
}

/** The objects to describe and the errors kubectl would report for the ones that are missing. */
interface Found {
  objects: KubeObject[];
  errors: string[];
}

function notFound(info: KindInfo, name: string): string {
  return `Error from server (NotFound): ${qualifiedResource(info)} "${name}" not found`;
}

function listKind(cluster: Cluster, info: KindInfo, opts: DescribeOptions): KubeObject[] {
  const scoped = info.namespaced && !opts.allNamespaces;
  return cluster.api.list(info.kind, scoped ? { namespace: opts.namespace ?? "default" } : {});
}

function find(cluster: Cluster, args: readonly string[], opts: DescribeOptions): Found {
  const found: Found = { objects: [], errors: [] };
  for (const { info, names } of parseRequests(args)) {
    if (names === undefined) {
      found.objects.push(...listKind(cluster, info, opts));
      continue;
    }
    for (const name of names) {
      const obj = cluster.api.get(info.kind, opts.namespace ?? "default", name);
      if (obj) found.objects.push(obj);
      else found.errors.push(notFound(info, name));
    }
  }
  return found;
}

/** The objects a describer reads besides the object, listed from the apiserver (describeNeeds). */
function sourcesFor(cluster: Cluster, obj: KubeObject, showEvents: boolean): DescribeSources {
  const api = cluster.api;
  const kind = obj.kind ?? "";
  const namespace = obj.metadata?.namespace;
  const needs = describeNeeds(kind);
  const sources: DescribeSources = {};
  // Events of a namespaced object live in its namespace; a cluster-scoped one's are searched everywhere.
  if (showEvents) sources.events = api.list<Event>("Event", namespace ? { namespace } : {});
  if (needs.replicaSets) sources.replicaSets = api.list("ReplicaSet", { namespace });
  if (needs.pods) {
    sources.pods =
      kind === "Node" ? api.list("Pod", { nodeName: obj.metadata?.name }) : api.list("Pod", { namespace });
  }
  if (needs.leases) sources.leases = api.list("Lease", { namespace: "kube-node-lease" });
  return sources;
}

/**
 * kubectl's fallback when `describe KIND NAME` finds no object of that name: every object of the
 * kind whose name starts with NAME, each followed by a blank line; events only if asked for.
 */
function describeByPrefix(cluster: Cluster, args: readonly string[], opts: DescribeOptions, io: Io): boolean {
  const [{ info }] = parseRequests(args.slice(0, 1)) as [{ info: KindInfo }];
  const prefix = args[1]!;
  const matches = listKind(cluster, info, opts).filter((o) => o.metadata?.name?.startsWith(prefix));
  const ctx = { nowMs: cluster.engine.nowMs, clock: cluster.clock };
  for (const obj of matches) {
    io.out(`${describeObject(obj, sourcesFor(cluster, obj, opts.showEvents === true), ctx)}\n`);
  }
  return matches.length > 0;
}

/**
 * Prints the objects at `--at` (default: the scenario's end) as `kubectl describe` does; exit 1 if a
 * named object does not exist.
 */
export function describeCommand(args: readonly string[], opts: DescribeOptions, io: Io): number {
  const requests = parseRequests(args);
  if (opts.allNamespaces && requests.some((r) => r.names)) {
    throw new UsageError("a resource cannot be retrieved by name across all namespaces");
  }
  if (opts.files.length === 0) {
    throw new UsageError("-f FILE is required: the scenario or manifests to simulate");
  }
  const scenario = loadRun(opts.files);
  const cluster = newCluster(scenario, { seed: opts.seed });
  const atMs = opts.atMs ?? scenario.untilMs;
  cluster.runTo(atMs);
  const { objects, errors } = find(cluster, args, opts);
  // kubectl looks for a name prefix only for `describe KIND NAME` with a missing NAME.
  const byPrefix = errors.length > 0 && objects.length === 0 && args.length === 2 && !args[0]!.includes("/");
  if (byPrefix && describeByPrefix(cluster, args, opts, io)) return EXIT.ok;
  // As kubectl: events are left out when several objects are described, unless asked for.
  const showEvents = opts.showEvents ?? (errors.length === 0 && objects.length <= 1);
  const ctx = { nowMs: atMs, clock: cluster.clock };
  objects.forEach((obj, i) => {
    const text = describeObject(obj, sourcesFor(cluster, obj, showEvents), ctx);
    io.out(i === 0 ? text : `\n\n${text}`);
  });
  if (objects.length === 0 && errors.length === 0) {
    const ns = opts.namespace ?? "default";
    io.err(opts.allNamespaces ? "No resources found\n" : `No resources found in ${ns} namespace.\n`);
  }
  for (const e of errors) io.err(`${e}\n`);
  return errors.length > 0 ? EXIT.failed : EXIT.ok;
}
