/** Faults injected into a cluster's kubelets and runtimes: containers that crash on every start, image pulls that fail. */
import type { SimContext } from "../api/context.js";
import { normalizeImage } from "./images.js";

/** How an injected crash ends the process: exit 1 (Error) or the kernel's OOM kill (137, OOMKilled). */
export interface InjectedExit {
  exitCode: number;
  reason: "Error" | "OOMKilled";
}

/**
 * A process that starts while its container has a lasting crash fault exits this long after it
 * started, like a broken image (kubesim's choice; the fault spec has no field for it).
 */
export const INJECTED_CRASH_AFTER_START_MS = 1_000;

interface PullFault {
  id: number;
  /** Normalised reference (`docker.io/library/nginx:1.25`). */
  image: string;
  /** Only pulls on this node fail; undefined = every node. */
  node: string | undefined;
}

/** The active injected faults the kubelets consult; fault injection (src/faults) writes them. */
export class InjectedFaults {
  private readonly crashing = new Map<string, InjectedExit>();
  private readonly pulls: PullFault[] = [];

  /** Every start of `container` in pod `namespace/pod` crashes until `clearCrash`. */
  setCrash(namespace: string, pod: string, container: string, exit: InjectedExit): void {
    this.crashing.set(crashKey(namespace, pod, container), exit);
  }

  clearCrash(namespace: string, pod: string, container: string): void {
    this.crashing.delete(crashKey(namespace, pod, container));
  }

  /** The exit a starting container must take, if it has a lasting crash fault. */
  crashOnStart(namespace: string, pod: string, container: string): InjectedExit | undefined {
    if (this.crashing.size === 0) return undefined;
    return this.crashing.get(crashKey(namespace, pod, container));
  }

  /** Pulls of `image` (on `node`, or anywhere) fail from now on. */
  failPulls(id: number, image: string, node: string | undefined): void {
    this.pulls.push({ id, image: normalizeImage(image), node });
  }

  /** Ends the pull fault `id`. */
  clearPulls(id: number): void {
    const i = this.pulls.findIndex((p) => p.id === id);
    if (i >= 0) this.pulls.splice(i, 1);
  }

  /** Whether a pull of `image` on `node` fails now. */
  pullFails(image: string, node: string): boolean {
    if (this.pulls.length === 0) return false;
    const n = normalizeImage(image);
    return this.pulls.some((p) => p.image === n && (p.node === undefined || p.node === node));
  }
}

const crashKey = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

const registry = new WeakMap<SimContext, InjectedFaults>();

/** The cluster's injected faults (created on first use; the kubelets and fault injection share it). */
export function injectedFaults(ctx: SimContext): InjectedFaults {
  let f = registry.get(ctx);
  if (!f) registry.set(ctx, (f = new InjectedFaults()));
  return f;
}
