/** Events about one object version and field share their involvedObject, which is what a fresh one would be. */
import { describe, expect, test } from "vitest";
import { ApiServer } from "../../src/api/apiserver.js";
import { EventRecorder } from "../../src/api/events.js";
import { SimClock } from "../../src/api/time.js";
import type { Event, Pod, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

function setup() {
  const engine = new Engine();
  const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock() });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const pod = api.create<Pod>({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [] },
  });
  return { api, pod, rec: new EventRecorder(api) };
}

/** The involvedObject client-go's GetReference gives, with its keys in the recorder's order. */
function reference(obj: Stored, fieldPath?: string) {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

const byReason = (api: ApiServer, reason: string) =>
  api.list<Event>("Event", { namespace: "default" }).find((e) => e.reason === reason)!;

describe("an Event's involvedObject", () => {
  test("is one object for the Events of one object version and field, and equal to a fresh one", () => {
    const { api, pod, rec } = setup();
    const field = ["spec.containers", "{web}"].join("");
    for (const reason of ["Pulled", "Created", "Started"])
      rec.record(pod, "Normal", reason, `${reason} web`, "kubelet", { host: "n", fieldPath: field });
    rec.record(pod, "Normal", "Scheduled", "Successfully assigned default/p to n", "default-scheduler");
    const updated = api.replace<Pod>("Pod", "default", "p", (p) => ({
      ...p,
      metadata: { ...p.metadata, labels: { a: "b" } },
    }));
    rec.record(updated, "Normal", "Killing", "Stopping container web", "kubelet", {
      host: "n",
      fieldPath: field,
    });

    const [pulled, created, started] = ["Pulled", "Created", "Started"].map(
      (r) => byReason(api, r).involvedObject,
    );
    expect(created).toBe(pulled);
    expect(started).toBe(pulled);
    expect(JSON.stringify(pulled)).toBe(JSON.stringify(reference(pod, "spec.containers{web}")));
    const scheduled = byReason(api, "Scheduled").involvedObject;
    expect(scheduled).not.toBe(pulled);
    expect(JSON.stringify(scheduled)).toBe(JSON.stringify(reference(pod)));
    const killing = byReason(api, "Killing").involvedObject;
    expect(killing).not.toBe(pulled);
    expect(JSON.stringify(killing)).toBe(JSON.stringify(reference(updated, "spec.containers{web}")));
    expect(Object.isFrozen(pulled)).toBe(true);
  });

  test("of another field of the same object version is its own", () => {
    const { api, pod, rec } = setup();
    rec.record(pod, "Normal", "Pulled", "Pulled a", "kubelet", {
      host: "n",
      fieldPath: "spec.containers{a}",
    });
    rec.record(pod, "Normal", "Started", "Started b", "kubelet", {
      host: "n",
      fieldPath: "spec.containers{b}",
    });
    expect(byReason(api, "Pulled").involvedObject.fieldPath).toBe("spec.containers{a}");
    expect(byReason(api, "Started").involvedObject.fieldPath).toBe("spec.containers{b}");
  });
});
