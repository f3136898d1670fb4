/** `kubectl describe pod` (describe.go: describePod), plus kubesim's own Sandbox line. */
import { milliValue } from "../../api/quantity.js";
import type { Event, Pod } from "../../api/types.js";
import type { Any } from "./columns.js";
import {
  controllerText,
  type DescribeContext,
  describeEvents,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  rfc1123z,
  since,
} from "./describe-common.js";
import { describeContainers, describeResources, describeTopologySpread } from "./describe-containers.js";
import { describeVolumes } from "./describe-volumes.js";
import { LEVEL_0, LEVEL_1, PrefixWriter } from "./describe-writer.js";

/**
 * qos.GetPodQOS: the status' class when the kubelet set one, else computed: BestEffort without any
 * CPU or memory request or limit, Guaranteed when every container limits both and requests equal
 * limits, Burstable otherwise.
 */
export function podQosClass(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Any[];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = (c.resources?.requests ?? {}) as Any;
    const lim = (c.resources?.limits ?? {}) as Any;
    for (const r of ["cpu", "memory"]) {
      if (milliValue(req[r]) > 0 || milliValue(lim[r]) > 0) any = true;
      if (lim[r] === undefined || milliValue(req[r] ?? lim[r]) !== milliValue(lim[r])) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/**
 * kubesim's addition (not in kubectl): which Linux namespaces the pod's containers share. They
 * always share the sandbox's (the pause container's) network, IPC and UTS namespaces; the PID
 * namespace only with shareProcessNamespace; hostNetwork/hostIPC/hostPID use the node's instead.
 */
export function sandboxNamespaces(spec: Any | undefined): { shared: string[]; host: string[] } {
  const s = spec ?? {};
  const shared = ["network", "ipc", "uts"];
  if (s.shareProcessNamespace === true || s.hostPID === true) shared.push("pid");
  const host: string[] = [];
  if (s.hostNetwork === true) host.push("network");
  if (s.hostIPC === true) host.push("ipc");
  if (s.hostNetwork === true) host.push("uts");
  if (s.hostPID === true) host.push("pid");
  return { shared, host };
}

function describeSandbox(spec: Any | undefined, w: PrefixWriter): void {
  const { shared, host } = sandboxNamespaces(spec);
  w.write(LEVEL_0, "Sandbox (kubesim):\n");
  w.write(LEVEL_1, `Shared Namespaces:\t${shared.join(", ")}\n`);
  w.write(LEVEL_1, `Host Namespaces:\t${host.join(", ") || "<none>"}\n`);
}

function describeHeader(pod: Any, w: PrefixWriter, ctx: DescribeContext): void {
  const spec = (pod.spec ?? {}) as Any;
  const status = (pod.status ?? {}) as Any;
  w.write(LEVEL_0, `Name:\t${pod.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${pod.metadata.namespace ?? ""}\n`);
  if (spec.priority !== undefined && spec.priority !== null)
    w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, "Labels", pod.metadata.labels);
  printAnnotationsMultiline(w, "Annotations", pod.metadata.annotations);
  const phase = status.phase ?? "";
  if (pod.metadata.deletionTimestamp && phase !== "Failed" && phase !== "Succeeded") {
    // As kubectl: the time since deletionTimestamp, which lies in the future during the grace
    // period, so this reads `<invalid>` until the grace period has run out.
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp, ctx)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${phase}\n`);
  }
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === "Localhost") w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
  }
  w.write(LEVEL_0, `IP:\t${status.podIP ?? ""}\n`);
  const ips = (status.podIPs ?? []) as Any[];
  if (ips.length === 0) w.write(LEVEL_0, "IPs:\t<none>\n");
  else {
    w.write(LEVEL_0, "IPs:\n");
    for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerText(pod);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, "Resources:\n");
    describeResources(spec.resources, w, LEVEL_1);
  }
}

function describeConditions(pod: Any, w: PrefixWriter): void {
  const conditions = (pod.status?.conditions ?? []) as Any[];
  const gates = (pod.spec?.readinessGates ?? []) as Any[];
  if (gates.length > 0) {
    w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of gates) {
      const status = conditions.find((c) => c.type === g.conditionType)?.status ?? "<none>";
      w.write(LEVEL_1, `${g.conditionType} \t${status} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
    for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
}

/**
 * What `kubectl describe pod` prints for this pod at `ctx.nowMs`; `events` are the pod's events
 * (see eventsFor), or undefined to leave the Events section out (as kubectl does for several pods).
 */
export function describePod(pod: Pod, events: readonly Event[] | undefined, ctx: DescribeContext): string {
  const w = new PrefixWriter();
  const p = pod as Any;
  const spec = (p.spec ?? {}) as Any;
  describeHeader(p, w, ctx);
  describeSandbox(spec, w);
  if (spec.initContainers?.length) {
    describeContainers("Init Containers", spec.initContainers, p.status?.initContainerStatuses ?? [], p, w);
  }
  describeContainers("Containers", spec.containers ?? [], p.status?.containerStatuses ?? [], p, w);
  if (spec.ephemeralContainers?.length) {
    describeContainers(
      "Ephemeral Containers",
      spec.ephemeralContainers,
      p.status?.ephemeralContainerStatuses ?? [],
      p,
      w,
    );
  }
  describeConditions(p, w);
  describeVolumes(spec.volumes, w);
  w.write(LEVEL_0, `QoS Class:\t${podQosClass(pod)}\n`);
  printLabelsMultiline(w, "Node-Selectors", spec.nodeSelector);
  printTolerationsMultiline(w, "Tolerations", spec.tolerations);
  describeTopologySpread(spec.topologySpreadConstraints, w, "");
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}
