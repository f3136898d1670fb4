/**
 * The content of a Service's Endpoints object (endpoints_controller.go syncService,
 * pkg/api/v1/endpoints RepackSubsets): one subset per set of addresses sharing the same ports,
 * ready addresses apart from not-ready ones, sorted; truncated past 1000 addresses.
 */
import type { Endpoints, Mutable, Pod, Service } from "../../api/types.js";
import { isPodReady } from "../pod-utils.js";
import { findPort, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from "./pods.js";

/** One subset of an Endpoints object. */
export type EndpointSubset = NonNullable<Endpoints["subsets"]>[number];
/** An address of a subset. */
export type EndpointAddress = NonNullable<EndpointSubset["addresses"]>[number];
/** A port of a subset. */
export type EndpointPort = NonNullable<EndpointSubset["ports"]>[number];

/** maxCapacity: the most addresses an Endpoints object holds before it is truncated. */
export const MAX_ENDPOINTS_CAPACITY = 1000;

/** Whether the Service has a cluster IP (helper.IsServiceIPSet): not headless, not ExternalName. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== "None";
}

const isIPv6 = (ip: string) => ip.includes(":");

/** The pod address in the Service's IP family (podToEndpointAddressForService), or undefined. */
function addressFor(svc: Service, pod: Pod): EndpointAddress | undefined {
  const family = svc.spec?.ipFamilies?.[0];
  const ips = podIPs(pod);
  const wantV6 = family
    ? family === "IPv6"
    : isServiceIPSet(svc)
      ? isIPv6(svc.spec!.clusterIP!)
      : isIPv6(ips[0] ?? "");
  const ip = ips.find((a) => isIPv6(a) === wantV6);
  if (!ip) return undefined;
  const addr: Mutable<EndpointAddress> = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec!.hostname!;
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  addr.targetRef = {
    kind: "Pod",
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? "",
  };
  return addr;
}

/** The result of one sync: the repacked subsets and how many pods are ready / not ready. */
export interface EndpointsContent {
  subsets: EndpointSubset[];
  totalReady: number;
  totalNotReady: number;
}

/** What one pod adds to a Service's Endpoints: its address, readiness, and resolved ports. */
interface Contribution {
  addr: EndpointAddress;
  ready: boolean;
  /** One entry per resolved Service port; `undefined` for a headless Service without ports. */
  ports: (EndpointPort | undefined)[];
}

// Memo by object identity: stored objects are immutable, so (Service, Pod) always gives the same answer.
const memo = new WeakMap<object, WeakMap<object, Contribution | null>>();

function contribution(svc: Service, pod: Pod): Contribution | null {
  let bySvc = memo.get(svc);
  if (!bySvc) memo.set(svc, (bySvc = new WeakMap()));
  const hit = bySvc.get(pod);
  if (hit !== undefined) return hit;
  const c = computeContribution(svc, pod);
  bySvc.set(pod, c);
  return c;
}

function computeContribution(svc: Service, pod: Pod): Contribution | null {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  if (!shouldPodBeInEndpoints(pod, publishNotReady)) return null;
  const addr = addressFor(svc, pod);
  if (!addr) return null;
  const ready = publishNotReady || isPodReady(pod);
  const svcPorts = svc.spec?.ports ?? [];
  // A headless Service may have no ports: its pods are listed without any.
  if (svcPorts.length === 0)
    return svc.spec?.clusterIP === "None" ? { addr, ready, ports: [undefined] } : null;
  const ports: EndpointPort[] = [];
  for (const sp of svcPorts) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const protocol = sp.protocol ?? "TCP";
    const epp: Mutable<EndpointPort> = sp.name ? { name: sp.name, port, protocol } : { port, protocol };
    if (sp.appProtocol) epp.appProtocol = sp.appProtocol;
    ports.push(epp);
  }
  return { addr, ready, ports };
}

/** The subsets an Endpoints object should have for these pods (the pods the selector matches). */
export function endpointsContent(svc: Service, pods: readonly Pod[]): EndpointsContent {
  const entries: Entry[] = [];
  let totalReady = 0;
  let totalNotReady = 0;
  for (const pod of pods) {
    const c = contribution(svc, pod);
    if (!c) continue;
    for (const port of c.ports) entries.push({ addr: c.addr, ready: c.ready, port });
    if (c.ready) totalReady += c.ports.length;
    else totalNotReady += c.ports.length;
  }
  return { subsets: repackEntries(entries), totalReady, totalNotReady };
}

/** One address offering one port (or none), ready or not: the unpacked form of subsets. */
interface Entry {
  addr: EndpointAddress;
  ready: boolean;
  port: EndpointPort | undefined;
}

const addrKey = (a: EndpointAddress) => `${a.ip}|${a.targetRef?.uid ?? ""}`;
const portKey = (p: EndpointPort | undefined) =>
  p ? `${p.name ?? ""}|${p.port}|${p.protocol ?? ""}|${p.appProtocol ?? ""}` : "";

/** LessEndpointAddress: by IP (byte order), then target UID (none first). */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (ua === undefined) return -1;
  if (ub === undefined) return 1;
  return ua < ub ? -1 : 1;
}

/**
 * RepackSubsets: maps every port to the addresses offering it (not ready wins over ready for the
 * same address and port), groups ports whose address sets are equal, and sorts. Simplification:
 * ports and subsets are ordered by their fields, not by Kubernetes' md5 hash of their dump.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const entries: Entry[] = [];
  for (const ss of subsets) {
    // Subsets without ports (headless Services) keep their addresses under a sentinel port.
    const ports: (EndpointPort | undefined)[] = ss.ports?.length ? ss.ports : [undefined];
    for (const port of ports) {
      for (const addr of ss.addresses ?? []) entries.push({ addr, ready: true, port });
      for (const addr of ss.notReadyAddresses ?? []) entries.push({ addr, ready: false, port });
    }
  }
  return repackEntries(entries);
}

function repackEntries(entries: readonly Entry[]): EndpointSubset[] {
  const portToAddrs = new Map<string, { port: EndpointPort | undefined; ready: Map<string, boolean> }>();
  const addrs = new Map<string, EndpointAddress>();
  for (const { addr, ready, port } of entries) {
    const ak = addrKey(addr);
    if (!addrs.has(ak)) addrs.set(ak, addr);
    const pk = portKey(port);
    let entry = portToAddrs.get(pk);
    if (!entry) portToAddrs.set(pk, (entry = { port, ready: new Map() }));
    if (entry.ready.get(ak) !== false) entry.ready.set(ak, ready);
  }
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, boolean> }>();
  for (const { port, ready } of portToAddrs.values()) {
    // With one port there is nothing to group (the common case, and the costly key is skipped).
    const setKey =
      portToAddrs.size === 1
        ? ""
        : [...ready.entries()]
            .map(([k, r]) => `${k}:${r}`)
            .sort()
            .join(",");
    let g = groups.get(setKey);
    if (!g) groups.set(setKey, (g = { ports: [], ready }));
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addrs.get(k)!);
    const ss: Mutable<EndpointSubset> = {};
    if (ready.length) ss.addresses = ready.sort(compareAddresses);
    if (notReady.length) ss.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length) ss.ports = g.ports.sort((a, b) => cmp(portKey(a), portKey(b)));
    out.push(ss);
  }
  return out.sort((a, b) => cmp(subsetKey(a), subsetKey(b)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const subsetKey = (s: EndpointSubset) =>
  `${portKey(s.ports?.[0])}#${addrKey((s.addresses ?? s.notReadyAddresses ?? [])[0] ?? { ip: "" })}`;

/** The number of addresses (ready and not) in the subsets. */
export function countAddresses(subsets: readonly EndpointSubset[]): number {
  let n = 0;
  for (const ss of subsets) n += (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0);
  return n;
}

/**
 * truncateEndpoints: past MAX_ENDPOINTS_CAPACITY, each subset keeps its share (rounded up) of the
 * capacity, ready addresses first: not-ready ones are cut first, then ready ones. Returns whether
 * it truncated.
 */
export function truncateSubsets(subsets: Mutable<EndpointSubset>[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const ss of subsets) {
    totalReady += ss.addresses?.length ?? 0;
    totalNotReady += ss.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const ss of subsets) {
    const inSubset = (truncateReady ? ss.addresses?.length : ss.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      ss.addresses = (ss.addresses ?? []).slice(0, toBeAdded);
      delete ss.notReadyAddresses;
      canBeAdded -= ss.addresses.length;
    } else {
      ss.notReadyAddresses = (ss.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= ss.notReadyAddresses.length;
    }
    // Empty lists are omitted, as they read back from storage.
    if (ss.addresses?.length === 0) delete ss.addresses;
    if (ss.notReadyAddresses?.length === 0) delete ss.notReadyAddresses;
  }
  return true;
}
