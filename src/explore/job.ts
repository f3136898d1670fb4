/**
 * `kubesim explore --emit-indexed-job N`: a ConfigMap with the scenario files and an Indexed Job
 * whose pod i runs shard i/N (JOB_COMPLETION_INDEX), printing its result as one JSON line.
 */
import { stringify } from "yaml";
import { exploreFlags } from "./report.js";
import type { ExploreResult } from "./result.js";

/** What the Job runs and on what. */
export interface JobInput {
  /** The exploration (its shard is ignored: the Job runs all of them). */
  result: Pick<ExploreResult, "scenario" | "seed" | "runs" | "jitter" | "invariants" | "space">;
  /** File name in the ConfigMap → its text. */
  files: { name: string; text: string }[];
  completions: number;
  parallelism: number;
  image: string;
}

/** The mount point of the scenario files in the pod. */
export const JOB_SCENARIO_DIR = "/scenario";

/** A DNS-1123 name from `kubesim-explore-<scenario>`, at most 63 characters. */
export function jobName(scenario: string): string {
  const clean = `kubesim-explore-${scenario}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 63);
  return clean.replace(/-+$/, "");
}

/** The shell command of the pod: exit 1 (a violation found) is a result, not a failed pod. */
function podScript(input: JobInput): string {
  const files = input.files.map((f) => `${JOB_SCENARIO_DIR}/${f.name}`);
  const flags = exploreFlags({
    ...input.result,
    files,
    shard: null,
    runsHeld: 0,
    failure: null,
  } as ExploreResult);
  const words = ["kubesim", "explore", ...files, ...flags].map((w) => `'${w.replaceAll("'", `'\\''`)}'`);
  return [
    `${words.join(" ")} --workers 1 --shard "$JOB_COMPLETION_INDEX/${input.completions}" --json -`,
    'code=$?; [ "$code" -le 1 ] || exit "$code"',
  ].join("\n");
}

/** The ConfigMap and the Job, as a multi-document YAML stream. */
export function indexedJobYaml(input: JobInput): string {
  const name = jobName(input.result.scenario);
  const labels = { "app.kubernetes.io/name": "kubesim", "app.kubernetes.io/component": "explore" };
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, labels },
    data: Object.fromEntries(input.files.map((f) => [f.name, f.text])),
  };
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, labels },
    spec: {
      completionMode: "Indexed",
      completions: input.completions,
      parallelism: input.parallelism,
      backoffLimit: input.completions,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "explore",
              image: input.image,
              command: ["sh", "-c", podScript(input)],
              resources: { requests: { cpu: "1", memory: "512Mi" } },
              volumeMounts: [{ name: "scenario", mountPath: JOB_SCENARIO_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: "scenario", configMap: { name } }],
        },
      },
    },
  };
  const opts = { lineWidth: 0, aliasDuplicateObjects: false };
  return `${stringify(configMap, opts)}---\n${stringify(job, opts)}`;
}
