/** Lifecycle hooks (postStart, preStop): how long one takes and whether it fails, from its handler and the process plan. */

import type { LifecycleHandler } from "kubernetes-types/core/v1.js";
import type { Rng } from "../engine/rng.js";
import { draw, type KubeletTimings } from "./config.js";
import type { ContainerInstance } from "./runtime.js";

// `sleep 5` in an exec hook is the usual way to delay shutdown; we honour it.
const SLEEP_IN_COMMAND = /(?:^|[\s;&|])sleep\s+(\d+(?:\.\d+)?)(?:s)?(?=$|[\s;&|])/;

/**
 * How long a hook runs: a `sleep` action its seconds; an exec hook whose command runs
 * `sleep N` N seconds; anything else the short default (timings.hook).
 */
export function hookDurationMs(h: LifecycleHandler, rng: Rng, timings: KubeletTimings): number {
  if (h.sleep) return Math.max(0, h.sleep.seconds) * 1000;
  const cmd = h.exec?.command;
  if (cmd) {
    const m = SLEEP_IN_COMMAND.exec(cmd.join(" "));
    if (m?.[1]) return Math.round(Number(m[1]) * 1000);
  }
  return draw(rng, timings.hook);
}

/** Network hooks (httpGet, tcpSocket) fail while the process is not up yet or has gone unhealthy. */
export function hookFails(h: LifecycleHandler, inst: ContainerInstance, nowMs: number): boolean {
  if (!h.httpGet && !h.tcpSocket) return false;
  const since = nowMs - inst.startedAtMs;
  const { upMs, unhealthyMs } = inst.plan;
  return inst.state !== "running" || since < upMs || (unhealthyMs !== undefined && since >= unhealthyMs);
}
