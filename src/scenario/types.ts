/** The validated Scenario: what a scenario file means once parsed, defaulted and checked. */
import type { KubeObject } from "../api/types.js";

/** Where something came from in a source file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** A duration that may be fixed (`2s`) or uniform over a range (`1s..3s`), in ms. */
export interface DurationRange {
  minMs: number;
  maxMs: number;
}

/** How the software in an image behaves (the scenario's `images:` entries). */
export interface ImageBehavior {
  /** Image reference pattern: exact name or glob (`nginx:*`). */
  pattern: string;
  /** Time to pull the image onto a node. */
  pull?: DurationRange;
  /** Pulls fail (ErrImagePull) — from `pullFails: true`. */
  pullFails?: boolean;
  /** Time from container start until the process is up. */
  start?: DurationRange;
  /** Readiness succeeds this long after start; null = never ready. */
  ready?: DurationRange | null;
  /** Liveness starts failing this long after start (undefined = always live). */
  livenessFailsAfter?: DurationRange;
  /** The process exits this long after every start, with this code. */
  exit?: { after: DurationRange; exitCode: number; reason?: "Error" | "OOMKilled" | "Completed" };
  /** Time from SIGTERM until the process exits (past the grace period it is SIGKILLed); default timing.containerStop. */
  terminate?: DurationRange;
}

/** Node pool from `spec.nodes`. Names are expanded: node-1..node-N unless names/namePrefix are given. */
export interface NodeSpec {
  names: string[];
  capacity: Record<string, string>;
  /** Defaults to capacity. */
  allocatable?: Record<string, string>;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  unschedulable?: boolean;
  /** When the node registers (default 0). */
  joinAtMs?: number;
}

/** A parsed `kubectl ...` command line (the verbs of DESIGN.md). */
export interface KubectlCommand {
  verb: string;
  /** The raw text after `kubectl`, for the timeline. */
  text: string;
  /** Positional arguments after the verb (and sub-verb for `rollout`/`set`). */
  args: string[];
  /** Flags as given: `--to-revision=2` → {"to-revision": "2"}; `-f x` → {f: "x"}; `--force` → {force: "true"}. */
  flags: Record<string, string>;
  /** For `apply -f`/`create -f`: the objects, already parsed and validated, relative paths resolved. */
  objects?: KubeObject[];
  /** `-n`/`--namespace`, when given (also in flags.namespace). */
  namespace?: string;
  /** For `delete KIND -l SELECTOR`: the kind, resolved (`pods` → "Pod"). */
  kind?: string;
  /** The objects the command names, kinds resolved: `deploy/web` → {kind: "Deployment", name: "web"}. */
  targets?: { kind: string; name: string }[];
  /** For `patch`/`edit`: the JSON merge patch (RFC 7386), parsed. */
  patch?: Record<string, unknown>;
  /** For `set image`: container name (or "*") → new image. */
  images?: Record<string, string>;
  /** For `label`/`annotate`: keys to set (`k=v`) and keys to remove (`k-`). */
  changes?: { set: Record<string, string>; remove: string[] };
}

export type FaultType =
  | "crash"
  | "partition"
  | "kubelet-stop"
  | "container-crash"
  | "oom"
  | "image-pull-fail"
  | "apiserver-delay";

export interface FaultSpec {
  type: FaultType;
  node?: string;
  pod?: string;
  container?: string;
  image?: string;
  namespace?: string;
  /** Heal automatically after this long. */
  forMs?: number;
  /** For apiserver-delay: extra watch latency. */
  delayMs?: number;
}

/** What a `heal:` action heals: a node's fault, a pod's container faults, an image's pull faults, the apiserver delay. */
export interface HealSpec {
  node?: string;
  pod?: string;
  namespace?: string;
  container?: string;
  image?: string;
  type?: FaultType;
}

/** Narration text in English and/or Chinese. */
export interface Narration {
  en?: string;
  zh?: string;
}

export type Action =
  | { kind: "kubectl"; atMs: number; command: KubectlCommand; narrate?: Narration; pos: SourcePos }
  | { kind: "fault"; atMs: number; fault: FaultSpec; narrate?: Narration; pos: SourcePos }
  | {
      kind: "heal";
      atMs: number;
      heal: HealSpec;
      narrate?: Narration;
      pos: SourcePos;
    }
  | { kind: "narrate"; atMs: number; narrate: Narration; pos: SourcePos };

export type CompareOp = "==" | "!=" | ">=" | "<=" | ">" | "<";

/** `KIND/NAME FIELD OP VALUE`, e.g. `deployment/web available == 6`. */
export interface Predicate {
  text: string;
  kind: string;
  namespace: string;
  name: string;
  field: string;
  op: CompareOp;
  value: number | string | boolean | null;
  /** Selector form (`pods{app=web} count >= 3`): an equality-based label selector; `name` is "" then. */
  selector?: string;
  /** The argument of a `FIELD(ARG)` field: `file(/etc/creds/password)`, `env(app.PASSWORD)`. */
  arg?: string;
}

export type Expectation =
  | { mode: "at"; atMs: number; that: Predicate; pos: SourcePos }
  | { mode: "by"; byMs: number; that: Predicate; pos: SourcePos }
  | { mode: "always"; that: Predicate; fromMs: number; untilMs?: number; pos: SourcePos }
  | { mode: "never"; that: Predicate; fromMs: number; untilMs?: number; pos: SourcePos };

/** Timing overrides (`spec.timing`); every field optional, defaults are Kubernetes' own. */
export interface Timing {
  imagePull?: DurationRange;
  containerStart?: DurationRange;
  sandboxCreate?: DurationRange;
  watchLatency?: DurationRange;
  schedulerLatency?: DurationRange;
  [key: string]: DurationRange | undefined;
}

export interface Scenario {
  name: string;
  description?: string;
  /** The file the scenario came from (first file given). */
  file: string;
  seed: number;
  untilMs: number;
  nodes: NodeSpec[];
  timing: Timing;
  images: ImageBehavior[];
  /** Objects applied at time 0, in file order (manifests listed in spec.manifests, then inline documents). */
  objects: { object: KubeObject; pos: SourcePos }[];
  actions: Action[];
  expect: Expectation[];
  /** Invariants to check (`spec.invariants`, names from src/invariants; `all` expanded). */
  invariants?: string[];
  /** The convergence invariant's bound (`spec.convergeWithin`). */
  convergeWithinMs?: number;
  /** True when no `kind: Scenario` document was given (plain manifests on the default cluster). */
  defaulted: boolean;
}
