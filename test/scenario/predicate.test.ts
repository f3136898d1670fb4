// Expectation predicates: KIND/NAME FIELD OP VALUE, with precise errors naming the bad token.
import { describe, expect, it } from "vitest";
import { TextError } from "../../src/scenario/errors.js";
import { parsePredicate } from "../../src/scenario/predicate.js";

describe("parsePredicate: accepted forms", () => {
  const good: [string, Record<string, unknown>][] = [
    [
      "deployment/web available == 6",
      { kind: "Deployment", namespace: "default", name: "web", field: "available", op: "==", value: 6 },
    ],
    ["deploy/web ready>=2", { kind: "Deployment", name: "web", field: "ready", op: ">=", value: 2 }],
    ["deployments/web updated != 0", { kind: "Deployment", field: "updated", op: "!=", value: 0 }],
    ["statefulset/db ready >= 2", { kind: "StatefulSet", name: "db", field: "ready", op: ">=", value: 2 }],
    ["sts/db replicas < 4", { kind: "StatefulSet", op: "<", value: 4 }],
    ["pdb/web allowed == 0", { kind: "PodDisruptionBudget", name: "web", field: "allowed", value: 0 }],
    ["pv/pv-5g phase == Released", { kind: "PersistentVolume", field: "phase", value: "Released" }],
    [
      "deployment/web progressing == ProgressDeadlineExceeded",
      { field: "progressing", value: "ProgressDeadlineExceeded" },
    ],
    ["rs/web-7c5b8f9d4d available > 0", { kind: "ReplicaSet", name: "web-7c5b8f9d4d" }],
    ["pod/db-0 node == node-2", { kind: "Pod", name: "db-0", field: "node", value: "node-2" }],
    ["po/db-0 node == none", { field: "node", value: null }],
    ["pod/db-0 node != null", { field: "node", op: "!=", value: null }],
    ["pod/x phase == Running", { field: "phase", value: "Running" }],
    ["pod/x ready == true", { field: "ready", value: true }],
    ["pod/x restarts <= 3", { field: "restarts", op: "<=", value: 3 }],
    ["pod/x exists == false", { field: "exists", value: false }],
    ["deployment/prod/web available == 6", { kind: "Deployment", namespace: "prod", name: "web" }],
    [
      "node/node-2 ready == false",
      { kind: "Node", namespace: "", name: "node-2", field: "ready", value: false },
    ],
    [
      "pods{app=web} count >= 3",
      { kind: "Pod", namespace: "default", name: "", selector: "app=web", field: "count", value: 3 },
    ],
    [
      "pods/prod{app=web,tier!=db} ready == 2",
      { namespace: "prod", selector: "app=web,tier!=db", field: "ready" },
    ],
    ["nodes{} ready == 3", { kind: "Node", selector: "", field: "ready", value: 3 }],
    ["pvc/data-db-0 phase == Bound", { kind: "PersistentVolumeClaim", field: "phase", value: "Bound" }],
    [
      'pod/web-0 file(/etc/secret/password) == "v2"',
      { kind: "Pod", name: "web-0", field: "file", arg: "/etc/secret/password", op: "==", value: "v2" },
    ],
    ["pod/web-0 env(app.PASSWORD) == v1", { field: "env", arg: "app.PASSWORD", value: "v1" }],
    ["pod/web-0 env(PASSWORD) != none", { field: "env", arg: "PASSWORD", op: "!=", value: null }],
    ['pod/web-0 file(app:/etc/motd) == "two words"', { arg: "app:/etc/motd", value: "two words" }],
    ['pod/web-0 file(/etc/x)=="a == b\\n"', { arg: "/etc/x", value: "a == b\n" }],
  ];
  it.each(good)("reads %s", (text, expected) => {
    expect(parsePredicate(text)).toMatchObject({ text, ...expected });
  });
});

describe("parsePredicate: errors name the token and what is allowed", () => {
  const bad: [string, string, number][] = [
    ["", "empty predicate (expected KIND/NAME FIELD OP VALUE, e.g. deployment/web available == 6)", 0],
    [
      "deploymnt/web available == 6",
      'unknown kind "deploymnt" (did you mean "deployment"?) (expected a resource such as deployment, statefulset, pod, node)',
      0,
    ],
    [
      "deployment/web avail == 6",
      'unknown field "avail" for Deployment (did you mean "available"?) (expected one of: replicas, ready, available, updated, unavailable, desired, revision, replicasets, progressing, exists)',
      15,
    ],
    [
      "pod/x phse == Running",
      'unknown field "phse" for Pod (did you mean "phase"?) (expected one of: phase, node, ready, restarts, deleting, exists, file(PATH), env(CONTAINER.NAME))',
      6,
    ],
    [
      "deployment/web available = 6",
      'unknown operator "=" (did you mean "=="?) (expected one of == != >= <= > <)',
      25,
    ],
    [
      "deployment/web available => 6",
      'unknown operator "=>" (did you mean ">="?) (expected one of == != >= <= > <)',
      25,
    ],
    ["deployment/web available", 'missing operator after "available" (expected one of == != >= <= > <)', 24],
    [
      "deployment/web available ==",
      'missing VALUE after "==" (expected KIND/NAME FIELD OP VALUE, e.g. deployment/web available == 6)',
      27,
    ],
    ["deployment/web available == six", 'invalid value "six" for "available" (expected a whole number)', 28],
    [
      "deployment/web available == 6 now",
      'unexpected "now" after the value (expected KIND/NAME FIELD OP VALUE, e.g. deployment/web available == 6)',
      30,
    ],
    [
      "pod/x phase >= Running",
      'operator ">=" needs a numeric field, and "phase" is not one: use == or !=',
      12,
    ],
    [
      "pod/x phase == running",
      'invalid value "running" for "phase" (did you mean "Running"?) (expected one of Pending, Running, Succeeded, Failed, Unknown)',
      15,
    ],
    ["pod/x ready == yes", 'invalid value "yes" for "ready" (expected true or false)', 15],
    [
      "web available == 6",
      'unknown kind "web" (expected a resource such as deployment, statefulset, pod, node)',
      0,
    ],
    [
      "deployment available == 6",
      'expected KIND/NAME or KIND/NAMESPACE/NAME (e.g. deployment/web, pod/prod/db-0), got "deployment"',
      0,
    ],
    [
      "deployment/Web available == 6",
      'invalid name "Web" (expected lower-case letters, digits, "-" and ".")',
      11,
    ],
    ["node/prod/n1 ready == true", "nodes are not namespaced: write node/NAME", 0],
    [
      "deployments{app=web} count == 1",
      "a label selector works with pods and nodes only, not deployments",
      21,
    ],
    ["pods{app=} count == 1", "", -1],
    [
      "pods{a b} count == 1",
      'invalid label selector term "a b" (expected key=value, key!=value, key or !key)',
      5,
    ],
    [
      'pod/web file == "v2"',
      '"file" needs an argument in parentheses, e.g. file(/etc/creds/password) or file(app:/etc/creds/password)',
      8,
    ],
    [
      "pod/web file(etc/x) == v",
      'invalid argument "etc/x" for file: expected an absolute path without spaces (e.g. file(/etc/creds/password) or file(app:/etc/creds/password))',
      13,
    ],
    [
      "pod/web env(app.1X) == v",
      'invalid argument "app.1X" for env: "1X" is not an environment variable name (e.g. env(app.PASSWORD) or env(PASSWORD))',
      12,
    ],
    [
      "pod/web file(/x) >= 3",
      'operator ">=" needs a numeric field, and "file(/x)" is not one: use == or !=',
      17,
    ],
    [
      'pod/web file(/x) == "v2',
      'invalid value ""v2" for "file(/x)" (expected a "quoted string" (JSON escapes), a bare word, or none)',
      20,
    ],
    [
      "deployment/web file(/x) == v",
      'unknown field "file" for Deployment (expected one of: replicas, ready, available, updated, unavailable, desired, revision, replicasets, progressing, exists)',
      15,
    ],
  ];
  it.each(bad)("rejects %j", (text, message, offset) => {
    if (offset < 0) {
      expect(() => parsePredicate(text)).not.toThrow();
      return;
    }
    let err: unknown;
    try {
      parsePredicate(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextError);
    expect((err as TextError).message).toBe(message);
    expect((err as TextError).offset).toBe(offset);
  });
});
