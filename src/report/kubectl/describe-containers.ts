/**
 * Containers, volumes and pod templates as `kubectl describe` prints them (describe.go:
 * describeContainers, describeVolumes, DescribePodTemplate, DescribeProbe).
 */
import { formatLabelSelector } from "../../api/labels.js";
import { canonicalQuantity } from "../../api/quantity.js";
import type { Any } from "./columns.js";
import {
  byteOrder,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  rfc1123z,
} from "./describe-common.js";
import { describeVolumes } from "./describe-volumes.js";
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from "./describe-writer.js";

/** Quantity.String() of a stored resource value. */
function quantity(v: string | number): string {
  return canonicalQuantity(v) ?? String(v);
}

/** `80/TCP (http), 443/TCP` — describeContainerPorts / describeContainerHostPorts. */
function portsText(ports: readonly Any[], field: "containerPort" | "hostPort"): string {
  return ports
    .map((p) => {
      const text = `${p[field] ?? 0}/${p.protocol ?? "TCP"}`;
      return p.name ? `${text} (${p.name})` : text;
    })
    .join(", ");
}

function describeBasicInfo(c: Any, status: Any | undefined, space: string, w: PrefixWriter): void {
  w.write(LEVEL_1, `${space ? " " : ""}${c.name}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ""}\n`);
  w.write(LEVEL_2, `Image:\t${c.image ?? ""}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ""}\n`);
  const ports = (c.ports ?? []) as Any[];
  const port = portsText(ports, "containerPort");
  if (port.includes(",")) w.write(LEVEL_2, `Ports:\t${port}\n`);
  else w.write(LEVEL_2, `Port:\t${port || "<none>"}\n`);
  const hostPort = portsText(ports, "hostPort");
  if (hostPort.includes(",")) w.write(LEVEL_2, `Host Ports:\t${hostPort}\n`);
  else w.write(LEVEL_2, `Host Port:\t${hostPort || "<none>"}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === "Localhost") w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
  }
}

function describeCommand(c: Any, w: PrefixWriter): void {
  for (const [title, list] of [
    ["Command", c.command],
    ["Args", c.args],
  ] as const) {
    if (!list?.length) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of list as string[]) for (const s of item.split("\n")) w.write(LEVEL_3, `${s}\n`);
  }
}

/** describeStatus: one container state (Running, Waiting or Terminated) with its details. */
function describeState(title: string, state: Any | undefined, w: PrefixWriter): void {
  if (state?.running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

function describeContainerState(status: Any, w: PrefixWriter): void {
  describeState("State", status.state, w);
  if (status.lastState?.terminated) describeState("Last State", status.lastState, w);
  w.write(LEVEL_2, `Ready:\t${status.ready ? "True" : "False"}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

/** describeResources: `Limits:` / `Requests:` with one resource a line, in name order. */
export function describeResources(resources: Any | undefined, w: PrefixWriter, level: number): void {
  for (const [title, list] of [
    ["Limits", resources?.limits],
    ["Requests", resources?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort(byteOrder);
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${quantity(list[name])}\n`);
  }
}

/** An IntOrString as Go's String(): `80`, `http`. */
const intOrString = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** net.JoinHostPort: IPv6 hosts in brackets. */
const joinHostPort = (host: string, port: string): string =>
  host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;

/** DescribeProbe: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Any): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet;
    const port = intOrString(h.port);
    const host = port ? joinHostPort(h.host ?? "", port) : (h.host ?? "");
    const scheme = String(h.scheme ?? "").toLowerCase();
    // url.URL.String(): the scheme, then //host, then the path (given a leading / after a host).
    let path = h.path ?? "";
    if (path && !path.startsWith("/") && host) path = `/${path}`;
    return `http-get ${scheme ? `${scheme}:` : ""}${host || scheme ? `//${host}` : ""}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${intOrString(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeProbes(c: Any, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function describeEnvFrom(c: Any, w: PrefixWriter): void {
  w.write(LEVEL_2, "Environment Variables from:\n");
  for (const e of c.envFrom as Any[]) {
    const ref = e.configMapRef ?? e.secretRef ?? {};
    const from = e.configMapRef ? "ConfigMap" : e.secretRef ? "Secret" : "";
    const optional = ref.optional === true;
    const what = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
    w.write(LEVEL_3, `${ref.name ?? ""}\t${what}\tOptional: ${optional}\n`);
  }
}

/** A downward-API value of the pod itself (EnvValueRetriever), for the fields kubesim can know. */
function fieldValue(pod: Any | undefined, path: string): string {
  if (!pod) return "";
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? "";
  const fields: Record<string, unknown> = {
    "metadata.name": pod.metadata?.name,
    "metadata.namespace": pod.metadata?.namespace,
    "metadata.uid": pod.metadata?.uid,
    "spec.nodeName": pod.spec?.nodeName,
    "spec.serviceAccountName": pod.spec?.serviceAccountName,
    "status.hostIP": pod.status?.hostIP,
    "status.podIP": pod.status?.podIP,
  };
  return String(fields[path] ?? "");
}

function describeEnv(c: Any, pod: Any | undefined, w: PrefixWriter): void {
  const env = (c.env ?? []) as Any[];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? "\t<none>" : ""}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      String(e.value ?? "")
        .split("\n")
        .forEach((s, i) => {
          w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`);
        });
    } else if (from.fieldRef) {
      const value = fieldValue(pod, from.fieldRef.fieldPath ?? "");
      w.write(
        LEVEL_3,
        `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? ""}:${from.fieldRef.fieldPath ?? ""})\n`,
      );
    } else if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource ?? "";
      const [kind, name] = resource.split(".") as [string, string];
      const set = c.resources?.[kind]?.[name];
      let value = set === undefined ? "0" : quantity(set);
      if (value === "0" && (resource === "limits.cpu" || resource === "limits.memory"))
        value = "node allocatable";
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(
        LEVEL_3,
        `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(
        LEVEL_3,
        `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`,
      );
    }
  }
}

function describeMounts(c: Any, w: PrefixWriter): void {
  const mounts = [...((c.volumeMounts ?? []) as Any[])].sort((a, b) => byteOrder(a.mountPath, b.mountPath));
  w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? "ro" : "rw"];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
  }
  const devices = [...((c.volumeDevices ?? []) as Any[])].sort((a, b) =>
    byteOrder(a.devicePath, b.devicePath),
  );
  if (devices.length > 0) {
    w.write(LEVEL_2, "Devices:\n");
    for (const d of devices) w.write(LEVEL_3, `${d.devicePath} from ${d.name}\n`);
  }
}

/**
 * describeContainers: a section (`Containers:`, `Init Containers:`) with each container's image,
 * ports, state (when `statuses` is given, as for a pod), resources, probes, environment and mounts.
 * `space` is "  " inside a pod template.
 */
export function describeContainers(
  label: string,
  containers: readonly Any[],
  statuses: readonly Any[] | undefined,
  pod: Any | undefined,
  w: PrefixWriter,
  space = "",
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name as string, s]));
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? " <none>" : ""}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeBasicInfo(c, status, space, w);
    describeCommand(c, w);
    if (status) describeContainerState(status, w);
    describeResources(c.resources, w, LEVEL_2);
    describeProbes(c, w);
    if (c.envFrom?.length) describeEnvFrom(c, w);
    describeEnv(c, pod, w);
    describeMounts(c, w);
  }
}

/** describeTopologySpreadConstraints: `zone:DoNotSchedule when max skew 1 is exceeded for selector app=web`. */
export function describeTopologySpread(
  constraints: readonly Any[] | undefined,
  w: PrefixWriter,
  space: string,
): void {
  if (!constraints?.length) return;
  const sorted = [...constraints].sort((a, b) => byteOrder(a.topologyKey ?? "", b.topologyKey ?? ""));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let text = `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded`;
    if (c.labelSelector) text += ` for selector ${formatLabelSelector(c.labelSelector)}`;
    w.write(LEVEL_0, `${text}\n`);
  });
}

/**
 * DescribePodTemplate: `Pod Template:` and the template's labels, annotations, containers,
 * volumes, node selectors and tolerations, two spaces in.
 */
export function describePodTemplate(template: Any | undefined, w: PrefixWriter): void {
  w.write(LEVEL_0, "Pod Template:\n");
  if (!template) {
    w.write(LEVEL_1, "<unset>");
    return;
  }
  const spec = (template.spec ?? {}) as Any;
  printLabelsMultiline(w, "  Labels", template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) {
    printAnnotationsMultiline(w, "  Annotations", template.metadata.annotations);
  }
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length)
    describeContainers("Init Containers", spec.initContainers, undefined, undefined, w, "  ");
  describeContainers("Containers", spec.containers ?? [], undefined, undefined, w, "  ");
  describeVolumes(spec.volumes, w, "  ");
  describeTopologySpread(spec.topologySpreadConstraints, w, "  ");
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, "  Node-Selectors", spec.nodeSelector);
  printTolerationsMultiline(w, "  Tolerations", spec.tolerations);
}
