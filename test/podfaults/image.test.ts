// Image-pull faults (`fault: {image, type: image-pull-fail}`): from the fault on, pulls of the image
// fail; the kubelet shows ErrImagePull, then ImagePullBackOff, and tries again after the image
// back-off of reference §5.7 (10 s doubling to 300 s, counted from the last failure), at the pod
// worker's retries (every 10–15 s on 1 s ticks). After the heal the next pull succeeds.
import { describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/types.js";
import type { Cluster } from "../../src/cluster/cluster.js";
import { kubeletFor } from "../../src/kubelet/index.js";
import { boundPod, cluster, events, fault, healAt, statusOf, steps } from "./helpers.js";

const RETRY_MAX_MS = 15_000 + 1_000;

/** Every pull a node's kubelet starts: when, and (once done) whether it worked. */
function watchPulls(
  c: Cluster,
  node: string,
): { atMs: number; image: string; doneMs?: number; ok?: boolean }[] {
  const k = kubeletFor(c, node)!;
  const pulls: { atMs: number; image: string; doneMs?: number; ok?: boolean }[] = [];
  const pull = k.images.pull.bind(k.images);
  k.images.pull = (image, behavior, nowMs, done) => {
    const p: (typeof pulls)[number] = { atMs: nowMs, image };
    pulls.push(p);
    pull(image, behavior, nowMs, (r) => {
      p.doneMs = c.engine.nowMs;
      p.ok = r.ok;
      done(r);
    });
  };
  return pulls;
}

const waitingReasons = (c: Cluster, name: string) => {
  const seen: string[] = [];
  c.api.observe((ev) => {
    if (ev.object.kind !== "Pod" || ev.object.metadata.name !== name) return;
    const r = (ev.object as Pod).status?.containerStatuses?.[0]?.state?.waiting?.reason;
    if (r && seen.at(-1) !== r) seen.push(r);
  });
  return seen;
};

describe("image-pull-fail", () => {
  test("pulls fail and back off 10, 20, 40, 80, 160 s from each failure; after the heal the next one works", () => {
    const HEAL_AT = 8 * 60_000;
    const { c, records } = cluster({
      objects: [boundPod("app", "node-1", { containers: [{ name: "web", image: "nginx:1.27" }] })],
      actions: [
        fault(0, { type: "image-pull-fail", image: "nginx:1.27" }),
        healAt(HEAL_AT, { image: "nginx:1.27" }),
      ],
      untilMs: 16 * 60_000,
    });
    const pulls = watchPulls(c, "node-1");
    const reasons = waitingReasons(c, "app");
    c.run();
    const failed = pulls.filter((p) => p.ok === false);
    const backoffs = [10, 20, 40, 80, 160].map((s) => s * 1000);
    expect(failed.length).toBeGreaterThanOrEqual(backoffs.length);
    for (const [i, b] of backoffs.entries()) {
      const gap = pulls[i + 1]!.atMs - failed[i]!.doneMs!;
      expect(gap).toBeGreaterThanOrEqual(b);
      expect(gap).toBeLessThan(b + RETRY_MAX_MS);
    }
    const firstOk = pulls.findIndex((p) => p.ok === true);
    expect(pulls[firstOk]!.atMs).toBeGreaterThanOrEqual(HEAL_AT);
    const lastFail = pulls[firstOk - 1]!;
    const b = backoffs[firstOk - 1] ?? 300_000; // the back-off after the last failure
    expect(pulls[firstOk]!.atMs).toBeLessThan(Math.max(HEAL_AT, lastFail.doneMs! + b) + RETRY_MAX_MS);
    expect(pulls.slice(firstOk + 1)).toEqual([]);
    expect(reasons.slice(0, 3)).toEqual(["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
    expect(statusOf(c, "app")?.state?.running).toBeDefined();
    expect(events(records, "Failed")[0]?.message).toBe(
      'Failed to pull image "nginx:1.27": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27": failed to resolve reference "docker.io/library/nginx:1.27": docker.io/library/nginx:1.27: not found',
    );
    expect(events(records, "BackOff")[0]?.message).toBe('Back-off pulling image "nginx:1.27"');
    const summary = steps(records, "RecoverySummary").at(-1)!;
    expect(summary.data).toMatchObject({ fault: "image-pull-fail", healedMs: HEAL_AT });
    expect((summary.data as { pods: { pod: string; recoveredMs: number }[] }).pods).toEqual([
      expect.objectContaining({ pod: "default/app", recoveredMs: expect.any(Number) }),
    ]);
  });

  test("`node:` limits the fault to one node", () => {
    const image = { containers: [{ name: "web", image: "nginx:1.27" }] };
    const { c } = cluster({
      objects: [boundPod("one", "node-1", image), boundPod("two", "node-2", image)],
      actions: [fault(0, { type: "image-pull-fail", image: "nginx:1.27", node: "node-1" })],
      untilMs: 30_000,
    });
    c.run();
    expect(statusOf(c, "one")?.state?.waiting?.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    expect(statusOf(c, "two")?.state?.running).toBeDefined();
  });

  test("an image already on the node is not pulled again under IfNotPresent; Always pulls, and fails", () => {
    const { c, records } = cluster({
      objects: [boundPod("first", "node-1")],
      actions: [fault(20_000, { type: "image-pull-fail", image: "docker.io/library/nginx:1.26" })],
      untilMs: 60_000,
    });
    c.engine.at(30_000, () => {
      c.api.create(boundPod("cached", "node-1"));
      c.api.create(
        boundPod("always", "node-1", {
          containers: [{ name: "web", image: "nginx:1.26", imagePullPolicy: "Always" }],
        }),
      );
    });
    c.run();
    expect(statusOf(c, "cached")?.state?.running).toBeDefined();
    expect(events(records, "Pulled").map((e) => e.message)).toContain(
      'Container image "nginx:1.26" already present on machine',
    );
    expect(statusOf(c, "always")?.state?.waiting?.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
  });

  test("errors: the same image twice, healing what does not fail", () => {
    const { c, records } = cluster({
      actions: [
        fault(1_000, { type: "image-pull-fail", image: "nginx:1.27" }),
        fault(2_000, { type: "image-pull-fail", image: "docker.io/library/nginx:1.27" }),
        healAt(3_000, { type: "image-pull-fail", image: "nginx:1.28" }),
        healAt(4_000, { type: "image-pull-fail" }),
        healAt(5_000, { type: "image-pull-fail" }),
      ],
      untilMs: 6_000,
    });
    c.run();
    expect(
      records.filter((r) => r.type === "action").map((r) => (r as { error?: string }).error ?? null),
    ).toEqual([
      null,
      "error: pulls of docker.io/library/nginx:1.27 already fail (heal it first)",
      "error: no active image-pull-fail fault for nginx:1.28",
      null,
      "error: no active image-pull-fail fault",
    ]);
  });
});
