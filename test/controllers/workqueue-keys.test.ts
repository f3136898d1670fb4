// The work queue's key memo gives the key a plain "namespace/name" would, whatever was forgotten.
import fc from "fast-check";
import { expect, test } from "vitest";
import { QueueKeys } from "../../src/controllers/workqueue.js";

const namespace = fc.option(fc.constantFrom("", "default", "kube-system"), { nil: undefined });
const name = fc.constantFrom("web", "web-1", "x", "");

test('every key is the namespace ("" when none), a slash and the name, before and after other keys are forgotten', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), namespace, name), { maxLength: 40 }), (ops) => {
      const keys = new QueueKeys();
      for (const [forget, ns, nm] of ops) {
        if (forget) keys.forget(ns, nm);
        else expect(keys.of(ns, nm)).toBe(`${ns ?? ""}/${nm}`);
      }
    }),
    { seed: 11, numRuns: 200 },
  );
});
