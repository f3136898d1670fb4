/**
 * Simulated time ↔ Kubernetes timestamps. Simulated ms 0 is the scenario's epoch
 * (default 2025-01-01T00:00:00Z). metav1.Time has second precision (RFC 3339), as on a real
 * apiserver; metav1.MicroTime (Lease renewTime, Event eventTime) has microseconds.
 * Written without Date so that the library never touches the wall clock.
 */

/** Milliseconds since the Unix epoch of 2025-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_UNIX_MS = 1_735_689_600_000;

function civilFromDays(z0: number): [number, number, number] {
  // Howard Hinnant's days_from_civil inverse.
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

function formatUnixMs(unixMs: number, fractionDigits: 0 | 6): string {
  const totalSec = Math.floor(unixMs / 1000);
  const days = Math.floor(totalSec / 86400);
  const secOfDay = totalSec - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  let frac = "";
  if (fractionDigits === 6) frac = "." + String((unixMs - totalSec * 1000) * 1000).padStart(6, "0");
  // Joined, not a template: V8 keeps a template's pieces (~250 B a timestamp against ~40 B), and
  // objects keep their timestamps.
  return [y, "-", pad2(mo), "-", pad2(d), "T", pad2(hh), ":", pad2(mm), ":", pad2(ss), frac, "Z"].join("");
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

const PARSE_MEMO_SIZE = 4096;
const SECOND_MEMO_SIZE = 64;

/** Converts between simulated milliseconds and timestamps for one epoch. */

export class SimClock {
  // Writes cluster on a few seconds at a time (now, a pod's start, a condition's transition): a
  // small direct-mapped memo of formatted seconds, by second modulo its size.
  private readonly memoSeconds = new Float64Array(SECOND_MEMO_SIZE).fill(Number.NaN);
  private readonly memoTexts: string[] = new Array<string>(SECOND_MEMO_SIZE).fill("");
  private readonly parsed = new Map<string, number>();

  constructor(readonly epochUnixMs: number = DEFAULT_EPOCH_UNIX_MS) {}

  /** metav1.Time: RFC 3339 with whole seconds (the fraction is truncated, as the apiserver does). */
  time(simMs: number): string {
    const second = Math.floor((this.epochUnixMs + simMs) / 1000);
    const i = second & (SECOND_MEMO_SIZE - 1);
    if (this.memoSeconds[i] !== second) {
      this.memoSeconds[i] = second;
      this.memoTexts[i] = formatUnixMs(second * 1000, 0);
    }
    return this.memoTexts[i]!;
  }

  /** metav1.MicroTime: RFC 3339 with six fractional digits. */
  microTime(simMs: number): string {
    const unixMs = this.epochUnixMs + simMs;
    const whole = this.time(simMs);
    const frac = String((unixMs - Math.floor(unixMs / 1000) * 1000) * 1000).padStart(6, "0");
    return [whole.slice(0, -1), ".", frac, "Z"].join("");
  }

  /** Parses an RFC 3339 timestamp into simulated ms (may be negative for times before the epoch). */
  parse(ts: string): number {
    // Controllers parse the same condition timestamps again and again: a bounded memo.
    const known = this.parsed.get(ts);
    if (known !== undefined) return known;
    const ms = parseRfc3339UnixMs(ts);
    if (ms === undefined) throw new Error(`invalid timestamp ${JSON.stringify(ts)}`);
    if (this.parsed.size >= PARSE_MEMO_SIZE) this.parsed.clear();
    this.parsed.set(ts, ms - this.epochUnixMs);
    return ms - this.epochUnixMs;
  }
}

/** Unix milliseconds of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseRfc3339UnixMs(ts: string): number | undefined {
  const m = RFC3339.exec(ts);
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let ms = ((days * 24 + Number(m[4])) * 60 + Number(m[5])) * 60_000 + Number(m[6]) * 1000;
  if (m[7]) ms += Math.floor(Number(`0.${m[7]}`) * 1000);
  if (m[8] && m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const [oh, om] = m[8].slice(1).split(":").map(Number);
    ms -= sign * (oh! * 60 + om!) * 60_000;
  }
  return ms;
}
