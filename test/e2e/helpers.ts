/** Runs the built `kubesim` program (dist/sim/main.js) as a user would, from the repository root. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const MAIN = join(ROOT, "dist/sim/main.js");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Fails with a clear message when the program has not been built (npm test builds before vitest). */
export function requireBuild(): void {
  if (!existsSync(MAIN)) {
    throw new Error(
      `${MAIN} is missing: run \`npm run build\` first (\`npm test\` builds before running vitest)`,
    );
  }
}

/** Runs `kubesim ARGS...` in the repository root; KUBESIM_DEBUG is cleared so output is what users see. */
export function kubesim(args: readonly string[], env: Record<string, string> = {}): Result {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, KUBESIM_DEBUG: "", ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines of a JSONL text, parsed. */
export function parseJsonl(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
