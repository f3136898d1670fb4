/** Ages and "time ago" cells exactly as kubectl prints them (apimachinery `duration.HumanDuration`). */
import type { SimClock } from "../../api/time.js";

/** What the printers need of the clock: RFC 3339 timestamps back to simulated ms. */
export type TimestampParser = Pick<SimClock, "parse">;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * A duration with ~2-3 significant figures: `45s`, `119s`, `2m`, `5m30s`, `10m`, `3h`, `7h59m`,
 * `47h`, `2d3h`, `8d`, `2y45d`. Go truncates every division toward zero, so this does too; up to
 * one second in the future counts as "now" (`0s`), further is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND_MS);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE_MS);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR_MS);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * kubectl's `translateTimestampSince`: the age of a timestamp at `nowMs`, `<unknown>` when unset.
 * Timestamps carry whole seconds (metav1.Time), so an object created at 1.5 s is 3 s old at 4.9 s.
 */
export function ageSince(
  timestamp: string | null | undefined,
  nowMs: number,
  clock: TimestampParser,
): string {
  if (!timestamp) return "<unknown>";
  return humanDuration(nowMs - clock.parse(timestamp));
}
