/** What the pod sandbox (pause container) sets up, in words: shared namespaces and the /etc/hosts the kubelet writes. */
import type { Pod } from "../api/types.js";
import { PAUSE_IMAGE } from "./config.js";

/** The StepRecord text and data for a created sandbox. */
export function describeSandbox(pod: Pod, sandboxId: string, ip: string): { message: string; data: unknown } {
  const spec = pod.spec;
  const hostNetwork = spec?.hostNetwork === true;
  const shareProcess = spec?.shareProcessNamespace === true;
  const namespaces = {
    network: hostNetwork ? "host" : "pod",
    ipc: spec?.hostIPC ? "host" : "pod",
    uts: hostNetwork ? "host" : "pod",
    pid: spec?.hostPID ? "host" : shareProcess ? "pod" : "container",
  };
  const hosts = etcHosts(pod, ip);
  const pid = spec?.hostPID
    ? "host (hostPID)"
    : shareProcess
      ? "shared by all containers (shareProcessNamespace; pause is PID 1)"
      : "one per container";
  const message =
    `Created pod sandbox ${sandboxId.slice(0, 13)} (pause container ${PAUSE_IMAGE}). ` +
    `Namespaces: network ${hostNetwork ? "host (hostNetwork)" : "shared by all containers"}, IP ${ip}; ` +
    `IPC ${spec?.hostIPC ? "host (hostIPC)" : "shared"}; UTS ${hostNetwork ? "host" : "shared"}; PID ${pid}. ` +
    `/etc/hosts: ${hosts.map((h) => `${h.ip} ${h.names.join(" ")}`).join("; ")}`;
  return { message, data: { sandboxId, ip, namespaces, hosts } };
}

/** The kubelet-managed /etc/hosts entries (kubelet_pods.go managedHostsFileContent), hostAliases last. */
export function etcHosts(pod: Pod, ip: string): { ip: string; names: string[] }[] {
  const spec = pod.spec;
  const hostname = spec?.hostname || pod.metadata?.name || "";
  const entries = [
    { ip: "127.0.0.1", names: ["localhost"] },
    { ip: "::1", names: ["localhost", "ip6-localhost", "ip6-loopback"] },
  ];
  if (!spec?.hostNetwork) {
    const ns = pod.metadata?.namespace ?? "default";
    const names = spec?.subdomain
      ? [`${hostname}.${spec.subdomain}.${ns}.svc.cluster.local`, hostname]
      : [hostname];
    entries.push({ ip, names });
  }
  for (const a of spec?.hostAliases ?? []) entries.push({ ip: a.ip ?? "", names: [...(a.hostnames ?? [])] });
  return entries;
}
