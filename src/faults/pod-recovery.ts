/**
 * The recovery timeline of pod-level faults: watching every write (synchronously) while a container
 * crash or an image-pull fault has pods to follow, it records when each pod lost Ready, when it was
 * Ready again, and a summary per fault at the end of the run.
 */
import type { WatchEvent } from "../api/apiserver.js";
import type { SimContext } from "../api/context.js";
import type { ContainerStatus, Pod, Stored } from "../api/types.js";
import { formatDurationMs } from "../engine/duration.js";
import { normalizeImage } from "../kubelet/images.js";
import { containerSummary, imageSummary } from "./pod-recovery-summary.js";
import type {
  BlockedPod,
  ContainerFaultTrack,
  ImageFaultTrack,
  PodFaultTrack,
} from "./pod-recovery-types.js";
import { recordRecoveryStep } from "./recovery.js";

const PULL_REASONS: ReadonlySet<string> = new Set(["ErrImagePull", "ImagePullBackOff"]);

const podKey = (p: Pod) => `${p.metadata?.namespace ?? "default"}/${p.metadata?.name}`;
const isReady = (p: Pod) =>
  p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

/** The container's status in a pod (regular or init). */
export function containerStatusOf(p: Pod, name: string): ContainerStatus | undefined {
  return (
    p.status?.containerStatuses?.find((s) => s.name === name) ??
    p.status?.initContainerStatuses?.find((s) => s.name === name)
  );
}

export class PodFaultTracker {
  readonly tracks: PodFaultTrack[] = [];
  /** Container faults still followed, by pod uid. */
  private readonly containers = new Map<string, ContainerFaultTrack[]>();
  /** Image faults still followed (active, or with blocked pods not Ready yet). */
  private readonly images: ImageFaultTrack[] = [];
  private finished = false;

  constructor(private readonly ctx: SimContext) {
    ctx.api.observe((ev) => {
      if (ev.object.kind !== "Pod" || this.containers.size + this.images.length === 0) return;
      this.onPod(ev as WatchEvent<Pod>);
    });
  }

  /** A container fault began (after the kill, if any). */
  containerFault(t: ContainerFaultTrack): void {
    this.tracks.push(t);
    const list = this.containers.get(t.uid) ?? [];
    list.push(t);
    this.containers.set(t.uid, list);
    const what = t.type === "oom" ? "OOM-killed" : "crashes";
    const now = t.killed
      ? `container ${t.container} of ${t.podKey} ${what} (exit code ${t.exitCode}, ${t.reason})`
      : `container ${t.container} of ${t.podKey} is not running now`;
    const lasting = t.lasting ? "; every start of it crashes 1s after it starts until the fault heals" : "";
    this.step(`Pod/${t.podKey}`, "ContainerFault", `${now}${lasting}`);
  }

  /** A lasting container fault healed: the next start runs normally. */
  containerHealed(t: ContainerFaultTrack): void {
    t.healedMs = this.ctx.engine.nowMs;
    const d = formatDurationMs(t.healedMs - t.sinceMs);
    this.step(
      `Pod/${t.podKey}`,
      "ContainerFaultHealed",
      `${t.type} of ${t.podKey} (${t.container}) healed after ${d}; its next start runs normally`,
    );
    const p = this.ctx.api.get<Pod>("Pod", ...splitKey(t.podKey));
    if (!p || p.metadata.uid !== t.uid) return;
    t.containerIdAtHeal = containerStatusOf(p, t.container)?.containerID;
    this.onContainerPod(t, p, false);
  }

  /** An image-pull fault began. */
  imageFault(t: ImageFaultTrack): void {
    this.tracks.push(t);
    this.images.push(t);
    const where = t.node === undefined ? "on every node" : `on ${t.node}`;
    this.step(`Image/${t.image}`, "ImagePullFault", `pulls of ${t.normalized} fail ${where} from now on`);
  }

  /** An image-pull fault healed: blocked pods pull at their next attempt after their back-off. */
  imageHealed(t: ImageFaultTrack): void {
    t.healedMs = this.ctx.engine.nowMs;
    const d = formatDurationMs(t.healedMs - t.sinceMs);
    const n = t.pods.size;
    this.step(
      `Image/${t.image}`,
      "ImagePullFaultHealed",
      `pulls of ${t.normalized} succeed again after ${d}; ${n} pod(s) were blocked`,
    );
    this.dropIfDone(t);
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const p = ev.object;
    const gone = ev.type === "DELETED" || p.metadata.deletionTimestamp !== undefined;
    const list = this.containers.get(p.metadata.uid);
    if (list) for (const t of [...list]) this.onContainerPod(t, p, gone);
    for (const t of [...this.images]) this.onImagePod(t, p, gone);
  }

  private onContainerPod(t: ContainerFaultTrack, p: Stored<Pod>, gone: boolean): void {
    const now = this.ctx.engine.nowMs;
    t.restartsNow = containerStatusOf(p, t.container)?.restartCount ?? t.restartsNow;
    if (gone) {
      t.deletedMs = now;
      this.step(`Pod/${t.podKey}`, "PodDeleted", `${t.podKey} is being deleted before it was Ready again`);
      this.unfollow(t);
      return;
    }
    const ready = isReady(p);
    if (t.notReadyMs === undefined) {
      if (ready) return;
      t.notReadyMs = now;
      this.step(
        `Pod/${t.podKey}`,
        "PodNotReady",
        `${t.podKey} not Ready ${formatDurationMs(now - t.sinceMs)} after the ${t.type}`,
      );
      return;
    }
    if (!ready || (t.lasting && !this.startedSinceHeal(t, p))) return;
    t.recoveredMs = now;
    const restarts = t.restartsNow - t.restartsBefore;
    const after = t.lasting ? `${formatDurationMs(now - t.healedMs!)} after the heal, ` : "";
    this.step(
      `Pod/${t.podKey}`,
      "PodReadyAgain",
      `${t.podKey} Ready again ${after}${formatDurationMs(now - t.sinceMs)} after the ${t.type} (${restarts} restart(s) of ${t.container})`,
    );
    this.unfollow(t);
  }

  // A lasting fault is over for the pod once a run started after the heal is Ready (a run started
  // before it was planned to crash). Status times have whole seconds, so container IDs tell.
  private startedSinceHeal(t: ContainerFaultTrack, p: Pod): boolean {
    if (t.healedMs === undefined) return false;
    const s = containerStatusOf(p, t.container);
    return s?.state?.running !== undefined && s.containerID !== t.containerIdAtHeal;
  }

  private unfollow(t: ContainerFaultTrack): void {
    const list = (this.containers.get(t.uid) ?? []).filter((x) => x !== t);
    if (list.length) this.containers.set(t.uid, list);
    else this.containers.delete(t.uid);
  }

  private onImagePod(t: ImageFaultTrack, p: Stored<Pod>, gone: boolean): void {
    const now = this.ctx.engine.nowMs;
    const blocked = t.pods.get(p.metadata.uid);
    if (!blocked) {
      if (!gone && t.healedMs === undefined && this.pullBlocked(t, p)) this.block(t, p);
      return;
    }
    if (blocked.recoveredMs !== undefined || blocked.deletedMs !== undefined) return;
    if (gone) blocked.deletedMs = now;
    else if (t.healedMs !== undefined && isReady(p)) {
      blocked.recoveredMs = now;
      this.step(
        `Pod/${blocked.key}`,
        "PodReadyAgain",
        `${blocked.key} Ready ${formatDurationMs(now - t.healedMs)} after pulls of ${t.image} were healed`,
      );
    }
    this.dropIfDone(t);
  }

  private pullBlocked(t: ImageFaultTrack, p: Pod): boolean {
    if (t.node !== undefined && p.spec?.nodeName !== t.node) return false;
    const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    return all.some(
      (s) =>
        PULL_REASONS.has(s.state?.waiting?.reason ?? "") && normalizeImage(s.image ?? "") === t.normalized,
    );
  }

  private block(t: ImageFaultTrack, p: Stored<Pod>): void {
    const b: BlockedPod = { key: podKey(p), uid: p.metadata.uid, blockedMs: this.ctx.engine.nowMs };
    t.pods.set(b.uid, b);
    const on = p.spec?.nodeName ? ` on ${p.spec.nodeName}` : "";
    this.step(`Pod/${b.key}`, "PullBlocked", `${b.key}${on} cannot pull ${t.image} while the fault lasts`);
  }

  private dropIfDone(t: ImageFaultTrack): void {
    if (t.healedMs === undefined) return;
    for (const b of t.pods.values()) if (b.recoveredMs === undefined && b.deletedMs === undefined) return;
    const i = this.images.indexOf(t);
    if (i >= 0) this.images.splice(i, 1);
  }

  /** The end-of-run summary: one step per pod fault (once). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.tracks) {
      const s = t.kind === "container" ? containerSummary(t) : imageSummary(t);
      const object = t.kind === "container" ? `Pod/${t.podKey}` : `Image/${t.image}`;
      this.step(object, "RecoverySummary", s.message, s.data);
    }
  }

  private step(object: string, step: string, message: string, data?: unknown): void {
    recordRecoveryStep(this.ctx, object, step, message, data);
  }
}

/** `ns/name` → [ns, name]. */
export function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}
