/** Checks a trace.json against the trace event format's rules (required fields, paired async slices, metadata). */
import type { TraceEvent } from "../../src/report/trace.js";

/** The problems found (empty when the trace is valid). */
export function traceProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const d = doc as { traceEvents?: unknown; displayTimeUnit?: unknown };
  if (!Array.isArray(d.traceEvents)) return ["traceEvents is not an array"];
  if (d.displayTimeUnit !== "ms" && d.displayTimeUnit !== "ns")
    problems.push("displayTimeUnit is not ms or ns");
  const events = d.traceEvents as TraceEvent[];
  const named = new Set<number>();
  const used = new Set<number>();
  events.forEach((e, i) => {
    for (const f of ["name", "ph"] as const)
      if (typeof e[f] !== "string") problems.push(`event ${i}: no ${f}`);
    for (const f of ["ts", "pid", "tid"] as const)
      if (typeof e[f] !== "number" || !Number.isFinite(e[f])) problems.push(`event ${i}: no numeric ${f}`);
    if (e.ph === "M" && e.name === "process_name") named.add(e.pid);
    else used.add(e.pid);
    if ((e.ph === "b" || e.ph === "e" || e.ph === "n") && (e.id === undefined || e.cat === undefined))
      problems.push(`event ${i}: async event without id or cat`);
    if (
      e.ph === "C" &&
      (typeof e.args !== "object" || Object.values(e.args).some((v) => typeof v !== "number"))
    )
      problems.push(`event ${i}: counter without numeric args`);
  });
  for (const pid of used) if (!named.has(pid)) problems.push(`pid ${pid} has no process_name metadata`);
  problems.push(...asyncProblems(events));
  return problems;
}

/** Begin/end pairs per (pid, cat, id), nested: each end closes the innermost open slice of the same name. */
function asyncProblems(events: TraceEvent[]): string[] {
  const problems: string[] = [];
  const sorted = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.ph === "b" || e.ph === "e")
    .sort((a, b) => a.e.ts - b.e.ts || a.i - b.i);
  const stacks = new Map<string, TraceEvent[]>();
  for (const { e } of sorted) {
    const key = `${e.pid}/${e.cat}/${e.id}`;
    const stack = stacks.get(key) ?? [];
    stacks.set(key, stack);
    if (e.ph === "b") stack.push(e);
    else if (stack.at(-1)?.name !== e.name)
      problems.push(`${key}: end of ${e.name} at ${e.ts} does not close ${stack.at(-1)?.name}`);
    else stack.pop();
  }
  for (const [key, stack] of stacks)
    if (stack.length > 0) problems.push(`${key}: ${stack.length} slice(s) never end`);
  return problems;
}
