/** Scenario files → a validated Scenario: the public surface of src/scenario. */
export { ScenarioError, TextError } from "./errors.js";
export { formatPath, type Path, parseFieldPath } from "./fieldpath.js";
export { type KubectlContext, parseKubectl } from "./kubectl.js";
export { defaultNodes, type LoadOptions, loadScenario, type ReadFile } from "./load.js";
export { dirname, fileStem, joinPath } from "./paths.js";
export { parsePredicate } from "./predicate.js";
export { LIMITS } from "./source.js";
export { SCENARIO_API_VERSION, SPEC_LIMITS, scenarioJsonSchema, TIMING_KEYS } from "./spec.js";
export type * from "./types.js";
