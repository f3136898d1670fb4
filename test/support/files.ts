/** Test support: reading files of this repository, and running a scenario file to its end. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Cluster } from "../../src/cluster/cluster.js";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A file of the repository by its path from the root; undefined when it does not exist. */
export function readRepoFile(path: string): string | undefined {
  try {
    return readFileSync(join(ROOT, path), "utf8");
  } catch {
    return undefined;
  }
}

/** Runs a scenario file (path from the repository root) to its end or `untilMs`, collecting the timeline. */
export function runFile(file: string, untilMs?: number) {
  const records: TimelineRecord[] = [];
  const c = new Cluster(loadScenario([file], readRepoFile), { sink: (r) => records.push(r) });
  const summary = c.run(untilMs);
  return { c, records, summary };
}
