/** Compares a timeline with its pinned golden file, or rewrites the file with UPDATE_GOLDEN=1. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Asserts `actual` equals the golden file byte for byte (lines first, so a diff shows which records). */
export function expectGolden(actual: string, goldenPath: string): void {
  if (UPDATE) {
    writeFileSync(goldenPath, actual);
    return;
  }
  if (!existsSync(goldenPath)) {
    throw new Error(`${goldenPath} is missing: create it with UPDATE_GOLDEN=1 npx vitest run test/golden`);
  }
  const want = readFileSync(goldenPath, "utf8");
  expect(actual.split("\n")).toEqual(want.split("\n"));
  expect(actual).toBe(want);
}
