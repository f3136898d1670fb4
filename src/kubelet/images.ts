/** Images on one node: reference normalisation, the scenario's image behaviour lookup, the image cache and the serialized puller. */
import type { Rng } from "../engine/rng.js";
import type { ImageBehavior } from "../scenario/types.js";
import { draw, type KubeletTimings, PAUSE_IMAGE, PAUSE_IMAGE_SIZE_BYTES } from "./config.js";
import type { TimerSet } from "./timers.js";

/** Splits a reference into repository (normalised like containerd: docker.io/library/…), tag and digest. */
export function parseImageRef(image: string): { repo: string; tag?: string; digest?: string } {
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  let repo = colon > slash ? named.slice(0, colon) : named;
  const first = repo.split("/")[0] ?? "";
  const hasRegistry =
    repo.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) repo = repo.includes("/") ? `docker.io/${repo}` : `docker.io/library/${repo}`;
  return { repo, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Distinct images a memo keeps before it starts again (a scenario names a handful). */
const MEMO_MAX_IMAGES = 1024;
const normalized = new Map<string, string>();
const ids = new Map<string, string>();

/**
 * A pure function of the image, memoized: every container status carries these strings, and one
 * shared string beats a fresh one built from pieces (~0.5 KiB a status, kept while it is current).
 */
function memoized(memo: Map<string, string>, image: string, of: (image: string) => string): string {
  let v = memo.get(image);
  if (v === undefined) {
    if (memo.size >= MEMO_MAX_IMAGES) memo.clear();
    memo.set(image, (v = of(image)));
  }
  return v;
}

/** The name containerd reports for an image (`nginx:1.25` → `docker.io/library/nginx:1.25`). */
export function normalizeImage(image: string): string {
  return memoized(normalized, image, (i) => {
    const r = parseImageRef(i);
    return r.digest ? `${r.repo}@${r.digest}` : `${r.repo}:${r.tag ?? "latest"}`;
  });
}

/** SetDefaults_Container: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  const r = parseImageRef(image);
  if (r.digest && r.tag === undefined) return "IfNotPresent";
  return (r.tag ?? "latest") === "latest" ? "Always" : "IfNotPresent";
}

// Deterministic stand-ins for registry facts: the same image has the same digest and size everywhere.
function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

/** A sha256-shaped digest derived from the image name (kubesim has no registry). */
export function imageDigest(image: string): string {
  const n = normalizeImage(image);
  let hex = "";
  for (let i = 0; i < 8; i++)
    hex += hash32(n, 0x811c9dc5 + i * 0x9e3779b9)
      .toString(16)
      .padStart(8, "0");
  return `sha256:${hex}`;
}

/** The image's size in bytes (5 MB .. 200 MB, derived from its name). */
export function imageSizeBytes(image: string): number {
  if (normalizeImage(image) === PAUSE_IMAGE) return PAUSE_IMAGE_SIZE_BYTES;
  return 5_000_000 + (hash32(normalizeImage(image), 0x1234567) % 195_000_000);
}

/** status.containerStatuses[].imageID: `docker.io/library/nginx@sha256:…`. */
export function imageId(image: string): string {
  return memoized(ids, image, (i) => {
    const r = parseImageRef(i);
    return `${r.repo}@${r.digest ?? imageDigest(i)}`;
  });
}

function globToRegExp(glob: string): RegExp {
  let src = "";
  for (const ch of glob) {
    if (ch === "*") src += ".*";
    else if (ch === "?") src += ".";
    else src += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/** Finds the scenario's behaviour for an image: an exact name first, then the first glob that matches. */
export class ImageBehaviors {
  private readonly globs: { re: RegExp; b: ImageBehavior }[] = [];
  private readonly exact = new Map<string, ImageBehavior>();
  private readonly memo = new Map<string, ImageBehavior | undefined>();

  constructor(behaviors: readonly ImageBehavior[]) {
    for (const b of behaviors) {
      if (/[*?]/.test(b.pattern)) this.globs.push({ re: globToRegExp(b.pattern), b });
      else if (!this.exact.has(b.pattern)) this.exact.set(b.pattern, b);
    }
  }

  /** The behaviour for `image` (also tried as `image:latest` when untagged), or undefined (well-behaved). */
  lookup(image: string): ImageBehavior | undefined {
    if (this.memo.has(image)) return this.memo.get(image);
    const tagged = parseImageRef(image).tag === undefined && !image.includes("@") ? `${image}:latest` : image;
    let found = this.exact.get(image) ?? this.exact.get(tagged);
    if (!found) found = this.globs.find((g) => g.re.test(image) || g.re.test(tagged))?.b;
    this.memo.set(image, found);
    return found;
  }
}

/** What a finished pull reports. */
export type PullResult =
  | { ok: true; pullMs: number; totalMs: number; sizeBytes: number }
  | { ok: false; error: string };

interface PullRequest {
  image: string;
  behavior: ImageBehavior | undefined;
  requestedAtMs: number;
  done: (r: PullResult) => void;
}

/** An image on the node (node.status.images). */
export interface CachedImage {
  names: string[];
  sizeBytes: number;
}

/** The node's image store and its serialized puller (one pull at a time, first come first served). */
export class ImageService {
  private readonly cache = new Map<string, CachedImage>();
  private readonly queue: PullRequest[] = [];
  private head = 0;
  private pulling = false;
  /** Bumped whenever the set of images changes, so the node status knows to report them. */
  version = 0;
  /** An injected image-pull fault: pulls of an image for which this says true fail. */
  injectedFailure: (image: string) => boolean = () => false;

  constructor(
    private readonly timers: TimerSet,
    private readonly rng: Rng,
    private readonly timings: KubeletTimings,
  ) {
    this.add(PAUSE_IMAGE);
  }

  /** Whether the image is on the node. */
  has(image: string): boolean {
    return this.cache.has(normalizeImage(image));
  }

  /** Images on the node, largest first (kubelet_node_status.go sorts by size), at most `max`. */
  list(max: number): CachedImage[] {
    const all = [...this.cache.entries()].sort(
      (a, b) => b[1].sizeBytes - a[1].sizeBytes || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
    return all.slice(0, max).map(([, v]) => v);
  }

  /** Queues a pull; `done` runs when it finishes (after the pulls queued before it). */
  pull(
    image: string,
    behavior: ImageBehavior | undefined,
    nowMs: number,
    done: (r: PullResult) => void,
  ): void {
    this.queue.push({ image, behavior, requestedAtMs: nowMs, done });
    if (!this.pulling) this.startNext();
  }

  /** Drops queued and running pulls without calling back (the runtime went away). */
  abortAll(): void {
    this.queue.length = 0;
    this.head = 0;
    this.pulling = false;
  }

  private startNext(): void {
    const req = this.queue[this.head];
    if (!req) {
      this.queue.length = 0;
      this.head = 0;
      this.pulling = false;
      return;
    }
    this.head++;
    this.pulling = true;
    const b = req.behavior;
    const injected = this.injectedFailure(req.image);
    const fails = injected || b?.pullFails === true;
    const present = this.has(req.image);
    const pullMs = draw(
      this.rng,
      fails
        ? ((injected ? undefined : b?.pull) ?? this.timings.imagePullFail)
        : present
          ? this.timings.imageRepull
          : (b?.pull ?? this.timings.imagePull),
    );
    this.timers.after(pullMs, (nowMs) => {
      if (fails) req.done({ ok: false, error: pullError(req.image) });
      else {
        this.add(req.image);
        req.done({
          ok: true,
          pullMs,
          totalMs: nowMs - req.requestedAtMs,
          sizeBytes: imageSizeBytes(req.image),
        });
      }
      this.startNext();
    });
  }

  private add(image: string): void {
    const n = normalizeImage(image);
    if (this.cache.has(n)) return;
    const r = parseImageRef(image);
    const names = [imageId(image)];
    if (!r.digest) names.push(n);
    this.cache.set(n, { names, sizeBytes: imageSizeBytes(image) });
    this.version++;
  }
}

/** containerd's error for an image the registry does not have. Simplification: every failure is NotFound. */
export function pullError(image: string): string {
  const n = normalizeImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": ${n}: not found`;
}
