/** `kubesim describe` and `kubesim rollout status|history` end to end: output a user sees, and exit codes. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubesim, requireBuild } from "./helpers.js";

const HELLO = "scenarios/hello.yaml";

/** A Deployment whose new image never becomes ready, with a 60 s progress deadline. */
const STUCK = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata:
  name: stuck
spec:
  until: 5m
  nodes:
    - count: 2
  images:
    "app:hangs": {ready: never}
  actions:
    - at: 30s
      kubectl: set image deployment/web web=app:hangs
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.26
          readinessProbe:
            httpGet: {path: /, port: 80}
`;

let dir: string;
let stuck: string;
/** The pods of hello.yaml at 2m, from `kubesim get -o json`. */
let pods: string[];

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), "kubesim-describe-"));
  stuck = join(dir, "stuck.yaml");
  writeFileSync(stuck, STUCK);
  const r = kubesim(["get", "pods", "-f", HELLO, "--at", "2m", "-o", "json"]);
  expect(r.code).toBe(0);
  pods = (JSON.parse(r.stdout) as { items: { metadata: { name: string } }[] }).items.map(
    (p) => p.metadata.name,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kubesim describe", () => {
  it("describes a pod with its owner, conditions and the events of its start", () => {
    const name = pods[0]!;
    const r = kubesim(["describe", "pod", name, "-f", HELLO, "--at", "2m"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^Name: +${name}\n`));
    expect(out).toMatch(/\nNode: +node-\d\/192\.168\.0\.\d+\n/);
    expect(out).toMatch(/\nStatus: +Running\n/);
    expect(out).toMatch(/\nControlled By: +ReplicaSet\/web-[0-9a-z]+\n/);
    expect(out).toMatch(/\n {2}Ready +True \n/);
    expect(out).toMatch(/\n {2}PodScheduled +True \n/);
    expect(out).toMatch(
      /\n {4}Readiness: +http-get http:\/\/:80\/ delay=0s timeout=1s period=5s #success=1 #failure=3\n/,
    );
    expect(out).toMatch(/\nSandbox \(kubesim\):\n {2}Shared Namespaces: +network, ipc, uts\n/);
    expect(out).toMatch(/\nEvents:\n {2}Type +Reason +Age +From +Message\n/);
    expect(out).toMatch(
      /\n {2}Normal +Scheduled +\d+s +default-scheduler +Successfully assigned default\/web-/,
    );
    for (const reason of ["Pulling", "Pulled", "Created", "Started"]) {
      expect(out).toMatch(new RegExp(`\\n {2}Normal +${reason} +\\d+s +kubelet +`));
    }
    // KIND/NAME gives the same text.
    expect(kubesim(["describe", `pod/${name}`, "-f", HELLO, "--at", "2m"]).stdout).toBe(out);
  });

  it("describes the Deployment with its replicas, ReplicaSets and scaling events", () => {
    const r = kubesim(["describe", "deployment", "web", "-f", HELLO, "--at", "2m"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /\nReplicas: +3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable\n/,
    );
    expect(r.stdout).toMatch(/\nRollingUpdateStrategy: +25% max unavailable, 25% max surge\n/);
    expect(r.stdout).toMatch(/\nOldReplicaSets: +web-[0-9a-z]+ \(0\/0 replicas created\)\n/);
    expect(r.stdout).toMatch(/\nNewReplicaSet: +web-[0-9a-z]+ \(3\/3 replicas created\)\n/);
    expect(r.stdout).toMatch(
      /\n {2}Normal +ScalingReplicaSet +\S+ +deployment-controller +Scaled up replica set web-/,
    );
  });

  it("describes a node with its lease, conditions, pods and kubelet events", () => {
    const r = kubesim(["describe", "node", "node-1", "-f", HELLO, "--at", "2m"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nLease:\n {2}HolderIdentity: +node-1\n/);
    expect(r.stdout).toMatch(/\n {2}Ready +True +\w{3}, /);
    expect(r.stdout).toMatch(/\nNon-terminated Pods: +\(\d+ in total\)\n/);
    expect(r.stdout).toMatch(/\n {2}Normal +Starting +2m +kubelet +Starting kubelet\.\n/);
  });

  it("describes every pod of the kind, or of a name prefix, without events (as kubectl)", () => {
    const names = pods;
    for (const args of [["pods"], ["pods", "web-"]]) {
      const r = kubesim(["describe", ...args, "-f", HELLO, "--at", "2m"]);
      expect(r.code).toBe(0);
      for (const n of names) expect(r.stdout).toMatch(new RegExp(`(^|\\n)Name: +${n}\\n`));
      expect(r.stdout).not.toContain("Events:");
    }
    const withEvents = kubesim(["describe", "pods", "-f", HELLO, "--at", "2m", "--show-events=true"]);
    expect(withEvents.stdout.match(/\nEvents:\n/g)).toHaveLength(names.length);
  });

  it("reports a missing object as kubectl does, exit 1", () => {
    const r = kubesim(["describe", "pod", "nope", "-f", HELLO, "--at", "2m"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
    });
    const d = kubesim(["describe", "deploy/nope", "-f", HELLO]);
    expect(d.code).toBe(1);
    expect(d.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it.each<[string, string[], string]>([
    [
      "an unknown kind",
      ["describe", "gadget", "x", "-f", HELLO],
      'error: the server doesn\'t have a resource type "gadget"\n',
    ],
    [
      "a KIND/ without a name",
      ["describe", "pod/", "-f", HELLO],
      "error: arguments in resource/name form must have a single resource and name\n",
    ],
    [
      "no scenario file",
      ["describe", "pod", "x"],
      "error: -f FILE is required: the scenario or manifests to simulate\n",
    ],
    ["a bad --show-events", ["describe", "pod", "x", "-f", HELLO, "--show-events=maybe"], ""],
  ])("rejects %s with exit 2", (_, args, stderr) => {
    const r = kubesim(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    if (stderr) expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(/^error: option '--show-events \[bool\]' argument 'maybe' is invalid/);
  });
});

describe("kubesim rollout status", () => {
  it.each<[string, string]>([
    ["30s", 'deployment "web" successfully rolled out\n'],
    ["1m", "Waiting for deployment spec update to be observed...\n"],
  ])("at %s prints kubectl's message", (at, text) => {
    expect(kubesim(["rollout", "status", "deployment/web", "-f", HELLO, "--at", at])).toEqual({
      code: 0,
      stdout: text,
      stderr: "",
    });
  });

  it("mid-rollout prints a waiting message and exits 0", () => {
    const r = kubesim(["rollout", "status", "deploy", "web", "-f", HELLO, "--at", "1m5s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Waiting for deployment "web" rollout to finish: .+\.\.\.\n$/);
  });

  it("--watch follows the rollout to the end", () => {
    const r = kubesim(["rollout", "status", "deployment/web", "-f", HELLO, "--at", "1m", "--watch"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Waiting for deployment spec update to be observed...");
    expect(lines).toContain(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out');
  });

  it("exits 1 with kubectl's error once the progress deadline has passed", () => {
    expect(kubesim(["rollout", "status", "deployment/web", "-f", stuck, "--at", "1m"]).code).toBe(0);
    expect(kubesim(["rollout", "status", "deployment/web", "-f", stuck, "--at", "3m"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: deployment "web" exceeded its progress deadline\n',
    });
    const watched = kubesim(["rollout", "status", "deployment/web", "-f", stuck, "--at", "40s", "-w"]);
    expect(watched.code).toBe(1);
    expect(watched.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
  });

  it("exits 1 when --revision is not the running one", () => {
    const r = kubesim(["rollout", "status", "deployment/web", "-f", HELLO, "--revision", "1"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: desired revision (1) is different from the running revision (2)\n",
    });
  });

  it("reports a missing Deployment (exit 1) and a kind without a status viewer (exit 2)", () => {
    expect(kubesim(["rollout", "status", "deployment/nope", "-f", HELLO])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    });
    const r = kubesim(["rollout", "status", "pod/x", "-f", HELLO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: no status viewer has been implemented for Pod\n");
  });

  it("says in its help that kubesim reports the state at --at instead of waiting", () => {
    const r = kubesim(["rollout", "status", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Real kubectl waits for the rollout to finish; kubesim prints the status at the simulated time --at",
    );
  });
});

describe("kubesim rollout history", () => {
  it("prints kubectl's revision table", () => {
    expect(kubesim(["rollout", "history", "deployment/web", "-f", HELLO, "--at", "2m"])).toEqual({
      code: 0,
      stdout: "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n",
      stderr: "",
    });
  });

  it("prints one revision's pod template", () => {
    const r = kubesim(["rollout", "history", "deployment/web", "-f", HELLO, "--at", "2m", "--revision=1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^deployment\.apps\/web with revision #1\nPod Template:\n {2}Labels:\tapp=web\n/,
    );
    expect(r.stdout).toContain("    Image:\tnginx:1.26\n");
  });

  it("exits 1 for an unknown revision", () => {
    const r = kubesim(["rollout", "history", "deployment/web", "-f", HELLO, "--revision", "9"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error: unable to find the specified revision\n" });
  });

  it("refuses a kind without history with kubectl's message", () => {
    const r = kubesim(["rollout", "history", "rs/web", "-f", HELLO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no history viewer has been implemented for "ReplicaSet.apps"\n');
  });
});
