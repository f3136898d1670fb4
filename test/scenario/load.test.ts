// Loading scenario files: good scenarios, defaults, and precise errors for bad input.
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { FieldError } from "../../src/api/errors.js";
import type { KubeObject } from "../../src/api/types.js";
import { scenarioJsonSchema } from "../../src/scenario/spec.js";
import { DEPLOYMENT, load, loadError, scenario } from "./helpers.js";
import { jsonSchemaErrors } from "./json-schema-check.js";

const FULL = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata:
  name: rolling-update-with-node-crash
  description: A 6-replica rollout; node-2 crashes half-way.
spec:
  seed: 42
  until: 15m
  nodes:
    - count: 3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {zone: a}
    - count: 2
      namePrefix: big
      capacity: {cpu: 16, memory: 64Gi}
      taints: [{key: dedicated, value: batch, effect: NoSchedule}]
      joinAt: 30s
  timing:
    imagePull: 1s..3s
    containerStart: 500ms
  manifests: [manifests/web.yaml]
  images:
    "nginx:*":    {pull: 2s..4s, start: 1s, ready: 3s}
    "app:broken": {crash: {after: 5s, exitCode: 1}}
    "app:hangs":  {ready: never}
  actions:
    - at: 1m
      kubectl: set image deployment/web web=nginx:1.25
    - at: 2m
      fault: {node: node-2, type: crash}
      narrate: {en: node-2 crashes, zh: node-2 宕机}
    - at: 3m
      fault: {pod: web-0, container: app, type: crash}
    - at: 9m
      heal: {node: node-2}
    - at: 9m30s
      narrate: Everything is back.
    - at: 10m
      kubectl: rollout undo deployment/web
  expect:
    - by: 14m
      that: deployment/web available == 6
    - at: 5m
      that: statefulset/db ready >= 2
    - always: deployment/web available >= 4
      from: 2m
    - never: pod/db-0 node == node-2
      until: 12m
`;

describe("loadScenario: good scenarios", () => {
  it("reads every section of the DESIGN.md example into the Scenario type", () => {
    const s = load({ "scenarios/full.yaml": FULL, "scenarios/manifests/web.yaml": DEPLOYMENT });
    expect(s.name).toBe("rolling-update-with-node-crash");
    expect(s.description).toBe("A 6-replica rollout; node-2 crashes half-way.");
    expect(s.file).toBe("scenarios/full.yaml");
    expect(s.seed).toBe(42);
    expect(s.untilMs).toBe(900_000);
    expect(s.defaulted).toBe(false);
    expect(s.nodes.map((n) => n.names)).toEqual([
      ["node-1", "node-2", "node-3"],
      ["big-1", "big-2"],
    ]);
    expect(s.nodes[1]).toMatchObject({
      capacity: { cpu: "16", memory: "64Gi", pods: "110" },
      taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }],
      joinAtMs: 30_000,
    });
    expect(s.timing).toEqual({
      imagePull: { minMs: 1000, maxMs: 3000 },
      containerStart: { minMs: 500, maxMs: 500 },
    });
    expect(s.images).toEqual([
      {
        pattern: "nginx:*",
        pull: { minMs: 2000, maxMs: 4000 },
        start: { minMs: 1000, maxMs: 1000 },
        ready: { minMs: 3000, maxMs: 3000 },
      },
      { pattern: "app:broken", exit: { after: { minMs: 5000, maxMs: 5000 }, exitCode: 1 } },
      { pattern: "app:hangs", ready: null },
    ]);
    expect(s.objects).toHaveLength(1);
    expect(s.objects[0]!.pos).toEqual({ file: "scenarios/manifests/web.yaml", line: 1, col: 1 });
  });

  it("turns actions into kubectl, fault, heal and narrate actions with their positions", () => {
    const s = load({ "scenarios/full.yaml": FULL, "scenarios/manifests/web.yaml": DEPLOYMENT });
    expect(s.actions.map((a) => [a.kind, a.atMs, a.pos.line])).toEqual([
      ["kubectl", 60_000, 27],
      ["fault", 120_000, 29],
      ["fault", 180_000, 32],
      ["heal", 540_000, 34],
      ["narrate", 570_000, 36],
      ["kubectl", 600_000, 38],
    ]);
    expect(s.actions[1]).toMatchObject({
      fault: { type: "crash", node: "node-2" },
      narrate: { en: "node-2 crashes", zh: "node-2 宕机" },
    });
    expect(s.actions[2]).toMatchObject({
      fault: { type: "container-crash", pod: "web-0", container: "app" },
    });
    expect(s.actions[4]).toMatchObject({ narrate: { en: "Everything is back." } });
    expect(s.actions[0]).toMatchObject({ command: { verb: "set", images: { web: "nginx:1.25" } } });
  });

  it("reads the four expectation forms of the contract", () => {
    const s = load({ "scenarios/full.yaml": FULL, "scenarios/manifests/web.yaml": DEPLOYMENT });
    expect(s.expect.map(({ pos, that, ...rest }) => ({ ...rest, that: that.text }))).toEqual([
      { mode: "by", byMs: 840_000, that: "deployment/web available == 6" },
      { mode: "at", atMs: 300_000, that: "statefulset/db ready >= 2" },
      { mode: "always", fromMs: 120_000, that: "deployment/web available >= 4" },
      { mode: "never", fromMs: 0, untilMs: 720_000, that: "pod/db-0 node == node-2" },
    ]);
  });

  it("runs a file without a Scenario document on the default cluster", () => {
    const s = load({ "manifests/web-app.yaml": DEPLOYMENT });
    expect(s).toMatchObject({
      name: "web-app",
      seed: 1,
      untilMs: 600_000,
      defaulted: true,
      actions: [],
      expect: [],
    });
    expect(s.nodes).toEqual([
      {
        names: ["node-1", "node-2", "node-3"],
        capacity: { cpu: "4", memory: "8Gi", pods: "110" },
        labels: {},
        taints: [],
      },
    ]);
    expect(s.objects[0]!.object.kind).toBe("Deployment");
  });

  it("orders objects: spec.manifests first, then inline documents, then the other files given", () => {
    const files = {
      "s/main.yaml": `${scenario("  manifests: [m/a.yaml]\n")}\n---\n${DEPLOYMENT.replace("name: web", "name: inline")}`,
      "s/m/a.yaml": DEPLOYMENT.replace("name: web", "name: from-manifests"),
      "extra.yaml": DEPLOYMENT.replace("name: web", "name: extra"),
    };
    const s = load(files, {}, ["s/main.yaml", "extra.yaml"]);
    expect(s.objects.map((o) => o.object.metadata?.name)).toEqual(["from-manifests", "inline", "extra"]);
  });

  it("gives a Scenario without spec the defaults, and treats an empty section as absent", () => {
    const s = load({
      "a.yaml": "apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nspec:\n  expect:\n  # - by: 1m\n",
    });
    expect(s).toMatchObject({ name: "a", seed: 1, untilMs: 600_000, expect: [], defaulted: false });
    expect(s.nodes[0]!.names).toEqual(["node-1", "node-2", "node-3"]);
  });

  it("flattens a kind: List into its items", () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: prod}\n`;
    expect(load({ "l.yaml": list }).objects.map((o) => o.pos)).toEqual([{ file: "l.yaml", line: 4, col: 5 }]);
  });

  it("reads the files of kubectl apply -f relative to the scenario's directory", () => {
    const files = {
      "s/a.yaml": scenario("  actions:\n    - at: 1m\n      kubectl: apply -f ../m/web.yaml -n prod\n"),
      "m/web.yaml": DEPLOYMENT,
    };
    const a = load(files).actions[0]!;
    expect(a.kind === "kubectl" && a.command.objects?.map((o) => o.metadata?.namespace)).toEqual(["prod"]);
  });
});

/** A stand-in for src/api/validation.ts: replicas must be a non-negative integer; image required. */
function validateStandIn(obj: KubeObject): FieldError[] {
  const spec = obj.spec as {
    replicas?: unknown;
    template?: { spec?: { containers?: { image?: string }[] } };
  };
  const errs: FieldError[] = [];
  if (obj.kind === "Deployment") {
    if (typeof spec.replicas === "number" && (spec.replicas < 0 || spec.replicas > 2 ** 31 - 1)) {
      errs.push({
        type: "Invalid",
        field: "spec.replicas",
        value: spec.replicas,
        detail: "must be greater than or equal to 0",
      });
    }
    spec.template?.spec?.containers?.forEach((c, i) => {
      if (!c.image) errs.push({ type: "Required", field: `spec.template.spec.containers[${i}].image` });
    });
  }
  return errs;
}

describe("loadScenario: Kubernetes objects are validated with the apiserver's wording", () => {
  it("maps a field error to the line and column of that field", () => {
    const bad = DEPLOYMENT.replace("replicas: 3", "replicas: -1");
    const e = loadError({ "web.yaml": bad }, { validateObject: validateStandIn });
    expect(e.message).toBe(
      'web.yaml:6:13: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(e.field).toBe("spec.replicas");
  });

  it("passes numbers such as 1e12 to validation as numbers", () => {
    const e = loadError(
      { "web.yaml": DEPLOYMENT.replace("replicas: 3", "replicas: 1e12") },
      { validateObject: validateStandIn },
    );
    expect(e.detail).toBe(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: 1000000000000: must be greater than or equal to 0',
    );
  });

  it("falls back to the nearest existing parent for a field that is missing", () => {
    const bad = DEPLOYMENT.replace("          image: nginx:1.26\n", "");
    const e = loadError({ "web.yaml": bad }, { validateObject: validateStandIn });
    expect(e.message).toBe(
      'web.yaml:14:11: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
    );
  });

  it("validates a defaulted copy and keeps the object as written", () => {
    const applyDefaults = (o: KubeObject): void => {
      (o.spec as { replicas?: number }).replicas ??= 1;
    };
    const seen: unknown[] = [];
    const s = load(
      { "web.yaml": DEPLOYMENT.replace("  replicas: 3\n", "") },
      {
        applyDefaults,
        validateObject: (o) => {
          seen.push((o.spec as { replicas?: number }).replicas);
          return [];
        },
      },
    );
    expect(seen).toEqual([1]);
    expect((s.objects[0]!.object.spec as { replicas?: number }).replicas).toBeUndefined();
  });

  it("reports the other field errors of the same object as related errors", () => {
    const bad = DEPLOYMENT.replace("replicas: 3", "replicas: -1").replace(
      "          image: nginx:1.26\n",
      "",
    );
    const e = loadError({ "web.yaml": bad }, { validateObject: validateStandIn });
    expect(e.related.map((r) => r.message)).toEqual([
      'web.yaml:14:11: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
    ]);
  });
});

describe("loadScenario: src/api's checks are the default", () => {
  it("uses src/api's defaulting and validation when none are injected", () => {
    const e = loadError({ "web.yaml": DEPLOYMENT.replace("replicas: 3", "replicas: -1") });
    expect(e.message).toBe(
      'web.yaml:6:13: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it("validates a generateName object as the apiserver does, after naming it", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {generateName: job-}\nspec:\n  containers: [{name: c, image: busybox}]\n";
    expect(load({ "pod.yaml": pod }).objects[0]!.object.metadata).toEqual({ generateName: "job-" });
  });

  it("accepts the DESIGN.md example, whose documents also conform to the JSON Schema", () => {
    expect(() => load({ "s/full.yaml": FULL, "s/manifests/web.yaml": DEPLOYMENT })).not.toThrow();
    for (const doc of parseAllDocuments(FULL))
      expect(jsonSchemaErrors(scenarioJsonSchema(), doc.toJS())).toEqual([]);
  });
});

describe("loadScenario: bad input gives a precise message with file:line:column", () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      "malformed YAML",
      { "x.yaml": "a: [1, 2\nb: 3\n" },
      "x.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    [
      "an empty file",
      { "x.yaml": "" },
      "x.yaml:1:1: file is empty (expected a Scenario and/or Kubernetes objects)",
    ],
    [
      "a file of only comments",
      { "x.yaml": "# nothing here\n---\n# nor here\n" },
      "x.yaml:1:1: file is empty (expected a Scenario and/or Kubernetes objects)",
    ],
    [
      "a __proto__ key",
      { "x.yaml": `${DEPLOYMENT}  __proto__: {polluted: true}\n` },
      'x.yaml:16:3: spec.__proto__: forbidden key "__proto__" (keys named __proto__, constructor or prototype are rejected)',
    ],
    [
      "a constructor key in a flow mapping",
      { "x.yaml": "a: {constructor: 1}\n" },
      'x.yaml:1:5: a.constructor: forbidden key "constructor" (keys named __proto__, constructor or prototype are rejected)',
    ],
    [
      "a document that is a list",
      { "x.yaml": "- apiVersion: kubesim.dev/v1alpha1\n  kind: Scenario\n" },
      "x.yaml:1:1: expected a mapping (a YAML object) such as a Kubernetes object or a Scenario, got a list",
    ],
    [
      "a document that is a scalar",
      { "x.yaml": "hello\n" },
      'x.yaml:1:1: expected a mapping (a YAML object) such as a Kubernetes object or a Scenario, got "hello"',
    ],
    [
      "a document without kind",
      { "x.yaml": "apiVersion: v1\nmetadata: {name: x}\n" },
      "x.yaml:1:1: kind: required field is missing (every document needs apiVersion and kind, e.g. kind: Deployment)",
    ],
    [
      "an unknown kind",
      { "x.yaml": "apiVersion: apps/v1\nkind: Deploymnt\n" },
      'x.yaml:2:7: kind: unknown kind "Deploymnt" (did you mean "Deployment"?); kubesim models: Namespace, Node, Pod, Service, Endpoints, ConfigMap, Secret, ServiceAccount, PersistentVolumeClaim, PersistentVolume, Event, Lease, ReplicaSet, Deployment, StatefulSet, ControllerRevision, EndpointSlice, StorageClass, PodDisruptionBudget (and kind: Scenario)',
    ],
    [
      "a wrong apiVersion",
      { "x.yaml": DEPLOYMENT.replace("apps/v1", "extensions/v1beta1") },
      'x.yaml:1:13: apiVersion: no matches for kind "Deployment" in version "extensions/v1beta1" (expected apiVersion: apps/v1)',
    ],
    [
      "a bad duration",
      { "x.yaml": scenario("  actions:\n    - at: 5 minutes\n      narrate: hi\n") },
      'x.yaml:7:11: spec.actions[0].at: invalid duration "5 minutes" (expected a duration like 500ms, 10s, 5m, 1h30m)',
    ],
    [
      "an unknown scenario key",
      { "x.yaml": scenario("  untill: 5m\n") },
      'x.yaml:6:3: spec.untill: unknown field "untill" (did you mean "until"?)',
    ],
    [
      "an unknown key without a near miss",
      { "x.yaml": scenario("  zzz: 1\n") },
      'x.yaml:6:3: spec.zzz: unknown field "zzz" (known fields: seed, until, nodes, timing, manifests, images, actions, expect, invariants, convergeWithin)',
    ],
    [
      "a missing manifest file",
      { "s/x.yaml": scenario("  manifests: [web.yaml]\n") },
      's/x.yaml:6:15: spec.manifests[0]: file not found: "web.yaml" (looked for "s/web.yaml")',
    ],
    [
      "an action with two verbs",
      {
        "x.yaml": scenario(
          "  actions:\n    - at: 1m\n      kubectl: cordon node-1\n      fault: {node: node-2, type: crash}\n",
        ),
      },
      'x.yaml:9:7: spec.actions[0].fault: only one of "kubectl", "fault", "heal" may be given, but this also has "kubectl" (expected exactly one of "kubectl", "fault", "heal" (narrate may go with any, or alone))',
    ],
    [
      "an action with no verb",
      { "x.yaml": scenario("  actions:\n    - at: 1m\n") },
      'x.yaml:7:7: spec.actions[0]: an action needs one of "kubectl", "fault", "heal" or "narrate"',
    ],
    [
      "an expect with no that",
      { "x.yaml": scenario("  expect:\n    - by: 14m\n") },
      'x.yaml:7:7: spec.expect[0].that: required field is missing (expected a predicate like "deployment/web available == 6")',
    ],
    [
      "an expect with two forms",
      { "x.yaml": scenario("  expect:\n    - by: 14m\n      always: pod/a ready == true\n") },
      'x.yaml:8:7: spec.expect[0].always: only one of "by", "at", "always", "never" may be given, but this also has "by" (expected exactly one of "by", "at", "always", "never")',
    ],
    [
      "a bad predicate, pointing into the string",
      { "x.yaml": scenario("  expect:\n    - by: 1m\n      that: deployment/web avail == 6\n") },
      'x.yaml:8:28: spec.expect[0].that: unknown field "avail" for Deployment (did you mean "available"?) (expected one of: replicas, ready, available, updated, unavailable, desired, revision, replicasets, progressing, exists)',
    ],
    [
      "a bad kubectl flag, pointing into the string",
      { "x.yaml": scenario("  actions:\n    - at: 1m\n      kubectl: scale deploy/web --replica=3\n") },
      'x.yaml:8:33: spec.actions[0].kubectl: unknown flag: --replica (did you mean "--replicas"?)',
    ],
    [
      "a float seed",
      { "x.yaml": scenario("  seed: 1.5\n") },
      "x.yaml:6:9: spec.seed: expected an integer from 0 to 9007199254740991, got 1.5",
    ],
    [
      "a negative seed",
      { "x.yaml": scenario("  seed: -3\n") },
      "x.yaml:6:9: spec.seed: must be from 0 to 9007199254740991, got -3",
    ],
    [
      "a duration without a unit",
      { "x.yaml": scenario("  until: 600\n") },
      "x.yaml:6:10: spec.until: expected a duration like 500ms, 10s, 5m, 1h30m, got 600 (add a unit, e.g. 600s)",
    ],
    [
      "a reversed range",
      { "x.yaml": scenario("  timing:\n    imagePull: 3s..1s\n") },
      'x.yaml:7:16: spec.timing.imagePull: invalid duration range "3s..1s": the minimum is greater than the maximum',
    ],
    [
      "an unknown timing key",
      { "x.yaml": scenario("  timing:\n    imagePul: 3s\n") },
      'x.yaml:7:5: spec.timing.imagePul: unknown field "imagePul" (did you mean "imagePull"?)',
    ],
    [
      "duplicate node names across pools",
      { "x.yaml": scenario("  nodes:\n    - count: 2\n    - count: 1\n") },
      'x.yaml:8:7: spec.nodes[1]: duplicate node name "node-1" (also in spec.nodes[0]); give this pool a namePrefix or names',
    ],
    [
      "an action after until",
      { "x.yaml": scenario("  until: 5m\n  actions:\n    - at: 6m\n      narrate: late\n") },
      "x.yaml:8:11: spec.actions[0].at: 6m0s is after spec.until (5m0s), so it would never happen",
    ],
    [
      "a fault on an unknown node",
      { "x.yaml": scenario("  actions:\n    - at: 1m\n      fault: {type: crash, node: node-7}\n") },
      'x.yaml:8:34: spec.actions[0].fault.node: no node named "node-7" (did you mean "node-1"?) (the nodes are node-1, node-2, node-3)',
    ],
    [
      "two Scenario documents",
      { "x.yaml": `${scenario("  seed: 1\n")}\n---\n${scenario("  seed: 2\n")}` },
      "x.yaml:9:1: a second Scenario document (the first is at x.yaml:1:1); a run has one Scenario",
    ],
    [
      "a wrong Scenario apiVersion",
      { "x.yaml": "apiVersion: kubesim.dev/v1\nkind: Scenario\n" },
      'x.yaml:1:13: apiVersion: unsupported value "kubesim.dev/v1" (did you mean "kubesim.dev/v1alpha1"?) (expected "kubesim.dev/v1alpha1")',
    ],
    [
      "the same object twice",
      { "x.yaml": `${DEPLOYMENT}---\n${DEPLOYMENT}` },
      "x.yaml:17:1: metadata.name: Deployment/default/web is defined twice (first at x.yaml:1:1)",
    ],
    [
      "a missing kubectl apply file",
      { "s/x.yaml": scenario("  actions:\n    - at: 1m\n      kubectl: apply -f web.yaml\n") },
      's/x.yaml:8:25: spec.actions[0].kubectl: the path "web.yaml" does not exist',
    ],
  ];
  it.each(cases)("%s", (_name, files, message) => {
    expect(loadError(files).message).toBe(message);
  });

  it("reports a file given on the command line that cannot be read", () => {
    expect(loadError({}, {}, ["nope.yaml"]).message).toBe("nope.yaml: cannot read the file (does it exist?)");
  });

  it("stops a YAML alias bomb at yaml's maxAliasCount", () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
    ].join("\n");
    expect(loadError({ "x.yaml": bomb }).message).toBe(
      "x.yaml:2:8: too many YAML alias expansions (the limit is 100): this looks like an alias bomb",
    );
  });

  it("rejects a file over 5 MiB before parsing it", () => {
    const big = `a: "${"x".repeat(5 * 1024 * 1024)}"\n`;
    expect(loadError({ "x.yaml": big }).message).toBe(
      "x.yaml:1:1: file is too large: 5.0 MiB (the limit is 5 MiB)",
    );
  });

  it("rejects more than 10,000 documents", () => {
    const many = Array.from({ length: 10_001 }, () => "apiVersion: v1\nkind: Namespace\n").join("---\n");
    expect(loadError({ "x.yaml": many }).message).toBe(
      "x.yaml:30000:1: too many YAML documents: 10001 (the limit is 10000)",
    );
  });

  it("rejects more than 10,000 actions", () => {
    const actions = "    - {at: 1s, narrate: x}\n".repeat(10_001);
    expect(loadError({ "x.yaml": scenario(`  actions:\n${actions}`) }).message).toBe(
      "x.yaml:7:5: spec.actions: too many items: 10001 (the limit is 10000)",
    );
  });

  it("rejects nesting deeper than 100 levels", () => {
    const deep = `a: ${"[".repeat(150)}${"]".repeat(150)}\n`;
    expect(loadError({ "x.yaml": deep }).detail).toBe("nesting is too deep (more than 100 levels)");
  });

  it("rejects a Scenario document inside a manifest file", () => {
    const files = { "x.yaml": scenario("  manifests: [m.yaml]\n"), "m.yaml": scenario("  seed: 2\n") };
    expect(loadError(files).message).toBe(
      "m.yaml:1:1: kind: a Scenario document cannot be in a manifest file (manifests hold Kubernetes objects)",
    );
  });

  it("reports errors inside a manifest file at that file's positions", () => {
    const files = {
      "s/x.yaml": scenario("  manifests: [m.yaml]\n"),
      "s/m.yaml": "apiVersion: v1\nkind: Nope\n",
    };
    expect(loadError(files).message).toMatch(/^s\/m\.yaml:2:7: kind: unknown kind "Nope"/);
  });
});
