/**
 * `kubectl get -o json|yaml`: one object when a single one was named, else a `List`. Keys come out
 * sorted and JSON is indented by four spaces with <, >, & escaped, as kubectl (Go's encoder) prints.
 */
import { stringify } from "yaml";
import type { KubeObject } from "../../api/types.js";

export type ObjectFormat = "json" | "yaml";

/** A deep copy with every mapping's keys in byte order (Go marshals maps that way). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/** The List kubectl builds around several objects (printGeneric). */
export function asList(objects: readonly KubeObject[]): KubeObject & { items: KubeObject[] } {
  return { apiVersion: "v1", kind: "List", items: [...objects], metadata: { resourceVersion: "" } };
}

/** Go's json encoder escapes these for HTML safety; kubectl's output shows them that way. */
function goJsonEscapes(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `-o json` / `-o yaml` output for these objects; `single` when exactly one object was asked for by name. */
export function printObjects(objects: readonly KubeObject[], format: ObjectFormat, single = false): string {
  const value = sortKeys(single && objects.length === 1 ? objects[0] : asList(objects));
  if (format === "json") return `${goJsonEscapes(JSON.stringify(value, null, 4))}\n`;
  // YAML 1.1 rules decide quoting, as in kubectl's go-yaml: "yes", "on" and timestamps are quoted.
  return stringify(value, { version: "1.1", indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}
