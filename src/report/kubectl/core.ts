/** `kubectl get` tables of the core kinds around workloads: services, endpoints, config, events. */

import { ageSince } from "./age.js";
import { type Any, age, cols, type KindTable, listWithMore, NAME, wideCols } from "./columns.js";

/** Load-balancer ingress addresses, sorted and de-duplicated; clipped to 16 bytes unless wide. */
function loadBalancerAddresses(o: Any, wide: boolean): string {
  const set = new Set<string>();
  for (const i of (o.status?.loadBalancer?.ingress ?? []) as Any[]) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  const r = [...set].sort().join(",");
  return !wide && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}

/** getServiceExternalIP: what the EXTERNAL-IP column shows for each service type. */
function serviceExternalIP(o: Any, wide: boolean): string {
  const externalIPs = (o.spec?.externalIPs ?? []) as string[];
  switch (o.spec?.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerAddresses(o, wide);
      if (externalIPs.length) return [...(lb ? lb.split(",") : []), ...externalIPs].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return o.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

/** `80/TCP,443:30443/TCP`. */
function servicePorts(o: Any): string {
  const ports = ((o.spec?.ports ?? []) as Any[]).map((p) => {
    const proto = p.protocol ?? "TCP";
    return p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return ports.join(",") || "<none>";
}

export const SERVICE: KindTable = {
  columns: [NAME, ...cols("TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"), ...wideCols("SELECTOR")],
  row(o, ctx) {
    const selector = Object.entries((o.spec?.selector ?? {}) as Record<string, string>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    return [
      o.metadata.name,
      // The apiserver defaults the type to ClusterIP.
      o.spec?.type ?? "ClusterIP",
      o.spec?.clusterIPs?.[0] ?? o.spec?.clusterIP ?? "<none>",
      serviceExternalIP(o, ctx.wide),
      servicePorts(o),
      age(o, ctx),
      selector || "<none>",
    ];
  },
};

const hostPort = (ip: string, port: number) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatEndpoints: `10.244.1.5:80,10.244.2.7:80 + 1 more...`; `<none>` without subsets. */
function formatEndpoints(o: Any): string {
  const subsets = (o.subsets ?? []) as Any[];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  for (const ss of subsets) {
    const addresses = (ss.addresses ?? []) as Any[];
    const ports = (ss.ports ?? []) as Any[];
    // Headless services may have no ports: then the addresses alone.
    if (ports.length === 0) for (const a of addresses) list.push(a.ip);
    for (const p of ports) for (const a of addresses) list.push(hostPort(a.ip, p.port));
  }
  return listWithMore(list, 3, "");
}

export const ENDPOINTS: KindTable = {
  columns: [NAME, ...cols("ENDPOINTS", "AGE")],
  row: (o, ctx) => [o.metadata.name, formatEndpoints(o), age(o, ctx)],
};

export const ENDPOINT_SLICE: KindTable = {
  columns: [NAME, ...cols("ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE")],
  row(o, ctx) {
    const ports = ((o.ports ?? []) as Any[]).map((p) => (p.port != null ? String(p.port) : (p.name ?? "*")));
    const addresses = ((o.endpoints ?? []) as Any[]).flatMap((e) => (e.addresses ?? []) as string[]);
    return [
      o.metadata.name,
      o.addressType ?? "",
      listWithMore(ports, 3, "<unset>"),
      listWithMore(addresses, 3, "<unset>"),
      age(o, ctx),
    ];
  },
};

export const NAMESPACE: KindTable = {
  columns: [NAME, ...cols("STATUS", "AGE")],
  // The apiserver sets phase Active on create (namespace strategy PrepareForCreate).
  row: (o, ctx) => [o.metadata.name, o.status?.phase ?? "Active", age(o, ctx)],
};

export const CONFIG_MAP: KindTable = {
  columns: [NAME, ...cols("DATA", "AGE")],
  row: (o, ctx) => [
    o.metadata.name,
    String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length),
    age(o, ctx),
  ],
};

export const SECRET: KindTable = {
  columns: [NAME, ...cols("TYPE", "DATA", "AGE")],
  row(o, ctx) {
    // The apiserver folds stringData into data; count the union in case it has not.
    const keys = new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]);
    return [o.metadata.name, o.type ?? "Opaque", String(keys.size), age(o, ctx)];
  },
};

export const SERVICE_ACCOUNT: KindTable = {
  columns: [NAME, ...cols("SECRETS", "AGE")],
  row: (o, ctx) => [o.metadata.name, String((o.secrets ?? []).length), age(o, ctx)],
};

export const LEASE: KindTable = {
  columns: [NAME, ...cols("HOLDER", "AGE")],
  row: (o, ctx) => [o.metadata.name, o.spec?.holderIdentity ?? "", age(o, ctx)],
};

export const POD_DISRUPTION_BUDGET: KindTable = {
  columns: [NAME, ...cols("MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE")],
  row: (o, ctx) => [
    o.metadata.name,
    o.spec?.minAvailable != null ? String(o.spec.minAvailable) : "N/A",
    o.spec?.maxUnavailable != null ? String(o.spec.maxUnavailable) : "N/A",
    String(o.status?.disruptionsAllowed ?? 0),
    age(o, ctx),
  ],
};

/** `deployment-controller` or `kubelet, node-1` (component, then host when known). */
function eventSource(o: Any): string {
  const component = o.source?.component || o.reportingComponent || "";
  const instance = o.source?.host || o.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

export const EVENT: KindTable = {
  columns: [
    ...cols("LAST SEEN", "TYPE", "REASON", "OBJECT"),
    ...wideCols("SUBOBJECT", "SOURCE"),
    ...cols("MESSAGE"),
    ...wideCols("FIRST SEEN", "COUNT"),
    { header: "NAME", wide: true, name: true },
  ],
  row(o, ctx) {
    const since = (ts: string | undefined) => ageSince(ts, ctx.nowMs, ctx.clock);
    const first = o.firstTimestamp ? since(o.firstTimestamp) : since(o.eventTime);
    let last = o.lastTimestamp ? since(o.lastTimestamp) : first;
    let count = o.count || 1;
    if (o.series) {
      last = since(o.series.lastObservedTime);
      count = o.series.count;
    }
    const io = (o.involvedObject ?? {}) as Any;
    const kind = String(io.kind ?? "").toLowerCase();
    const target = io.name ? `${kind}/${io.name}` : kind;
    const message = String(o.message ?? "").trim();
    return [
      last,
      o.type ?? "",
      o.reason ?? "",
      target,
      io.fieldPath ?? "",
      eventSource(o),
      message,
      first,
      String(count),
      o.metadata.name,
    ];
  },
};
