/**
 * The counterexample file: the explored scenario's own documents (comments kept) with the shrunk
 * fault schedule added to its actions and the cluster seed pinned, so `kubesim check` on it
 * replays the failing run. Relative paths are rewritten to still point at the original files.
 */
import { type Document, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import { formatDurationMs } from "../engine/duration.js";
import type { ReadFile } from "../scenario/load.js";
import { dirname, joinPath } from "../scenario/paths.js";
import type { Scenario } from "../scenario/types.js";
import { type FaultSchedule, faultEntry, sortedSchedule } from "./schedule.js";

/** What the counterexample is made of. */
export interface CounterexampleInput {
  /** The files explored, as given (their documents are copied in this order). */
  files: readonly string[];
  read: ReadFile;
  scenario: Scenario;
  clusterSeed: number;
  /** The invariants the runs checked: written to spec.invariants so `kubesim check` checks them too. */
  invariants?: readonly string[];
  schedule: FaultSchedule;
  /** A path as the program would open it (relative to its working directory) → as the output file must name it. */
  relocate: (path: string) => string;
  /** Comment lines for the top of the file. */
  header: readonly string[];
}

const isAbsolute = (p: string) => p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p);

/** `-f x.yaml`, `-f=x.yaml`, `--filename x.yaml`, `--filename=x.yaml` in a kubectl command line. */
const FILE_FLAG = /(^|\s)(-f|--filename)(=|\s+)([^\s"']+)/g;

/** The counterexample file's text. */
export function counterexampleYaml(input: CounterexampleInput): string {
  const docs = input.files.flatMap((file) => {
    const text = input.read(file) ?? "";
    return parseAllDocuments(text, { schema: "core", merge: true }) as Document[];
  });
  let scenarioDoc = docs.find((d) => isMap(d.contents) && d.get("kind") === "Scenario");
  if (!scenarioDoc) {
    // Plain manifests ran on the default cluster: a Scenario document says so and carries the faults.
    scenarioDoc = parseAllDocuments(defaultScenarioText(input.scenario))[0] as Document;
    docs.unshift(scenarioDoc);
  }
  const rebase = (p: string) =>
    isAbsolute(p) ? p : input.relocate(joinPath(dirname(input.scenario.file), p));
  relocatePaths(scenarioDoc, rebase);
  scenarioDoc.setIn(["spec", "seed"], input.clusterSeed);
  if (input.invariants && input.invariants.length > 0) {
    scenarioDoc.setIn(["spec", "invariants"], scenarioDoc.createNode([...input.invariants]));
  }
  addFaults(scenarioDoc, input.schedule);
  const first = docs[0]!;
  const header = input.header.map((l) => (l === "" ? "" : ` ${l}`)).join("\n");
  first.commentBefore = first.commentBefore ? `${header}\n\n${first.commentBefore}` : header;
  return docs.map((d) => ensureNewline(d.toString({ flowCollectionPadding: false }))).join("---\n");
}

function defaultScenarioText(s: Scenario): string {
  return [
    "apiVersion: kubesim.dev/v1alpha1",
    "kind: Scenario",
    "metadata:",
    `  name: ${JSON.stringify(s.name)}`,
    "spec:",
    `  until: ${formatDurationMs(s.untilMs)}`,
    "",
  ].join("\n");
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** spec.manifests entries and kubectl `-f` files, rewritten relative to the output file. */
function relocatePaths(doc: Document, rebase: (p: string) => string): void {
  const manifests = doc.getIn(["spec", "manifests"]);
  if (isSeq(manifests)) {
    manifests.items.forEach((item, i) => {
      if (isScalar(item) && typeof item.value === "string") manifests.set(i, rebase(item.value));
    });
  }
  const actions = doc.getIn(["spec", "actions"]);
  if (!isSeq(actions)) return;
  for (const action of actions.items) {
    if (!isMap(action)) continue;
    const line = action.get("kubectl");
    if (typeof line !== "string") continue;
    action.set(
      "kubectl",
      line.replace(FILE_FLAG, (_m, pre, flag, sep, path) => `${pre}${flag}${sep}${rebase(path)}`),
    );
  }
}

function addFaults(doc: Document, schedule: FaultSchedule): void {
  const faults = sortedSchedule(schedule);
  if (!isSeq(doc.getIn(["spec", "actions"]))) doc.setIn(["spec", "actions"], doc.createNode([]));
  faults.forEach((f, i) => {
    const fault = doc.createNode(faultEntry(f), { flow: true });
    const action = doc.createNode({
      at: formatDurationMs(f.atMs),
      fault,
      narrate: `kubesim explore: fault ${i + 1} of ${faults.length} of the shrunk schedule.`,
    });
    doc.addIn(["spec", "actions"], action);
  });
}
