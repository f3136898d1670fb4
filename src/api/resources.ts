/**
 * Resource arithmetic shared by the scheduler and the kubelet: a pod's effective requests
 * (component-helpers/resource: PodRequests — max(sum of containers, max of init containers)
 * plus overhead) and a node's allocatable, in integer milli-CPU, bytes and pod counts.
 */
import { milliValue, unitsValue } from "./quantity.js";
import type { Container, Node, Pod } from "./types.js";

/** Requests or capacity in the units the scheduler compares: milli-CPU, bytes, counts. */
export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
}

function containerRequests(c: Container, out: Resources): void {
  const req = c.resources?.requests;
  if (!req) return;
  out.milliCpu += milliValue(req.cpu);
  out.memory += unitsValue(req.memory);
  out.ephemeralStorage += unitsValue(req["ephemeral-storage"]);
}

/**
 * A pod's effective requests: the larger of the sum of its containers (plus restartable init
 * containers, i.e. sidecars) and each non-sidecar init container; then the pod overhead.
 */
export function podRequests(pod: Pod): Resources {
  const spec = pod.spec;
  const sum: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 1 };
  if (!spec) return sum;
  for (const c of spec.containers ?? []) containerRequests(c, sum);
  // Sidecars run beside everything after them; a regular init container runs with the sidecars
  // declared before it, and the pod needs the larger of that and its steady state.
  const sidecars: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0 };
  const initMax: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0 };
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === "Always") {
      containerRequests(c, sidecars);
      continue;
    }
    const one: Resources = { ...sidecars };
    containerRequests(c, one);
    initMax.milliCpu = Math.max(initMax.milliCpu, one.milliCpu);
    initMax.memory = Math.max(initMax.memory, one.memory);
    initMax.ephemeralStorage = Math.max(initMax.ephemeralStorage, one.ephemeralStorage);
  }
  sum.milliCpu = Math.max(sum.milliCpu + sidecars.milliCpu, initMax.milliCpu);
  sum.memory = Math.max(sum.memory + sidecars.memory, initMax.memory);
  sum.ephemeralStorage = Math.max(sum.ephemeralStorage + sidecars.ephemeralStorage, initMax.ephemeralStorage);
  const overhead = spec.overhead;
  if (overhead) {
    sum.milliCpu += milliValue(overhead.cpu);
    sum.memory += unitsValue(overhead.memory);
  }
  return sum;
}

/** Default requests the scheduler assumes for scoring only (pkg/scheduler/util: 100m CPU, 200 MiB). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * Requests for scoring (NodeResourcesFit/BalancedAllocation): a container with no CPU or memory
 * request counts as 100m / 200Mi (pkg/scheduler/util/pod_resources.go: GetNonzeroRequests).
 */
export function podNonZeroRequests(pod: Pod): { milliCpu: number; memory: number } {
  let milliCpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const req = c.resources?.requests;
    milliCpu += req?.cpu !== undefined ? milliValue(req.cpu) : DEFAULT_MILLI_CPU_REQUEST;
    memory += req?.memory !== undefined ? unitsValue(req.memory) : DEFAULT_MEMORY_REQUEST;
  }
  return { milliCpu, memory };
}

/** A node's allocatable resources (falls back to capacity, as the kubelet reports it). */
export function nodeAllocatable(node: Node): Resources {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return {
    milliCpu: milliValue(a.cpu),
    memory: unitsValue(a.memory),
    ephemeralStorage: unitsValue(a["ephemeral-storage"]),
    pods: unitsValue(a.pods),
  };
}
