/** How the program fails: exit codes, and turning any error into one clear message on stderr. */
import { CommanderError } from "commander";
import { ScenarioError } from "../src/scenario/errors.js";

/** Exit codes (DESIGN.md "The command line"). */
export const EXIT = {
  ok: 0,
  /** An expectation failed (or, for `get`, a named object does not exist, as kubectl). */
  failed: 1,
  /** Bad input: files, YAML, validation, flags, unknown resource types. */
  badInput: 2,
  /** A bug in kubesim. */
  internal: 3,
} as const;

/** A problem with what the user asked for, reported as `error: <message>` and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Error text of a Node.js system error (`ENOENT` → `no such file or directory`). */
export function systemErrorText(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== "string" || !err.code.startsWith("E")) return undefined;
  const known: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
    EEXIST: "already exists",
    ENOSPC: "no space left on device",
    EROFS: "read-only file system",
  };
  return known[err.code] ?? err.code;
}

/**
 * Reports an error on stderr and returns the exit code. Input problems get one line each and no
 * stack; anything else is a kubesim bug, exit 3, with the stack only when KUBESIM_DEBUG=1.
 */
export function reportError(e: unknown, writeErr: (s: string) => void, debug: boolean): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message (or the help); only the exit code is left to decide.
    return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (e instanceof ScenarioError) {
    writeErr(`error: ${e.message}\n`);
    for (const r of e.related) writeErr(`error: ${r.message}\n`);
    return EXIT.badInput;
  }
  if (e instanceof UsageError) {
    writeErr(`error: ${e.message}\n`);
    return EXIT.badInput;
  }
  const message = e instanceof Error ? e.message : String(e);
  writeErr(
    `kubesim: internal error: ${message}\n` +
      "This is a bug in kubesim, not in your input. Please report it with the command line and the " +
      "scenario files that cause it" +
      (debug ? ".\n" : " (run again with KUBESIM_DEBUG=1 for the stack trace).\n"),
  );
  if (debug && e instanceof Error && e.stack) writeErr(`${e.stack}\n`);
  return EXIT.internal;
}
