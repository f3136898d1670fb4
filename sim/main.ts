#!/usr/bin/env node
/** The `kubesim` program: the only place that touches argv, the environment, stdout/stderr and the exit code. */
import { readFileSync } from "node:fs";
import { tuneHeap } from "./heap.js";
import { runProgram } from "./program.js";

/** The package version, from package.json next to dist/ (built) or next to sim/ (from source). */
function packageVersion(): string {
  for (const rel of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "kubesim" && pkg.version) return pkg.version;
    } catch {
      // Not at this level: try the next one.
    }
  }
  return "unknown";
}

// A closed pipe (`kubesim run x | head`) is not an error: stop quietly.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

tuneHeap();
const code = runProgram(
  process.argv.slice(2),
  { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
  { version: packageVersion(), debug: process.env.KUBESIM_DEBUG === "1" },
);
// explore and sweep finish later (worker threads): their exit code arrives as a promise.
if (typeof code === "number") process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
