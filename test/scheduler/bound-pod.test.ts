// A bound pod's later versions (binding, status, labels, termination, new requests) kept through
// addBoundPod, which reuses the cached PodInfo where it can, leave the cache as one built afresh.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Pod, Stored } from "../../src/api/types.js";
import { Rng } from "../../src/engine/rng.js";
import { explainAttempt } from "../../src/scheduler/explain.js";
import { labelRoutesOf, podInfoOf, sameFacts } from "../../src/scheduler/podinfo.js";
import { defaultProfile } from "../../src/scheduler/profile.js";
import { Algorithm } from "../../src/scheduler/schedule-one.js";
import { Fixture } from "./fixture.js";

type Change = "status" | "labels" | "terminate" | "resize";

const CPUS = ["100m", "250m", "1"];

function fixture(): Fixture {
  const f = new Fixture();
  f.api.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default" },
    spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
  });
  for (let i = 0; i < 3; i++)
    f.node(`n${i}`, { cpu: "2", memory: "4Gi", labels: { "topology.kubernetes.io/zone": `z${i % 2}` } });
  return f;
}

// A new frozen version of the pod; unchanged parts stay shared, as the apiserver's writes leave them.
function version(p: Stored<Pod>, change: Change | "bind", nodeName: string, n: number): Stored<Pod> {
  const meta = p.metadata;
  const spec = p.spec!;
  switch (change) {
    case "bind":
      return Object.freeze({ ...p, spec: Object.freeze({ ...spec, nodeName }) });
    case "status":
      return Object.freeze({
        ...p,
        metadata: Object.freeze({ ...meta }),
        status: Object.freeze({ phase: `s${n}` }),
      });
    case "labels": {
      const app = meta.labels?.app === "web" ? "api" : "web";
      return Object.freeze({ ...p, metadata: Object.freeze({ ...meta, labels: Object.freeze({ app }) }) });
    }
    case "terminate":
      return Object.freeze({
        ...p,
        metadata: Object.freeze({ ...meta, deletionTimestamp: "2026-01-01T00:00:00Z" }),
      });
    case "resize": {
      const c = spec.containers[0]!;
      const cpu = CPUS[n % CPUS.length]!;
      const containers = Object.freeze([Object.freeze({ ...c, resources: { requests: { cpu } } })]);
      return Object.freeze({ ...p, spec: Object.freeze({ ...spec, containers }) }) as unknown as Stored<Pod>;
    }
  }
}

// Each probe's explained attempt (verdicts, scores, choice) on a fresh algorithm.
function decisions(f: Fixture): unknown[] {
  return CPUS.map((cpu, s) => {
    const algorithm = new Algorithm(defaultProfile(), f.cache, f.lookups, new Rng(7), true);
    const probe = f.pod(`probe-${s}-${f.api.resourceVersion}`, { cpu, labels: { app: "web" } });
    return explainAttempt(algorithm.schedule(probe), 1, 0).data;
  });
}

const changeArb = fc.constantFrom<Change>("status", "labels", "terminate", "resize");

describe("bound pods in the scheduler cache", () => {
  test("versions seen through addBoundPod leave the same decisions as the last versions added afresh", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.nat(2), changes: fc.array(changeArb, { maxLength: 5 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        (pods) => {
          const live = fixture();
          const last: { version: Stored<Pod>; node: string }[] = [];
          pods.forEach((c, i) => {
            const node = `n${c.node}`;
            const p = live.pod(`p${i}`, { cpu: "250m", labels: { app: "web" } });
            live.cache.assumePod(podInfoOf(p), node);
            let v = version(p, "bind", node, 0);
            live.cache.addBoundPod(v, node);
            c.changes.forEach((ch, n) => {
              v = version(v, ch, node, n);
              live.cache.addBoundPod(v, node);
            });
            last.push({ version: v, node });
          });
          const fresh = fixture();
          for (const { version: v, node } of last) fresh.cache.addPod(podInfoOf(v), node);
          expect(decisions(live)).toEqual(decisions(fresh));
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  test("pods of one shape share their spec facts, equal to those computed alone", () => {
    const f = fixture();
    const a = podInfoOf(f.pod("a", { cpu: "300m", memory: "3Gi" }));
    const b = podInfoOf(f.pod("b", { cpu: "300m", memory: "3Gi" }));
    const other = podInfoOf(f.pod("c", { cpu: "300m", memory: "2Gi" }));
    expect(b.facts).toBe(a.facts);
    expect(other.facts).not.toBe(a.facts);
    expect(sameFacts(a.facts, other.facts)).toBe(false);
    expect([b.milliCpu, b.memory, b.nonZeroMilliCpu]).toEqual([300, 3 * 2 ** 30, 300]);
  });

  test("pods with equal labels share one list of label routes, the same as computed alone", () => {
    const f = fixture();
    f.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
    const labels = { app: "web", tier: "front" };
    const a = labelRoutesOf(podInfoOf(f.pod("a", { labels: { ...labels } })));
    const b = labelRoutesOf(podInfoOf(f.pod("b", { labels: { ...labels } })));
    const other = labelRoutesOf(podInfoOf(f.pod("c", { labels: { ...labels }, namespace: "other" })));
    expect(b).toBe(a);
    expect(a).toEqual(["default\u0000app\u0000web", "default\u0000tier\u0000front"]);
    expect(other).toEqual(["other\u0000app\u0000web", "other\u0000tier\u0000front"]);
  });
});
