/**
 * The program's contact with the file system and the console: reading scenario files, buffered
 * streaming of output, and writing output files atomically (temp name, renamed when complete).
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { ScenarioError } from "../src/scenario/errors.js";
import { LIMITS } from "../src/scenario/source.js";
import { systemErrorText, UsageError } from "./errors.js";

/** Where a command writes: stdout and stderr, injected so commands can run in-process in tests. */
export interface Io {
  out(chunk: string): void;
  err(chunk: string): void;
}

/** Output is gathered into chunks of this size before each write, so a record is not a syscall. */
const CHUNK_CHARS = 64 * 1024;

/** Collects small writes and passes them on in large chunks; `flush` at the end. */
export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly target: (chunk: string) => void) {}

  readonly write = (chunk: string): void => {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  };

  flush(): void {
    if (this.size === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.target(chunk);
  }
}

/**
 * Reads a scenario or manifest file for the loader: undefined when it does not exist (the loader
 * reports that with its position). Files over the loader's size limit are refused before reading.
 */
export function readInputFile(path: string): string | undefined {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${path}: is a directory, not a scenario or manifest file`);
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: cannot read: ${systemErrorText(e) ?? String(e)}`);
  }
  if (size > LIMITS.fileBytes) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    const detail = `file is too large: ${mib(size)} MiB (the limit is ${mib(LIMITS.fileBytes)} MiB)`;
    throw new ScenarioError({ file: path, line: 1, col: 1 }, "", detail);
  }
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${systemErrorText(e) ?? String(e)}`);
  }
}

/** A file written through a synchronous descriptor, so memory stays bounded while a run streams. */
class FileWriter {
  private readonly fd: number;
  readonly chunks: ChunkedWriter;

  constructor(readonly path: string) {
    this.fd = openSync(path, "wx");
    this.chunks = new ChunkedWriter((chunk) => {
      const bytes = Buffer.from(chunk, "utf8");
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    });
  }

  close(): void {
    try {
      this.chunks.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  closeQuietly(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}

/**
 * Output files in a directory that appear only complete: each is written under a temporary name
 * (`.NAME.PID.tmp`) and renamed by `commit`; `abort` removes the temporary files, and the
 * directory too when this run created it.
 *
 * Writes are synchronous on purpose: a run is one synchronous loop, so an asynchronous stream
 * would hold the whole timeline in memory until the run returned.
 */
export class AtomicOutput {
  private readonly files: FileWriter[] = [];
  private readonly renamed: string[] = [];
  private readonly createdDir: string | undefined;

  constructor(
    readonly dir: string,
    readonly names: readonly string[],
  ) {
    try {
      this.createdDir = mkdirSync(dir, { recursive: true });
      for (const name of names) this.files.push(new FileWriter(join(dir, `.${name}.${process.pid}.tmp`)));
    } catch (e) {
      this.abort();
      throw new UsageError(`--out ${dir}: cannot write there: ${systemErrorText(e) ?? String(e)}`);
    }
  }

  /** The writer of the file `names[i]`. */
  writer(i: number): (chunk: string) => void {
    return this.files[i]!.chunks.write;
  }

  /** Final paths, in the order of `names`. */
  get paths(): string[] {
    return this.names.map((n) => join(this.dir, n));
  }

  commit(): void {
    try {
      for (const f of this.files) f.close();
      this.files.forEach((f, i) => {
        const final = join(this.dir, this.names[i]!);
        renameSync(f.path, final);
        this.renamed.push(final);
      });
    } catch (e) {
      this.abort();
      throw new UsageError(`--out ${this.dir}: cannot write the output: ${systemErrorText(e) ?? String(e)}`);
    }
  }

  abort(): void {
    for (const f of this.files) {
      f.closeQuietly();
      rmSync(f.path, { force: true });
    }
    // A failure half-way through the renames must not leave a mix of old and new files.
    for (const p of this.renamed) rmSync(p, { force: true });
    if (this.createdDir !== undefined) rmSync(this.createdDir, { recursive: true, force: true });
  }
}
