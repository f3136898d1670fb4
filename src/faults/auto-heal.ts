/** The automatic heal of a fault's `for:` duration, recorded on the timeline as a `heal` action. */
import type { SimContext } from "../api/context.js";
import { formatDurationMs } from "../engine/duration.js";
import type { TimerId } from "../engine/engine.js";

/**
 * After `forMs`, records `heal` (with `args` and "`what` healed after … (for: …)") and runs `heal`.
 * Returns the timer, which the fault cancels when it is healed explicitly first.
 */
export function scheduleAutoHeal(
  ctx: SimContext,
  forMs: number,
  args: Record<string, unknown>,
  what: string,
  heal: () => void,
): TimerId {
  return ctx.engine.after(forMs, () => {
    const d = formatDurationMs(forMs);
    ctx.record({
      t: ctx.engine.nowMs,
      type: "action",
      action: "heal",
      args: JSON.stringify(args),
      output: `${what} healed after ${d} (for: ${d})`,
    });
    heal();
  });
}
