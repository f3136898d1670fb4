/**
 * EndpointSlice building blocks (k8s.io/endpointslice utils.go, util/endpointset.go): a pod as a
 * slice endpoint, a Service's ports for a pod, the keys endpoints and port sets are grouped by,
 * and a slice's labels.
 */
import type { EndpointSlice, Mutable, Node, Pod, Service } from "../../api/types.js";
import { isPodReady } from "../pod-utils.js";
import { findPort, podIPs, shouldSetHostname } from "./pods.js";
import { isServiceIPSet } from "./subsets.js";

/** One endpoint of a slice. */
export type SliceEndpoint = EndpointSlice["endpoints"][number];
/** One port of a slice. */
export type SlicePort = NonNullable<EndpointSlice["ports"]>[number];

/** discovery.LabelServiceName. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
/** discovery.LabelManagedBy. */
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
/** The managed-by value of the EndpointSlice controller (controllerQualifiedName). */
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
const HEADLESS_LABEL = "service.kubernetes.io/headless";
const ZONE_LABEL = "topology.kubernetes.io/zone";

const isIPv6 = (ip: string) => ip.includes(":");

/**
 * podToEndpoint: serving = the pod is Ready; terminating = it is being deleted; ready = serving
 * and not terminating (always true when the Service publishes not-ready addresses).
 */
export function podToEndpoint(
  pod: Pod,
  node: Node | undefined,
  svc: Service,
  addressType: string,
): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Mutable<SliceEndpoint> = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === "IPv6")),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname!;
  ep.targetRef = {
    kind: "Pod",
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? "",
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** getEndpointPorts: the Service's ports resolved for this pod (ports it cannot resolve are left out). */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0 && svc.spec?.clusterIP === "None") return [];
  const out: SlicePort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: Mutable<SlicePort> = { name: sp.name ?? "", protocol: sp.protocol ?? "TCP", port };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** NewPortMapKey: identifies a set of ports regardless of order. */
export function portMapKey(ports: readonly SlicePort[] | null | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ""}/${p.protocol ?? ""}/${p.port ?? ""}/${p.appProtocol ?? ""}`)
    .sort()
    .join(",");
}

/** hashEndpoint: an endpoint's identity — its addresses, hostname and target pod. */
export function endpointKey(ep: SliceEndpoint): string {
  const ref = ep.targetRef;
  return `${[...ep.addresses].sort().join(",")}|${ep.hostname ?? ""}|${ref?.namespace ?? ""}/${ref?.name ?? ""}`;
}

function sameRef(a: SliceEndpoint["targetRef"], b: SliceEndpoint["targetRef"]): boolean {
  if (!a || !b) return a === b;
  return (
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.uid === b.uid &&
    a.apiVersion === b.apiVersion &&
    a.fieldPath === b.fieldPath
  );
}

/** EndpointsEqualBeyondHash: same node, zone, conditions and target (uid included). */
export function endpointsEqualBeyondHash(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    ca.ready === cb.ready &&
    ca.serving === cb.serving &&
    ca.terminating === cb.terminating &&
    sameRef(a.targetRef, b.targetRef)
  );
}

/** getAddressTypesForService: from ipFamilies; without them, the ClusterIP's family, or both for headless. */
export function addressTypes(svc: Service): string[] {
  const families = svc.spec?.ipFamilies ?? [];
  if (families.length > 0) return [...new Set(families.filter((f) => f === "IPv4" || f === "IPv6"))];
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec!.clusterIP!) ? "IPv6" : "IPv4"];
  return ["IPv4", "IPv6"];
}

const RESERVED = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

function withoutReserved(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels ?? {}).sort()) if (!RESERVED.has(k)) out[k] = labels![k]!;
  return out;
}

/**
 * setEndpointSliceLabels: the Service's labels plus the reserved ones (service name, managed-by,
 * headless), and whether the slice's own non-reserved labels differ from the Service's.
 */
export function sliceLabels(
  slice: EndpointSlice | undefined,
  svc: Service,
): [Record<string, string>, boolean] {
  const mine = withoutReserved(slice?.metadata?.labels);
  const want = withoutReserved(svc.metadata?.labels);
  const changed = JSON.stringify(mine) !== JSON.stringify(want);
  if (!isServiceIPSet(svc)) want[HEADLESS_LABEL] = "";
  want[SERVICE_NAME_LABEL] = svc.metadata?.name ?? "";
  want[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(want).sort()) sorted[k] = want[k]!;
  return [sorted, changed];
}
