/** kubectl's printers for simulated objects: `get` tables, ages, `-o json|yaml` (pure, no I/O). */
export { ageSince, humanDuration, type TimestampParser } from "./age.js";
export { type DescribeContext, type DescribeSources, describeNeeds, describeObject } from "./describe.js";
export { eventsFor, rfc1123z } from "./describe-common.js";
export { PrefixWriter, tabwriter } from "./describe-writer.js";
export { asList, type ObjectFormat, printObjects } from "./objects.js";
export { formatRestarts, type PodSummary, summarizePod } from "./pod.js";
export {
  historyViewerError,
  RolloutError,
  type RolloutStatusText,
  rolloutHistory,
  rolloutStatus,
  statusViewerError,
} from "./rollout.js";
export { type KindGroup, printTable, printTables, type TableOptions, tableColumns } from "./table.js";
export { alignColumns } from "./tabwriter.js";
