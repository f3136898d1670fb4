/**
 * Service ClusterIP and NodePort allocation, as the apiserver's Service storage does it before a
 * Service is stored (pkg/registry/core/service/storage/alloc.go, ipallocator, portallocator),
 * modelled as an admission hook. Allocations follow the stored Services (an observer), so a request
 * that fails after the hook allocates nothing, and deleting a Service releases what it held.
 */
import type { WatchEvent } from "./apiserver.js";
import type { SimContext } from "./context.js";
import { ApiError, type FieldError, formatFieldError } from "./errors.js";
import type { KubeObject, Mutable, Service } from "./types.js";
import { isValidIP } from "./validation.js";

/** The service CIDR (`--service-cluster-ip-range`, kubeadm's default). */
export const SERVICE_CIDR = "10.96.0.0/12";
/** `--service-node-port-range`. */
export const NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;
const PORT_RANGE_TEXT = `${NODE_PORT_RANGE.base}-${NODE_PORT_RANGE.base + NODE_PORT_RANGE.size - 1}`;

type Spec = Mutable<NonNullable<Service["spec"]>>;
type ReadSpec = NonNullable<Service["spec"]>;

/** An IPv4 address as an unsigned 32-bit number. */
export function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

/** The dotted form of an unsigned 32-bit number. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

const isIPv4 = (s: string) => isValidIP(s) && !s.includes(":");

/**
 * A range of integers [first, first + size) split by `offset` into a lower band for static
 * requests and an upper band dynamic allocation prefers (KEP-3070 / KEP-3668): a random start in
 * the upper band, scanning upward with wrap-around, then the same in the lower band.
 */
class BandedRange {
  constructor(
    readonly first: number,
    readonly size: number,
    readonly offset: number,
    private readonly draw: (n: number) => number,
  ) {}

  contains(v: number): boolean {
    return v >= this.first && v < this.first + this.size;
  }

  /** The next free value (ipallocator allocateNextService / randomScanStrategyWithOffset), or undefined when full. */
  next(taken: (v: number) => boolean): number | undefined {
    const upper = this.size - this.offset;
    if (upper > 0) {
      const hit = this.scan(this.first + this.offset, upper, this.draw(upper), taken);
      if (hit !== undefined) return hit;
    }
    return this.offset > 0 ? this.scan(this.first, this.offset, this.draw(this.offset), taken) : undefined;
  }

  private scan(
    start: number,
    length: number,
    from: number,
    taken: (v: number) => boolean,
  ): number | undefined {
    for (let i = 0; i < length; i++) {
      const v = start + ((from + i) % length);
      if (!taken(v)) return v;
    }
    return undefined;
  }
}

/** calculateRangeOffset: min(max(min, size/step), max), 0 for ranges of `min` or fewer. */
function rangeOffset(size: number, min: number, step: number, max: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

/** Go's `%#v` of a []string, as the apiserver prints clusterIPs in its messages. */
function goStrings(list: readonly string[]): string {
  return `[]string{${list.map((s) => JSON.stringify(s)).join(", ")}}`;
}

/** A field error whose value is printed verbatim (Go formatting the shared formatter lacks). */
interface RawFieldError {
  field: string;
  valueText: string;
  detail: string;
}

function serviceInvalid(name: string, errs: (FieldError | RawFieldError)[]): ApiError {
  const text = errs.map((e) =>
    "valueText" in e ? `${e.field}: Invalid value: ${e.valueText}: ${e.detail}` : formatFieldError(e),
  );
  const body = text.length === 1 ? text[0] : `[${text.join(", ")}]`;
  const fieldErrors = errs.map(
    (e): FieldError =>
      "valueText" in e ? { type: "Invalid", field: e.field, value: e.valueText, detail: e.detail } : e,
  );
  return new ApiError("Invalid", `Service "${name}" is invalid: ${body}`, fieldErrors);
}

const needsClusterIP = (s: ReadSpec | undefined) => s !== undefined && s.type !== "ExternalName";
const needsNodePort = (s: ReadSpec | undefined) =>
  s?.type === "NodePort" || (s?.type === "LoadBalancer" && s.allocateLoadBalancerNodePorts !== false);
const needsHealthCheck = (s: ReadSpec | undefined) =>
  s?.type === "LoadBalancer" && s.externalTrafficPolicy === "Local";
const isHeadless = (s: ReadSpec) => s.clusterIP === "None" || s.clusterIPs?.[0] === "None";
const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
const nodePortsOf = (s: ReadSpec | undefined) =>
  (s?.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n);

/** Whether the fields allocation reads have the types it expects. */
function wellFormed(spec: Spec): boolean {
  const strings = (v: unknown) =>
    v === undefined || (Array.isArray(v) && v.every((x) => typeof x === "string"));
  return (
    (spec.clusterIP === undefined || typeof spec.clusterIP === "string") &&
    strings(spec.clusterIPs) &&
    strings(spec.ipFamilies) &&
    (spec.ports === undefined ||
      (Array.isArray(spec.ports) && spec.ports.every((p) => typeof p === "object" && p !== null)))
  );
}

/** What a stored Service holds: its cluster IPs and node ports. */
function holdings(svc: KubeObject): { ips: number[]; ports: number[] } {
  const spec = svc.spec as ReadSpec | undefined;
  const ips = new Set<number>();
  for (const ip of [spec?.clusterIP, ...(spec?.clusterIPs ?? [])]) if (ip && isIPv4(ip)) ips.add(ipToInt(ip));
  const ports = nodePortsOf(spec);
  if (spec?.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return { ips: [...ips], ports };
}

/** The Service allocators of one apiserver: ClusterIPs from SERVICE_CIDR and NodePorts from NODE_PORT_RANGE. */
export class ServiceAllocator {
  private readonly ipOwners = new Map<number, string>();
  private readonly portOwners = new Map<number, string>();
  readonly ipRange: BandedRange;
  readonly portRange: BandedRange;

  constructor(ctx: Pick<SimContext, "api" | "rng">) {
    const [base, bits] = SERVICE_CIDR.split("/");
    const total = 2 ** (32 - Number(bits));
    const ipRng = ctx.rng.fork("apiserver/service-ip");
    const portRng = ctx.rng.fork("apiserver/node-port");
    // Neither the network address nor the broadcast address is handed out.
    this.ipRange = new BandedRange(ipToInt(base!) + 1, total - 2, rangeOffset(total, 16, 16, 256), (n) =>
      ipRng.int(n),
    );
    const { base: portBase, size } = NODE_PORT_RANGE;
    this.portRange = new BandedRange(portBase, size, rangeOffset(size, 16, 32, 128), (n) => portRng.int(n));
    ctx.api.observe((ev) => this.onChange(ev));
    ctx.api.addAdmission((_op, obj, old) => {
      if (obj.kind === "Service") this.admit(obj as Mutable<Service>, old as Service | undefined);
    });
  }

  /** The service holding this cluster IP, if any. */
  ipOwner(ip: string): string | undefined {
    return this.ipOwners.get(ipToInt(ip));
  }

  /** The service holding this node port, if any. */
  portOwner(port: number): string | undefined {
    return this.portOwners.get(port);
  }

  private onChange(ev: WatchEvent): void {
    if (ev.object.kind !== "Service") return;
    const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
    if (ev.old) {
      const before = holdings(ev.old);
      for (const ip of before.ips) if (this.ipOwners.get(ip) === key) this.ipOwners.delete(ip);
      for (const p of before.ports) if (this.portOwners.get(p) === key) this.portOwners.delete(p);
    }
    if (ev.type === "DELETED") return;
    const now = holdings(ev.object);
    for (const ip of now.ips) this.ipOwners.set(ip, key);
    for (const p of now.ports) this.portOwners.set(p, key);
  }

  /** The Service REST create/update path up to storage: normalize, default families, allocate. */
  private admit(svc: Mutable<Service>, old: Service | undefined): void {
    const spec = svc.spec as Spec | undefined;
    if (!spec || !wellFormed(spec)) return; // validation reports malformed specs
    const name = svc.metadata?.name ?? "";
    const before = old?.spec;
    if (before) {
      dropTypeDependentFields(spec, before);
      patchAllocatedValues(spec, before);
    }
    normalizeClusterIPs(spec, before);
    if (!needsClusterIP(spec)) return;
    const errs = initIPFamilyFields(spec, before, svc.spec?.selector);
    if (errs === undefined) return; // malformed IPs: validation reports them
    if (errs.length > 0) throw serviceInvalid(name, errs);
    if (!before || !needsClusterIP(before)) this.allocateClusterIP(name, spec);
    const pending = new Set<number>();
    this.allocateNodePorts(name, spec, before, pending);
    this.allocateHealthCheckNodePort(name, spec, before, pending);
  }

  /** allocClusterIPs: none for headless; the requested IP if free and in range; else the next free one. */
  private allocateClusterIP(name: string, spec: Spec): void {
    if (isHeadless(spec)) return;
    const requested = spec.clusterIPs?.[0];
    if (requested) {
      const n = ipToInt(requested);
      let why: string | undefined;
      if (!this.ipRange.contains(n))
        why = `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`;
      else if (this.ipOwners.has(n)) why = "provided IP is already allocated";
      if (why) {
        throw serviceInvalid(name, [
          {
            field: "spec.clusterIPs",
            valueText: goStrings(spec.clusterIPs ?? []),
            detail: `failed to allocate IP ${requested}: ${why}`,
          },
        ]);
      }
      return;
    }
    const n = this.ipRange.next((v) => this.ipOwners.has(v));
    if (n === undefined) throw internalError("failed to allocate a serviceIP: range is full");
    const ip = intToIp(n);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  private takePort(name: string, path: string, port: number, pending: Set<number>): void {
    let why: string | undefined;
    if (!this.portRange.contains(port))
      why = `provided port is not in the valid range. The range of valid ports is ${PORT_RANGE_TEXT}`;
    else if (this.portOwners.has(port) || pending.has(port)) why = "provided port is already allocated";
    if (why) throw serviceInvalid(name, [{ type: "Invalid", field: path, value: port, detail: why }]);
    pending.add(port);
  }

  private nextPort(pending: Set<number>, what = "a nodePort"): number {
    const port = this.portRange.next((v) => this.portOwners.has(v) || pending.has(v));
    if (port === undefined) throw internalError(`failed to allocate ${what}: range is full`);
    pending.add(port);
    return port;
  }

  /**
   * initNodePorts (create) and updateNodePorts (update): requested ports are reserved, missing ones
   * allocated. On create, ports with the same number share one node port (TCP and UDP of a port).
   */
  private allocateNodePorts(name: string, spec: Spec, before: ReadSpec | undefined, pending: Set<number>) {
    if (!needsNodePort(spec)) return;
    const allocate = spec.type === "NodePort" || spec.allocateLoadBalancerNodePorts !== false;
    const held = new Set(nodePortsOf(before));
    const byPortNumber = new Map<number, number>();
    (spec.ports ?? []).forEach((p, i) => {
      if (!p.nodePort && !allocate) return;
      const path = `spec.ports[${i}].nodePort`;
      if (before) {
        if (!p.nodePort) p.nodePort = this.nextPort(pending);
        else if (!held.has(p.nodePort) && !pending.has(p.nodePort))
          this.takePort(name, path, p.nodePort, pending);
        return;
      }
      const shared = byPortNumber.get(p.port);
      if (shared === undefined) {
        const requested = (spec.ports ?? []).find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested) this.takePort(name, path, requested, pending);
        p.nodePort = requested || this.nextPort(pending);
        byPortNumber.set(p.port, p.nodePort);
      } else if (p.nodePort !== shared) {
        if (p.nodePort) this.takePort(name, path, p.nodePort, pending);
        else p.nodePort = shared;
      }
    });
  }

  /** allocHealthCheckNodePort: LoadBalancer services with externalTrafficPolicy Local get one. */
  private allocateHealthCheckNodePort(
    name: string,
    spec: Spec,
    before: ReadSpec | undefined,
    pending: Set<number>,
  ): void {
    if (!needsHealthCheck(spec) || (needsHealthCheck(before) && spec.healthCheckNodePort)) return;
    if (spec.healthCheckNodePort) {
      this.takePort(name, "spec.healthCheckNodePort", spec.healthCheckNodePort, pending);
      return;
    }
    spec.healthCheckNodePort = this.nextPort(pending, "a HealthCheck NodePort");
  }
}

// Simplification: an exhausted range is reported with reason BadRequest (Kubernetes: InternalError, 500).
function internalError(message: string): ApiError {
  return new ApiError("BadRequest", `Internal error occurred: ${message}`);
}

/** normalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one. */
function normalizeClusterIPs(spec: Spec, before: ReadSpec | undefined): void {
  if (!before) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (before.clusterIPs?.length && !spec.clusterIPs?.length && before.clusterIP === spec.clusterIP)
    spec.clusterIPs = [...before.clusterIPs];
  if (before.clusterIP === spec.clusterIP) return;
  if (before.clusterIP && !spec.clusterIP) {
    if (sameList(before.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
  } else if (sameList(before.clusterIPs, spec.clusterIPs) && spec.clusterIP) {
    spec.clusterIPs = [spec.clusterIP];
  }
}

/** patchAllocatedValues: a resubmitted manifest without the allocated values keeps them. */
function patchAllocatedValues(spec: Spec, before: ReadSpec): void {
  if (needsClusterIP(before) && needsClusterIP(spec)) {
    if (!spec.clusterIP && before.clusterIP) spec.clusterIP = before.clusterIP;
    if (!spec.clusterIPs?.length && before.clusterIPs?.length) spec.clusterIPs = [...before.clusterIPs];
  }
  if (needsNodePort(before) && needsNodePort(spec)) {
    const used = new Set(nodePortsOf(spec));
    const byName = new Map((before.ports ?? []).map((p) => [p.name ?? "", p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      const oldPort = byName.get(p.name ?? "") ?? 0;
      if (!p.nodePort && oldPort && !used.has(oldPort)) p.nodePort = oldPort;
    }
  }
  if (needsHealthCheck(before) && needsHealthCheck(spec) && !spec.healthCheckNodePort)
    spec.healthCheckNodePort = before.healthCheckNodePort;
}

/** dropTypeDependentFields (service strategy): fields the new type does not use are wiped if unchanged. */
function dropTypeDependentFields(spec: Spec, before: ReadSpec): void {
  if (needsClusterIP(before) && !needsClusterIP(spec)) {
    if (spec.clusterIP === before.clusterIP && sameList(spec.clusterIPs, before.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(spec.ipFamilies, before.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === before.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(before) && !needsNodePort(spec) && sameList(nodePortsOf(spec), nodePortsOf(before))) {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (
    needsHealthCheck(before) &&
    !needsHealthCheck(spec) &&
    spec.healthCheckNodePort === before.healthCheckNodePort
  ) {
    delete spec.healthCheckNodePort;
  }
  if (!externallyAccessible(spec) && spec.externalTrafficPolicy === before.externalTrafficPolicy)
    delete spec.externalTrafficPolicy;
  if (
    spec.type !== "LoadBalancer" &&
    spec.allocateLoadBalancerNodePorts === before.allocateLoadBalancerNodePorts
  )
    delete spec.allocateLoadBalancerNodePorts;
  if (spec.type === "ExternalName" && spec.internalTrafficPolicy === before.internalTrafficPolicy)
    delete spec.internalTrafficPolicy;
}

const externallyAccessible = (s: ReadSpec) =>
  s.type === "LoadBalancer" || s.type === "NodePort" || (s.type === "ClusterIP" && !!s.externalIPs?.length);

/**
 * initIPFamilyFields on a single-stack IPv4 cluster: default ipFamilyPolicy and ipFamilies and
 * reject what this cluster cannot serve. Returns undefined when clusterIPs are malformed (left to
 * validation), else the errors (empty when fine).
 */
function initIPFamilyFields(
  spec: Spec,
  before: ReadSpec | undefined,
  selector: Readonly<Record<string, string>> | undefined,
): (FieldError | RawFieldError)[] | undefined {
  const selectorless = !selector || Object.keys(selector).length === 0;
  const headlessSelectorless = spec.clusterIP === "None" && selectorless;
  spec.ipFamilyPolicy ??=
    before?.ipFamilyPolicy ?? (headlessSelectorless ? "RequireDualStack" : "SingleStack");
  const ips = spec.clusterIPs ?? [];
  const errs: (FieldError | RawFieldError)[] = [];
  const ipsText = goStrings(ips);
  if (spec.clusterIP && ips[0] !== spec.clusterIP)
    errs.push({ field: "spec.clusterIPs", valueText: ipsText, detail: "first value must match `clusterIP`" });
  if (!spec.clusterIP && ips.length > 0)
    errs.push({
      field: "spec.clusterIPs",
      valueText: ipsText,
      detail: "must be empty when `clusterIP` is not specified",
    });
  if (ips.some((ip, i) => !(i === 0 && ip === "None") && !isValidIP(ip))) return undefined;
  const policies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
  if (!policies.includes(spec.ipFamilyPolicy))
    errs.push({
      type: "Unsupported",
      field: "spec.ipFamilyPolicy",
      value: spec.ipFamilyPolicy,
      supported: policies,
    });
  ips.forEach((ip, i) => {
    if (ip !== "None" && !isIPv4(ip))
      errs.push({
        field: `spec.clusterIPs[${i}]`,
        valueText: ipsText,
        detail: "IPv6 is not configured on this cluster",
      });
  });
  if (errs.length > 0) return errs;
  if (headlessSelectorless) {
    spec.ipFamilies ??= ["IPv4"];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== "SingleStack")
      spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === "IPv4" ? "IPv6" : "IPv4"];
    return errs;
  }
  if (spec.ipFamilyPolicy === "RequireDualStack")
    errs.push({
      type: "Invalid",
      field: "spec.ipFamilyPolicy",
      value: "RequireDualStack",
      detail: "this cluster is not configured for dual-stack services",
    });
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== "IPv4")
      errs.push({
        type: "Invalid",
        field: `spec.ipFamilies[${i}]`,
        value: f,
        detail: "not configured on this cluster",
      });
  });
  if (!spec.ipFamilies?.length) spec.ipFamilies = ["IPv4"];
  return errs;
}

/** The `kubernetes` Service the apiserver keeps in `default` (controlplane kubernetesservice controller). */
export function kubernetesService(): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP: intToIp(ipToInt(SERVICE_CIDR.split("/")[0]!) + 1),
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
      sessionAffinity: "None",
    },
  };
}

/**
 * Registers Service allocation with the apiserver and creates the `kubernetes` Service (10.96.0.1).
 * Simplification: the `kubernetes` Service has no Endpoints (no apiserver address is modelled).
 */
export function startServiceAllocator(ctx: Pick<SimContext, "api" | "rng">): ServiceAllocator {
  const allocator = new ServiceAllocator(ctx);
  if (!ctx.api.get("Service", "default", "kubernetes")) ctx.api.create(kubernetesService());
  return allocator;
}
