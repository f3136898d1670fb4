/**
 * Image-pull faults: from the fault on, pulls of one image (on one node, or on every node) fail,
 * and the kubelet reports ErrImagePull then ImagePullBackOff with its usual back-off (10 s doubling
 * to 300 s); after the heal the next pull succeeds. Images already on a node are not pulled again
 * under IfNotPresent, so they keep working, as in Kubernetes.
 */
import type { SimContext } from "../api/context.js";
import type { TimerId } from "../engine/engine.js";
import { normalizeImage } from "../kubelet/images.js";
import { injectedFaults } from "../kubelet/injected.js";
import type { FaultSpec } from "../scenario/types.js";
import { scheduleAutoHeal } from "./auto-heal.js";
import type { PodFaultTracker } from "./pod-recovery.js";
import type { ImageFaultTrack } from "./pod-recovery-types.js";

interface ActiveImageFault {
  track: ImageFaultTrack;
  timer?: TimerId;
}

export class ImageFaults {
  private readonly active: ActiveImageFault[] = [];
  private nextId = 1;

  constructor(
    private readonly ctx: SimContext,
    private readonly tracker: PodFaultTracker,
  ) {}

  /** Pulls of `spec.image` fail from now on; an error message if such a fault is already active. */
  inject(spec: FaultSpec): string | undefined {
    const image = spec.image ?? "";
    const normalized = normalizeImage(image);
    const node = spec.node;
    if (this.active.some((a) => a.track.normalized === normalized && a.track.node === node))
      return `error: pulls of ${image} already fail${node ? ` on ${node}` : ""} (heal it first)`;
    const track: ImageFaultTrack = {
      kind: "image",
      id: this.nextId++,
      image,
      normalized,
      ...(node !== undefined ? { node } : {}),
      sinceMs: this.ctx.engine.nowMs,
      pods: new Map(),
    };
    const a: ActiveImageFault = { track };
    this.active.push(a);
    injectedFaults(this.ctx).failPulls(track.id, image, node);
    if (spec.forMs !== undefined) {
      const args = { type: "image-pull-fail", image, ...(node ? { node } : {}) };
      a.timer = scheduleAutoHeal(this.ctx, spec.forMs, args, `image-pull-fail of ${image}`, () => {
        a.timer = undefined;
        this.end(a);
      });
    }
    this.ctx.engine.after(0, () => this.tracker.imageFault(track));
    return undefined;
  }

  /** Heals the pull faults of an image (every image if none is given; one node's if `node` is given). */
  heal(sel: { image?: string; node?: string }): string | undefined {
    const n = sel.image === undefined ? undefined : normalizeImage(sel.image);
    const matching = this.active.filter(
      (a) =>
        (n === undefined || a.track.normalized === n) &&
        (sel.node === undefined || a.track.node === sel.node),
    );
    if (matching.length === 0)
      return `error: no active image-pull-fail fault${sel.image ? ` for ${sel.image}` : ""}${sel.node ? ` on ${sel.node}` : ""}`;
    for (const a of matching) this.end(a);
    return undefined;
  }

  private end(a: ActiveImageFault): void {
    if (a.timer !== undefined) this.ctx.engine.cancel(a.timer);
    const i = this.active.indexOf(a);
    if (i >= 0) this.active.splice(i, 1);
    injectedFaults(this.ctx).clearPulls(a.track.id);
    this.tracker.imageHealed(a.track);
  }
}
