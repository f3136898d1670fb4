/** The Node object a kubelet registers (kubelet_node_status.go initialNode): labels, podCIDR, capacity, addresses, nodeInfo. */
import type { Node } from "../api/types.js";
import type { NodeSpec } from "../scenario/types.js";

/** The Node object the kubelet of `name` registers; `index` (pool order) picks its podCIDR and IP. */
export function initialNode(spec: NodeSpec, name: string, index: number): Node {
  const labels: Record<string, string> = {
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    ...spec.labels,
  };
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(spec.taints.length ? { taints: spec.taints.map((t) => ({ ...t })) } : {}),
      ...(spec.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: { ...spec.capacity },
      allocatable: { ...(spec.allocatable ?? spec.capacity) },
      addresses: [
        { type: "InternalIP", address: `192.168.${Math.floor(index / 250)}.${(index % 250) + 2}` },
        { type: "Hostname", address: name },
      ],
      nodeInfo: {
        architecture: "amd64",
        bootID: "",
        containerRuntimeVersion: "containerd://2.0.0",
        kernelVersion: "6.1.0",
        kubeProxyVersion: "",
        kubeletVersion: "v1.33.0",
        machineID: "",
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "",
      },
    },
  };
  return node;
}
