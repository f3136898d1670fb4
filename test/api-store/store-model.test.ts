import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { ApiServer, type WatchEvent } from "../../src/api/apiserver.js";
import { ApiError } from "../../src/api/errors.js";
import { matchLabelsSelector } from "../../src/api/labels.js";
import { SimClock } from "../../src/api/time.js";
import type { ConfigMap, Stored } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { Rng } from "../../src/engine/rng.js";

/** The reference model: a plain map of name → labels. */
interface Model {
  objects: Map<string, Record<string, string>>;
}

interface Real {
  engine: Engine;
  api: ApiServer;
  seen: WatchEvent[];
  lastRv: number;
}

const names = fc.constantFrom("a", "b", "c", "d");
const labels = fc.dictionary(fc.constantFrom("app", "tier"), fc.constantFrom("web", "db"), { maxKeys: 2 });

function cm(name: string, l: Record<string, string>): ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: l }, data: { v: name } };
}

class Create implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly labels: Record<string, string>,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    if (m.objects.has(this.name)) {
      expect(() => r.api.create(cm(this.name, this.labels))).toThrow(/already exists/);
      return;
    }
    const o = r.api.create(cm(this.name, this.labels));
    m.objects.set(this.name, this.labels);
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(r.lastRv);
    r.lastRv = Number(o.metadata.resourceVersion);
  }
  toString = () => `create(${this.name}, ${JSON.stringify(this.labels)})`;
}

class Relabel implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly labels: Record<string, string>,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const cur = r.api.get<ConfigMap>("ConfigMap", "default", this.name);
    if (!m.objects.has(this.name)) {
      expect(cur).toBeUndefined();
      return;
    }
    const stale = { ...cur!, metadata: { ...cur!.metadata, resourceVersion: "1" } };
    if (cur!.metadata.resourceVersion !== "1") expect(() => r.api.update(stale)).toThrow(ApiError);
    const o = r.api.update({ ...cur!, metadata: { ...cur!.metadata, labels: this.labels } });
    m.objects.set(this.name, this.labels);
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThanOrEqual(r.lastRv);
    r.lastRv = Number(o.metadata.resourceVersion);
  }
  toString = () => `relabel(${this.name}, ${JSON.stringify(this.labels)})`;
}

class Delete implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    if (!m.objects.has(this.name)) {
      expect(() => r.api.delete("ConfigMap", "default", this.name)).toThrow(/not found/);
      return;
    }
    r.api.delete("ConfigMap", "default", this.name);
    m.objects.delete(this.name);
  }
  toString = () => `delete(${this.name})`;
}

class ListBy implements fc.Command<Model, Real> {
  constructor(readonly selector: Record<string, string>) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const sel = matchLabelsSelector(this.selector);
    const got = r.api.list("ConfigMap", { namespace: "default", selector: sel }).map((o) => o.metadata.name);
    const want = [...m.objects.entries()]
      .filter(([, l]) => Object.entries(this.selector).every(([k, v]) => l[k] === v))
      .map(([n]) => n)
      .sort();
    expect(got).toEqual(want);
    const [k, v] = Object.entries(this.selector)[0] ?? [];
    if (k !== undefined) {
      const viaIndex = r.api
        .list("ConfigMap", { selector: sel, indexLabel: [k, v!] })
        .map((o) => o.metadata.name);
      expect(viaIndex).toEqual(want);
    }
  }
  toString = () => `list(${JSON.stringify(this.selector)})`;
}

class Tick implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(_m: Model, r: Real): void {
    r.engine.run({ untilMs: r.engine.nowMs + this.ms });
  }
  toString = () => `tick(${this.ms})`;
}

describe("apiserver store against a reference model", () => {
  test.prop([
    fc.commands(
      [
        fc.tuple(names, labels).map(([n, l]) => new Create(n, l)),
        fc.tuple(names, labels).map(([n, l]) => new Relabel(n, l)),
        names.map((n) => new Delete(n)),
        labels.map((l) => new ListBy(l)),
        fc.integer({ min: 0, max: 20 }).map((ms) => new Tick(ms)),
      ],
      { maxCommands: 60 },
    ),
  ])(
    "create/update/delete/list agree with the model; watches see every change once, in resourceVersion order",
    (cmds) => {
      const engine = new Engine();
      const api = new ApiServer({ engine, rng: new Rng(1), clock: new SimClock(), watchLatencyMs: 3 });
      api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
      const observed: WatchEvent[] = [];
      api.observe((ev) => {
        if (ev.object.kind === "ConfigMap") observed.push(ev);
      });
      const seen: WatchEvent[] = [];
      api.watch("ConfigMap", (ev) => seen.push(ev));
      const real: Real = { engine, api, seen, lastRv: 0 };
      fc.modelRun(() => ({ model: { objects: new Map() }, real }), cmds);
      engine.run();
      // Every change reached the watcher exactly once, in the order it happened.
      expect(seen.map((e) => `${e.type}:${e.object.metadata.resourceVersion}`)).toEqual(
        observed.map((e) => `${e.type}:${e.object.metadata.resourceVersion}`),
      );
      const rvs = seen.map((e) => Number((e.object as Stored).metadata.resourceVersion));
      for (let i = 1; i < rvs.length; i++) expect(rvs[i]!).toBeGreaterThan(rvs[i - 1]!);
    },
  );
});
