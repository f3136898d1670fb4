/** `kubesim get`: run to a simulated time and print what `kubectl get` would show then. */
import { type KindInfo, qualifiedResource, resolveResource } from "../../src/api/kinds.js";
import type { KubeObject } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import { type KindGroup, printObjects, printTables } from "../../src/report/kubectl/index.js";
import { EXIT, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster } from "../options.js";

export const GET_OUTPUTS = ["wide", "yaml", "json"] as const;
export type GetOutput = (typeof GET_OUTPUTS)[number];

export interface GetOptions {
  files: string[];
  atMs?: number;
  seed?: number;
  output?: GetOutput;
  namespace?: string;
  allNamespaces: boolean;
}

/** One kind to get: every object of it, or only the named ones. */
interface Request {
  info: KindInfo;
  names?: string[];
}

/** What `kubectl get all` lists, among the kinds kubesim models. */
const ALL = ["pods", "services", "deployments", "replicasets", "statefulsets"];

function resolve(type: string): KindInfo {
  const info = type === "" ? undefined : resolveResource(type);
  if (!info) throw new UsageError(`the server doesn't have a resource type "${type}"`);
  return info;
}

/** Requests of one kind are merged, keeping the order in which kinds first appear. */
function addRequest(list: Request[], info: KindInfo, name: string | undefined): void {
  const existing = list.find((r) => r.info.kind === info.kind);
  if (!existing) list.push(name === undefined ? { info } : { info, names: [name] });
  else if (name !== undefined && existing.names) existing.names.push(name);
}

/** `pods`, `pods,deploy`, `pod/web-0 deploy/web`, `pods web-0 web-1`, `all`. */
export function parseRequests(args: readonly string[]): Request[] {
  const requests: Request[] = [];
  if (args[0]?.includes("/")) {
    for (const arg of args) {
      const slash = arg.indexOf("/");
      if (slash < 0) {
        throw new UsageError(
          `there is no need to specify a resource type as a separate argument when passing arguments in ` +
            `resource/name form (e.g. 'kubesim get resource/<resource_name>' instead of ` +
            `'kubesim get resource resource/<resource_name>')`,
        );
      }
      const name = arg.slice(slash + 1);
      if (!name) throw new UsageError(`arguments in resource/name form must have a single resource and name`);
      addRequest(requests, resolve(arg.slice(0, slash)), name);
    }
    return requests;
  }
  const types = (args[0] ?? "").split(",").flatMap((t) => (t === "all" ? ALL : [t]));
  const names = args.slice(1);
  for (const t of types) {
    const info = resolve(t);
    if (names.length === 0) addRequest(requests, info, undefined);
    for (const n of names) addRequest(requests, info, n);
  }
  return requests;
}

interface Found {
  groups: KindGroup[];
  errors: string[];
}

function fetch(cluster: Cluster, requests: Request[], opts: GetOptions): Found {
  const ns = opts.namespace ?? "default";
  const found: Found = { groups: [], errors: [] };
  for (const { info, names } of requests) {
    const objects: KubeObject[] = [];
    if (names === undefined) {
      const scoped = info.namespaced && !opts.allNamespaces;
      objects.push(...cluster.api.list(info.kind, scoped ? { namespace: ns } : {}));
    }
    for (const name of names ?? []) {
      const obj = cluster.api.get(info.kind, ns, name);
      if (obj) objects.push(obj);
      else found.errors.push(`Error from server (NotFound): ${qualifiedResource(info)} "${name}" not found`);
    }
    found.groups.push({ kind: info.kind, objects });
  }
  return found;
}

/** Prints the objects at `--at` (default: the scenario's end); exit 1 if a named object does not exist. */
export function getCommand(args: readonly string[], opts: GetOptions, io: Io): number {
  const requests = parseRequests(args);
  if (opts.allNamespaces && requests.some((r) => r.names)) {
    throw new UsageError("a resource cannot be retrieved by name across all namespaces");
  }
  if (opts.files.length === 0)
    throw new UsageError("-f FILE is required: the scenario or manifests to simulate");
  const scenario = loadRun(opts.files);
  const cluster = newCluster(scenario, { seed: opts.seed });
  const atMs = opts.atMs ?? scenario.untilMs;
  cluster.runTo(atMs);
  const { groups, errors } = fetch(cluster, requests, opts);
  if (opts.output === "json" || opts.output === "yaml") {
    const objects = groups.flatMap((g) => g.objects);
    const single = requests.length === 1 && requests[0]!.names?.length === 1;
    if (!(single && objects.length === 0)) io.out(printObjects(objects, opts.output, single));
  } else {
    const wide = opts.output === "wide";
    const text = printTables(groups, atMs, cluster.clock, { wide, allNamespaces: opts.allNamespaces });
    io.out(text);
    // kubectl names the namespace unless -A was given (even for cluster-scoped kinds).
    if (text === "" && errors.length === 0) {
      const ns = opts.namespace ?? "default";
      io.err(opts.allNamespaces ? "No resources found\n" : `No resources found in ${ns} namespace.\n`);
    }
  }
  for (const e of errors) io.err(`${e}\n`);
  return errors.length > 0 ? EXIT.failed : EXIT.ok;
}
