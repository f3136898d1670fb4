/** The shape of a `kubectl get` table for one kind, and the cell helpers the kinds share. */
import { kindInfo } from "../../api/kinds.js";
import { canonicalQuantity } from "../../api/quantity.js";
import { ageSince, type TimestampParser } from "./age.js";

/** Objects are read as plain Kubernetes JSON. */
export type Any = Record<string, any>;

/** A column: its header, whether only `-o wide` shows it, whether it holds the object's name. */
export interface Column {
  header: string;
  wide?: boolean;
  name?: boolean;
}

/** What a row needs besides the object: the time of the snapshot and timestamp parsing. */
export interface RowContext {
  nowMs: number;
  clock: TimestampParser;
  wide: boolean;
}

/** The columns of one kind and how to fill a row (all cells, wide ones included, in column order). */
export interface KindTable {
  columns: readonly Column[];
  row(obj: Any, ctx: RowContext): string[];
}

/** The NAME column (kubectl prefixes it with the kind when several kinds are printed). */
export const NAME: Column = { header: "NAME", name: true };

/** Columns every mode shows. */
export const cols = (...headers: string[]): Column[] => headers.map((header) => ({ header }));

/** Columns only `-o wide` shows. */
export const wideCols = (...headers: string[]): Column[] => headers.map((header) => ({ header, wide: true }));

/** The AGE cell: time since metadata.creationTimestamp. */
export const age = (o: Any, ctx: RowContext): string =>
  ageSince(o.metadata?.creationTimestamp, ctx.nowMs, ctx.clock);

/** spec.replicas, which the apiserver defaults to 1. */
export const desiredReplicas = (o: Any): number => o.spec?.replicas ?? 1;

/** `nginx,sidecar` / `nginx:1.25,busybox` — layoutContainerCells. */
export function containerCells(containers: Any[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? "").join(","), list.map((c) => c.image ?? "").join(",")];
}

/** `a,b,c + 2 more...` — how kubectl shortens lists to `max` entries; `empty` when there are none. */
export function listWithMore(list: readonly string[], max: number, empty: string): string {
  if (list.length > max) return `${list.slice(0, max).join(",")} + ${list.length - max} more...`;
  return list.length ? list.join(",") : empty;
}

/** The group-qualified lower-case kind kubectl prefixes names with: `deployment.apps`, `pod`. */
export function kindPrefix(kind: string): string {
  const group = kindInfo(kind)?.group;
  return (group ? `${kind}.${group}` : kind).toLowerCase();
}

/** A quantity in canonical form (`1Gi`), as Quantity.String prints it; "0" when unset. */
export function quantityText(v: string | number | undefined): string {
  if (v === undefined) return "0";
  return canonicalQuantity(v) ?? String(v);
}
