/** What a running pod sees of Secrets, ConfigMaps, the Downward API and its token: env and volume files. */
import type { Container, EnvVar, Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { SimContext } from "../api/context.js";
import { parseQuantity, quantityToMilli } from "../api/quantity.js";
import type { ConfigMap, Node, Pod, Secret, Stored } from "../api/types.js";
import type { TimerId } from "../engine/engine.js";
import type { Rng } from "../engine/rng.js";
import { kubeletFor } from "./index.js";
import type { PodWorker } from "./pod-worker.js";

/** kubelet syncFrequency: an idle pod is resynced every minute (with jitter). */
export const SYNC_FREQUENCY_MS = 60_000;
/** The pod workers' resync jitter factor (wait.Jitter-style ± 50 %, as the task models it). */
export const SYNC_JITTER = 0.5;
/** The service account volume's mount path (plugin/pkg/admission/serviceaccount). */
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/** One file of a mounted volume. */
export interface FileView {
  content: string;
  /** The file mode (defaultMode / items[].mode; 0644 by default). */
  mode: number;
}

/** What one pod sees: env per container (as of its start) and files per mount path. */
export interface PodView {
  env: Record<string, Record<string, string>>;
  files: Record<string, Record<string, FileView>>;
}

const DEFAULT_MODE = 0o644;
type Files = Record<string, FileView>;
type Env = Readonly<Record<string, string>>;
// The content sources a volume's files came from, as flat [key, value, …] pairs ("Secret/db-pass",
// its resourceVersion): a pod keeps them for its life, and a Map of one or two entries costs ~150 B more.
type Sources = string[];

/** One volume's files as last written, and where they came from. */
interface VolumeFiles {
  readonly name: string;
  readonly files: Files;
  readonly sources: Sources;
}

/** One container's env as of its last start. */
interface ContainerEnv {
  readonly name: string;
  readonly env: Env;
}

// Shared by every container whose env is empty (the usual case), and every pod with no such volume.
const NO_ENV: Env = Object.freeze({});
// Not frozen: findIndex() and concat() on a frozen array take V8's slow path. Never written to.
const NO_VOLUMES: readonly VolumeFiles[] = [];
const NO_ENVS: readonly ContainerEnv[] = [];

// Map.set on pairs: a key keeps its first position.
function setSource(src: Sources, key: string, value: string): void {
  for (let i = 0; i < src.length; i += 2)
    if (src[i] === key) {
      src[i + 1] = value;
      return;
    }
  src.push(key, value);
}

// Map.get on pairs.
function sourceOf(src: Sources | undefined, key: string): string | undefined {
  if (!src) return undefined;
  for (let i = 0; i < src.length; i += 2) if (src[i] === key) return src[i + 1];
  return undefined;
}

function volumeNamed(volumes: readonly VolumeFiles[], name: string): VolumeFiles | undefined {
  for (const v of volumes) if (v.name === name) return v;
  return undefined;
}

/** What `pod` sees now on its node (undefined when no kubelet runs it). */
export function podView(ctx: SimContext, pod: Pod): PodView | undefined {
  return projectionOf(ctx, pod)?.view();
}

/** Secret data decoded (data is base64; stringData, if stored, wins). */
export function secretStrings(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = decodeBase64(v);
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = v;
  return out;
}

function decodeBase64(v: string): string {
  try {
    const bin = atob(v);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return v;
  }
}

/**
 * One pod's projection: files resolved at mount and refreshed at each periodic resync (the
 * watch-based secret/configmap manager serves the latest object, the volume is rewritten on the
 * pod's next sync); env resolved at each container start and kept until the container restarts.
 *
 * The resyncs r_k = r_{k-1} + delay_k (r_0 = mount, delays from the pod's own stream) stay
 * implicit: a resync that finds its inputs unchanged rewrites nothing, so the projection only
 * wakes at the first r_k after one of its inputs changed (a referenced Secret/ConfigMap, through
 * the apiserver's observers; the pod, its sandbox or its Node, through the kubelet), and draws
 * the delays only then — the times are those of a timer per pod per minute, without the timers.
 */
export class PodProjection {
  /** Per container started, in first-start order (arrays, not Maps: see Sources). */
  private env: readonly ContainerEnv[] = NO_ENVS;
  /** Per volume that projects API data, in spec order. */
  private volumes: readonly VolumeFiles[] = NO_VOLUMES;
  /** The version the pod sees of each source that changed since the mount (absent: v1). */
  private versions: Map<string, number> | undefined;
  /** The pod's resync stream, forked on the first draw (forking consumes nothing of the parent). */
  private rng: Rng | undefined;
  private mountedOnce = false;
  /** The resync loop runs: mounted with API-backed files, and neither halted nor seen terminal. */
  private following = false;
  /** The last resync time passed (r_k; the mount time before the first). */
  private lastResyncMs = 0;
  /** r_{k+1} once drawn. */
  private nextResyncMs: number | undefined;
  /** The one pending resync (at nextResyncMs), scheduled after an input changed. */
  private timer: TimerId | undefined;
  /** What the pod-side inputs gave at the last resync (see podInputs). */
  private podSeen = "";
  private volumesSeen: readonly Volume[] | undefined;
  // What podInputs read when it last gave podSeen: while they are the same objects, so is the
  // text (name, namespace and uid never change for a worker; the node's IP neither).
  private specRead: Pod["spec"] | undefined;
  private labelsRead: Readonly<Record<string, string>> | undefined;
  private annotationsRead: Readonly<Record<string, string>> | undefined;
  private podIpRead: string | undefined;
  private sandboxRead: object | undefined;
  /** A downward item of volumesSeen may read the Node (a limit falls back to its allocatable): no shortcut. */
  private readsNode = false;
  /** A downward item of volumesSeen reads the pod IP (from status, else the sandbox). */
  private readsIp = false;
  /** The index keys this projection is registered under. */
  private keys: string[] = [];

  constructor(private readonly w: PodWorker) {}

  /** The volumes are mounted: resolve every file, then follow their inputs at each resync. */
  mounted(): void {
    if (this.mountedOnce) return;
    this.mountedOnce = true;
    this.refresh(false);
    // Only pods with API-backed volume content have anything for a periodic resync to rewrite.
    if (this.volumes.length === 0) return;
    this.following = true;
    this.lastResyncMs = this.w.kubelet.nowMs;
    this.remember();
  }

  /**
   * A Secret/ConfigMap this pod's volumes reference changed (or the pod, its sandbox, its Node:
   * `podChanged`). The first resync after now rewrites the files. `sameMsToo`: a resync due at
   * this very millisecond has not run yet (the change came from an event queued before it).
   */
  inputChanged(sameMsToo: boolean): void {
    if (!this.following || this.timer !== undefined) return;
    // A terminal pod's loop stops at its next resync, which would rewrite nothing.
    if (this.w.terminal) {
      this.halt();
      return;
    }
    const now = this.w.kubelet.nowMs;
    let at = this.drawNext();
    while (at < now || (at === now && !sameMsToo)) {
      this.lastResyncMs = at;
      this.nextResyncMs = undefined;
      at = this.drawNext();
    }
    this.timer = this.w.kubelet.timers.at(at, () => this.resync());
  }

  /** The worker's pod object, its sandbox or its Node changed: a resync if what the pod shows did. */
  podChanged(): void {
    if (!this.following || this.timer !== undefined) return;
    if (this.w.pod.spec?.volumes === this.volumesSeen && this.podInputsSame()) return;
    // The pod's own changes reach the worker through its watch, queued after the resync timer.
    this.inputChanged(false);
  }

  // Whether the pod-side inputs still give podSeen: by identity of what they read, else by the text.
  private podInputsSame(): boolean {
    const w = this.w;
    const md = w.pod.metadata;
    if (
      !this.readsNode &&
      w.pod.spec === this.specRead &&
      md.labels === this.labelsRead &&
      md.annotations === this.annotationsRead &&
      (!this.readsIp || (w.pod.status?.podIP === this.podIpRead && w.sandbox === this.sandboxRead))
    )
      return true;
    if (podInputs(w) !== this.podSeen) return false;
    this.noteReads();
    return true;
  }

  // Notes the objects podInputs read for the text in podSeen.
  private noteReads(): void {
    const w = this.w;
    this.specRead = w.pod.spec;
    this.labelsRead = w.pod.metadata.labels;
    this.annotationsRead = w.pod.metadata.annotations;
    this.podIpRead = w.pod.status?.podIP;
    this.sandboxRead = w.sandbox;
  }

  /** The loop stops for good: the kubelet stopped (its timers went with it) or the worker is done. */
  halt(): void {
    this.following = false;
    this.w.kubelet.timers.cancel(this.timer);
    this.timer = undefined;
    if (this.keys.length === 0) return;
    const index = indexFor(this.w.kubelet.cluster);
    for (const k of this.keys) index.remove(k, this);
    this.keys = [];
  }

  /**
   * The kubelet restarted and syncs the pod again: the volumes are rewritten with what the
   * apiserver holds now, and the resync loop starts again from this sync.
   */
  resume(): void {
    if (!this.mountedOnce || this.following || this.w.terminal) return;
    this.refresh(true);
    if (this.volumes.length === 0) return;
    this.following = true;
    this.lastResyncMs = this.w.kubelet.nowMs;
    this.nextResyncMs = undefined;
    this.volumesSeen = undefined;
    this.remember();
  }

  // r_{k+1}: syncFrequency ± 50 % after r_k, drawn once.
  private drawNext(): number {
    if (this.nextResyncMs === undefined) {
      this.rng ??= this.w.kubelet.rng.fork(`resync/${this.w.uid}`);
      // Simplification: ± 50 % uniform jitter around syncFrequency, from the pod's own stream.
      const delayMs = Math.round(SYNC_FREQUENCY_MS * (1 - SYNC_JITTER + 2 * SYNC_JITTER * this.rng.next()));
      this.nextResyncMs = this.lastResyncMs + delayMs;
    }
    return this.nextResyncMs;
  }

  private resync(): void {
    this.timer = undefined;
    this.lastResyncMs = this.nextResyncMs ?? this.lastResyncMs;
    this.nextResyncMs = undefined;
    if (this.w.terminal) {
      this.halt();
      return;
    }
    this.refresh(true);
    this.remember();
  }

  // Notes what the last resync read: the pod-side inputs, and the objects to be told about.
  private remember(): void {
    this.podSeen = podInputs(this.w);
    this.noteReads();
    const volumes = this.w.pod.spec?.volumes;
    if (volumes === this.volumesSeen) return;
    this.volumesSeen = volumes;
    this.readsNode = someDownwardItem(volumes, (it) => it.resourceFieldRef !== undefined);
    this.readsIp = someDownwardItem(volumes, (it) => /^status\.podIPs?$/.test(it.fieldRef?.fieldPath ?? ""));
    const index = indexFor(this.w.kubelet.cluster);
    for (const k of this.keys) index.remove(k, this);
    this.keys = inputKeys(this.w).map((k) => index.add(k, this));
  }

  // Rewrites every projected file; on a change records which object version the pod now sees.
  private refresh(announce: boolean): void {
    const volumes: VolumeFiles[] = [];
    for (const v of this.w.pod.spec?.volumes ?? []) {
      const src: Sources = [];
      const files = volumeFiles(this.w, v, src);
      if (files === undefined) continue;
      // slice(): exact-size copies (pushed arrays keep spare capacity, and a pod keeps these).
      const entry = { name: v.name, files, sources: src.slice() };
      // As Map.set would: a repeated name keeps its first place and its last files.
      const i = volumes.findIndex((x) => x.name === v.name);
      if (i < 0) volumes.push(entry);
      else volumes[i] = entry;
    }
    const changed: [Sources, Sources | undefined][] = [];
    for (const { name, files, sources } of volumes) {
      const before = volumeNamed(this.volumes, name);
      if (announce && before && !sameFiles(before.files, files)) changed.push([sources, before.sources]);
    }
    this.volumes = volumes.length === 0 ? NO_VOLUMES : volumes.slice();
    // Announced once the files are in place: whoever reads the step sees the new content.
    for (const [now, before] of changed) this.announce(now, before);
  }

  private announce(now: Sources, before: Sources | undefined): void {
    const pairs: [string, string][] = [];
    for (let i = 0; i < now.length; i += 2) pairs.push([now[i]!, now[i + 1]!]);
    for (const [key, value] of pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      // A Secret/ConfigMap changed when its resourceVersion did; the pod, when what it shows did.
      const [rv, shown] = value.split("\u0001");
      const was = sourceOf(before, key);
      if (shown === undefined ? was === value : was?.split("\u0001")[1] === shown) continue;
      const n = (this.versions?.get(key) ?? 1) + 1;
      (this.versions ??= new Map()).set(key, n);
      const [kind, name] = key.split("/");
      this.w.kubelet.step(this.w.pod, "VolumeUpdated", `sees ${kind} ${name} v${n} (resourceVersion ${rv})`);
    }
  }

  /** A container starts: resolve its env (kept until it restarts). Returns the config error, if any. */
  startContainer(c: Container): string | undefined {
    const r = containerEnv(this.w, c);
    if (typeof r === "string") return r;
    const entry = { name: c.name, env: isEmpty(r) ? NO_ENV : r };
    let i = this.env.length - 1;
    while (i >= 0 && this.env[i]!.name !== c.name) i--;
    // A new exact-size array (a container is added once; a restart replaces its entry in place).
    if (i < 0) this.env = this.env.concat([entry]);
    else (this.env as ContainerEnv[])[i] = entry;
    return undefined;
  }

  /** One file of a projected volume now (undefined: no such file, or not a projection of API data). */
  fileIn(volume: string, relPath: string): FileView | undefined {
    const f = volumeNamed(this.volumes, volume)?.files[relPath];
    return f ? { ...f } : undefined;
  }

  /** A container's environment variable as of its last start. */
  envOf(container: string, name: string): string | undefined {
    const e = this.env.find((x) => x.name === container)?.env;
    return e && Object.hasOwn(e, name) ? e[name] : undefined;
  }

  /** Env per container and files per mount path (the first container mounting each volume). */
  view(): PodView {
    const env: PodView["env"] = {};
    for (const { name, env: e } of this.env) env[name] = { ...e };
    const out: PodView["files"] = {};
    const spec = this.w.pod.spec;
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      for (const m of c.volumeMounts ?? []) {
        const f = volumeNamed(this.volumes, m.name)?.files;
        if (f && !(m.mountPath in out)) out[m.mountPath] = subPathed(f, m.subPath);
      }
    }
    return { env, files: out };
  }
}

/**
 * Which projections read which API object, per cluster ("Secret/ns/name", "ConfigMap/ns/name",
 * "Node//name" → projections): a write reaches only the pods that reference what it changed.
 */
class ProjectionIndex {
  // The key is kept with its set: projections keep this copy, one string per input, not per pod.
  private readonly byKey = new Map<
    string,
    { readonly key: string; readonly projections: Set<PodProjection> }
  >();

  constructor(ctx: SimContext) {
    // Observers run synchronously at the write: the change is seen at the millisecond it is made,
    // as a resync reading the apiserver then would.
    ctx.api.observe((ev) => this.onChange(ev.object));
  }

  /** Registers `p` under `key`; returns the index's own (equal) key string, for `p` to keep. */
  add(key: string, p: PodProjection): string {
    let entry = this.byKey.get(key);
    if (!entry) this.byKey.set(key, (entry = { key, projections: new Set() }));
    entry.projections.add(p);
    return entry.key;
  }

  remove(key: string, p: PodProjection): void {
    const entry = this.byKey.get(key);
    if (entry?.projections.delete(p) && entry.projections.size === 0) this.byKey.delete(key);
  }

  private onChange(o: Stored): void {
    const kind = o.kind;
    if (kind !== "Secret" && kind !== "ConfigMap" && kind !== "Node") return;
    const set = this.byKey.get(inputKey(kind, o.metadata.namespace ?? "", o.metadata.name))?.projections;
    if (!set) return;
    // Registration order: deterministic, as the kubelets mount in event order.
    for (const p of [...set]) {
      // Secret/ConfigMap writes come from events queued long before (kubectl actions), so a
      // resync due this millisecond still sees them; a Node write is the kubelet's own, just now.
      if (kind === "Node") p.podChanged();
      else p.inputChanged(true);
    }
  }
}

const indexes = new WeakMap<SimContext, ProjectionIndex>();

function indexFor(ctx: SimContext): ProjectionIndex {
  let index = indexes.get(ctx);
  if (!index) indexes.set(ctx, (index = new ProjectionIndex(ctx)));
  return index;
}

function inputKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

// The API objects a pod's volumes read besides the pod: Secrets, ConfigMaps, and its Node when a
// resourceFieldRef may fall back to the node's allocatable.
function inputKeys(w: PodWorker): string[] {
  const keys = new Set<string>();
  const ns = w.namespace;
  const downward = (items: readonly DownwardItem[] | undefined) => {
    for (const it of items ?? [])
      if (it.resourceFieldRef) {
        keys.add(inputKey("Node", "", w.kubelet.nodeName));
        return;
      }
  };
  for (const v of w.pod.spec?.volumes ?? []) {
    if (v.secret) keys.add(inputKey("Secret", ns, v.secret.secretName ?? ""));
    if (v.configMap) keys.add(inputKey("ConfigMap", ns, v.configMap.name ?? ""));
    downward(v.downwardAPI?.items);
    for (const s of v.projected?.sources ?? []) {
      if (s.secret) keys.add(inputKey("Secret", ns, s.secret.name ?? ""));
      if (s.configMap) keys.add(inputKey("ConfigMap", ns, s.configMap.name ?? ""));
      downward(s.downwardAPI?.items);
    }
  }
  return [...keys];
}

// What the volumes show of the pod itself (downward API items, the token): equal strings, equal files.
function podInputs(w: PodWorker): string {
  const parts: string[] = [];
  const downward = (items: readonly DownwardItem[] | undefined) => {
    for (const it of items ?? []) {
      if (it.fieldRef) parts.push(fieldValue(w, it.fieldRef.fieldPath, true) ?? "\u0001");
      else if (it.resourceFieldRef) parts.push(resourceValue(w, it.resourceFieldRef, undefined));
    }
  };
  for (const v of w.pod.spec?.volumes ?? []) {
    downward(v.downwardAPI?.items);
    for (const s of v.projected?.sources ?? []) {
      downward(s.downwardAPI?.items);
      if (s.serviceAccountToken) parts.push(token(w, s.serviceAccountToken));
    }
  }
  return parts.join("\u0000");
}

// Whether a downward API item of the volumes (plain or projected) passes `test`.
function someDownwardItem(
  volumes: readonly Volume[] | undefined,
  test: (it: DownwardItem) => boolean,
): boolean {
  // for-of, not some(): the volumes are the stored pod's (frozen), where some() takes V8's slow path.
  const any = (items: readonly DownwardItem[] | undefined) => {
    for (const it of items ?? []) if (test(it)) return true;
    return false;
  };
  for (const v of volumes ?? []) {
    if (any(v.downwardAPI?.items)) return true;
    for (const s of v.projected?.sources ?? []) if (any(s.downwardAPI?.items)) return true;
  }
  return false;
}

/** `[CONTAINER<sep>]REST`: how expectations name what a pod sees (file: sep ":", env: sep "."). */
export function containerArg(arg: string, sep: ":" | "."): { container?: string; rest: string } {
  const i = arg.indexOf(sep);
  return i < 0 ? { rest: arg } : { container: arg.slice(0, i), rest: arg.slice(i + 1) };
}

/** The file at the absolute `path` as `container` (by default, the first one mounting something there) sees it. */
export function podFileAt(ctx: SimContext, pod: Pod, path: string, container?: string): FileView | undefined {
  const projection = projectionOf(ctx, pod);
  const spec = pod.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    if (container !== undefined && c.name !== container) continue;
    // The deepest mount holding the path, as the container's mount namespace resolves it.
    let best: VolumeMount | undefined;
    for (const m of c.volumeMounts ?? []) {
      const root = m.mountPath.replace(/\/+$/, "");
      const holds = path === root || path.startsWith(`${root}/`);
      if (holds && (!best || m.mountPath.length > best.mountPath.length)) best = m;
    }
    if (!best) continue;
    const rel = path.slice(best.mountPath.replace(/\/+$/, "").length).replace(/^\/+/, "");
    const sub = best.subPath ? (rel === "" ? best.subPath : `${best.subPath}/${rel}`) : rel;
    return projection?.fileIn(best.name, sub);
  }
  return undefined;
}

/** The environment variable `name` of `container` (by default, the pod's first) as of its last start. */
export function podEnv(ctx: SimContext, pod: Pod, name: string, container?: string): string | undefined {
  const c = container ?? pod.spec?.containers[0]?.name ?? "";
  return projectionOf(ctx, pod)?.envOf(c, name);
}

function projectionOf(ctx: SimContext, pod: Pod): PodProjection | undefined {
  const node = pod.spec?.nodeName;
  if (!node) return undefined;
  return kubeletFor(ctx, node)?.worker(pod.metadata?.uid ?? "")?.projected;
}

function isEmpty(r: Env): boolean {
  for (const _ in r) return false;
  return true;
}

function subPathed(f: Files, subPath: string | undefined): Files {
  if (!subPath) return { ...f };
  const one = f[subPath];
  return one ? { "": one } : {};
}

function sameFiles(a: Files, b: Files): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k]?.content === a[k]?.content && b[k]?.mode === a[k]?.mode);
}

type Items = readonly { key: string; path: string; mode?: number }[] | undefined;

// The files of one key/value source: every key, or only `items` (key → path, per-item mode).
function keyFiles(out: Files, data: Record<string, string>, items: Items, mode: number): void {
  if (!items?.length) {
    for (const [k, v] of Object.entries(data).sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      out[k] = { content: v, mode };
    return;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v !== undefined) out[it.path] = { content: v, mode: it.mode ?? mode };
  }
}

function lookup(
  w: PodWorker,
  kind: "Secret" | "ConfigMap",
  name: string,
  src: Sources,
): Record<string, string> | undefined {
  const api = w.kubelet.cluster.api;
  if (kind === "Secret") {
    const s = api.get<Secret>("Secret", w.namespace, name);
    if (!s) return undefined;
    setSource(src, `Secret/${name}`, s.metadata.resourceVersion ?? "");
    return secretStrings(s);
  }
  const cm = api.get<ConfigMap>("ConfigMap", w.namespace, name);
  if (!cm) return undefined;
  setSource(src, `ConfigMap/${name}`, cm.metadata.resourceVersion ?? "");
  const binary: Record<string, string> = {};
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) binary[k] = decodeBase64(v);
  return { ...(cm.data ?? {}), ...binary };
}

// A volume's files (undefined for volumes that are not projections of API data).
function volumeFiles(w: PodWorker, v: Volume, src: Sources): Files | undefined {
  const out: Files = {};
  if (v.secret) {
    const d = lookup(w, "Secret", v.secret.secretName ?? "", src) ?? {};
    keyFiles(out, d, v.secret.items, v.secret.defaultMode ?? DEFAULT_MODE);
  } else if (v.configMap) {
    const d = lookup(w, "ConfigMap", v.configMap.name ?? "", src) ?? {};
    keyFiles(out, d, v.configMap.items, v.configMap.defaultMode ?? DEFAULT_MODE);
  } else if (v.downwardAPI) {
    downwardFiles(w, out, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, src);
  } else if (v.projected) {
    const mode = v.projected.defaultMode ?? DEFAULT_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.secret) keyFiles(out, lookup(w, "Secret", s.secret.name ?? "", src) ?? {}, s.secret.items, mode);
      if (s.configMap)
        keyFiles(out, lookup(w, "ConfigMap", s.configMap.name ?? "", src) ?? {}, s.configMap.items, mode);
      if (s.downwardAPI) downwardFiles(w, out, s.downwardAPI.items ?? [], mode, src);
      if (s.serviceAccountToken)
        out[s.serviceAccountToken.path] = { content: token(w, s.serviceAccountToken), mode };
    }
  } else return undefined;
  return out;
}

// Simplification: the token is an opaque stand-in for a bound JWT and is never rotated.
function token(w: PodWorker, t: { audience?: string; expirationSeconds?: number }): string {
  const sa = w.pod.spec?.serviceAccountName ?? "default";
  const exp = t.expirationSeconds ?? 3600;
  // Joined (one flat string, ~130 B less than a template's chain of pieces): every pod keeps its token.
  return ["token:system:serviceaccount:", w.namespace, ":", sa, ":pod=", w.name, ":exp=", exp].join("");
}

type DownwardItem = NonNullable<NonNullable<Volume["downwardAPI"]>["items"]>[number];

function downwardFiles(
  w: PodWorker,
  out: Files,
  items: readonly DownwardItem[],
  mode: number,
  src: Sources,
): void {
  for (const it of items) {
    const value = it.fieldRef
      ? fieldValue(w, it.fieldRef.fieldPath, true)
      : it.resourceFieldRef
        ? resourceValue(w, it.resourceFieldRef, undefined)
        : undefined;
    if (value === undefined) continue;
    out[it.path] = { content: value, mode: it.mode ?? mode };
  }
  // The pod itself is the source a downwardAPI volume follows: its version, then what it shows.
  const shown = items.map((it) => out[it.path]?.content ?? "").join("\u0000");
  setSource(src, `Pod/${w.name}`, `${w.pod.metadata.resourceVersion ?? ""}\u0001${shown}`);
}

function quoteMap(m: Readonly<Record<string, string>> | undefined): string {
  // fieldpath.FormatMap: sorted key="value" lines.
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}="${m![k]}"`)
    .join("\n");
}

/** fieldpath.ExtractFieldPathAsString plus the kubelet's podIP/hostIP/nodeName fields. */
export function fieldValue(w: PodWorker, path: string, volume: boolean): string | undefined {
  const pod = w.pod;
  const md = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === "labels" ? md.labels : md.annotations)?.[sub[2] ?? ""] ?? "";
  switch (path) {
    case "metadata.name":
      return md.name;
    case "metadata.namespace":
      return md.namespace ?? "default";
    case "metadata.uid":
      return md.uid;
    case "metadata.labels":
      return volume ? quoteMap(md.labels) : undefined;
    case "metadata.annotations":
      return volume ? quoteMap(md.annotations) : undefined;
    case "spec.nodeName":
      return pod.spec?.nodeName ?? w.kubelet.nodeName;
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.podIP":
    case "status.podIPs":
      return pod.status?.podIP ?? (w.sandbox ? w.podIp() : "");
    case "status.hostIP":
    case "status.hostIPs":
      return w.kubelet.nodeIp;
    default:
      return undefined;
  }
}

type ResourceRef = { containerName?: string; resource: string; divisor?: string | number };

/** resource.ExtractResourceValueByContainerName: ceil(value / divisor); unset limits are the node's allocatable. */
export function resourceValue(w: PodWorker, ref: ResourceRef, defaultContainer: string | undefined): string {
  const name = ref.containerName || defaultContainer;
  const c = w.pod.spec?.containers.find((x) => x.name === name);
  const [group, res] = ref.resource.split(".") as ["limits" | "requests", string];
  let q = (group === "limits" ? c?.resources?.limits : c?.resources?.requests)?.[res];
  if (q === undefined && group === "limits") {
    const node = w.kubelet.cluster.api.get<Node>("Node", undefined, w.kubelet.nodeName);
    q = node?.status?.allocatable?.[res];
  }
  const milli = q === undefined ? 0 : quantityToMilli(parseQuantity(q) ?? parseQuantity(0)!);
  const div = quantityToMilli(parseQuantity(ref.divisor ?? "1") ?? parseQuantity(1)!) || 1000;
  return String(Math.ceil(milli / div));
}

// envFrom first, then env (later wins); a missing non-optional reference is the config error.
function containerEnv(w: PodWorker, c: Container): Record<string, string> | string {
  const out: Record<string, string> = {};
  const none: Sources = [];
  for (const f of c.envFrom ?? []) {
    const ref = f.secretRef ?? f.configMapRef;
    const kind = f.secretRef ? "Secret" : "ConfigMap";
    const data = lookup(w, kind, ref?.name ?? "", none);
    if (!data) {
      if (ref?.optional) continue;
      return `${kind === "Secret" ? "secret" : "configmap"} "${ref?.name ?? ""}" not found`;
    }
    for (const [k, v] of Object.entries(data)) out[(f.prefix ?? "") + k] = v;
  }
  for (const e of c.env ?? []) {
    const r = envValue(w, c, e, out);
    if (r === null) continue;
    if (typeof r === "object") return r.error;
    out[e.name] = r;
  }
  return out;
}

/**
 * third_party/forked/golang/expansion: `$(VAR)` becomes an earlier variable's value (left as is when
 * undefined), `$$` becomes `$`.
 */
export function expandEnv(value: string, vars: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === "$$") return "$";
    return name !== undefined && Object.hasOwn(vars, name) ? (vars[name] ?? "") : m;
  });
}

// Simplification: Service environment variables (FOO_SERVICE_HOST...) are not injected.
function envValue(
  w: PodWorker,
  c: Container,
  e: EnvVar,
  sofar: Record<string, string>,
): string | null | { error: string } {
  const vf = e.valueFrom;
  if (!vf) return expandEnv(e.value ?? "", sofar);
  if (vf.fieldRef) return fieldValue(w, vf.fieldRef.fieldPath, false) ?? "";
  if (vf.resourceFieldRef) return resourceValue(w, vf.resourceFieldRef, c.name);
  const ref = vf.secretKeyRef ?? vf.configMapKeyRef;
  if (!ref) return null;
  const kind = vf.secretKeyRef ? "Secret" : "ConfigMap";
  const data = lookup(w, kind, ref.name ?? "", []);
  if (!data)
    return ref.optional
      ? null
      : { error: `${kind === "Secret" ? "secret" : "configmap"} "${ref.name ?? ""}" not found` };
  const v = data[ref.key];
  if (v === undefined)
    return ref.optional
      ? null
      : { error: `couldn't find key ${ref.key} in ${kind} ${w.namespace}/${ref.name ?? ""}` };
  return v;
}
