/** Property-based exploration of fault schedules (`kubesim explore`) and seed sweeps (`kubesim sweep`). */
export { type CounterexampleInput, counterexampleYaml } from "./counterexample.js";
export { type ExploreConfig, Explorer, type RunCheck, shardIndices } from "./explore.js";
export {
  type Distribution,
  distributions,
  MetricsCollector,
  metricUnit,
  percentile,
  SWEEP_METRICS,
  type SweepMetric,
} from "./metrics.js";
export {
  type ExploreResult,
  type FoundFailure,
  MergeError,
  mergeResults,
  parseResults,
  type Shard,
} from "./result.js";
export { type Failure, failuresOf, type RunVerdict, runSchedule } from "./run.js";
export {
  describeFault,
  EXPLORE_FAULT_TYPES,
  type ExploreFaultType,
  type ExploreSpace,
  type FaultSchedule,
  faultEntry,
  runSeed,
  type ScheduledFault,
  scheduleArbitrary,
  scheduleForRun,
  sortedSchedule,
  withFaults,
} from "./schedule.js";
export { type Shrunk, shrinkSchedule } from "./shrink.js";
export { type SweepRun, sweepRun } from "./sweep.js";
