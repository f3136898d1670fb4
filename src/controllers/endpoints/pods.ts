/**
 * Pod rules shared by the Endpoints and EndpointSlice controllers (k8s.io/endpointslice/util
 * controller_utils.go, utils.go): which pods are endpoints, their hostname, ports and changes.
 */
import type { Pod, Service } from "../../api/types.js";
import { isPodReady } from "../pod-utils.js";

/** One port of a Service spec. */
export type ServicePort = NonNullable<NonNullable<Service["spec"]>["ports"]>[number];

/**
 * ShouldPodBeInEndpoints: not terminal (Succeeded/Failed), has an IP, and — unless
 * `includeTerminating` — not being deleted.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/** ShouldSetHostname: the pod names a hostname and its subdomain is this Service (same namespace). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (
    !!pod.spec?.hostname &&
    pod.spec.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
  );
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up among the ports of the
 * pod's containers (and restartable init containers, the sidecars) with the same protocol.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === "number") return target;
  const protocol = svcPort.protocol ?? "TCP";
  const spec = pod.spec;
  const sidecars = (spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  for (const c of [...(spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The pod's IPs (status.podIPs, else status.podIP). */
export function podIPs(pod: Pod): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip ?? "").filter((ip) => ip !== "");
  if (ips?.length) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

/**
 * podEndpointsChanged: `podChanged` when the pod's endpoint may differ (deletion started,
 * readiness, IPs); `labelsChanged` when the Services selecting it may differ (labels, or
 * hostname/subdomain, which decide an endpoint's hostname).
 */
export function podEndpointsChanged(old: Pod, cur: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(old.metadata?.labels, cur.metadata?.labels) ||
    old.spec?.hostname !== cur.spec?.hostname ||
    old.spec?.subdomain !== cur.spec?.subdomain;
  const podChanged =
    old.metadata?.deletionTimestamp !== cur.metadata?.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    podIPs(old).join(",") !== podIPs(cur).join(",");
  return { podChanged, labelsChanged };
}
