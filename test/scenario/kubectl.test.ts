// kubectl command lines of scenario actions: the verbs of DESIGN.md, flags, and kubectl-like errors.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/api/types.js";
import { TextError } from "../../src/scenario/errors.js";
import { type KubectlContext, parseKubectl } from "../../src/scenario/kubectl.js";
import { splitWords } from "../../src/scenario/kubectl-args.js";

describe("splitWords", () => {
  it("groups quoted text and keeps where each word starts", () => {
    expect(splitWords(`patch deploy/web -p '{"spec": {"replicas": 3}}'`)).toEqual([
      { text: "patch", offset: 0 },
      { text: "deploy/web", offset: 6 },
      { text: "-p", offset: 17 },
      { text: '{"spec": {"replicas": 3}}', offset: 20 },
    ]);
    expect(splitWords(`annotate pod/x note="a \\"b\\"" k=it\\ is`).map((w) => w.text)).toEqual([
      "annotate",
      "pod/x",
      'note=a "b"',
      "k=it is",
    ]);
  });

  it("rejects an unterminated quote and shell operators", () => {
    expect(() => splitWords(`label pod/x "a=b`)).toThrow("unterminated double quote");
    expect(() => splitWords("get pods | grep web")).toThrow('shell syntax is not supported here: "|"');
  });
});

describe("parseKubectl: accepted commands", () => {
  const good: [string, Record<string, unknown>][] = [
    ["apply -f web.yaml", { verb: "apply", flags: { f: "web.yaml" } }],
    [
      "kubectl apply -f a.yaml -f b.yaml -n prod",
      {
        verb: "apply",
        text: "apply -f a.yaml -f b.yaml -n prod",
        flags: { f: "a.yaml,b.yaml", namespace: "prod" },
        namespace: "prod",
      },
    ],
    ["create -f web.yaml", { verb: "create", flags: { f: "web.yaml" } }],
    ["delete deployment/web", { verb: "delete", targets: [{ kind: "Deployment", name: "web" }] }],
    [
      "delete pod web-0 web-1 --grace-period=0 --force",
      {
        targets: [
          { kind: "Pod", name: "web-0" },
          { kind: "Pod", name: "web-1" },
        ],
        flags: { "grace-period": "0", force: "true" },
      },
    ],
    [
      "delete rs/web-abc --cascade=orphan",
      { flags: { cascade: "orphan" }, targets: [{ kind: "ReplicaSet", name: "web-abc" }] },
    ],
    ["delete pods -l app=web", { kind: "Pod", targets: [], flags: { selector: "app=web" } }],
    ["delete node node-2", { targets: [{ kind: "Node", name: "node-2" }] }],
    [
      "scale deploy/web --replicas=6",
      { verb: "scale", flags: { replicas: "6" }, targets: [{ kind: "Deployment", name: "web" }] },
    ],
    [
      "scale statefulset db --replicas 0",
      { flags: { replicas: "0" }, targets: [{ kind: "StatefulSet", name: "db" }] },
    ],
    [
      "set image deployment/web web=nginx:1.25",
      { verb: "set", args: ["image", "deployment/web", "web=nginx:1.25"], images: { web: "nginx:1.25" } },
    ],
    [
      "set image sts/db *=postgres:16 sidecar=envoy:1",
      { images: { "*": "postgres:16", sidecar: "envoy:1" } },
    ],
    [
      'patch deploy/web --type merge -p \'{"spec":{"replicas":2}}\'',
      { verb: "patch", patch: { spec: { replicas: 2 } } },
    ],
    ["patch deploy/web -p 'spec: {paused: true}'", { patch: { spec: { paused: true } } }],
    [
      'edit deployment/web -p \'{"spec":{"minReadySeconds":5}}\'',
      {
        verb: "edit",
        patch: { spec: { minReadySeconds: 5 } },
        text: 'edit deployment/web -p \'{"spec":{"minReadySeconds":5}}\'',
      },
    ],
    ["rollout undo deployment/web", { verb: "rollout", args: ["undo", "deployment/web"] }],
    ["rollout undo deployment/web --to-revision=2", { flags: { "to-revision": "2" } }],
    [
      "rollout status deploy/web --timeout=2m",
      { verb: "rollout", args: ["status", "deploy/web"], flags: { timeout: "2m" } },
    ],
    ["rollout history sts/db", { verb: "rollout", targets: [{ kind: "StatefulSet", name: "db" }] }],
    ["rollout pause deployment/web", { args: ["pause", "deployment/web"] }],
    ["rollout resume deployment/web", { args: ["resume", "deployment/web"] }],
    ["rollout restart statefulset/db", { args: ["restart", "statefulset/db"] }],
    ["cordon node-2", { verb: "cordon", targets: [{ kind: "Node", name: "node-2" }] }],
    ["uncordon node-2", { verb: "uncordon", args: ["node-2"], targets: [{ kind: "Node", name: "node-2" }] }],
    [
      "drain node-2 --ignore-daemonsets --delete-emptydir-data --grace-period=30 --timeout=5m",
      {
        verb: "drain",
        flags: {
          "ignore-daemonsets": "true",
          "delete-emptydir-data": "true",
          "grace-period": "30",
          timeout: "5m",
        },
      },
    ],
    [
      "label pod/web-0 tier=front app.kubernetes.io/name=web old-",
      {
        verb: "label",
        changes: { set: { tier: "front", "app.kubernetes.io/name": "web" }, remove: ["old"] },
      },
    ],
    [
      "label pods web-0 tier=back --overwrite",
      { targets: [{ kind: "Pod", name: "web-0" }], flags: { overwrite: "true" } },
    ],
    [
      "annotate deploy/web kubernetes.io/change-cause='bump to 1.25'",
      { verb: "annotate", changes: { set: { "kubernetes.io/change-cause": "bump to 1.25" }, remove: [] } },
    ],
    ["-n prod scale deploy/web --replicas=1", { verb: "scale", namespace: "prod" }],
    ["scale --namespace=prod deploy/web --replicas=1", { namespace: "prod" }],
  ];
  it.each(good)("parses %s", (text, expected) => {
    expect(parseKubectl(text)).toMatchObject(expected);
  });

  it("generates the Deployment that kubectl create deployment would", () => {
    const cmd = parseKubectl(
      "create deployment web --image=registry.io/team/nginx:1.25 --replicas=3 --port=80 -n prod",
    );
    expect(cmd.verb).toBe("create");
    expect(cmd.args).toEqual(["deployment", "web"]);
    expect(cmd.objects).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", labels: { app: "web" }, namespace: "prod" },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              containers: [
                { name: "nginx", image: "registry.io/team/nginx:1.25", ports: [{ containerPort: 80 }] },
              ],
            },
          },
        },
      },
    ]);
  });

  it("reads -f files through the context and applies -n to objects without a namespace", () => {
    const seen: [string, number][] = [];
    const ctx: KubectlContext = {
      loadManifests: (path, offset) => {
        seen.push([path, offset]);
        return [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: path } } as KubeObject];
      },
    };
    const cmd = parseKubectl("apply -n prod -f a.yaml,b.yaml", ctx);
    expect(seen).toEqual([
      ["a.yaml", 17],
      ["b.yaml", 17],
    ]);
    expect(cmd.objects?.map((o) => o.metadata?.namespace)).toEqual(["prod", "prod"]);
  });
});

describe("parseKubectl: errors read like kubectl's and point at the word", () => {
  const nsClash: KubectlContext = {
    loadManifests: () => [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "dev" } }],
  };
  const bad: [string, string, number, KubectlContext?][] = [
    [
      "",
      "missing command (expected one of: apply, create, delete, scale, set, edit, patch, rollout, cordon, uncordon, drain, label, annotate)",
      0,
    ],
    [
      "scael deploy/web --replicas=3",
      'unknown command "scael" for "kubectl" (did you mean "scale"?); kubesim supports: apply, create, delete, scale, set, edit, patch, rollout, cordon, uncordon, drain, label, annotate',
      0,
    ],
    [
      "get pods",
      'unknown command "get" for "kubectl" (did you mean "set"?); kubectl get changes nothing, so it is not an action: check state with expect, or run `kubesim get`',
      0,
    ],
    ["scale deploy/web --replica=3", 'unknown flag: --replica (did you mean "--replicas"?)', 17],
    ["scale deploy/web -r 3", "unknown shorthand flag: 'r' in -r", 17],
    ["scale deploy/web", 'required flag(s) "replicas" not set', 0],
    [
      "scale deploy/web --replicas=three",
      'invalid argument "three" for "--replicas" flag: expected an integer',
      28,
    ],
    ["scale deploy/web --replicas=-1", 'invalid argument "-1" for "--replicas" flag: must be >= 0', 28],
    ["scale deploy/web --replicas", "flag needs an argument: --replicas", 17],
    [
      "scale pod/x --replicas=2",
      'cannot scale pods: "kubectl scale" works on deployments, replicasets, statefulsets',
      6,
    ],
    ["scale deployment --replicas=2", "resource(s) were provided, but no name was specified", 6],
    ["scale foo/bar --replicas=2", 'the server doesn\'t have a resource type "foo"', 6],
    [
      "scale deploymnt/web --replicas=2",
      'the server doesn\'t have a resource type "deploymnt" (did you mean "deployment"?)',
      6,
    ],
    ["delete", "you must provide one or more resources by argument or filename", 0],
    [
      "delete pod/x --cascade=sometimes",
      'invalid argument "sometimes" for "--cascade" flag: must be one of "background", "foreground", "orphan"',
      23,
    ],
    [
      "delete deployment web/x",
      "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form",
      18,
    ],
    ["set image deployment/web", "at least one image update is required", 0],
    [
      "set imag deployment/web web=x",
      'unknown command "imag" for "kubectl set" (did you mean "image"?) (expected one of: image)',
      4,
    ],
    [
      "rollout",
      'missing subcommand for "kubectl rollout" (expected one of: status, history, undo, pause, resume, restart)',
      0,
    ],
    ["rollout undo", "you must provide one or more resources by argument (e.g. deployment/web)", 0],
    [
      "rollout undo deployment/web --to-revision=x",
      'invalid argument "x" for "--to-revision" flag: expected an integer',
      42,
    ],
    [
      "rollout pause sts/db",
      'cannot rollout pause statefulsets: "kubectl rollout pause" works on deployments',
      14,
    ],
    [
      "patch deploy/web --type json -p '[]'",
      "--type json is not supported: kubesim applies JSON merge patches (--type merge)",
      24,
    ],
    ["patch deploy/web", "must specify --patch or --patch-file containing the contents of the patch", 0],
    [
      "patch deploy/web -p '[1]'",
      `the patch must be a JSON or YAML object, e.g. '{"spec":{"replicas":3}}'`,
      20,
    ],
    [
      "patch deploy/web -p '{\"__proto__\": {}}'",
      'invalid patch: forbidden key "__proto__" (keys named __proto__, constructor or prototype are rejected)',
      20,
    ],
    ["cordon", "USAGE: cordon NODE [flags]", 0],
    [
      "cordon node-9",
      'nodes "node-9" not found (did you mean "node-1"?)',
      7,
      { nodes: ["node-1", "node-2"] },
    ],
    ["drain node-1 --grace=3", 'unknown flag: --grace (did you mean "--grace-period"?)', 13],
    ["label pod/x", "at least one label update is required", 0],
    [
      "label pod/x app=bad!",
      `invalid label value: "app=bad!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63`,
      16,
    ],
    ["label pod/x app=a app-", 'can not both modify and remove label "app" in the same command', 18],
    ["apply web.yaml", "unexpected args: [web.yaml]", 6],
    ["apply", "must specify one of -f and -k", 0],
    ["apply -f -", "-f - (standard input) cannot be used in a scenario: name a file", 9],
    [
      "create secret generic x",
      'unknown command "secret" for "kubectl create"; kubesim supports: create -f FILE, create deployment NAME --image=IMAGE, create namespace NAME',
      7,
    ],
    ["create deployment web", 'required flag(s) "image" not set', 0],
    [
      "apply -f c.yaml -n prod",
      `the namespace from the provided object "dev" does not match the namespace "prod". You must pass '--namespace=dev' to perform this operation.`,
      9,
      nsClash,
    ],
    [
      "--force delete pod/x",
      'flags go after the command: only -n/--namespace may come before it, got "--force"',
      0,
    ],
  ];
  it.each(bad)("rejects %j", (text, message, offset, ctx) => {
    let err: unknown;
    try {
      parseKubectl(text, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextError);
    expect((err as TextError).message).toBe(message);
    expect((err as TextError).offset).toBe(offset);
  });
});
