/** The crash-loop and image-pull back-off: flowcontrol.Backoff with the kubelet's 10 s / 300 s. */
import { describe, expect, test } from "vitest";
import { Backoff } from "../../src/kubelet/backoff.js";
import { formatGoDuration } from "../../src/kubelet/messages.js";

describe("Backoff", () => {
  test("successive bumps give 10, 20, 40, 80, 160, 300, 300 s", () => {
    const b = new Backoff();
    const series: number[] = [];
    let t = 0;
    for (let i = 0; i < 7; i++) {
      b.next("c", t, t);
      series.push(b.get("c") / 1000);
      t += 1000;
    }
    expect(series).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  test("a container that exited less than the back-off ago is in back-off; later it is not", () => {
    const b = new Backoff();
    b.next("c", 0, 0);
    expect(b.isInBackOffSince("c", 1_000, 5_000)).toBe(true);
    expect(b.isInBackOffSince("c", 1_000, 10_999)).toBe(true);
    expect(b.isInBackOffSince("c", 1_000, 11_000)).toBe(false);
  });

  test("an unknown key is never in back-off (the first restart is immediate)", () => {
    expect(new Backoff().isInBackOffSince("c", 0, 0)).toBe(false);
  });

  test("the back-off resets after 10 min without a bump (2 × the 5 min cap)", () => {
    const b = new Backoff();
    for (let i = 0; i < 5; i++) b.next("c", i, i);
    expect(b.get("c")).toBe(160_000);
    // Ran for just over 10 minutes since the last bump: a fresh entry.
    const later = 4 + 600_001;
    expect(b.isInBackOffSince("c", later, later)).toBe(false);
    b.next("c", later, later);
    expect(b.get("c")).toBe(10_000);
    // Exactly 10 minutes is not yet expired.
    const c = new Backoff();
    c.next("k", 0, 0);
    c.next("k", 600_000, 600_000);
    expect(c.get("k")).toBe(20_000);
  });

  test("IsInBackOffSinceUpdate counts from the last bump (image pulls)", () => {
    const b = new Backoff();
    b.next("i", 5_000, 5_000);
    expect(b.isInBackOffSinceUpdate("i", 14_999)).toBe(true);
    expect(b.isInBackOffSinceUpdate("i", 15_000)).toBe(false);
  });

  test("back-off durations print as Go does in the waiting message", () => {
    expect([10_000, 20_000, 40_000, 80_000, 160_000, 300_000].map(formatGoDuration)).toEqual([
      "10s",
      "20s",
      "40s",
      "1m20s",
      "2m40s",
      "5m0s",
    ]);
  });
});
