/** Image references, pull policies, the scenario's image behaviour lookup, and pod IP allocation. */
import { describe, expect, test } from "vitest";
import { defaultPullPolicy, ImageBehaviors, imageId, normalizeImage } from "../../src/kubelet/images.js";
import { IpAllocator } from "../../src/kubelet/ip.js";

describe("image references", () => {
  test.each([
    ["nginx", "docker.io/library/nginx:latest"],
    ["nginx:1.25", "docker.io/library/nginx:1.25"],
    ["bitnami/redis:7.2", "docker.io/bitnami/redis:7.2"],
    ["registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"],
    ["localhost:5000/app:v1", "localhost:5000/app:v1"],
  ])("%s is %s to containerd", (image, normalized) => {
    expect(normalizeImage(image)).toBe(normalized);
  });

  test.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.25", "IfNotPresent"],
    ["nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000", "IfNotPresent"],
    ["localhost:5000/app", "Always"],
  ])("the default pull policy of %s is %s", (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  test("the same image has the same imageID on every node", () => {
    expect(imageId("nginx:1.25")).toBe(imageId("docker.io/library/nginx:1.25"));
    expect(imageId("nginx:1.25")).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });
});

describe("ImageBehaviors", () => {
  const b = new ImageBehaviors([
    { pattern: "nginx:*", pull: { minMs: 1, maxMs: 1 } },
    { pattern: "nginx:1.25", pull: { minMs: 2, maxMs: 2 } },
    { pattern: "app", ready: null },
    { pattern: "*/worker:v?", pullFails: true },
  ]);
  test("an exact name wins over a glob listed before it", () => {
    expect(b.lookup("nginx:1.25")?.pull?.minMs).toBe(2);
    expect(b.lookup("nginx:1.27")?.pull?.minMs).toBe(1);
  });
  test("an untagged image also matches its :latest name, and vice versa", () => {
    expect(b.lookup("app")?.ready).toBeNull();
    expect(b.lookup("nginx")?.pull?.minMs).toBe(1);
  });
  test("? matches one character; images not listed behave well", () => {
    expect(b.lookup("acme/worker:v2")?.pullFails).toBe(true);
    expect(b.lookup("acme/worker:v10")).toBeUndefined();
    expect(b.lookup("redis:7")).toBeUndefined();
  });
});

describe("IpAllocator", () => {
  test("hands out .2, .3, … and reuses the lowest freed address first", () => {
    const ips = new IpAllocator("10.244.3.0/24");
    expect([ips.allocate(), ips.allocate(), ips.allocate(), ips.allocate()]).toEqual([
      "10.244.3.2",
      "10.244.3.3",
      "10.244.3.4",
      "10.244.3.5",
    ]);
    ips.release("10.244.3.4");
    ips.release("10.244.3.3");
    expect(ips.allocate()).toBe("10.244.3.3");
    expect(ips.allocate()).toBe("10.244.3.4");
    expect(ips.allocate()).toBe("10.244.3.6");
  });
  test("a /24 holds 253 pod addresses", () => {
    const ips = new IpAllocator("10.244.0.0/24");
    for (let i = 0; i < 253; i++) expect(ips.allocate()).toBeDefined();
    expect(ips.allocate()).toBeUndefined();
  });
});
