/** kubectl's ages (HumanDuration) at every boundary where the format changes. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/api/time.js";
import { ageSince, humanDuration } from "../../src/report/kubectl/index.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe("humanDuration", () => {
  it.each([
    [-2 * S, "<invalid>"],
    [-2 * S + 1, "0s"],
    [0, "0s"],
    [S - 1, "0s"],
    [S, "1s"],
    [45 * S, "45s"],
    [70 * S, "70s"],
    [2 * M - 1, "119s"],
    [2 * M, "2m"],
    [2 * M + S, "2m1s"],
    [190 * S, "3m10s"],
    [5 * M + 30 * S, "5m30s"],
    [10 * M - 1, "9m59s"],
    [10 * M, "10m"],
    [10 * M + S, "10m"],
    [70 * M, "70m"],
    [3 * H - 1, "179m"],
    [3 * H, "3h"],
    [3 * H + M, "3h1m"],
    [8 * H - 1, "7h59m"],
    [8 * H, "8h"],
    [8 * H + 59 * M, "8h"],
    [2 * D - 1, "47h"],
    [2 * D, "2d"],
    [2 * D + H, "2d1h"],
    [51 * H, "2d3h"],
    [8 * D - 1, "7d23h"],
    [8 * D, "8d"],
    [8 * D + 23 * H, "8d"],
    [367 * D, "367d"],
    [2 * Y - 1, "729d"],
    [2 * Y, "2y"],
    [2 * Y + D - 1, "2y"],
    [2 * Y + D, "2y1d"],
    [8 * Y - 1, "7y364d"],
    [8 * Y, "8y"],
    [9 * Y, "9y"],
  ])("%d ms prints as %s", (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe("ageSince", () => {
  const clock = new SimClock();

  it("measures from the whole-second creation timestamp, as the apiserver stores it", () => {
    // Created at 1.5 s → timestamp says 1 s; at 4.9 s the object is 3 s old (3.9 truncated).
    expect(ageSince(clock.time(1500), 4900, clock)).toBe("3s");
  });

  it("prints <unknown> when the timestamp is unset", () => {
    expect(ageSince(undefined, 1000, clock)).toBe("<unknown>");
  });
});
