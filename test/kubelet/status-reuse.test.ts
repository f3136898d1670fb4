import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { PodCondition } from "../../src/api/types.js";
import { withForeign } from "../../src/kubelet/kubelet.js";
import { foreignConditions, sameItems } from "../../src/kubelet/pod-worker.js";

// Small plain values, so that equal items (by JSON) come up often.
const item = fc.oneof(
  fc.constantFrom("a", "b", 1, null),
  fc.record({ k: fc.constantFrom("x", "y"), v: fc.integer({ min: 0, max: 1 }) }),
);

describe("sameItems", () => {
  test.prop([
    fc.array(item, { maxLength: 4 }),
    fc.option(fc.array(item, { maxLength: 4 }), { nil: undefined }),
  ])("gives what was built (as JSON), each equal item being the last one's own", (built, last) => {
    const text = JSON.stringify(built);
    const out = sameItems([...built], last);
    expect(JSON.stringify(out)).toBe(text);
    if (!last) return;
    for (let i = 0; i < out.length; i++) {
      if (i < last.length && JSON.stringify(last[i]) === JSON.stringify(built[i]))
        expect(out[i]).toBe(last[i]);
    }
    const allSame = last.length === built.length && text === JSON.stringify(last);
    expect(out === last).toBe(allSame);
  });
});

const types = [
  "PodReadyToStartContainers",
  "Initialized",
  "Ready",
  "ContainersReady",
  "PodScheduled",
  "DisruptionTarget",
];
const condition = fc.record({ type: fc.constantFrom(...types), status: fc.constantFrom("True", "False") });
// What buildStatus writes: kubelet-owned types only.
const kubeletCondition = fc.record({
  type: fc.constantFrom(...types.slice(0, 4)),
  status: fc.constantFrom("True", "False"),
});

describe("withForeign", () => {
  test.prop([
    fc.array(kubeletCondition, { maxLength: 4 }),
    fc.array(condition, { maxLength: 6 }),
    fc.boolean(),
  ])(
    "is the kubelet's conditions then the stored ones it does not own, the stored array when equal",
    (own, others, storedFromOwn) => {
      // The stored array often begins with the very objects of `own` (the kubelet's last write).
      const stored = (storedFromOwn ? [...own, ...others] : others) as PodCondition[];
      const out = withForeign(own as PodCondition[], stored);
      const expected = [...own, ...foreignConditions({ conditions: stored })];
      expect(out).toEqual(expected);
      if (out === stored) expect(stored.length).toBe(expected.length);
    },
  );

  test("is the stored array itself when it holds the kubelet's conditions and foreign ones after them", () => {
    const own = [{ type: "Ready", status: "True" }] as PodCondition[];
    const stored = [own[0]!, { type: "PodScheduled", status: "True" }] as PodCondition[];
    expect(withForeign(own, stored)).toBe(stored);
    expect(withForeign(own, [{ ...own[0]! }, stored[1]!])).not.toBe(stored);
  });
});
