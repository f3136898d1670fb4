/**
 * What a model (kubelet, scheduler, controller) is given by the cluster that wires it: the clock,
 * its random streams, the apiserver, the event recorder and the timeline. Models depend on this
 * interface, never on the Cluster class above them.
 */
import type { Engine } from "../engine/engine.js";
import type { Rng } from "../engine/rng.js";
import type { Scenario } from "../scenario/types.js";
import type { ApiServer } from "./apiserver.js";
import type { EventRecorder } from "./events.js";
import type { TimelineRecord } from "./records.js";
import type { SimClock } from "./time.js";

export interface SimContext {
  readonly engine: Engine;
  /** The root stream: fork a named child (`rng.fork("kubelet/node-1")`), never draw from it directly. */
  readonly rng: Rng;
  readonly clock: SimClock;
  readonly api: ApiServer;
  readonly events: EventRecorder;
  readonly scenario: Scenario;
  /** Emits a timeline record (steps, actions, narration). */
  record(rec: TimelineRecord): void;
}
