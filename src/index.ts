/**
 * kubesim as a library: load a scenario, run a simulated cluster, stream its timeline, print its
 * objects as kubectl would. Reads no files, clock or environment: the caller passes `read`.
 */
export type { KubeObject, Stored } from "./api/types.js";
export { Cluster, type ClusterOptions, type RunSummary } from "./cluster/cluster.js";
export type { ExpectResult } from "./cluster/expect.js";
export type { RecordSink, TimelineRecord } from "./cluster/records.js";
export { formatDurationMs, parseDurationMs } from "./engine/duration.js";
export {
  INVARIANT_DOCS,
  INVARIANT_NAMES,
  type InvariantName,
  type Violation,
} from "./invariants/index.js";
export {
  faults,
  type ObjectState,
  type ScheduledFault,
  type ScheduleOptions,
  type SimulateOptions,
  type Simulation,
  scenarioFromText,
  simulate,
  TimelineQueries,
} from "./library/index.js";
export {
  formatTextRecord,
  htmlWriter,
  jsonlWriter,
  reportHtml,
  scenarioInfo,
  textWriter,
  traceJson,
  traceWriter,
  type Write,
} from "./report/index.js";
export {
  ageSince,
  humanDuration,
  type KindGroup,
  type ObjectFormat,
  printObjects,
  printTable,
  printTables,
  summarizePod,
  type TableOptions,
} from "./report/kubectl/index.js";
export { type LoadOptions, loadScenario, type ReadFile, ScenarioError } from "./scenario/index.js";
export type { Scenario } from "./scenario/types.js";

import { INVARIANT_DOCS, INVARIANT_NAMES } from "./invariants/index.js";

/** The built-in invariants: their names and what each promises (for `simulate({invariants})`). */
export const invariants = { names: INVARIANT_NAMES, docs: INVARIANT_DOCS };
