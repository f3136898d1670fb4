/** The Scenario document declared with the schema DSL: its validator and schema/scenario.schema.json. */
import { KINDS } from "../api/kinds.js";
import { INVARIANT_NAMES } from "../invariants/names.js";
import { TextError } from "./errors.js";
import { isLabelValue, isQualifiedName } from "./kubectl-args.js";
import { parsePredicate } from "./predicate.js";
import {
  arr,
  bool,
  byKey,
  custom,
  DURATION_EXPECTED,
  doc,
  duration,
  durationRange,
  enumOf,
  type Infer,
  int,
  type JsonDefs,
  type JsonSchema,
  map,
  named,
  obj,
  oneOf,
  RANGE_EXPECTED,
  record,
  SchemaIssue,
  str,
} from "./schema.js";
import type {
  DurationRange,
  FaultSpec,
  FaultType,
  HealSpec,
  ImageBehavior,
  Narration,
  NodeSpec,
} from "./types.js";

export const SCENARIO_API_VERSION = "kubesim.dev/v1alpha1";

/** Limits on the Scenario document (besides the file limits of source.ts). */
export const SPEC_LIMITS = {
  actions: 10_000,
  expectations: 10_000,
  nodePools: 1_000,
  nodes: 20_000,
  untilMs: 30 * 24 * 3_600_000,
  manifests: 1_000,
  images: 1_000,
} as const;

/** The cluster of a plain-manifest run, and of a Scenario that gives no `nodes`. */
export const DEFAULT_NODE_COUNT = 3;
export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = { cpu: "4", memory: "8Gi", pods: "110" };
export const DEFAULT_UNTIL_MS = 10 * 60_000;
export const DEFAULT_SEED = 1;

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const QUANTITY_RE = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE]\d+)?$/;

const objectName = str({
  min: 1,
  max: 253,
  pattern: NAME_RE,
  expected: 'a name of lower-case letters, digits, "-" and "."',
});

const qualifiedKey = custom(
  'a key like "zone" or "example.com/zone"',
  { type: "string" },
  (v) => typeof v === "string",
  (v, path) => {
    if (!isQualifiedName(v as string))
      throw new SchemaIssue(
        path,
        `invalid key "${v}" (expected [prefix/]name: alphanumerics, "-", "_", ".", name at most 63 characters)`,
        "key",
      );
    return v as string;
  },
);

const labelValue = map(str({ max: 63, expected: "a string (a label value)" }), (v, path) => {
  if (!isLabelValue(v))
    throw new SchemaIssue(
      path,
      `invalid label value "${v}" (expected at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)`,
    );
  return v;
});

const quantity = custom(
  "a quantity like 4, 500m, 8Gi",
  {
    anyOf: [
      { type: "string", pattern: QUANTITY_RE.source },
      { type: "number", minimum: 0 },
    ],
  },
  (v) => typeof v === "string" || typeof v === "number",
  (v, path) => {
    const text = typeof v === "number" ? String(v) : (v as string);
    if (!QUANTITY_RE.test(text))
      throw new SchemaIssue(
        path,
        `invalid quantity ${JSON.stringify(text)} (expected a quantity like 4, 500m, 8Gi)`,
      );
    return text;
  },
);

const resourceList = record(quantity, {
  key: qualifiedKey,
  max: 100,
  expected: 'a mapping of resource names to quantities, e.g. {cpu: "4", memory: 8Gi}',
});

const taint = obj(
  { key: qualifiedKey, value: labelValue, effect: enumOf(["NoSchedule", "PreferNoSchedule", "NoExecute"]) },
  { required: ["key", "effect"] },
);

const nodePoolFields = obj({
  count: doc(
    int({ min: 1, max: SPEC_LIMITS.nodes }),
    "How many nodes: node-1..node-N, or PREFIX-1..PREFIX-N with namePrefix.",
  ),
  names: arr(objectName, { min: 1, max: SPEC_LIMITS.nodes }),
  namePrefix: str({
    min: 1,
    max: 50,
    pattern: NAME_RE,
    expected: 'a name prefix of lower-case letters, digits and "-"',
  }),
  capacity: doc(resourceList, "Node capacity; cpu 4, memory 8Gi, pods 110 unless given."),
  allocatable: doc(resourceList, "Allocatable resources; defaults to capacity."),
  labels: record(labelValue, { key: qualifiedKey, max: 100 }),
  taints: arr(taint, { max: 100 }),
  unschedulable: bool(),
  joinAt: doc(duration(), "When the node registers with the cluster (default 0)."),
});

/** A node pool, names expanded: node-1..node-N, PREFIX-1..PREFIX-N, or the names listed. */
const nodePool = map(nodePoolFields, (p, path): NodeSpec => {
  if (p.names && (p.count !== undefined || p.namePrefix !== undefined)) {
    throw new SchemaIssue(
      [...path, p.count !== undefined ? "count" : "namePrefix"],
      "give either names, or count (with an optional namePrefix), not both",
      "key",
    );
  }
  if (!p.names && p.count === undefined) throw new SchemaIssue(path, "a node pool needs count or names");
  const prefix = p.namePrefix ?? "node";
  const node: NodeSpec = {
    names: p.names ?? Array.from({ length: p.count! }, (_, i) => `${prefix}-${i + 1}`),
    capacity: { ...DEFAULT_CAPACITY, ...p.capacity },
    labels: p.labels ?? {},
    taints: p.taints ?? [],
  };
  if (p.allocatable) node.allocatable = { ...node.capacity, ...p.allocatable };
  if (p.unschedulable !== undefined) node.unschedulable = p.unschedulable;
  if (p.joinAt !== undefined) node.joinAtMs = p.joinAt;
  return node;
});

/** Node names are unique across pools; the error points at the pool that repeats one. */
const nodePools = map(arr(nodePool, { max: SPEC_LIMITS.nodePools }), (pools, path) => {
  const owner = new Map<string, number>();
  let total = 0;
  pools.forEach((pool, i) => {
    total += pool.names.length;
    if (total > SPEC_LIMITS.nodes)
      throw new SchemaIssue([...path, i], `too many nodes: more than ${SPEC_LIMITS.nodes}`);
    for (const name of pool.names) {
      const first = owner.get(name);
      if (first !== undefined) {
        const detail = `duplicate node name "${name}" (also in spec.nodes[${first}]); give this pool a namePrefix or names`;
        throw new SchemaIssue([...path, i], detail);
      }
      owner.set(name, i);
    }
  });
  return pools;
});

const range = named(
  "DurationRange",
  doc(durationRange(), `A fixed duration (2s) or a uniform range (1s..3s).`),
);
const dur = named(
  "Duration",
  doc(duration(), `A duration: ${DURATION_EXPECTED.replace("a duration like ", "")}.`),
);

/** Timing knobs the models read; strict, so a typo is an error rather than a silent default. */
export const TIMING_KEYS = [
  "imagePull",
  "containerStart",
  "containerStop",
  "sandboxCreate",
  "volumeAttach",
  "volumeProvision",
  "watchLatency",
  "schedulerLatency",
  "apiserverLatency",
  "controllerLatency",
  "nodeStatusUpdateFrequency",
  "nodeMonitorPeriod",
  "nodeMonitorGracePeriod",
] as const;

const timing = obj(
  Object.fromEntries(TIMING_KEYS.map((k) => [k, range])) as Record<
    (typeof TIMING_KEYS)[number],
    typeof range
  >,
);

const ready = custom<DurationRange | null>(
  `${RANGE_EXPECTED}, or never`,
  (defs) => ({ anyOf: [range.json(defs), { const: "never" }] }),
  (v) => typeof v === "string" || typeof v === "number",
  (v, path) => {
    if (v === "never") return null;
    try {
      return durationRange().parse(v, path);
    } catch {
      throw new SchemaIssue(
        path,
        `invalid value ${JSON.stringify(v)} (expected ${RANGE_EXPECTED}, or never)`,
      );
    }
  },
);

const crash = map(
  obj(
    {
      after: doc(range, "The process exits this long after every start."),
      exitCode: int({ min: 0, max: 255 }),
      reason: enumOf(["Error", "OOMKilled", "Completed"]),
    },
    { required: ["after"] },
  ),
  (c): NonNullable<ImageBehavior["exit"]> => {
    const exitCode = c.exitCode ?? (c.reason === "OOMKilled" ? 137 : c.reason === "Completed" ? 0 : 1);
    return c.reason ? { after: c.after, exitCode, reason: c.reason } : { after: c.after, exitCode };
  },
);

const imageBehavior = map(
  obj({
    pull: doc(range, "Time to pull the image onto a node."),
    pullFails: doc(bool(), "Pulls fail (ErrImagePull, then ImagePullBackOff)."),
    start: doc(range, "Time from container start until the process is up."),
    ready: doc(ready, "Readiness succeeds this long after start; never = never ready."),
    livenessFailsAfter: doc(range, "Liveness starts failing this long after start."),
    crash: doc(crash, "The process exits this long after every start."),
    terminate: doc(
      range,
      "Time the process takes to exit after SIGTERM (past the grace period it is killed).",
    ),
  }),
  (b): Omit<ImageBehavior, "pattern"> => {
    const { crash: exit, ...rest } = b;
    return exit ? { ...rest, exit } : rest;
  },
);

const images = map(
  record(imageBehavior, {
    key: str({ min: 1, max: 512, pattern: /^\S+$/, expected: "an image name or glob" }),
    max: SPEC_LIMITS.images,
  }),
  (m): ImageBehavior[] => Object.entries(m).map(([pattern, b]) => ({ pattern, ...b })),
);

const narration = named(
  "Narration",
  oneOf<Narration>(
    [
      map(str({ min: 1, max: 10_000 }), (en) => ({ en })),
      map(obj({ en: str({ min: 1, max: 10_000 }), zh: str({ min: 1, max: 10_000 }) }), (n, path) => {
        if (n.en === undefined && n.zh === undefined) throw new SchemaIssue(path, "narration needs en or zh");
        return n;
      }),
    ],
    "narration: a string, or {en, zh}",
  ),
);

export const FAULT_TYPES: readonly FaultType[] = [
  "crash",
  "partition",
  "kubelet-stop",
  "container-crash",
  "oom",
  "image-pull-fail",
  "apiserver-delay",
];

/** Which fields each fault type needs; `crash` with `pod` is a container crash (DESIGN.md's form). */
const FAULT_NEEDS: Record<FaultType, "node" | "pod" | "image" | "delay"> = {
  crash: "node",
  partition: "node",
  "kubelet-stop": "node",
  "container-crash": "pod",
  oom: "pod",
  "image-pull-fail": "image",
  "apiserver-delay": "delay",
};

const fault = map(
  obj(
    {
      type: enumOf(FAULT_TYPES),
      node: objectName,
      pod: objectName,
      container: objectName,
      image: str({ min: 1, max: 512 }),
      namespace: objectName,
      for: doc(dur, "Heal automatically after this long."),
      delay: doc(dur, "For apiserver-delay: the extra watch latency."),
    },
    { required: ["type"] },
  ),
  (f, path): FaultSpec => {
    const type: FaultType =
      f.type === "crash" && f.pod !== undefined && f.node === undefined ? "container-crash" : f.type;
    const need = FAULT_NEEDS[type];
    if (f[need] === undefined)
      throw new SchemaIssue([...path, need], `required field is missing: a ${f.type} fault needs "${need}"`);
    const out: FaultSpec = { type };
    for (const k of ["node", "pod", "container", "image", "namespace"] as const)
      if (f[k] !== undefined) out[k] = f[k];
    if (f.for !== undefined) out.forMs = f.for;
    if (f.delay !== undefined) out.delayMs = f.delay;
    return out;
  },
);

const heal = map(
  obj({
    node: objectName,
    pod: objectName,
    namespace: objectName,
    container: objectName,
    image: str({ min: 1, max: 512 }),
    type: enumOf(FAULT_TYPES),
  }),
  (h, path): HealSpec => {
    if (h.node === undefined && h.pod === undefined && h.image === undefined && h.type === undefined)
      throw new SchemaIssue(path, "heal needs node, pod, image or type");
    // `{pod: web-0, type: crash}` heals a container crash, as the fault's own form.
    if (h.type === "crash" && h.pod !== undefined && h.node === undefined)
      return { ...h, type: "container-crash" };
    return h;
  },
);

const at = doc(dur, "When the action happens, in simulated time from the start.");
const action = named(
  "Action",
  byKey(
    {
      kubectl: obj(
        { at, kubectl: doc(str({ min: 1, max: 10_000 }), "A kubectl command line."), narrate: narration },
        { required: ["at", "kubectl"] },
      ),
      fault: obj({ at, fault, narrate: narration }, { required: ["at", "fault"] }),
      heal: obj({ at, heal, narrate: narration }, { required: ["at", "heal"] }),
    },
    {
      expected: 'exactly one of "kubectl", "fault", "heal" (narrate may go with any, or alone)',
      fallback: map(obj({ at, narrate: narration }, { required: ["at"] }), (a, path) => {
        if (a.narrate === undefined)
          throw new SchemaIssue(path, 'an action needs one of "kubectl", "fault", "heal" or "narrate"');
        return { at: a.at, narrate: a.narrate };
      }),
    },
  ),
);

const predicate = named(
  "Predicate",
  custom(
    'a predicate like "deployment/web available == 6"',
    {
      type: "string",
      description:
        'KIND/NAME FIELD OP VALUE, e.g. deployment/web available == 6, pod/prod/db-0 node == node-2 or pod/web file(/etc/creds/password) == "v2"',
    },
    (v) => typeof v === "string",
    (v, path) => {
      try {
        return parsePredicate(v as string);
      } catch (e) {
        if (e instanceof TextError) throw new SchemaIssue(path, e.message, "value", e.offset);
        throw e;
      }
    },
  ),
);

const expectation = named(
  "Expectation",
  byKey(
    {
      by: obj(
        { by: doc(dur, "Eventually, no later than this time."), that: predicate },
        { required: ["by", "that"] },
      ),
      at: obj({ at: doc(dur, "Exactly at this time."), that: predicate }, { required: ["at", "that"] }),
      always: obj({ always: predicate, from: dur, until: dur }, { required: ["always"] }),
      never: obj({ never: predicate, from: dur, until: dur }, { required: ["never"] }),
    },
    { expected: 'exactly one of "by", "at", "always", "never"' },
  ),
);

const spec = obj({
  seed: doc(int({ min: 0, max: 2 ** 53 - 1 }), "Root seed of the run (default 1); --seed overrides it."),
  until: doc(
    duration({ minMs: 1, maxMs: SPEC_LIMITS.untilMs }),
    "When the run ends (default 10m); --until overrides it.",
  ),
  nodes: doc(nodePools, "Node pools (default: 3 nodes node-1..node-3 with cpu 4, memory 8Gi, pods 110)."),
  timing: doc(timing, "Overrides of the models' timing (Kubernetes' own defaults otherwise)."),
  manifests: doc(
    arr(str({ min: 1, max: 4096, expected: "a file path" }), { max: SPEC_LIMITS.manifests }),
    "Manifest files applied at time 0, relative to this file.",
  ),
  images: doc(images, "How the software in each image behaves (exact name or glob such as nginx:*)."),
  actions: arr(action, { max: SPEC_LIMITS.actions }),
  expect: arr(expectation, { max: SPEC_LIMITS.expectations }),
  invariants: doc(
    arr(enumOf([...INVARIANT_NAMES, "all"]), { max: INVARIANT_NAMES.length + 1 }),
    "Invariants checked as the run goes (all = every built-in one); a broken one fails `kubesim check`.",
  ),
  convergeWithin: doc(
    duration({ minMs: 1, maxMs: SPEC_LIMITS.untilMs }),
    "The convergence invariant's bound: how long after every fault heals the cluster may take (default 10m).",
  ),
});

/** The whole Scenario document. */
export const SCENARIO_DOC = obj(
  {
    apiVersion: enumOf([SCENARIO_API_VERSION]),
    kind: enumOf(["Scenario"]),
    metadata: obj({
      name: str({
        min: 1,
        max: 253,
        pattern: /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
        expected: 'a name of letters, digits, "-", "_" and "."',
      }),
      description: str({ max: 10_000 }),
    }),
    spec,
  },
  { required: ["apiVersion", "kind"] },
);

/** What SCENARIO_DOC.parse returns: the document checked, before positions and cross-checks. */
export type ScenarioDoc = Infer<typeof SCENARIO_DOC>;

/**
 * JSON Schema (draft-07) for a whole scenario file as yaml-language-server applies it: to each
 * document, the Scenario strictly and any other document loosely as a Kubernetes object.
 */
export function scenarioJsonSchema(): JsonSchema {
  const defs: JsonDefs = {};
  const scenario = SCENARIO_DOC.json(defs);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "kubesim scenario file",
    description:
      "A kubesim Scenario document, or a Kubernetes object applied at time 0. Generated from src/scenario/spec.ts.",
    if: { type: "object", properties: { kind: { const: "Scenario" } }, required: ["kind"] },
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's if/then/else keyword.
    then: { $ref: "#/definitions/Scenario" },
    else: { $ref: "#/definitions/KubernetesObject" },
    definitions: {
      Scenario: scenario,
      KubernetesObject: {
        type: "object",
        required: ["apiVersion", "kind"],
        properties: {
          apiVersion: { type: "string" },
          kind: { enum: [...KINDS.map((k) => k.kind), "List"] },
          metadata: { type: "object" },
        },
      },
      ...defs,
    },
  };
}
