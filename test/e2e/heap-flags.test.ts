import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, heapFlags } from "../../sim/heap.js";

describe("the kubesim program's heap settings", () => {
  it("sets V8's heap growth step", () => {
    expect(heapFlags([], undefined)).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(heapFlags(["--max-old-space-size=8192"], "--enable-source-maps")).toHaveLength(1);
  });

  it("leaves a growth step the user gave node alone", () => {
    expect(heapFlags(["--heap-growing-percent=80"], undefined)).toEqual([]);
    expect(heapFlags([], "--enable-source-maps --heap_growing_percent=10")).toEqual([]);
    expect(heapFlags(["--heap-growing-percent", "80"], undefined)).toEqual([]);
  });

  it("does not take a flag that only starts the same for its own", () => {
    expect(heapFlags(["--heap-growing-percentage=5"], undefined)).toHaveLength(1);
  });

  it("is a flag this node accepts", () => {
    // V8 rejects an unknown flag at start-up: the program would then run with the default.
    const r = spawnSync(process.execPath, [...heapFlags([], undefined), "-e", "0"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
