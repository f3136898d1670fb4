/** The command line: commander definitions of run, check and get, and their exit codes. */
import { Command, InvalidArgumentError, Option } from "commander";
import { checkCommand } from "./commands/check.js";
import { defineDns } from "./commands/dns.js";
import { GET_OUTPUTS, type GetOutput, getCommand } from "./commands/get.js";
import { LATER_FORMATS, runCommand, STREAM_FORMATS, type StreamFormat } from "./commands/run.js";
import { EXIT, reportError } from "./errors.js";
import type { Io } from "./io.js";
import { parseDuration, parseSeed } from "./options.js";

function parseFormat(text: string): StreamFormat {
  if ((LATER_FORMATS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(
      `the ${text} output is not available yet (trace.json and report.html come in a later version); ` +
        `use ${STREAM_FORMATS.join(" or ")}.`,
    );
  }
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

const seedOption = () =>
  new Option("--seed <n>", "root seed of the run (default: the scenario's, else 1)").argParser(parseSeed);
const untilOption = () =>
  new Option(
    "--until <duration>",
    "simulate until this time, e.g. 90s, 5m, 1h30m (default: the scenario's)",
  ).argParser(parseDuration);

const RUN_HELP = `
Without --out the timeline streams to stdout. With --out DIR, timeline.jsonl and timeline.txt are
written there, each appearing only once complete. trace.json (Perfetto) and report.html come in a
later version of kubesim. Exits 1 when an expectation of the scenario failed.`;

const GET_HELP = `
KIND is what kubectl accepts: pods, po, deployments, deploy, nodes, rs, sts, svc, events, ... A
comma-separated list, KIND/NAME pairs, KIND NAME... and "all" work as in kubectl. Exits 1 when a
named object does not exist (as kubectl does).`;

type SetExit = (code: number) => void;

function defineRun(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("run")
    .description("simulate the scenario and print its timeline")
    .argument("<file...>", "scenario and/or manifest files")
    .addOption(seedOption())
    .addOption(untilOption())
    .addOption(
      new Option("--format <format>", "stdout format: text or jsonl").default("text").argParser(parseFormat),
    )
    .option("--out <dir>", "write timeline.jsonl and timeline.txt into this directory instead")
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
    .action((files: string[], o) => setExit(checkCommand(files, { seed: o.seed, untilMs: o.until }, io)));
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

/** Parses argv (without node and the script), runs the command, and returns the exit code. */
export function runProgram(
  argv: readonly string[],
  io: Io,
  opts: { version: string; debug: boolean },
): number {
  const program = new Command("kubesim")
    .description("A deterministic discrete-event simulator of a Kubernetes cluster")
    .version(opts.version)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let code: number = EXIT.ok;
  // Sub-commands copy exitOverride and the output settings from the program as they are defined.
  const setExit: SetExit = (c) => {
    code = c;
  };
  defineRun(program, io, setExit);
  defineCheck(program, io, setExit);
  defineGet(program, io, setExit);
  defineDns(program, io, setExit);
  try {
    program.parse([...argv], { from: "user" });
    return code;
  } catch (e) {
    return reportError(e, io.err, opts.debug);
  }
}
