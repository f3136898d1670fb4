/** The recorder's entry table (numbered slots, reused after expiry) gives the TTLs and counts of plain per-Event records. */
import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { EVENT_TTL_MS, EventRecorder } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Event, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup(podCount: number) {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const pods: Stored[] = [];
  for (let i = 0; i < podCount; i++)
    pods.push(
      api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `p${i}` }, spec: { containers: [] } }),
    );
  return { engine, api, pods, rec: new EventRecorder(api) };
}

interface Record {
  key: string;
  count: number;
  lastMs: number;
  checkAtMs: number;
}

/**
 * One object per Event and a queue of them, as the recorder kept them before: a record's TTL is
 * checked in queue order, and one written since its check goes back to the end of the queue.
 */
class Reference {
  readonly records = new Map<string, Record>();
  private readonly queue: Record[] = [];

  record(key: string, nowMs: number): void {
    while (this.queue.length > 0 && this.queue[0]!.checkAtMs <= nowMs) {
      const r = this.queue.shift()!;
      if (r.lastMs + EVENT_TTL_MS > nowMs) {
        r.checkAtMs = r.lastMs + EVENT_TTL_MS;
        this.queue.push(r);
      } else this.records.delete(r.key);
    }
    const r = this.records.get(key);
    if (r) {
      r.count++;
      r.lastMs = nowMs;
      return;
    }
    const fresh = { key, count: 1, lastMs: nowMs, checkAtMs: nowMs + EVENT_TTL_MS };
    this.records.set(key, fresh);
    this.queue.push(fresh);
  }
}

describe("the event recorder's entry table", () => {
  test("over hours of expiring and repeated events, the stored Events and counts are the plain records'", () => {
    for (let seed = 1; seed <= 3; seed++) {
      // 40 pods × 4 reasons: more entries than the table's first size; each pod is written
      // less often than the spam filter refills, and each reason has one message (no aggregate).
      const { engine, api, pods, rec } = setup(40);
      const rng = new Rng(seed);
      const ref = new Reference();
      for (let t = 0; t < 5 * EVENT_TTL_MS; t += 1000 + rng.int(40_000)) {
        engine.run({ untilMs: t });
        const pod = pods[rng.int(pods.length)]!;
        const reason = ["Pulled", "Created", "Started", "Killing"][rng.int(4)]!;
        rec.record(pod, "Normal", reason, `${reason} container web`, "kubelet", { host: "n" });
        ref.record(`${pod.metadata.uid}|${reason}`, t);
        const got = new Map<string, number>();
        for (const e of api.list<Event>("Event", { namespace: "default" }))
          got.set(`${e.involvedObject.uid}|${e.reason}`, e.count!);
        const want = new Map([...ref.records].map(([k, r]) => [k, r.count]));
        expect(got, `seed=${seed} t=${t}`).toEqual(want);
      }
    }
  });
});
