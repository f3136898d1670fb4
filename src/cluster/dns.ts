/**
 * Cluster DNS as CoreDNS's kubernetes plugin answers it from the API objects (the Kubernetes DNS
 * specification, kubernetes/dns docs/specification.md): Service A and SRV records from Services and
 * their EndpointSlices, headless Services and their endpoints' hostnames, pod A records, and
 * the search list a pod's resolv.conf gives (`<ns>.svc.cluster.local svc.cluster.local
 * cluster.local`, ndots:5). A pure function of the apiserver's current state.
 */
import type { ApiServer } from "../api/apiserver.js";
import type { EndpointSlice, Service, Stored } from "../api/types.js";

/** The cluster domain (kubelet --cluster-domain). */
export const CLUSTER_DOMAIN = "cluster.local";
/** ndots in a pod's resolv.conf (ClusterFirst DNS policy). */
const NDOTS = 5;

export type DnsType = "A" | "SRV";

/** One answer record; `data` is what `dig +short` prints for it. */
export interface DnsRecord {
  name: string;
  type: "A" | "SRV" | "CNAME";
  data: string;
}

/** A response: NXDOMAIN, or NOERROR with answers (none for a name without records of the type). */
export interface DnsResponse {
  rcode: "NOERROR" | "NXDOMAIN";
  /** The fully qualified name that answered (the last one tried for NXDOMAIN). */
  name: string;
  answers: DnsRecord[];
}

export interface ResolveOptions {
  type?: DnsType;
  /** The namespace of the asking pod, which decides its search list (default `default`). */
  namespace?: string;
}

const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/**
 * Resolves `name` as a pod in `namespace` would: a name with a trailing dot is absolute; one with
 * fewer than 5 dots tries the search list first, then itself; others the reverse. The first
 * candidate with answers wins; if none has any, NOERROR when a candidate exists, else NXDOMAIN.
 */
export function resolveDns(api: ApiServer, name: string, opts: ResolveOptions = {}): DnsResponse {
  const type = opts.type ?? "A";
  const ns = opts.namespace ?? "default";
  const q = name.toLowerCase();
  const search = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  let candidates: string[];
  if (q.endsWith(".")) candidates = [q.slice(0, -1)];
  else {
    const searched = search.map((d) => `${q}.${d}`);
    const dots = q.split(".").length - 1;
    candidates = dots >= NDOTS ? [q, ...searched] : [...searched, q];
  }
  let nodata: DnsResponse | undefined;
  let last: DnsResponse | undefined;
  for (const fqdn of candidates) {
    const r = lookup(api, fqdn, type);
    if (r.answers.length > 0) return r;
    if (r.rcode === "NOERROR") nodata ??= r;
    last = r;
  }
  return nodata ?? last!;
}

const nx = (name: string): DnsResponse => ({ rcode: "NXDOMAIN", name, answers: [] });
const ok = (name: string, answers: DnsRecord[]): DnsResponse => ({ rcode: "NOERROR", name, answers });

/** One query for a fully qualified name (no trailing dot), as the kubernetes plugin answers it. */
export function lookup(api: ApiServer, fqdn: string, type: DnsType): DnsResponse {
  const zone = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(zone)) return nx(fqdn); // Simplification: no upstream DNS for names outside the cluster.
  const labels = fqdn.slice(0, -zone.length).split(".");
  const kind = labels.at(-1);
  if (kind === "pod" && labels.length === 3) return podRecord(api, fqdn, labels[0]!, labels[1]!, type);
  if (kind !== "svc" || labels.length < 3) return nx(fqdn);
  const [svcName, ns] = [labels.at(-3)!, labels.at(-2)!];
  const svc = api.get<Service>("Service", ns, svcName);
  if (!svc) return nx(fqdn);
  const rest = labels.slice(0, -3);
  if (rest.length === 0) return serviceRecords(api, fqdn, svc, type, undefined);
  if (rest.length === 2 && rest[0]!.startsWith("_") && rest[1]!.startsWith("_")) {
    return serviceRecords(api, fqdn, svc, type, { port: rest[0]!.slice(1), proto: rest[1]!.slice(1) });
  }
  if (rest.length === 1) return endpointRecords(api, fqdn, svc, rest[0]!, type);
  return nx(fqdn);
}

/** `<a>-<b>-<c>-<d>.<ns>.pod.cluster.local` (the plugin's `pods insecure` mode: the name is the address). */
function podRecord(api: ApiServer, fqdn: string, host: string, ns: string, type: DnsType): DnsResponse {
  if (!api.get("Namespace", undefined, ns)) return nx(fqdn);
  const ip = host.split("-").join(".");
  if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) || ip.split(".").some((o) => Number(o) > 255)) return nx(fqdn);
  return ok(fqdn, type === "A" ? [{ name: fqdn, type: "A", data: ip }] : []);
}

interface ReadyEndpoint {
  ip: string;
  /** The endpoint's hostname, or its address with dashes (the plugin's default endpoint name). */
  host: string;
  ports: { name: string; protocol: string; port: number }[];
}

/** Ready endpoints of a Service, from its EndpointSlices (CoreDNS reads slices), ordered by address. */
function readyEndpoints(api: ApiServer, svc: Stored<Service>): ReadyEndpoint[] {
  const slices = api.list<EndpointSlice>("EndpointSlice", {
    namespace: svc.metadata.namespace ?? "",
    indexLabel: [SERVICE_NAME_LABEL, svc.metadata.name],
  });
  const out: ReadyEndpoint[] = [];
  const seen = new Set<string>();
  for (const s of slices) {
    if (s.addressType !== "IPv4") continue;
    const ports = (s.ports ?? []).map((p) => ({
      name: (p.name ?? "").toLowerCase(),
      protocol: (p.protocol ?? "TCP").toLowerCase(),
      port: p.port ?? 0,
    }));
    for (const ep of s.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        const host = (ep.hostname ?? ip.split(".").join("-")).toLowerCase();
        if (seen.has(`${host}|${ip}`)) continue;
        seen.add(`${host}|${ip}`);
        out.push({ ip, host, ports });
      }
    }
  }
  return out.sort((a, b) => compareIPs(a.ip, b.ip) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

function compareIPs(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * SRV weight as CoreDNS computes it: priority 0 for all, weight 100 split evenly (floor, at least 1).
 * Simplification: answers come in a fixed order (CoreDNS's loadbalance plugin shuffles them).
 */
function srv(name: string, n: number, port: number, target: string): DnsRecord {
  const weight = Math.max(1, Math.floor(100 / n));
  return { name, type: "SRV", data: `0 ${weight} ${port} ${target}.` };
}

const portMatches = (want: { port: string; proto: string } | undefined, name: string, proto: string) =>
  !want || (want.port === name.toLowerCase() && want.proto === proto.toLowerCase());

/** `<svc>.<ns>.svc` and `_<port>._<proto>.<svc>.<ns>.svc`. */
function serviceRecords(
  api: ApiServer,
  fqdn: string,
  svc: Stored<Service>,
  type: DnsType,
  want: { port: string; proto: string } | undefined,
): DnsResponse {
  const spec = svc.spec ?? {};
  const base = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
  if (spec.type === "ExternalName") {
    const target = (spec.externalName ?? "").replace(/\.$/, "");
    if (type === "A") return ok(fqdn, want ? [] : [{ name: fqdn, type: "CNAME", data: `${target}.` }]);
    const ports = (spec.ports ?? []).filter((p) => portMatches(want, p.name ?? "", p.protocol ?? "TCP"));
    return ok(
      fqdn,
      ports.map((p) => srv(fqdn, ports.length, p.port, target)),
    );
  }
  if (spec.clusterIP && spec.clusterIP !== "None") {
    const ports = (spec.ports ?? []).filter((p) => portMatches(want, p.name ?? "", p.protocol ?? "TCP"));
    if (want && ports.length === 0) return nx(fqdn);
    if (type === "A") return ok(fqdn, [{ name: fqdn, type: "A", data: spec.clusterIP }]);
    return ok(
      fqdn,
      ports.map((p) => srv(fqdn, ports.length, p.port, base)),
    );
  }
  // Headless: the ready endpoints themselves; none at all is NXDOMAIN (spec 2.4.1).
  const eps = readyEndpoints(api, svc);
  if (eps.length === 0) return nx(fqdn);
  if (type === "A") {
    const ips = [...new Set(eps.map((e) => e.ip))];
    return ok(
      fqdn,
      ips.map((ip) => ({ name: fqdn, type: "A", data: ip })),
    );
  }
  const pairs = eps.flatMap((e) =>
    e.ports.filter((p) => portMatches(want, p.name, p.protocol)).map((p) => ({ e, p })),
  );
  if (want && pairs.length === 0) return nx(fqdn);
  const records = pairs.map(({ e, p }) => srv(fqdn, pairs.length, p.port, `${e.host}.${base}`));
  return ok(
    fqdn,
    records.sort((a, b) => (a.data < b.data ? -1 : a.data > b.data ? 1 : 0)),
  );
}

/** `<hostname>.<svc>.<ns>.svc`: a ready endpoint of a headless Service, by hostname or dashed address. */
function endpointRecords(
  api: ApiServer,
  fqdn: string,
  svc: Stored<Service>,
  host: string,
  type: DnsType,
): DnsResponse {
  if (svc.spec?.clusterIP !== "None") return nx(fqdn);
  const eps = readyEndpoints(api, svc).filter((e) => e.host === host);
  if (eps.length === 0) return nx(fqdn);
  return ok(fqdn, type === "A" ? eps.map((e) => ({ name: fqdn, type: "A", data: e.ip })) : []);
}
