/**
 * One simulated cluster: engine, RNG streams, apiserver, control-plane components and nodes,
 * driven by a Scenario. Components are added here as they are modelled.
 */
import { ApiServer } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import { applyDefaults } from "../api/defaults.js";
import { EventRecorder } from "../api/events.js";
import { SimClock } from "../api/time.js";
import type { KubeObject } from "../api/types.js";
import { validateObject } from "../api/validation.js";
import { startControllers } from "../controllers/index.js";
import { Engine } from "../engine/engine.js";
import { Rng } from "../engine/rng.js";
import { faultInjectorOf, startFaultInjector } from "../faults/index.js";
import {
  createMonitor,
  INVARIANT_NAMES,
  type InvariantMonitor,
  type Violation,
} from "../invariants/index.js";
import { startKubelets } from "../kubelet/index.js";
import type { DurationRange, Scenario } from "../scenario/types.js";
import { startScheduler } from "../scheduler/index.js";
import { ActionRunner } from "./actions.js";
import { ExpectationChecker, type ExpectResult } from "./expect.js";
import type { RecordSink, TimelineRecord } from "./records.js";
import { TimelineRecorder } from "./timeline.js";

export interface ClusterOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Receives timeline records as they happen. */
  sink?: RecordSink;
  /** Hooks for defaulting and validation (the api layer's). */
  applyDefaults?: (obj: KubeObject) => void;
  validate?: (obj: KubeObject, old?: KubeObject) => import("../api/errors.js").FieldError[];
  /** Record each node's filter verdict and score for every scheduling attempt (step records). */
  explainScheduling?: boolean;
  /**
   * Invariants to check as the run goes (src/invariants): true for every built-in one, a list of
   * names for those, false for none; default: the scenario's `spec.invariants` (none if absent).
   */
  invariants?: boolean | readonly string[];
  /** The convergence invariant's bound; default the scenario's `spec.convergeWithin`, else 10 minutes. */
  convergeWithinMs?: number;
}

export interface RunSummary {
  seed: number;
  endMs: number;
  eventsRun: number;
  expectations: ExpectResult[];
  /** Broken invariants, in the order they were found (empty when none were checked). */
  violations: Violation[];
}

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Draws a duration from a range with the given stream (fixed ranges draw nothing). */
export function drawMs(rng: Rng, r: DurationRange): number {
  return r.minMs === r.maxMs ? r.minMs : rng.intBetween(r.minMs, r.maxMs);
}

/** The invariant names a run checks: the option's choice, else the scenario's. */
function chosenInvariants(
  opt: boolean | readonly string[] | undefined,
  fromScenario: readonly string[] | undefined,
): readonly string[] {
  if (opt === true) return INVARIANT_NAMES;
  if (opt === false) return [];
  return opt ?? fromScenario ?? [];
}

export class Cluster implements SimContext {
  readonly engine = new Engine();
  readonly rng: Rng;
  readonly seed: number;
  readonly clock = new SimClock();
  readonly api: ApiServer;
  readonly events: EventRecorder;
  private readonly sink: RecordSink;
  private readonly expectations: ExpectationChecker;
  /** The invariant checkers, when any run. */
  readonly monitor: InvariantMonitor | undefined;

  constructor(
    readonly scenario: Scenario,
    opts: ClusterOptions = {},
  ) {
    this.seed = opts.seed ?? scenario.seed;
    this.rng = new Rng(this.seed);
    const names = chosenInvariants(opts.invariants, scenario.invariants);
    const monitor = names.length
      ? createMonitor(this, this.seed, names, {
          convergeWithinMs: opts.convergeWithinMs ?? scenario.convergeWithinMs,
        })
      : undefined;
    this.monitor = monitor;
    const sink = opts.sink ?? (() => {});
    // The monitor sees every record first: it keeps them for causal chains and tracks faults.
    this.sink = monitor
      ? (rec) => {
          monitor.onRecord(rec);
          sink(rec);
        }
      : sink;
    const watch = scenario.timing.watchLatency;
    this.api = new ApiServer({
      engine: this.engine,
      rng: this.rng,
      clock: this.clock,
      watchLatencyMs: watch ? drawMs(this.rng.fork("apiserver/watch"), watch) : undefined,
      applyDefaults: opts.applyDefaults ?? applyDefaults,
      validate: opts.validate ?? ((obj, old) => validateObject(obj, old)),
    });
    this.events = new EventRecorder(this.api);
    new TimelineRecorder(this.api, this.sink);
    monitor?.start();
    for (const ns of SYSTEM_NAMESPACES)
      this.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    // Control-plane components and nodes, one line each (their own modules own the details).
    startControllers(this);
    startScheduler(this, { explain: opts.explainScheduling === true });
    startKubelets(this, scenario.nodes);
    this.expectations = new ExpectationChecker(this, scenario.expect);
    const runner = new ActionRunner(this, scenario);
    runner.faultHandler = startFaultInjector(this);
  }

  /** Emits a record to the timeline (components use it for actions, narration, expectations). */
  record(rec: TimelineRecord): void {
    this.sink(rec);
    this.expectations?.onRecord(rec);
  }

  /** Runs until the scenario's end (or `untilMs`), evaluates expectations, emits the end record. */
  run(untilMs: number = this.scenario.untilMs, maxEvents?: number): RunSummary {
    this.engine.run({ untilMs, maxEvents });
    // The recovery summary of each fault comes when the run ends, whatever its length.
    faultInjectorOf(this)?.recovery.finish();
    this.monitor?.finish(untilMs);
    const expectations = this.expectations.finish(untilMs);
    const objects: Record<string, number> = {};
    for (const kind of [
      "Pod",
      "Node",
      "ReplicaSet",
      "Deployment",
      "StatefulSet",
      "Service",
      "PersistentVolumeClaim",
    ]) {
      const n = this.api.cache(kind).size;
      if (n > 0) objects[kind] = n;
    }
    this.sink({ t: untilMs, type: "end", events: this.engine.eventsRun, objects, seed: this.seed });
    const violations = this.monitor?.violations ?? [];
    return { seed: this.seed, endMs: untilMs, eventsRun: this.engine.eventsRun, expectations, violations };
  }

  /** Runs only up to `atMs` (for `kubesim get --at`), without evaluating expectations. */
  runTo(atMs: number): void {
    this.engine.run({ untilMs: atMs });
  }
}
