// The projection's periodic resync without a timer per pod: a change is seen at exactly the resync
// time the pod's own stream gives (r_k = r_{k-1} + 60 s ± 50 %, r_0 = the mount), and idle pods
// put no events on the queue.

import type { Volume } from "kubernetes-types/core/v1.js";
import { describe, expect, test } from "vitest";
import type { Pod, Secret } from "../../src/api/types.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { podFileAt, SYNC_FREQUENCY_MS, SYNC_JITTER } from "../../src/kubelet/projected.js";
import { getPod } from "../scheduler/helpers.js";
import { storageCluster } from "../storage/helpers.js";

const b64 = (s: string) => btoa(s);

function secret(password: string): Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db-pass", namespace: "default" },
    data: { password: b64(password) },
  };
}

function pod(name: string, volumes: Volume[] = [{ name: "creds", secret: { secretName: "db-pass" } }]): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: "web" } },
    spec: {
      nodeName: "node-1",
      containers: [
        { name: "app", image: "nginx:1.27", volumeMounts: [{ name: "creds", mountPath: "/etc/creds" }] },
      ],
      volumes,
    },
  };
}

type Step = Extract<TimelineRecord, { type: "step" }>;
const stepsOf = (records: TimelineRecord[], object: string, step: string) =>
  records.filter((r): r is Step => r.type === "step" && r.object === object && r.step === step);

// The resync times a timer per pod would have used, from the mount to `untilMs`.
function eagerResyncs(c: ReturnType<typeof storageCluster>["c"], p: Pod, mountMs: number, untilMs: number) {
  const rng = kubeletFor(c, "node-1")!.rng.fork(`resync/${p.metadata!.uid}`);
  const out: number[] = [];
  for (let t = mountMs; t <= untilMs; ) {
    t += Math.round(SYNC_FREQUENCY_MS * (1 - SYNC_JITTER + 2 * SYNC_JITTER * rng.next()));
    out.push(t);
  }
  return out;
}

type DownwardItems = NonNullable<NonNullable<Volume["downwardAPI"]>["items"]>;
describe("lazy projected-volume resync", () => {
  test("each pod sees every rotation at exactly the first resync of its own sequence after it", () => {
    const { c, records } = storageCluster(1, {}, 600_000);
    const names = Array.from({ length: 12 }, (_, i) => `web-${i}`);
    const rotations = [200_000, 330_000, 331_000];
    c.engine.at(0, () => c.api.create(secret("v1")));
    c.engine.at(10, () => {
      for (const n of names) c.api.create(pod(n));
    });
    for (const [i, t] of rotations.entries()) {
      c.engine.at(t, () =>
        c.api.mutate<Secret>("Secret", "default", "db-pass", (d) => {
          d.data = { password: b64(`v${i + 2}`) };
        }),
      );
    }
    c.run(600_000);
    for (const n of names) {
      const p = getPod(c, n);
      const object = `Pod/default/${n}`;
      // The volumes are in place (the last MountVolume step) when the projection first reads them.
      const mountMs = stepsOf(records, object, "MountVolume").at(-1)!.t;
      const resyncs = eagerResyncs(c, p, mountMs, 600_000);
      for (const t of rotations) expect(resyncs).not.toContain(t);
      // Rotations between the same two resyncs are seen together, as the newest version.
      const want = [...new Set(rotations.map((t) => resyncs.find((r) => r > t)!))].filter(
        (t) => t <= 600_000,
      );
      expect(stepsOf(records, object, "VolumeUpdated").map((r) => r.t)).toEqual(want);
    }
  });

  /**
   * A pod with one downward API volume of `items`, edited by `edit` at 150 s: the times of its
   * VolumeUpdated steps, and the resync times its own sequence gives (to 400 s).
   */
  function downwardEditRun(items: DownwardItems, edit: (d: Pod) => void) {
    const { c, records } = storageCluster(1, {}, 400_000);
    const info: Volume = { name: "creds", downwardAPI: { items } };
    c.engine.at(0, () => c.api.create(pod("web", [info])));
    c.engine.at(150_000, () => c.api.mutate<Pod>("Pod", "default", "web", edit));
    c.run(400_000);
    const mountMs = stepsOf(records, "Pod/default/web", "MountVolume").at(-1)!.t;
    const resyncs = eagerResyncs(c, getPod(c, "web"), mountMs, 400_000);
    const updated = stepsOf(records, "Pod/default/web", "VolumeUpdated").map((r) => r.t);
    return { updated, resyncs };
  }

  test("a downward API file follows a label change at the pod's next resync of its own sequence", () => {
    const { updated, resyncs } = downwardEditRun(
      [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }],
      (d) => {
        d.metadata!.labels = { app: "api" };
      },
    );
    // The worker learns the label from its watch, a few milliseconds after the write.
    expect(updated).toEqual([resyncs.find((r) => r > 150_000)]);
  });

  test("a downward API file over annotations and the pod IP follows an annotation change, not the status writes", () => {
    const { updated, resyncs } = downwardEditRun(
      [
        { path: "annotations", fieldRef: { fieldPath: "metadata.annotations" } },
        { path: "ip", fieldRef: { fieldPath: "status.podIP" } },
      ],
      (d) => {
        d.metadata!.annotations = { team: "blue" };
      },
    );
    // The pod IP reaches status after the mount: the first resync rewrites the file, then only
    // the annotation change does (the kubelet's later status writes show the same IP).
    expect(updated).toEqual([resyncs[0], resyncs.find((r) => r > 150_000)]);
  });

  test("after a kubelet stop and restart the files are rewritten, then resync again from the restart", () => {
    const { c, records } = storageCluster(1, {}, 900_000);
    c.engine.at(0, () => c.api.create(secret("v1")));
    c.engine.at(10, () => c.api.create(pod("web")));
    const kubelet = () => kubeletFor(c, "node-1")!;
    const rotate = (v: string) =>
      c.api.mutate<Secret>("Secret", "default", "db-pass", (d) => {
        d.data = { password: b64(v) };
      });
    c.engine.at(100_000, () => kubelet().stop());
    c.engine.at(150_000, () => rotate("v2"));
    c.engine.at(200_000, () => kubelet().start());
    c.engine.at(500_000, () => rotate("v3"));
    const password = () => podFileAt(c, getPod(c, "web"), "/etc/creds/password")?.content;
    const shown: Record<string, string | undefined> = {};
    c.engine.at(199_000, () => (shown.stopped = password()));
    c.engine.at(210_000, () => (shown.restarted = password()));
    c.run(900_000);
    // Stopped, the kubelet rewrites nothing; restarted, it shows what the apiserver holds.
    expect(shown).toEqual({ stopped: "v1", restarted: "v2" });
    expect(password()).toBe("v3");
    const seen = stepsOf(records, "Pod/default/web", "VolumeUpdated").map((r) => r.t);
    // v2 at the restart's sync; v3 within one resync period (60 s + 50 %) of the change.
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeGreaterThanOrEqual(200_000);
    expect(seen[0]).toBeLessThan(210_000);
    expect(seen[1]).toBeGreaterThan(500_000);
    expect(seen[1]).toBeLessThanOrEqual(500_000 + SYNC_FREQUENCY_MS * (1 + SYNC_JITTER));
  });

  // Events run in the idle hour after start-up: node loops only, whatever the number of pods.
  function idleEvents(pods: number): number {
    const { c } = storageCluster(1, {}, 3_600_000);
    c.engine.at(0, () => c.api.create(secret("v1")));
    c.engine.at(10, () => {
      for (let i = 0; i < pods; i++) c.api.create(pod(`web-${i}`));
    });
    c.engine.run({ untilMs: 300_000 });
    const before = c.engine.eventsRun;
    c.engine.run({ untilMs: 3_600_000 });
    return c.engine.eventsRun - before;
  }

  test("idle pods with Secret and token volumes schedule no periodic events", () => {
    const one = idleEvents(1);
    const many = idleEvents(40);
    // A timer per pod per minute would add about 40 × 55 events here.
    expect(many).toBe(one);
  });
});
