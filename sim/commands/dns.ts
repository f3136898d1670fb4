/** `kubesim dns`: run to a simulated time and resolve a name as a pod's resolver would, printing like `dig +short`. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { type DnsType, resolveDns } from "../../src/cluster/dns.js";
import { EXIT, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadRun, newCluster, parseDuration, parseSeed } from "../options.js";

export interface DnsOptions {
  files: string[];
  atMs?: number;
  seed?: number;
  type: DnsType;
  namespace: string;
}

const DNS_TYPES: readonly DnsType[] = ["A", "SRV"];

const DNS_HELP = `
NAME is resolved as a pod in the namespace -n (default: default) resolves it: names with fewer than
five dots go through the search list <ns>.svc.cluster.local, svc.cluster.local, cluster.local first
(so "web" means web.<ns>.svc.cluster.local); a trailing dot makes a name absolute. Answers are
printed one a line like "dig +short" (A: the address; SRV: priority weight port target). A name
that does not exist prints "** server can't find NAME: NXDOMAIN" on stderr and exits 1. Only
cluster.local names are answered: there is no upstream DNS.`;

function parseType(text: string): DnsType {
  const t = text.toUpperCase();
  if (!(DNS_TYPES as readonly string[]).includes(t)) {
    throw new InvalidArgumentError(`allowed types are ${DNS_TYPES.join(", ")}.`);
  }
  return t as DnsType;
}

/** Prints the answers at `--at` (default: the scenario's end); exit 1 for NXDOMAIN. */
export function dnsCommand(name: string, opts: DnsOptions, io: Io): number {
  if (opts.files.length === 0)
    throw new UsageError("-f FILE is required: the scenario or manifests to simulate");
  if (name === "" || name.length > 253) throw new UsageError(`"${name}" is not a valid DNS name`);
  const scenario = loadRun(opts.files);
  const cluster = newCluster(scenario, { seed: opts.seed });
  cluster.runTo(opts.atMs ?? scenario.untilMs);
  const r = resolveDns(cluster.api, name, { type: opts.type, namespace: opts.namespace });
  if (r.rcode === "NXDOMAIN") {
    io.err(`** server can't find ${name}: NXDOMAIN\n`);
    return EXIT.failed;
  }
  io.out(r.answers.map((a) => `${a.data}\n`).join(""));
  return EXIT.ok;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `kubesim dns NAME -f FILE [--at T] [--type A|SRV] [-n NS] [--seed N]` to the program. */
export function defineDns(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("dns")
    .description("resolve a name with the cluster's DNS at a simulated time, printing like `dig +short`")
    .argument("<name>", "a name such as web, web.default, web-0.web or _http._tcp.web")
    .option("-f, --filename <file>", "scenario or manifest file (repeatable)", collect)
    .addOption(
      new Option("--at <duration>", "the simulated time to look at (default: the scenario's end)").argParser(
        parseDuration,
      ),
    )
    .addOption(new Option("-t, --type <type>", "record type: A or SRV").default("A").argParser(parseType))
    .option("-n, --namespace <ns>", "namespace of the asking pod (its search list)", "default")
    .addOption(
      new Option("--seed <n>", "root seed of the run (default: the scenario's, else 1)").argParser(parseSeed),
    )
    .addHelpText("after", DNS_HELP)
    .action((name: string, o) =>
      setExit(
        dnsCommand(
          name,
          {
            files: (o.filename ?? []) as string[],
            atMs: o.at,
            seed: o.seed,
            type: o.type as DnsType,
            namespace: o.namespace,
          },
          io,
        ),
      ),
    );
}
