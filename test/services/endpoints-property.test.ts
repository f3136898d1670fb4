// Property: after any sequence of pod changes, the Endpoints and EndpointSlices agree with the pods.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { isPodReady } from "../../src/controllers/pod-utils.js";
import { addPod, endpointsOf, plane, service, setPodStatus, slicesOf } from "./helpers.js";

type Op =
  | { kind: "add"; ready: boolean; ip: boolean }
  | { kind: "ready"; i: number; ready: boolean }
  | { kind: "delete"; i: number; graceful: boolean }
  | { kind: "relabel"; i: number }
  | { kind: "wait"; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      ready: fc.boolean(),
      ip: fc.constantFrom(true, true, true, false),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("ready" as const), i: fc.nat(300), ready: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("delete" as const), i: fc.nat(300), graceful: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("relabel" as const), i: fc.nat(300) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 20 }) }),
  },
);

describe("endpoints property", () => {
  fcTest.prop([fc.array(op, { minLength: 200, maxLength: 500 }), fc.boolean()], { numRuns: 12 })(
    "every selected pod with an IP is listed once, ready as its conditions say; slices hold at most 100",
    (ops, publish) => {
      const p = plane({ controllers: true });
      p.api.create(
        service("web", {
          publishNotReadyAddresses: publish,
          ports: [{ name: "http", port: 80, targetPort: "http" }],
        }),
      );
      let n = 0;
      const ipOf = (i: number) => `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`;
      for (const o of ops) {
        const name = `p${o.kind === "add" ? n : o.kind === "wait" ? 0 : o.i % Math.max(n, 1)}`;
        const exists = p.api.get<Pod>("Pod", "default", name);
        if (o.kind === "add") {
          const i = n++;
          addPod(p, `p${i}`, o.ip ? { ip: ipOf(i), ready: o.ready } : { ready: false, node: "node-1" });
        } else if (o.kind === "wait") p.runTo(p.engine.nowMs + o.ms);
        else if (!exists || exists.metadata.deletionTimestamp) continue;
        else if (o.kind === "ready" && exists.status?.podIP)
          setPodStatus(p, name, { ip: exists.status.podIP, ready: o.ready });
        else if (o.kind === "delete")
          p.api.delete("Pod", "default", name, o.graceful ? {} : { gracePeriodSeconds: 0 });
        else if (o.kind === "relabel")
          p.api.patch("Pod", "default", name, { metadata: { labels: { app: "other" } } });
      }
      p.runTo(p.engine.nowMs + 2000);
      const pods = p.api
        .list<Pod>("Pod", { namespace: "default" })
        .filter((x) => x.metadata.labels?.app === "web" && x.status?.podIP);
      // Endpoints list pods with an IP, terminating ones only when publishing not-ready addresses.
      const listedPods = pods.filter((x) => publish || !x.metadata.deletionTimestamp);
      const ipsOf = (list: typeof pods) => list.map((x) => x.status!.podIP!).sort();
      const wantReady = ipsOf(listedPods.filter((x) => publish || isPodReady(x)));
      const wantNotReady = ipsOf(listedPods.filter((x) => !publish && !isPodReady(x)));
      const ep = endpointsOf(p, "web")!;
      const listed = (ready: boolean) =>
        (ep.subsets ?? [])
          .flatMap((s) => (ready ? s.addresses : s.notReadyAddresses) ?? [])
          .map((a) => a.ip)
          .sort();
      expect(listed(true)).toEqual(wantReady);
      expect(listed(false)).toEqual(wantNotReady);
      const slices = slicesOf(p, "web");
      const endpoints = slices.flatMap((s) => s.endpoints ?? []);
      expect(endpoints.map((e) => e.addresses[0]).sort()).toEqual(pods.map((x) => x.status!.podIP!).sort());
      for (const s of slices) expect((s.endpoints ?? []).length).toBeLessThanOrEqual(100);
      expect(slices.length).toBeLessThanOrEqual(Math.max(1, Math.ceil(endpoints.length / 100) + 1));
      for (const e of endpoints) {
        const pod = pods.find((x) => x.metadata.name === e.targetRef?.name)!;
        const terminating = !!pod.metadata.deletionTimestamp;
        expect(e.conditions).toEqual({
          ready: publish || (isPodReady(pod) && !terminating),
          serving: isPodReady(pod),
          terminating,
        });
      }
    },
  );
});
