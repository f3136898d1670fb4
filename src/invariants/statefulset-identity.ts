/**
 * statefulset-identity: at most one pod runs each StatefulSet identity (namespace/name). The
 * apiserver cannot hold two pods of one name, so the danger is a pod removed from the API (a
 * force delete, PodGC of a missing node) whose containers still run on a node that cannot hear
 * about it, while the controller's replacement of the same name starts elsewhere. The check
 * reads each node's container runtime, as an outside observer of the machines would.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { Pod } from "../api/types.js";
import { controllerOf } from "../controllers/pod-utils.js";
import { kubeletFor } from "../kubelet/index.js";
import type { Invariant, InvariantContext } from "./types.js";

export const STATEFULSET_IDENTITY = "statefulset-identity";

/** A pod gone from the API whose containers were still running then. */
interface Ghost {
  uid: string;
  node: string;
}

class StatefulSetIdentity implements Invariant {
  readonly name = STATEFULSET_IDENTITY;
  /** namespace/name → the pods of that identity that left the API while running. */
  private readonly ghosts = new Map<string, Ghost[]>();

  constructor(private readonly ctx: InvariantContext) {}

  onChange(ev: WatchEvent): void {
    if (ev.object.kind !== "Pod") return;
    const p = ev.object as Pod;
    if (controllerOf(p)?.kind !== "StatefulSet") return;
    const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
    const node = p.spec?.nodeName;
    if (ev.type === "DELETED") {
      if (node && this.runs(node, p.metadata!.uid!)) {
        const list = this.ghosts.get(key) ?? [];
        list.push({ uid: p.metadata!.uid!, node });
        this.ghosts.set(key, list);
      }
      return;
    }
    const ghosts = this.ghosts.get(key);
    if (!ghosts || p.status?.phase !== "Running" || !node) return;
    const alive = ghosts.filter((g) => g.uid !== p.metadata!.uid && this.runs(g.node, g.uid));
    if (alive.length === 0) this.ghosts.delete(key);
    else this.ghosts.set(key, alive);
    const g = alive[0];
    if (!g) return;
    const msg = `two pods run StatefulSet identity ${key}: the one on ${g.node} (uid ${g.uid}) was removed from the API while its containers kept running, and its replacement (uid ${p.metadata!.uid}) runs on ${node}`;
    this.ctx.report(STATEFULSET_IDENTITY, key, msg, [`Pod/${key}`, `Node/${g.node}`, `Node/${node}`]);
  }

  /** Some container of the pod is running on the node's runtime. */
  private runs(node: string, uid: string): boolean {
    const k = kubeletFor(this.ctx.sim, node);
    return k?.runtime.containers(uid).some((c) => c.state === "running") === true;
  }
}

/** The statefulset-identity checker. */
export function statefulSetIdentity(ctx: InvariantContext): Invariant {
  return new StatefulSetIdentity(ctx);
}
