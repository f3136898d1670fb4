/**
 * `kubectl get` tables: picks the kind's columns, adds NAMESPACE for `-A` and the kind prefix
 * when several kinds are printed, and lays the rows out as kubectl's tabwriter does.
 */
import { kindInfo } from "../../api/kinds.js";
import type { KubeObject } from "../../api/types.js";
import type { TimestampParser } from "./age.js";
import { age, type Column, cols, type KindTable, kindPrefix, NAME, type RowContext } from "./columns.js";
import {
  CONFIG_MAP,
  ENDPOINT_SLICE,
  ENDPOINTS,
  EVENT,
  LEASE,
  NAMESPACE,
  POD_DISRUPTION_BUDGET,
  SECRET,
  SERVICE,
  SERVICE_ACCOUNT,
} from "./core.js";
import { PERSISTENT_VOLUME, PERSISTENT_VOLUME_CLAIM, STORAGE_CLASS } from "./storage.js";
import { alignColumns } from "./tabwriter.js";
import { CONTROLLER_REVISION, DEPLOYMENT, NODE, POD, REPLICASET, STATEFULSET } from "./workloads.js";

const TABLES: Record<string, KindTable> = {
  Pod: POD,
  Node: NODE,
  Deployment: DEPLOYMENT,
  ReplicaSet: REPLICASET,
  StatefulSet: STATEFULSET,
  ControllerRevision: CONTROLLER_REVISION,
  Service: SERVICE,
  Endpoints: ENDPOINTS,
  EndpointSlice: ENDPOINT_SLICE,
  Namespace: NAMESPACE,
  ConfigMap: CONFIG_MAP,
  Secret: SECRET,
  ServiceAccount: SERVICE_ACCOUNT,
  Lease: LEASE,
  PodDisruptionBudget: POD_DISRUPTION_BUDGET,
  Event: EVENT,
  PersistentVolume: PERSISTENT_VOLUME,
  PersistentVolumeClaim: PERSISTENT_VOLUME_CLAIM,
  StorageClass: STORAGE_CLASS,
};

/** Kinds without a printer of their own get the apiserver's default table: NAME and AGE. */
const GENERIC: KindTable = {
  columns: [NAME, ...cols("AGE")],
  row: (o, ctx) => [o.metadata.name, age(o, ctx)],
};

export interface TableOptions {
  /** `-o wide`: add the wide columns. */
  wide?: boolean;
  /** `-A`: a NAMESPACE column first (namespaced kinds only). */
  allNamespaces?: boolean;
  /** Prefix names with the kind (`deployment.apps/web`), as kubectl does when several kinds are printed. */
  withKind?: boolean;
}

/** The column headers of a kind's table, for docs and tests. */
export function tableColumns(kind: string, opts: TableOptions = {}): string[] {
  const table = TABLES[kind] ?? GENERIC;
  const headers = table.columns.filter((c) => opts.wide || !c.wide).map((c) => c.header);
  return withNamespaceColumn(kind, opts) ? ["NAMESPACE", ...headers] : headers;
}

function withNamespaceColumn(kind: string, opts: TableOptions): boolean {
  return opts.allNamespaces === true && (kindInfo(kind)?.namespaced ?? true);
}

/** A cell is cut at its first line break, with `...` to show it was (tableprinter's printTable). */
function oneLine(cell: string): string {
  const i = cell.search(/[\f\n\r]/);
  return i < 0 ? cell : `${cell.slice(0, i)}...`;
}

function cellsOf(table: KindTable, o: KubeObject, ctx: RowContext, prefix: string): string[] {
  const all = table.row(o, ctx);
  const out: string[] = [];
  table.columns.forEach((c: Column, i) => {
    if (c.wide && !ctx.wide) return;
    const cell = all[i] ?? "";
    out.push(oneLine(c.name ? prefix + cell : cell));
  });
  return out;
}

/**
 * The table `kubectl get KIND` prints for these objects at simulated time `nowMs`, ending in a
 * newline; "" when there are no objects (kubectl prints no header without rows).
 */
export function printTable(
  kind: string,
  objects: readonly KubeObject[],
  nowMs: number,
  clock: TimestampParser,
  opts: TableOptions = {},
): string {
  if (objects.length === 0) return "";
  const table = TABLES[kind] ?? GENERIC;
  const ctx: RowContext = { nowMs, clock, wide: opts.wide === true };
  const withNamespace = withNamespaceColumn(kind, opts);
  const prefix = opts.withKind ? `${kindPrefix(kind)}/` : "";
  const rows = objects.map((o) => {
    const cells = cellsOf(table, o, ctx, prefix);
    return withNamespace ? [o.metadata?.namespace ?? "", ...cells] : cells;
  });
  return alignColumns([tableColumns(kind, opts), ...rows]);
}

/** One group of objects of one kind, in the order kubectl lists them. */
export interface KindGroup {
  kind: string;
  objects: readonly KubeObject[];
}

/**
 * Several kinds (`kubectl get pods,deploy`): one table per kind, separated by a blank line; names
 * carry the kind when objects of more than one kind are printed. "" when there is nothing.
 */
export function printTables(
  groups: readonly KindGroup[],
  nowMs: number,
  clock: TimestampParser,
  opts: Omit<TableOptions, "withKind"> = {},
): string {
  const kinds = new Set(groups.filter((g) => g.objects.length > 0).map((g) => g.kind));
  const withKind = kinds.size > 1;
  return groups
    .map((g) => printTable(g.kind, g.objects, nowMs, clock, { ...opts, withKind }))
    .filter((t) => t !== "")
    .join("\n");
}
