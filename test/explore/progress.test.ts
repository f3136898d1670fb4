// The progress bar draws on a terminal only; piped, explore and sweep print just the closing rate line.
import { describe, expect, test } from "vitest";
import { Progress } from "../../sim/commands/progress.js";

describe("Progress", () => {
  test("piped: no bar, one rate line when the search ends", () => {
    let text = "";
    const p = new Progress((s) => void (text += s), 10, false);
    for (let i = 1; i <= 10; i++) p.update(i);
    p.searchDone(10, 2, true);
    p.end();
    expect(text).toMatch(/^10 runs in \d+\.\ds \(\d+ runs\/min on 2 threads\)\n$/);
  });

  test("on a terminal: a bar redrawn in place, cleared at the end", () => {
    let text = "";
    const p = new Progress((s) => void (text += s), 4, true);
    p.update(4);
    expect(text.startsWith(`\r\u001b[K${"█".repeat(30)} 4/4 runs`)).toBe(true);
    p.searchDone(4, 1, true);
    expect(text).toContain("shrinking the failing schedule...");
    p.end();
    expect(text.endsWith("\r\x1b[K")).toBe(true);
  });
});
