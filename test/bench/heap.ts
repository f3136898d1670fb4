/**
 * Where the live heap goes after a scenario run: a heap snapshot taken with the cluster still
 * alive, read back and summed per Kubernetes kind (retained sizes, from the dominator tree) and
 * per component (bytes reachable from its instances without entering another component or a
 * stored object). Usage: node dist/test/bench/heap.js FILE — prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { Cluster } from "../../src/cluster/cluster.js";
import { loadScenario } from "../../src/scenario/load.js";

/** What the snapshot showed. */
export interface HeapFigures {
  file: string;
  liveMiB: number;
  pods: number;
  events: number;
  /** Live heap per pod object stored at the end (everything included). */
  bytesPerPod: number;
  /** Per kind: objects stored and bytes each retains (its own parts, not what it shares). */
  kinds: Record<string, { count: number; bytesEach: number }>;
  /** Per component: instances and the bytes reachable from them that no other component holds. */
  components: Record<string, { count: number; bytes: number }>;
}

/** Component classes, each measured up to the others (and to stored Kubernetes objects). */
const COMPONENTS = [
  "ObjectCache",
  "EventRecorder",
  "PodWorker",
  "PodProjection",
  "ContainerRuntime",
  "Kubelet",
  "SchedulerCache",
  "SchedulingQueue",
  "TimelineRecorder",
  "ReplicaSetTally",
  "EventQueue",
];
const BOUNDARY = new Set([...COMPONENTS, "Cluster", "Engine", "ApiServer", "Scheduler", "NodeInfo", "Rng"]);

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** The snapshot as flat arrays, with each node's first edge. */
class Graph {
  readonly n: number;
  private readonly nf: number;
  private readonly enf: number;
  readonly first: Int32Array;
  private readonly ti: number;
  private readonly ni: number;
  private readonly si: number;
  private readonly types: string[];
  private readonly etypes: string[];
  private readonly skip: Set<number>;

  constructor(readonly s: Snapshot) {
    const m = s.snapshot.meta;
    this.nf = m.node_fields.length;
    this.enf = m.edge_fields.length;
    this.ti = m.node_fields.indexOf("type");
    this.ni = m.node_fields.indexOf("name");
    this.si = m.node_fields.indexOf("self_size");
    const eci = m.node_fields.indexOf("edge_count");
    this.types = m.node_types[0];
    this.etypes = m.edge_types[0];
    this.skip = new Set([this.etypes.indexOf("weak"), this.etypes.indexOf("shortcut")]);
    this.n = s.nodes.length / this.nf;
    this.first = new Int32Array(this.n + 1);
    let e = 0;
    for (let i = 0; i < this.n; i++) {
      this.first[i] = e;
      e += s.nodes[i * this.nf + eci]! * this.enf;
    }
    this.first[this.n] = e;
  }

  type(v: number): string {
    return this.types[this.s.nodes[v * this.nf + this.ti]!]!;
  }
  name(v: number): string {
    return this.s.strings[this.s.nodes[v * this.nf + this.ni]!]!;
  }
  size(v: number): number {
    return this.s.nodes[v * this.nf + this.si]!;
  }

  /** Calls fn(target, edgeName) for each strong edge of v. */
  forEdges(v: number, fn: (w: number, edgeName: string | number) => void): void {
    const E = this.s.edges;
    for (let e = this.first[v]!; e < this.first[v + 1]!; e += this.enf) {
      const t = E[e]!;
      if (this.skip.has(t)) continue;
      const et = this.etypes[t];
      const nameOrIndex = et === "element" || et === "hidden" ? E[e + 1]! : this.s.strings[E[e + 1]!]!;
      fn(E[e + 2]! / this.nf, nameOrIndex);
    }
  }

  /** The `kind` string of a Kubernetes object (an object with `kind` and `metadata`, or a packed one), else undefined. */
  kindOf(v: number): string | undefined {
    if (this.type(v) !== "object") return undefined;
    // The apiserver keeps Events packed (src/api/event-pack.ts).
    if (this.name(v) === "PackedEvent") return "Event";
    let kind: string | undefined;
    let meta = false;
    this.forEdges(v, (w, name) => {
      if (name === "kind" && this.type(w) === "string") kind = this.name(w);
      else if (name === "metadata") meta = true;
    });
    return meta ? kind : undefined;
  }
}

/** Retained size of every node (Cooper–Harvey–Kennedy dominators over a reverse postorder). */
function retainedSizes(g: Graph): Float64Array {
  const n = g.n;
  const order = new Int32Array(n).fill(-1);
  const post: number[] = [];
  const seen = new Uint8Array(n);
  const succ: number[][] = [];
  const stack: number[] = [0];
  const next = new Int32Array(n);
  seen[0] = 1;
  const targets = (v: number) => {
    let t = succ[v];
    if (!t) {
      const out: number[] = [];
      g.forEdges(v, (w) => out.push(w));
      succ[v] = t = out;
    }
    return t;
  };
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    const ts = targets(v);
    if (next[v]! < ts.length) {
      const w = ts[next[v]!++]!;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    } else {
      stack.pop();
      order[v] = post.length;
      post.push(v);
      succ[v] = [];
    }
  }
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (const v of post) g.forEdges(v, (w) => preds[w]!.push(v));
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!;
      while (order[b]! < order[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = post.length - 2; k >= 0; k--) {
      const v = post[k]!;
      let d = -1;
      for (const u of preds[v]!) if (idom[u] !== -1) d = d === -1 ? u : intersect(u, d);
      if (d !== idom[v]) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(n);
  for (let v = 0; v < n; v++) retained[v] = g.size(v);
  for (const v of post) {
    const d = idom[v]!;
    if (v !== 0 && d >= 0) retained[d] = retained[d]! + retained[v]!;
  }
  return retained;
}

/** Bytes reachable from the instances of `cls`, stopping at other components, code and stored objects' parts. */
function reachableFrom(g: Graph, cls: string, stored: Uint8Array): { count: number; bytes: number } {
  const seen = new Uint8Array(g.n);
  const queue: number[] = [];
  for (let v = 0; v < g.n; v++)
    if (g.type(v) === "object" && g.name(v) === cls) {
      seen[v] = 1;
      queue.push(v);
    }
  const count = queue.length;
  let bytes = 0;
  while (queue.length > 0) {
    const v = queue.pop()!;
    bytes += g.size(v);
    g.forEdges(v, (w, edge) => {
      if (seen[w] || edge === "__proto__") return;
      const t = g.type(w);
      if (t === "code" || t === "closure" || t === "synthetic" || stored[w]) return;
      if ((t === "object" || t === "hidden") && (BOUNDARY.has(g.name(w)) || g.name(w).includes("Context")))
        return;
      seen[w] = 1;
      queue.push(w);
    });
  }
  return { count, bytes };
}

/** Reads a snapshot file and sums it up (see HeapFigures). */
export function analyseSnapshot(path: string): Omit<HeapFigures, "file" | "pods" | "events" | "bytesPerPod"> {
  const g = new Graph(JSON.parse(readFileSync(path, "utf8")) as Snapshot);
  const retained = retainedSizes(g);
  const isKube = new Uint8Array(g.n);
  const kinds: HeapFigures["kinds"] = {};
  const totals = new Map<string, { count: number; bytes: number }>();
  for (let v = 0; v < g.n; v++) {
    const kind = g.kindOf(v);
    if (kind === undefined) continue;
    isKube[v] = 1;
    const t = totals.get(kind) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += retained[v]!;
    totals.set(kind, t);
  }
  for (const [kind, t] of [...totals].sort((a, b) => b[1].bytes - a[1].bytes))
    kinds[kind] = { count: t.count, bytesEach: Math.round(t.bytes / t.count) };
  // Everything a stored object holds (a pod's spec shared with a worker's records) is the object's.
  const stored = isKube.slice();
  const queue: number[] = [];
  for (let v = 0; v < g.n; v++) if (isKube[v]) queue.push(v);
  while (queue.length > 0) {
    g.forEdges(queue.pop()!, (w, edge) => {
      // Data only: property values, elements and their backing stores (never a prototype).
      if (stored[w] || edge === "__proto__" || edge === "map") return;
      const t = g.type(w);
      if (t !== "object" && t !== "array" && !t.includes("string") && t !== "number" && t !== "hidden")
        return;
      if (t === "object" && g.name(w) !== "Object" && g.name(w) !== "Array") return;
      stored[w] = 1;
      queue.push(w);
    });
  }
  const components: HeapFigures["components"] = {};
  for (const cls of COMPONENTS) components[cls] = reachableFrom(g, cls, stored);
  return { liveMiB: Math.round((retained[0]! / 2 ** 20) * 10) / 10, kinds, components };
}

if (process.argv[1]?.endsWith("heap.js")) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: heap.js FILE");
  const scenario = loadScenario([file], (p) => readFileSync(p, "utf8"));
  const cluster = new Cluster(scenario, { sink: () => {} });
  cluster.run();
  const dir = mkdtempSync(join(tmpdir(), "kubesim-heap-"));
  const snap = writeHeapSnapshot(join(dir, "run.heapsnapshot"));
  const pods = cluster.api.cache("Pod").size;
  const events = cluster.api.cache("Event").size;
  const a = analyseSnapshot(snap);
  rmSync(dir, { recursive: true, force: true });
  const figures: HeapFigures = {
    file,
    pods,
    events,
    bytesPerPod: Math.round((a.liveMiB * 2 ** 20) / pods),
    ...a,
  };
  console.log(JSON.stringify(figures));
}
