/** Helpers for the pod-level fault tests: heal actions of any form, container status and start/finish times. */
import type { ContainerStatus, Pod } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import type { Action, HealSpec } from "../../src/scenario/types.js";

export { boundPod, cluster, deployment, events, fault, nodes, steps } from "../nodefailure/helpers.js";

const POS = { file: "test.yaml", line: 1, col: 1 };

/** A `heal:` action. */
export function healAt(atMs: number, heal: HealSpec): Action {
  return { kind: "heal", atMs, heal, pos: POS };
}

/** The first container's status of a pod now. */
export function statusOf(c: Cluster, name: string, container = 0): ContainerStatus | undefined {
  return c.api.get<Pod>("Pod", "default", name)?.status?.containerStatuses?.[container];
}

/**
 * When each run of a pod's first container started: the write showing a new running container ID
 * (the kubelet writes the status in the instant the container starts; status times have whole seconds).
 */
export function watchStarts(c: Cluster, name: string): number[] {
  const starts: number[] = [];
  let lastId: string | undefined;
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    const s = (ev.object as Pod).status?.containerStatuses?.[0];
    if (!s?.state?.running || s.containerID === lastId) return;
    lastId = s.containerID;
    starts.push(c.engine.nowMs);
  });
  return starts;
}

/** Times (ms) at which the pod's Ready condition changed, with the new value. */
export function watchReady(c: Cluster, name: string): [number, boolean][] {
  const out: [number, boolean][] = [];
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    const ready =
      (ev.object as Pod).status?.conditions?.some((x) => x.type === "Ready" && x.status === "True") ?? false;
    if (out.at(-1)?.[1] !== ready) out.push([c.engine.nowMs, ready]);
  });
  return out;
}
