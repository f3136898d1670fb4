/**
 * `kubesim rollout status|history`: run to a simulated time and print what `kubectl rollout`
 * would print then. Real kubectl waits for a rollout by default; kubesim reports the state at
 * `--at`, or with `--watch` follows it in simulated time.
 */
import { type KindInfo, qualifiedResource, resolveResource } from "../../src/api/kinds.js";
import type { ControllerRevision, KubeObject, ReplicaSet } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import {
  historyViewerError,
  RolloutError,
  rolloutHistory,
  rolloutStatus,
  statusViewerError,
} from "../../src/report/kubectl/index.js";
import { EXIT, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster } from "../options.js";

export interface RolloutOptions {
  files: string[];
  atMs?: number;
  seed?: number;
  namespace?: string;
  revision?: number;
  /** `status --watch`: follow the rollout from `--at` until it is done. */
  watch?: boolean;
  /** With `--watch`: give up this long after `--at` (default: at the scenario's end). */
  timeoutMs?: number;
}

interface Target {
  info: KindInfo;
  name: string | undefined;
}

/** `deployment/web` or `deployment web` (or just `deployment`: every Deployment of the namespace). */
function parseTarget(args: readonly string[]): Target {
  const first = args[0] ?? "";
  if (!first) throw new UsageError("required resource not specified");
  let kind = first;
  let name: string | undefined = args[1];
  if (first.includes("/")) {
    if (args.length > 1) {
      throw new UsageError(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form",
      );
    }
    [kind, name] = [first.slice(0, first.indexOf("/")), first.slice(first.indexOf("/") + 1)];
    if (!name) throw new UsageError("arguments in resource/name form must have a single resource and name");
  } else if (args.length > 2) {
    throw new UsageError("rollout takes one resource: KIND/NAME or KIND NAME");
  }
  const info = resolveResource(kind);
  if (!info) throw new UsageError(`the server doesn't have a resource type "${kind}"`);
  return { info, name };
}

/** The named object, or every object of the kind; an error line when the named one does not exist. */
function fetchTargets(cluster: Cluster, t: Target, namespace: string): KubeObject[] | string {
  if (t.name === undefined) return cluster.api.list(t.info.kind, { namespace });
  const obj = cluster.api.get(t.info.kind, namespace, t.name);
  return obj ? [obj] : `Error from server (NotFound): ${qualifiedResource(t.info)} "${t.name}" not found`;
}

function start(opts: RolloutOptions): { cluster: Cluster; atMs: number; untilMs: number } {
  if (opts.files.length === 0)
    throw new UsageError("-f FILE is required: the scenario or manifests to simulate");
  if ((opts.revision ?? 0) < 0) throw new UsageError(`revision must be a positive integer: ${opts.revision}`);
  const scenario = loadRun(opts.files);
  const cluster = newCluster(scenario, { seed: opts.seed });
  const atMs = opts.atMs ?? scenario.untilMs;
  cluster.runTo(atMs);
  const untilMs = opts.timeoutMs !== undefined ? atMs + opts.timeoutMs : Math.max(atMs, scenario.untilMs);
  return { cluster, atMs, untilMs };
}

/**
 * `--watch`: prints the status at every change of the object after `atMs` (as kubectl's watch
 * does, repeats included) until the rollout is done or fails; at `untilMs` it times out.
 */
function watchStatus(cluster: Cluster, obj: KubeObject, untilMs: number, revision: number, io: Io): number {
  let outcome: number | undefined;
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace;
  const stop = cluster.api.watch(obj.kind ?? "", (ev) => {
    if (
      outcome !== undefined ||
      ev.object.metadata.name !== name ||
      ev.object.metadata.namespace !== namespace
    )
      return;
    try {
      if (ev.type === "DELETED") throw new RolloutError("object has been deleted");
      const s = rolloutStatus(ev.object, revision);
      io.out(s.text);
      if (s.done) outcome = EXIT.ok;
    } catch (e) {
      if (!(e instanceof RolloutError)) throw e;
      io.err(`error: ${e.message}\n`);
      outcome = EXIT.failed;
    }
    if (outcome !== undefined) cluster.engine.stop();
  });
  cluster.engine.run({ untilMs });
  stop();
  if (outcome !== undefined) return outcome;
  io.err("error: timed out waiting for the condition\n");
  return EXIT.failed;
}

/**
 * Prints the rollout status message at `--at`; exit 1 when kubectl would fail (the progress
 * deadline was exceeded, `--revision` is not the running revision, the object does not exist).
 */
export function rolloutStatusCommand(args: readonly string[], opts: RolloutOptions, io: Io): number {
  const target = parseTarget(args);
  const viewerError = statusViewerError(target.info.kind, target.info.apiVersion);
  if (viewerError) throw new UsageError(viewerError);
  const { cluster, untilMs } = start(opts);
  const found = fetchTargets(cluster, target, opts.namespace ?? "default");
  if (typeof found === "string") {
    io.err(`${found}\n`);
    return EXIT.failed;
  }
  if (found.length !== 1) {
    io.err(
      `error: rollout status is only supported on individual resources and resource collections - ${found.length} resources were found\n`,
    );
    return EXIT.failed;
  }
  const obj = found[0]!;
  const revision = opts.revision ?? 0;
  try {
    const s = rolloutStatus(obj, revision);
    io.out(s.text);
    if (s.done || !opts.watch) return EXIT.ok;
  } catch (e) {
    if (!(e instanceof RolloutError)) throw e;
    io.err(`error: ${e.message}\n`);
    return EXIT.failed;
  }
  return watchStatus(cluster, obj, untilMs, revision, io);
}

/** Prints the rollout history at `--at` (or one revision's pod template); exit 1 for an unknown revision. */
export function rolloutHistoryCommand(args: readonly string[], opts: RolloutOptions, io: Io): number {
  const target = parseTarget(args);
  const viewerError = historyViewerError(target.info.kind, target.info.apiVersion);
  if (viewerError) throw new UsageError(viewerError);
  const { cluster } = start(opts);
  const found = fetchTargets(cluster, target, opts.namespace ?? "default");
  if (typeof found === "string") {
    io.err(`${found}\n`);
    return EXIT.failed;
  }
  for (const obj of found) {
    const namespace = obj.metadata?.namespace;
    const sources = {
      replicaSets: cluster.api.list<ReplicaSet>("ReplicaSet", { namespace }),
      controllerRevisions: cluster.api.list<ControllerRevision>("ControllerRevision", { namespace }),
    };
    try {
      io.out(rolloutHistory(obj, sources, opts.revision ?? 0));
    } catch (e) {
      if (!(e instanceof RolloutError)) throw e;
      io.err(`error: ${e.message}\n`);
      return EXIT.failed;
    }
  }
  return EXIT.ok;
}
