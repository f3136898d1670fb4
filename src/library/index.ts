/** kubesim as a library for tests: `simulate` a scenario and query its timeline; `faults` for fast-check schedules. */
import { describeSchedule, normalizeSchedule, schedule, toActions, toYaml } from "../faults/arbitraries.js";

export type { ScheduledFault, ScheduleOptions } from "../faults/arbitraries.js";
export { type ObjectState, TimelineQueries } from "./queries.js";
export { type SimulateOptions, type Simulation, scenarioFromText, simulate } from "./simulate.js";

/**
 * Fault schedules for property tests: `faults.schedule({nodes, types, maxFaults, windowMs})` is a
 * fast-check arbitrary of `{atMs, fault, forMs}` lists that shrinks towards fewer, earlier and
 * shorter faults; `toActions`/`toYaml` turn one into scenario actions or a counterexample's YAML.
 */
export const faults = {
  schedule,
  normalize: normalizeSchedule,
  toActions,
  toYaml,
  describe: describeSchedule,
};
