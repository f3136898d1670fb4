import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

/** Every .ts file under a folder. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const SRC = files("src");

/** Remove comments and string literals so that words in them don't count. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\])*"/g, '""')
    .replace(/'(?:\\.|[^'\\])*'/g, "''");
}

const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\b/, "Date (wall clock)"],
  [/\bMath\.random\b/, "Math.random (unseeded randomness)"],
  [/\bset(Timeout|Interval|Immediate)\b/, "timers"],
  [/\bperformance\b/, "performance (wall clock)"],
  [/\bprocess\b/, "process (environment)"],
  [/\brequire\(/, "require"],
];

describe("architecture: the library is deterministic and runs in a browser", () => {
  test.each(SRC)(
    "%s uses no wall clock, unseeded randomness, timers, environment or node: modules",
    (file) => {
      const text = readFileSync(file, "utf8");
      const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
      for (const spec of imports) {
        expect(
          spec.startsWith("node:") || ["fs", "path", "os", "child_process", "worker_threads"].includes(spec),
          `${file} imports ${spec}`,
        ).toBe(false);
      }
      const body = code(text);
      for (const [re, what] of FORBIDDEN) expect(re.test(body), `${file} uses ${what}`).toBe(false);
    },
  );

  test("layers import only downward (engine ← api ← models ← cluster ← scenario/report)", () => {
    const rank: Record<string, number> = {
      engine: 0,
      api: 1,
      controllers: 2,
      scheduler: 2,
      kubelet: 2,
      faults: 2,
      cluster: 3,
      invariants: 3,
      scenario: 4,
      report: 4,
      explore: 5,
      library: 5,
    };
    const problems: string[] = [];
    for (const file of SRC) {
      const layer = file.split(/[\\/]/)[1]!;
      if (!(layer in rank)) continue;
      for (const m of readFileSync(file, "utf8").matchAll(/from\s+"\.\.\/([a-z]+)\/([^"]+)"/g)) {
        const target = m[1]!;
        // The Scenario's types are plain data that the models may name (type-only imports).
        const scenarioTypes = target === "scenario" && m[2] === "types.js";
        if (target in rank && rank[target]! > rank[layer]! && !scenarioTypes)
          problems.push(`${file} imports ../${target}/${m[2]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
