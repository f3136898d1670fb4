/**
 * How the kubesim program sizes V8's heap. A simulation's objects mostly stay alive (stored
 * objects, Events kept for their hour), so V8's default growth — up to 2–4× the live heap before
 * the next full collection — makes the peak RSS more than twice the live data at scale. A
 * smaller growth step costs a few more full collections and keeps the peak near the live heap.
 */
import { setFlagsFromString } from "node:v8";

/** The old generation may grow this many percent past the live heap before a full collection. */
export const HEAP_GROWING_PERCENT = 30;

/** The V8 flags kubesim sets: none when the user gave node a growth step of their own. */
export function heapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  const own = given.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
  return own ? [] : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}

/** Applies `heapFlags` to this process (its worker threads share them). */
export function tuneHeap(): void {
  for (const flag of heapFlags(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
}
