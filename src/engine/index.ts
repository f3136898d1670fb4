/** The simulation kernel: clock, event queue, seeded random streams. */
export { formatDurationMs, parseDurationMs } from "./duration.js";
export { Engine, type Handler, type RunLimits, type RunResult, type TimerId } from "./engine.js";
export { EventQueue } from "./queue.js";
export { Rng } from "./rng.js";
