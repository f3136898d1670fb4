/** The progress bar of explore and sweep (stderr, on a terminal only) and the closing rate line. */
import { performance } from "node:perf_hooks";

const BAR_WIDTH = 30;
/** Redraw at most this often, so the bar costs nothing next to the runs. */
const REDRAW_MS = 100;

export class Progress {
  private readonly startMs = performance.now();
  private lastDrawMs = 0;
  private searchMs: number | undefined;

  constructor(
    private readonly write: (s: string) => void,
    private readonly total: number,
    private readonly tty: boolean,
    private readonly noun = "runs",
  ) {}

  /** `done` of `total` runs finished. */
  update(done: number): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDrawMs < REDRAW_MS && done < this.total) return;
    this.lastDrawMs = now;
    const filled = Math.round((done / this.total) * BAR_WIDTH);
    const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
    this.write(`\r\x1b[K${bar} ${done}/${this.total} ${this.noun}  ${this.rate(done, now)}`);
  }

  private rate(done: number, now: number): string {
    const minutes = (now - this.startMs) / 60_000;
    return minutes > 0 ? `${Math.round(done / minutes)} ${this.noun}/min` : "";
  }

  /** The search is over: say how fast it went (and that shrinking starts, when it does). */
  searchDone(ran: number, threads: number, shrinking = false): void {
    const now = performance.now();
    this.searchMs = now - this.startMs;
    if (this.tty) this.write("\r\x1b[K");
    const seconds = (this.searchMs / 1000).toFixed(1);
    const on = `${threads} thread${threads === 1 ? "" : "s"}`;
    this.write(`${ran} ${this.noun} in ${seconds}s (${this.rate(ran, now)} on ${on})\n`);
    if (shrinking && this.tty) this.write("shrinking the failing schedule...");
  }

  /** Clears the last line the bar drew. */
  end(): void {
    if (this.tty) this.write("\r\x1b[K");
  }
}
