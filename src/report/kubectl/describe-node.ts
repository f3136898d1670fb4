/**
 * `kubectl describe node` (describe.go: describeNode, describeNodeLease, describeNodeResource),
 * with the requests and limits of its pods summed as component-helpers' PodRequests/PodLimits do.
 */
import { formatQuantity, parseQuantity, type Quantity, type QuantityFormat } from "../../api/quantity.js";
import type { Event, Lease, Node, Pod } from "../../api/types.js";
import type { Any } from "./columns.js";
import {
  byteOrder,
  type DescribeContext,
  describeEvents,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
  rfc1123z,
  since,
} from "./describe-common.js";
import { LEVEL_0, LEVEL_1, PrefixWriter } from "./describe-writer.js";

/** An exact amount (nano-units) and the format of the quantity it started from (Quantity.Add keeps it). */
interface Amount {
  nano: bigint;
  format: QuantityFormat;
}

type ResourceTotals = Map<string, Amount>;

function amountOf(v: string | number): Amount | undefined {
  const q = parseQuantity(v);
  return q ? { nano: q.nano, format: q.format } : undefined;
}

/** Quantity.String() of an amount; "0" for a missing one (Go's zero Quantity). */
function amountText(a: Amount | undefined): string {
  if (!a) return "0";
  const q: Quantity = {
    nano: a.nano,
    format: a.format,
    milli: Number((a.nano + 999_999n) / 1_000_000n),
    units: Number((a.nano + 999_999_999n) / 1_000_000_000n),
  };
  return formatQuantity(q);
}

/** addResourceList: sums into `into`, a new entry keeping the format of the first amount. */
function addResources(
  into: ResourceTotals,
  list: Readonly<Record<string, string | number>> | undefined,
): void {
  for (const [name, v] of Object.entries(list ?? {})) {
    const a = amountOf(v);
    if (!a) continue;
    const cur = into.get(name);
    into.set(name, cur ? { nano: cur.nano + a.nano, format: cur.format } : a);
  }
}

function addTotals(into: ResourceTotals, from: ResourceTotals): void {
  for (const [name, a] of from) {
    const cur = into.get(name);
    into.set(name, cur ? { nano: cur.nano + a.nano, format: cur.format } : a);
  }
}

/** maxResourceList: the larger amount of each resource. */
function maxTotals(into: ResourceTotals, from: ResourceTotals): void {
  for (const [name, a] of from) {
    const cur = into.get(name);
    if (!cur || a.nano > cur.nano) into.set(name, a);
  }
}

/**
 * PodRequests / PodLimits: regular and sidecar containers add up; each ordinary init container
 * (plus the sidecars started before it) is a peak the pod must also fit; pod-level resources
 * replace the sum; overhead is added.
 */
export function podResourceTotals(pod: Pod, field: "requests" | "limits"): ResourceTotals {
  const spec = (pod.spec ?? {}) as Any;
  const totals: ResourceTotals = new Map();
  for (const c of (spec.containers ?? []) as Any[]) addResources(totals, c.resources?.[field]);
  const sidecars: ResourceTotals = new Map();
  const initPeak: ResourceTotals = new Map();
  for (const c of (spec.initContainers ?? []) as Any[]) {
    const own: ResourceTotals = new Map();
    addResources(own, c.resources?.[field]);
    if (c.restartPolicy === "Always") {
      addTotals(totals, own);
      addTotals(sidecars, own);
      maxTotals(initPeak, sidecars);
    } else {
      addTotals(own, sidecars);
      maxTotals(initPeak, own);
    }
  }
  maxTotals(totals, initPeak);
  for (const [name, v] of Object.entries((spec.resources?.[field] ?? {}) as Record<string, string>)) {
    const a = amountOf(v);
    if (a && (name === "cpu" || name === "memory")) totals.set(name, a);
  }
  addResources(totals, spec.overhead);
  return totals;
}

/** int64(float64(part) / float64(whole) * 100), as kubectl computes the percentages. */
function percent(part: Amount | undefined, whole: Amount | undefined, milli: boolean): number {
  const scale = (a: Amount | undefined) =>
    a ? Number(milli ? (a.nano + 999_999n) / 1_000_000n : (a.nano + 999_999_999n) / 1_000_000_000n) : 0;
  const w = scale(whole);
  return w === 0 ? 0 : Math.trunc((scale(part) / w) * 100);
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted. */
function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort(byteOrder);
}

function describeLease(lease: Lease | undefined, name: string, w: PrefixWriter): void {
  if (!lease) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${name}" not found\n`);
    return;
  }
  const spec = (lease.spec ?? {}) as Any;
  w.write(LEVEL_0, "Lease:\n");
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? "<unset>"}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : "<unset>"}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : "<unset>"}\n`);
}

function describeConditions(conditions: readonly Any[] | undefined, w: PrefixWriter): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
  w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n");
  for (const c of conditions) {
    const heartbeat = rfc1123z(c.lastHeartbeatTime);
    const transition = rfc1123z(c.lastTransitionTime);
    w.write(
      LEVEL_1,
      `${c.type} \t${c.status} \t${heartbeat} \t${transition} \t${c.reason ?? ""} \t${c.message ?? ""}\n`,
    );
  }
}

function describeResourceList(
  title: string,
  list: Readonly<Record<string, string>> | undefined,
  w: PrefixWriter,
): void {
  const names = Object.keys(list ?? {}).sort(byteOrder);
  if (names.length === 0) return;
  w.write(LEVEL_0, `${title}:\n`);
  for (const name of names) w.write(LEVEL_0, `  ${name}:\t${amountText(amountOf(list![name]!))}\n`);
}

function describeSystemInfo(info: Any, w: PrefixWriter): void {
  w.write(LEVEL_0, "System Info:\n");
  const rows: [string, string][] = [
    ["Machine ID", "machineID"],
    ["System UUID", "systemUUID"],
    ["Boot ID", "bootID"],
    ["Kernel Version", "kernelVersion"],
    ["OS Image", "osImage"],
    ["Operating System", "operatingSystem"],
    ["Architecture", "architecture"],
    ["Container Runtime Version", "containerRuntimeVersion"],
    ["Kubelet Version", "kubeletVersion"],
  ];
  for (const [title, field] of rows) w.write(LEVEL_0, `  ${title}:\t${info[field] ?? ""}\n`);
}

const isHugePages = (name: string) => name.startsWith("hugepages-");
/** Resource names without a domain, or in kubernetes.io, are standard (IsStandardContainerResourceName). */
const isStandard = (name: string) =>
  ["cpu", "memory", "ephemeral-storage"].includes(name) || isHugePages(name);

/** describeNodeResource: the non-terminated pods table and the allocated totals. */
function describeNodeResources(
  node: Node,
  pods: readonly Pod[],
  w: PrefixWriter,
  ctx: DescribeContext,
): void {
  const status = (node.status ?? {}) as Any;
  const allocList =
    (Object.keys(status.allocatable ?? {}).length > 0 ? status.allocatable : status.capacity) ?? {};
  const alloc: ResourceTotals = new Map();
  addResources(alloc, allocList);
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const reqs: ResourceTotals = new Map();
  const limits: ResourceTotals = new Map();
  const cell = (t: ResourceTotals, name: string, milli: boolean) =>
    `${amountText(t.get(name))} (${percent(t.get(name), alloc.get(name), milli)}%)`;
  for (const pod of pods) {
    const req = podResourceTotals(pod, "requests");
    const lim = podResourceTotals(pod, "limits");
    addTotals(reqs, req);
    addTotals(limits, lim);
    const cells = [
      cell(req, "cpu", true),
      cell(lim, "cpu", true),
      cell(req, "memory", false),
      cell(lim, "memory", false),
    ];
    const age = since(pod.metadata?.creationTimestamp, ctx);
    w.write(LEVEL_1, `${pod.metadata?.namespace}\t${pod.metadata?.name}\t\t${cells.join("\t")}\t${age}\n`);
  }
  w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
  w.write(LEVEL_1, "--------\t--------\t------\n");
  w.write(LEVEL_1, `cpu\t${cell(reqs, "cpu", true)}\t${cell(limits, "cpu", true)}\n`);
  w.write(LEVEL_1, `memory\t${cell(reqs, "memory", false)}\t${cell(limits, "memory", false)}\n`);
  w.write(
    LEVEL_1,
    `ephemeral-storage\t${cell(reqs, "ephemeral-storage", false)}\t${cell(limits, "ephemeral-storage", false)}\n`,
  );
  const names = Object.keys(allocList).sort(byteOrder);
  for (const name of names.filter(isHugePages)) {
    w.write(LEVEL_1, `${name}\t${cell(reqs, name, false)}\t${cell(limits, name, false)}\n`);
  }
  for (const name of names.filter((n) => !isStandard(n) && n !== "pods")) {
    w.write(LEVEL_1, `${name}\t${amountText(reqs.get(name))}\t${amountText(limits.get(name))}\n`);
  }
}

/** The objects `kubectl describe node` reads besides the node. */
export interface NodeRelated {
  /** The node's Lease in kube-node-lease, if any. */
  lease: Lease | undefined;
  /** Every pod; those bound to the node and not Succeeded or Failed are listed. */
  pods: readonly Pod[];
}

/** What `kubectl describe node` prints; `events` undefined leaves the Events section out. */
export function describeNode(
  node: Node,
  related: NodeRelated,
  events: readonly Event[] | undefined,
  ctx: DescribeContext,
): string {
  const w = new PrefixWriter();
  const spec = (node.spec ?? {}) as Any;
  const status = (node.status ?? {}) as Any;
  const name = node.metadata?.name ?? "";
  w.write(LEVEL_0, `Name:\t${name}\n`);
  w.write(LEVEL_0, `Roles:\t${nodeRoles(node.metadata?.labels).join(",") || "<none>"}\n`);
  printLabelsMultiline(w, "Labels", node.metadata?.labels);
  printAnnotationsMultiline(w, "Annotations", node.metadata?.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
  printTaintsMultiline(w, "Taints", spec.taints);
  w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  describeLease(related.lease, name, w);
  describeConditions(status.conditions, w);
  w.write(LEVEL_0, "Addresses:\n");
  for (const a of (status.addresses ?? []) as Any[]) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  describeResourceList("Capacity", status.capacity, w);
  describeResourceList("Allocatable", status.allocatable, w);
  describeSystemInfo(status.nodeInfo ?? {}, w);
  if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(",")}\n`);
  if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
  const onNode = related.pods.filter(
    (p) => p.spec?.nodeName === name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
  );
  describeNodeResources(node, onNode, w, ctx);
  if (events) describeEvents(w, events, ctx);
  return w.toString();
}
