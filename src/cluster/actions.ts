/**
 * Runs the scenario's timeline of actions: the objects applied at time 0, then each `kubectl`,
 * `fault`, `heal` and `narrate` action at its time, recording what happened.
 */
import { ApiError } from "../api/errors.js";
import { kindInfo, qualifiedResource } from "../api/kinds.js";
import type { Action, Scenario } from "../scenario/types.js";
import type { Cluster } from "./cluster.js";
import { type KubectlResult, kubectlApiError, runKubectl } from "./kubectl.js";

/** Handles fault and heal actions; the fault injector registers one (see src/faults). */
export type FaultHandler = (action: Extract<Action, { kind: "fault" | "heal" }>) => string | undefined;

export class ActionRunner {
  faultHandler: FaultHandler | undefined;

  constructor(
    private readonly cluster: Cluster,
    scenario: Scenario,
  ) {
    const { engine } = cluster;
    engine.at(0, () => this.applyInitialObjects(scenario));
    const ordered = scenario.actions
      .map((a, i) => ({ a, i }))
      .sort((x, y) => x.a.atMs - y.a.atMs || x.i - y.i);
    for (const { a } of ordered) engine.at(a.atMs, () => this.run(a));
  }

  private applyInitialObjects(scenario: Scenario): void {
    for (const { object } of scenario.objects) {
      try {
        this.cluster.api.create(object);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const info = kindInfo(object.kind ?? "");
        const what = info ? `${qualifiedResource(info)}/${object.metadata?.name}` : String(object.kind);
        this.cluster.record({
          t: this.cluster.engine.nowMs,
          type: "action",
          action: "kubectl",
          args: `create ${what}`,
          error: kubectlApiError(e),
        });
      }
    }
  }

  /** Records what a kubectl command printed; a command that keeps running (drain) records each later step at its time. */
  private recordKubectl(args: string, res: KubectlResult): void {
    const { followUp, ...printed } = res;
    this.cluster.record({
      t: this.cluster.engine.nowMs,
      type: "action",
      action: "kubectl",
      args,
      ...printed,
    });
    if (followUp) this.cluster.engine.after(followUp.afterMs, () => this.recordKubectl(args, followUp.run()));
  }

  private run(a: Action): void {
    const t = this.cluster.engine.nowMs;
    if (a.narrate && a.kind !== "narrate") this.cluster.record({ t, type: "narrate", ...a.narrate });
    switch (a.kind) {
      case "narrate":
        this.cluster.record({ t, type: "narrate", ...a.narrate });
        return;
      case "kubectl": {
        this.recordKubectl(a.command.text, runKubectl(this.cluster.api, a.command));
        return;
      }
      case "fault":
      case "heal": {
        const args = JSON.stringify(a.kind === "fault" ? a.fault : a.heal);
        const error = this.faultHandler
          ? this.faultHandler(a)
          : "error: fault injection is not modelled yet in this version of kubesim";
        this.cluster.record({ t, type: "action", action: a.kind, args, ...(error ? { error } : {}) });
        return;
      }
    }
  }
}
