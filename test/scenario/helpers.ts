// Test helpers for scenario loading: an in-memory file system and error capture.
import { ScenarioError } from "../../src/scenario/errors.js";
import { type LoadOptions, loadScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";

/** A reader over in-memory files, as sim/ would give one over the disk. */
export function memRead(files: Record<string, string>): (path: string) => string | undefined {
  return (path) => (Object.hasOwn(files, path) ? files[path] : undefined);
}

/** Loads `main` (the first key of files, unless given) from in-memory files. */
export function load(files: Record<string, string>, opts: LoadOptions = {}, main?: string[]): Scenario {
  return loadScenario(main ?? [Object.keys(files)[0]!], memRead(files), opts);
}

/** The ScenarioError a load throws (fails the test if it does not throw one). */
export function loadError(
  files: Record<string, string>,
  opts: LoadOptions = {},
  main?: string[],
): ScenarioError {
  try {
    load(files, opts, main);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError, but the scenario loaded");
}

/** A Scenario document header followed by `spec` lines (already indented by two spaces). */
export function scenario(specLines: string): string {
  return `apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n${specLines}`;
}

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.26
`;
