// Pure path helpers that resolve spec.manifests and kubectl -f paths against the scenario's directory.
import { describe, expect, it } from "vitest";
import { dirname, fileStem, joinPath } from "../../src/scenario/paths.js";

describe("paths", () => {
  it.each([
    ["scenarios", "manifests/web.yaml", "scenarios/manifests/web.yaml"],
    ["scenarios/demo", "../shared/web.yaml", "scenarios/shared/web.yaml"],
    ["scenarios", "./web.yaml", "scenarios/web.yaml"],
    ["", "web.yaml", "web.yaml"],
    ["", "../web.yaml", "../web.yaml"],
    ["a", "../../web.yaml", "../web.yaml"],
    ["/home/u/s", "m/web.yaml", "/home/u/s/m/web.yaml"],
    ["scenarios", "/etc/web.yaml", "/etc/web.yaml"],
    ["/", "../x.yaml", "/x.yaml"],
    ["C:\\work\\s", "m\\web.yaml", "C:/work/s/m/web.yaml"],
  ])("joinPath(%j, %j) is %j", (dir, rel, out) => {
    expect(joinPath(dir, rel)).toBe(out);
  });

  it.each([
    ["scenarios/x.yaml", "scenarios", "x"],
    ["x.yaml", "", "x"],
    ["/x.yaml", "/", "x"],
    ["a/b/c.test.yml", "a/b", "c.test"],
  ])("dirname and fileStem of %j", (path, dir, stem) => {
    expect(dirname(path)).toBe(dir);
    expect(fileStem(path)).toBe(stem);
  });
});
