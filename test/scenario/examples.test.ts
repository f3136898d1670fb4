// The scenario files checked into scenarios/ load, and the JSON Schema agrees with the loader on them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadScenario } from "../../src/scenario/load.js";
import { scenarioJsonSchema } from "../../src/scenario/spec.js";
import { jsonSchemaErrors } from "./json-schema-check.js";

const ROOT = new URL("../../", import.meta.url).pathname;

function diskRead(path: string): string | undefined {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
}

function scenarioFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? scenarioFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** Files under scenarios/ that are manifests referenced by a scenario, not runs of their own, live in manifests/ dirs. */
const RUNNABLE = scenarioFiles("scenarios").filter((f) => !f.split("/").includes("manifests"));

describe("scenarios/", () => {
  it("loads hello.yaml: 3 nodes, a 3-replica Deployment, a set image at 1m, expectations over deployment/web", () => {
    const s = loadScenario(["scenarios/hello.yaml"], diskRead);
    expect(s).toMatchObject({ name: "hello", untilMs: 300_000, defaulted: false });
    expect(s.nodes.flatMap((n) => n.names)).toEqual(["node-1", "node-2", "node-3"]);
    expect(s.objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`)).toEqual(["Deployment/web"]);
    expect(s.actions).toMatchObject([
      { kind: "kubectl", atMs: 60_000, command: { verb: "set", images: { web: "nginx:1.27" } } },
    ]);
    expect(s.expect.every((e) => e.that.kind === "Deployment" && e.that.name === "web")).toBe(true);
  });

  it("loads examples/plain-manifest.yaml on the default cluster", () => {
    const s = loadScenario(["scenarios/examples/plain-manifest.yaml"], diskRead);
    expect(s).toMatchObject({ name: "plain-manifest", defaulted: true, seed: 1, untilMs: 600_000 });
  });

  it.each(RUNNABLE)("%s loads and every document conforms to the JSON Schema", (file) => {
    expect(() => loadScenario([file], diskRead)).not.toThrow();
    const schema = scenarioJsonSchema();
    for (const doc of parseAllDocuments(diskRead(file)!)) {
      if (doc.contents === null) continue;
      expect(jsonSchemaErrors(schema, doc.toJS())).toEqual([]);
    }
  });
});

describe("the JSON Schema, checked like an editor would", () => {
  const schema = scenarioJsonSchema();
  const base = { apiVersion: "kubesim.dev/v1alpha1", kind: "Scenario" };

  it("flags an unknown Scenario key", () => {
    expect(jsonSchemaErrors(schema, { ...base, spec: { untill: "5m" } })).toContain(
      "$.spec.untill: unknown property",
    );
  });

  it("flags an action with two verbs and an expectation with no predicate", () => {
    const two = {
      ...base,
      spec: { actions: [{ at: "1m", kubectl: "cordon node-1", heal: { node: "node-1" } }] },
    };
    expect(jsonSchemaErrors(schema, two)).toContain("$.spec.actions[0]: does not match exactly one of oneOf");
    expect(jsonSchemaErrors(schema, { ...base, spec: { expect: [{ by: "1m" }] } })).toContain(
      "$.spec.expect[0]: does not match exactly one of oneOf",
    );
  });

  it("accepts any Kubernetes object loosely, but needs apiVersion and kind", () => {
    expect(jsonSchemaErrors(schema, { apiVersion: "v1", kind: "ConfigMap", data: { a: "b" } })).toEqual([]);
    expect(jsonSchemaErrors(schema, { kind: "ConfigMap" })).toEqual(["$: missing apiVersion"]);
  });
});
