/** The command line: commander definitions of run, check, get, describe and rollout, and their exit codes. */
import { Command, InvalidArgumentError, Option } from "commander";
import { INVARIANT_NAMES, isInvariantName } from "../src/invariants/names.js";
import { checkCommand } from "./commands/check.js";
import { defineDemo } from "./commands/demo.js";
import { describeCommand } from "./commands/describe.js";
import { defineDns } from "./commands/dns.js";
import { defineExplore } from "./commands/explore.js";
import { GET_OUTPUTS, type GetOutput, getCommand } from "./commands/get.js";
import { rolloutHistoryCommand, rolloutStatusCommand } from "./commands/rollout.js";
import { runCommand, STREAM_FORMATS, type StreamFormat } from "./commands/run.js";
import { defineSweep } from "./commands/sweep.js";
import { EXIT, reportError } from "./errors.js";
import type { Io } from "./io.js";
import { parseDuration, parseSeed } from "./options.js";
import { REPORT_FILES } from "./report-files.js";

function parseFormat(text: string): StreamFormat {
  if (!(STREAM_FORMATS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`allowed formats are ${STREAM_FORMATS.join(", ")}.`);
  }
  return text as StreamFormat;
}

function parseOutput(text: string): GetOutput {
  if (!(GET_OUTPUTS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`allowed formats are ${GET_OUTPUTS.join(", ")}.`);
  }
  return text as GetOutput;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--show-events=false`: kubectl's boolean flag syntax. */
function parseBool(text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new InvalidArgumentError("expected true or false.");
}

/** `--revision N`: an integer (kubectl refuses negative ones with its own message). */
function parseRevision(text: string): number {
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError("expected a revision number, like 2.");
  }
  return Number(text);
}

/** `--invariants NAMES`: all (every built-in invariant) or a comma-separated list of them. */
function parseInvariants(text: string): readonly string[] {
  const names = text.split(",").map((n) => n.trim());
  if (names.includes("all")) return INVARIANT_NAMES;
  const unknown = names.find((n) => !isInvariantName(n));
  if (unknown !== undefined)
    throw new InvalidArgumentError(
      `unknown invariant "${unknown}"; known: ${INVARIANT_NAMES.join(", ")}, all.`,
    );
  return names;
}

const invariantsOption = () =>
  new Option(
    "--invariants <names>",
    `also check invariants: all, or a comma-separated list of ${INVARIANT_NAMES.join(", ")}`,
  ).argParser(parseInvariants);

const seedOption = () =>
  new Option("--seed <n>", "root seed of the run (default: the scenario's, else 1)").argParser(parseSeed);
const untilOption = () =>
  new Option(
    "--until <duration>",
    "simulate until this time, e.g. 90s, 5m, 1h30m (default: the scenario's)",
  ).argParser(parseDuration);

const RUN_HELP = `
Without --out the timeline streams to stdout: text, jsonl, trace (Chrome trace event format,
opens in https://ui.perfetto.dev) or html (one self-contained report page, --lang en|zh); summary
prints only the end of the text timeline (expectations, recovery summaries, the end line) and the
record counts, keeping nothing else (for very large runs). With --out DIR, ${REPORT_FILES.join(", ")} are written there,
appearing together and only once complete. Exits 1 when an expectation of the scenario failed.`;

const GET_HELP = `
KIND is what kubectl accepts: pods, po, deployments, deploy, nodes, rs, sts, svc, events, ... A
comma-separated list, KIND/NAME pairs, KIND NAME... and "all" work as in kubectl. Exits 1 when a
named object does not exist (as kubectl does).`;

const DESCRIBE_HELP = `
KIND is what kubectl accepts (pods, deploy, rs, sts, nodes, ...): KIND NAME..., KIND/NAME..., or
KIND alone for every object of the kind. As kubectl, a NAME that matches no object is tried as a
name prefix, and events are shown only when one object is described (--show-events overrides).
The Pod's "Sandbox (kubesim)" section is kubesim's own: the Linux namespaces its containers share.
Exits 1 when a named object does not exist.`;

const ROLLOUT_HELP = `
Real kubectl waits for the rollout to finish; kubesim prints the status at the simulated time --at
(default: the scenario's end). With --watch it follows the rollout from there, printing the status
at every change of the object until it is done, fails, or --timeout (default: the scenario's end)
passes. Exits 1 when kubectl would fail: the rollout exceeded its progress deadline, --revision is
not the running revision, the object does not exist, or the watch timed out.`;

type SetExit = (code: number | Promise<number>) => void;

function defineRun(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("run")
    .description("simulate the scenario and print its timeline")
    .argument("<file...>", "scenario and/or manifest files")
    .addOption(seedOption())
    .addOption(untilOption())
    .addOption(
      new Option("--format <format>", `stdout format: ${STREAM_FORMATS.join(", ")}`)
        .default("text")
        .argParser(parseFormat),
    )
    .option("--out <dir>", "write the report files into this directory instead")
    .addOption(
      new Option("--lang <lang>", "language of the narration in the text timeline and of report.html")
        .choices(["en", "zh"])
        .default("en"),
    )
    .option(
      "--explain-scheduling",
      "record each node's filter verdict and score for every scheduling attempt",
    )
    .addHelpText("after", RUN_HELP)
    .action((files: string[], o) =>
      setExit(
        runCommand(
          files,
          {
            seed: o.seed,
            untilMs: o.until,
            format: o.format,
            out: o.out,
            lang: o.lang,
            explainScheduling: o.explainScheduling === true,
          },
          io,
        ),
      ),
    );
}

function defineCheck(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("check")
    .description("run the scenario and report its expectations; exit 1 if any failed")
    .argument("<file...>", "scenario and/or manifest files")
    .addOption(seedOption())
    .addOption(untilOption())
    .addOption(invariantsOption())
    .action((files: string[], o) =>
      setExit(checkCommand(files, { seed: o.seed, untilMs: o.until, invariants: o.invariants }, io)),
    );
}

function defineGet(program: Command, io: Io, setExit: SetExit): void {
  const at = new Option("--at <duration>", "the simulated time to look at (default: the scenario's end)");
  program
    .command("get")
    .description("print the objects as `kubectl get` would show them at a simulated time")
    .argument("<kind>", "KIND, KIND/NAME or KIND,KIND2")
    .argument("[names...]", "object names, or more KIND/NAME pairs")
    .option("-f, --filename <file>", "scenario or manifest file (repeatable)", collect)
    .addOption(at.argParser(parseDuration))
    .addOption(new Option("-o, --output <format>", "wide, yaml or json").argParser(parseOutput))
    .option("-n, --namespace <ns>", "namespace of namespaced kinds", "default")
    .option("-A, --all-namespaces", "list across all namespaces")
    .addOption(seedOption())
    .addHelpText("after", GET_HELP)
    .action((kind: string, names: string[], o) => {
      const opts = {
        files: (o.filename ?? []) as string[],
        atMs: o.at,
        seed: o.seed,
        output: o.output,
        namespace: o.namespace,
        allNamespaces: o.allNamespaces === true,
      };
      setExit(getCommand([kind, ...names], opts, io));
    });
}

function defineDescribe(program: Command, io: Io, setExit: SetExit): void {
  const at = new Option("--at <duration>", "the simulated time to look at (default: the scenario's end)");
  program
    .command("describe")
    .description("print the objects as `kubectl describe` would show them at a simulated time")
    .argument("<kind>", "KIND, KIND/NAME or KIND,KIND2")
    .argument("[names...]", "object names (or name prefixes), or more KIND/NAME pairs")
    .option("-f, --filename <file>", "scenario or manifest file (repeatable)", collect)
    .addOption(at.argParser(parseDuration))
    .option("-n, --namespace <ns>", "namespace of namespaced kinds", "default")
    .option("-A, --all-namespaces", "describe across all namespaces")
    .addOption(
      new Option(
        "--show-events [bool]",
        "show events (default: only when one object is described)",
      ).argParser(parseBool),
    )
    .addOption(seedOption())
    .addHelpText("after", DESCRIBE_HELP)
    .action((kind: string, names: string[], o) => {
      const opts = {
        files: (o.filename ?? []) as string[],
        atMs: o.at,
        seed: o.seed,
        namespace: o.namespace,
        allNamespaces: o.allNamespaces === true,
        showEvents: o.showEvents as boolean | undefined,
      };
      setExit(describeCommand([kind, ...names], opts, io));
    });
}

function defineRollout(program: Command, io: Io, setExit: SetExit): void {
  const rollout = program
    .command("rollout")
    .description("print what `kubectl rollout status|history` would show at a simulated time");
  const common = (cmd: Command) =>
    cmd
      .argument("<resource>", "KIND/NAME, or KIND followed by NAME")
      .argument("[name]", "the object's name")
      .option("-f, --filename <file>", "scenario or manifest file (repeatable)", collect)
      .addOption(
        new Option(
          "--at <duration>",
          "the simulated time to look at (default: the scenario's end)",
        ).argParser(parseDuration),
      )
      .option("-n, --namespace <ns>", "namespace of the object", "default")
      .addOption(seedOption())
      .addHelpText("after", ROLLOUT_HELP);
  const options = (o: Record<string, any>) => ({
    files: (o.filename ?? []) as string[],
    atMs: o.at as number | undefined,
    seed: o.seed as number | undefined,
    namespace: o.namespace as string,
    revision: o.revision as number | undefined,
    watch: o.watch === true,
    timeoutMs: o.timeout as number | undefined,
  });
  common(rollout.command("status").description("print the rollout status message at a simulated time"))
    .addOption(
      new Option("--revision <n>", "pin to a revision: fail if another is running").argParser(parseRevision),
    )
    .option("-w, --watch", "follow the rollout in simulated time until it is done")
    .addOption(
      new Option(
        "--timeout <duration>",
        "with --watch: give up after this long (default: at the scenario's end)",
      ).argParser(parseDuration),
    )
    .action((resource: string, name: string | undefined, o) =>
      setExit(rolloutStatusCommand(name === undefined ? [resource] : [resource, name], options(o), io)),
    );
  common(rollout.command("history").description("print the rollout history (or one revision's pod template)"))
    .addOption(
      new Option("--revision <n>", "print the pod template of this revision").argParser(parseRevision),
    )
    .action((resource: string, name: string | undefined, o) =>
      setExit(rolloutHistoryCommand(name === undefined ? [resource] : [resource, name], options(o), io)),
    );
}

/**
 * Parses argv (without node and the script), runs the command, and returns the exit code (a
 * promise of it for commands that run on worker threads: explore, sweep).
 */
export function runProgram(
  argv: readonly string[],
  io: Io,
  opts: { version: string; debug: boolean },
): number | Promise<number> {
  const program = new Command("kubesim")
    .description("A deterministic discrete-event simulator of a Kubernetes cluster")
    .version(opts.version)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let code: number | Promise<number> = EXIT.ok;
  // Sub-commands copy exitOverride and the output settings from the program as they are defined.
  const setExit: SetExit = (c) => {
    code = c;
  };
  defineRun(program, io, setExit);
  defineCheck(program, io, setExit);
  defineGet(program, io, setExit);
  defineDns(program, io, setExit);
  defineDescribe(program, io, setExit);
  defineRollout(program, io, setExit);
  defineExplore(program, io, setExit);
  defineSweep(program, io, setExit);
  defineDemo(program, io, setExit);
  try {
    program.parse([...argv], { from: "user" });
    // Set by the command's action, which TypeScript's flow analysis does not see.
    const result = code as number | Promise<number>;
    if (typeof result !== "number") return result.catch((e: unknown) => reportError(e, io.err, opts.debug));
    return result;
  } catch (e) {
    return reportError(e, io.err, opts.debug);
  }
}
