/** `kubesim demo`: lists the narrated teaching demos of scenarios/teaching/, or plays one in the terminal, paced. */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { formatTextRecord, type NarrationLang } from "../../src/report/text.js";
import { closest } from "../../src/scenario/suggest.js";
import { EXIT, UsageError } from "../errors.js";
import { ChunkedWriter, type Io, readInputFile } from "../io.js";
import { loadRun, newCluster, parseSeed } from "../options.js";
import { ReportFiles } from "../report-files.js";

/** One demo file: `07-downward-api.yaml` is number 7, name `downward-api`. */
export interface DemoEntry {
  number: number;
  name: string;
  file: string;
  description: Record<NarrationLang, string>;
}

export interface DemoOptions {
  lang: NarrationLang;
  fast: boolean;
  /** Where the report goes (default reports/NAME/). */
  out?: string;
  seed?: number;
  /** The demo directory (default: this installation's scenarios/teaching/); tests pass their own. */
  dir?: string;
}

/** How playback waits; tests pass one that records instead of sleeping. */
export type Sleep = (ms: number) => void;

/** Simulated milliseconds shown per real millisecond: one simulated minute takes 1.5 s. */
const SPEED = 40;
/** The longest real pause between two records, however long the simulated gap. */
const MAX_GAP_MS = 2500;
/** Reading time for a narration line: per character, within bounds. */
const READ_MS_PER_CHAR: Record<NarrationLang, number> = { en: 35, zh: 110 };
const READ_MIN_MS = 1500;
const READ_MAX_MS = 7000;

const FILE_RE = /^(\d{2})-([a-z0-9-]+)\.yaml$/;

/** scenarios/teaching/ of this installation: next to dist/ when built, next to sim/ from source. */
export function teachingDir(): string {
  for (const rel of ["../../../scenarios/teaching/", "../../scenarios/teaching/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    try {
      if (readdirSync(dir).some((f) => FILE_RE.test(f))) return dir;
    } catch {
      // Not at this level: try the next one.
    }
  }
  throw new UsageError("cannot find the teaching demos (scenarios/teaching/) of this installation");
}

/** A one-line description from the file's header: `# Demo 01 · TEXT` (English) or `# zh: TEXT`. */
function headerLine(text: string, prefix: RegExp): string | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const m = prefix.exec(line);
    if (m) return line.slice(m[0].length).trim() || undefined;
  }
  return undefined;
}

/** Every demo in teaching order, with its one-line English and Chinese descriptions. */
export function listDemos(dir: string = teachingDir()): DemoEntry[] {
  const files = readdirSync(dir)
    .filter((f) => FILE_RE.test(f))
    .sort();
  return files.map((f) => {
    const m = FILE_RE.exec(f)!;
    const file = join(dir, f);
    const text = readInputFile(file) ?? "";
    const en = headerLine(text, /^# Demo \d+ · /) ?? loadRun([file]).description ?? m[2]!;
    return {
      number: Number(m[1]),
      name: m[2]!,
      file,
      description: { en, zh: headerLine(text, /^# zh: /) ?? en },
    };
  });
}

/** Finds a demo by name (`pod-sandbox`), number (`1`, `01`) or file stem (`01-pod-sandbox`). */
export function findDemo(demos: readonly DemoEntry[], query: string): DemoEntry {
  const q = query.replace(/\.yaml$/, "");
  const found = demos.find(
    (d) => d.name === q || basename(d.file, ".yaml") === q || (/^\d+$/.test(q) && d.number === Number(q)),
  );
  if (found) return found;
  const hint = closest(
    q,
    demos.map((d) => d.name),
  );
  throw new UsageError(
    `no demo named "${query}"${hint ? `; did you mean "${hint}"?` : ""}. Run \`kubesim demo\` to list them.`,
  );
}

const TEXT = {
  en: {
    header: "Teaching demos (kubesim demo NAME plays one; --fast skips the pauses; --lang zh for Chinese):",
    pace: "(1 simulated minute ≈ 1.5 s; --fast skips the pauses)",
    pass: (n: number) => `PASS: all ${n} expectations held: the demo proved its point.`,
    fail: (f: number, n: number) => `FAIL: ${f} of ${n} expectations failed.`,
    broken: (n: number) => `FAIL: ${n} invariant violation${n === 1 ? "" : "s"}.`,
    report: (dir: string) => `Report: ${dir}`,
  },
  zh: {
    header: "教学演示（kubesim demo 名称 播放其中一个；--fast 不停顿；--lang en 显示英文）：",
    pace: "（模拟时间 1 分钟 ≈ 1.5 秒；--fast 不停顿）",
    pass: (n: number) => `通过：全部 ${n} 条断言成立，演示的结论得到验证。`,
    fail: (f: number, n: number) => `失败：${n} 条断言中有 ${f} 条不成立。`,
    broken: (n: number) => `失败：${n} 处不变量被违反。`,
    report: (dir: string) => `报告：${dir}`,
  },
} as const;

/** Prints the list: number, name, one-line description in the chosen language. */
export function demoListCommand(lang: NarrationLang, io: Io): number {
  const demos = listDemos();
  const width = Math.max(...demos.map((d) => d.name.length));
  io.out(`${TEXT[lang].header}\n\n`);
  for (const d of demos) {
    io.out(`  ${String(d.number).padStart(2, "0")}  ${d.name.padEnd(width)}  ${d.description[lang]}\n`);
  }
  return EXIT.ok;
}

/** Real time to wait before showing `rec`, the previous record having been at `prevMs`. */
export function pauseBeforeMs(prevMs: number, rec: TimelineRecord): number {
  return Math.min((rec.t - prevMs) / SPEED, MAX_GAP_MS);
}

/** Real time to leave a narration line on screen before the next record. */
export function readingMs(text: string, lang: NarrationLang): number {
  return Math.min(Math.max(text.length * READ_MS_PER_CHAR[lang], READ_MIN_MS), READ_MAX_MS);
}

/** Blocks the (synchronous) program for `ms` of real time: pacing lives only in sim/. */
const realSleep: Sleep = (ms) => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.round(ms));
};

/** Runs the demo, writes its report, then plays the timeline (paced unless --fast); exit 1 if an expectation failed. */
export function demoPlayCommand(query: string, opts: DemoOptions, io: Io, sleep: Sleep = realSleep): number {
  const demo = findDemo(listDemos(opts.dir), query);
  const scenario = loadRun([demo.file]);
  const records: TimelineRecord[] = [];
  const dir = opts.out ?? join("reports", demo.name);
  const report = new ReportFiles(dir, scenario, { lang: opts.lang });
  let summary: ReturnType<ReturnType<typeof newCluster>["run"]>;
  try {
    summary = newCluster(scenario, {
      seed: opts.seed,
      sink: (rec) => {
        records.push(rec);
        report.sink(rec);
      },
    }).run();
  } catch (e) {
    report.abort();
    throw e;
  }
  report.commit();
  play(demo, records, opts, io, sleep);
  const t = TEXT[opts.lang];
  const total = summary.expectations.length;
  const failed = summary.expectations.filter((e) => !e.ok).length;
  // As `check`: a broken invariant (spec.invariants) fails the demo too.
  const broken = summary.violations.length;
  const verdict = failed === 0 ? t.pass(total) : t.fail(failed, total);
  io.out(`\n${verdict}${broken > 0 ? ` ${t.broken(broken)}` : ""} ${t.report(`${dir}/`)}\n`);
  return failed === 0 && broken === 0 ? EXIT.ok : EXIT.failed;
}

function play(
  demo: DemoEntry,
  records: readonly TimelineRecord[],
  opts: DemoOptions,
  io: Io,
  sleep: Sleep,
): void {
  const t = TEXT[opts.lang];
  const number = String(demo.number).padStart(2, "0");
  io.out(`kubesim demo ${number} ${demo.name}: ${demo.description[opts.lang]}\n`);
  if (opts.fast) {
    const out = new ChunkedWriter(io.out);
    out.write("\n");
    for (const rec of records) out.write(`${formatTextRecord(rec, { lang: opts.lang })}\n`);
    out.flush();
    return;
  }
  io.out(`${t.pace}\n\n`);
  let prevMs = 0;
  for (const rec of records) {
    sleep(pauseBeforeMs(prevMs, rec));
    prevMs = rec.t;
    const line = formatTextRecord(rec, { lang: opts.lang });
    io.out(`${line}\n`);
    if (rec.type === "narrate") sleep(readingMs(line, opts.lang));
  }
}

function parseLang(text: string): NarrationLang {
  if (text !== "en" && text !== "zh") throw new InvalidArgumentError("allowed languages are en, zh.");
  return text;
}

const DEMO_HELP = `
Without NAME, lists the demos. With NAME (a name like pod-sandbox, or its number), runs that demo,
writes its report (the files of \`run --out\`) to reports/NAME/ (or --out DIR), and plays the
timeline in the terminal with its narration, one simulated minute in about 1.5 s of real time.
Exits 1 when one of the demo's expectations failed, as \`check\` does.`;

/** Adds `kubesim demo [NAME] [--lang en|zh] [--fast] [--out DIR] [--seed N]` to the program. */
export function defineDemo(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("demo")
    .description("list the narrated teaching demos, or play one in the terminal")
    .argument("[name]", "the demo to play: its name or number")
    .addOption(new Option("--lang <lang>", "narration language: en or zh").default("en").argParser(parseLang))
    .option("--fast", "print the whole timeline at once, without pauses")
    .option("--out <dir>", "write the report here instead of reports/NAME/")
    .addOption(new Option("--seed <n>", "root seed of the run (default: the demo's)").argParser(parseSeed))
    .addHelpText("after", DEMO_HELP)
    .action((name: string | undefined, o) => {
      const lang = o.lang as NarrationLang;
      if (name === undefined) return setExit(demoListCommand(lang, io));
      setExit(demoPlayCommand(name, { lang, fast: o.fast === true, out: o.out, seed: o.seed }, io));
    });
}
