import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelineRecord } from "../../src/cluster/records.js";
import { htmlWriter } from "../../src/report/html/index.js";
import { scenarioInfo } from "../../src/report/scenario-info.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { readRepoFile, runFile } from "../support/files.js";

const CHROMIUM = "/usr/bin/chromium";
/** The pages and screenshots of the last run stay here to be looked at (overwritten by the next run). */
const dir = join(tmpdir(), "kubesim-report-html");
mkdirSync(dir, { recursive: true });
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);
afterAll(async () => browser?.close());

/** Writes the report of a run and opens it; `problems` collects console errors, page errors and requests. */
async function open(name: string, scenario: Scenario, records: TimelineRecord[], lang: "en" | "zh" = "en") {
  let html = "";
  const sink = htmlWriter((c) => (html += c), scenario, lang, scenarioInfo(scenario));
  for (const r of records) sink(r);
  sink.close();
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) problems.push(`network request: ${r.url()}`);
  });
  const started = performance.now();
  await page.goto(`file://${file}`);
  await page.waitForSelector(".pod-bar, #gantt svg");
  return { page, problems, html, loadMs: performance.now() - started };
}

function fileRun(file: string) {
  const { records } = runFile(file);
  return { scenario: loadScenario([file], readRepoFile), records };
}

/** Moves the time slider as a user would (an input event), then waits for the next frame. */
async function setSlider(page: Page, ms: number): Promise<void> {
  await page.locator("#slider").fill(String(ms));
  await page.waitForFunction(`document.getElementById("slider").value === "${ms}"`);
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
}

/** Records of a synthetic run: `n` pods on 10 nodes over 4 minutes, in two ReplicaSets (a rollout). */
function syntheticRecords(n: number): TimelineRecord[] {
  const recs: TimelineRecord[] = [];
  const pod = (
    t: number,
    verb: "ADDED" | "MODIFIED" | "DELETED",
    i: number,
    state: Record<string, unknown>,
  ) => {
    const rs = i < n / 2 ? "web-aaaaa" : "web-bbbbb";
    recs.push({
      t,
      type: "object",
      verb,
      kind: "Pod",
      namespace: "default",
      name: `${rs}-${i}`,
      state: { owner: `ReplicaSet/${rs}`, restarts: 0, ...state },
    });
  };
  for (let k = 1; k <= 10; k++)
    recs.push({
      t: 0,
      type: "object",
      verb: "ADDED",
      kind: "Node",
      name: `node-${k}`,
      state: { ready: "True", unschedulable: false, taints: [] },
    });
  recs.push({
    t: 0,
    type: "object",
    verb: "ADDED",
    kind: "Deployment",
    namespace: "default",
    name: "web",
    state: { availableReplicas: 0 },
  });
  for (const rs of ["web-aaaaa", "web-bbbbb"])
    recs.push({
      t: 0,
      type: "object",
      verb: "ADDED",
      kind: "ReplicaSet",
      namespace: "default",
      name: rs,
      state: { replicas: 0, revision: rs.endsWith("a") ? "1" : "2" },
    });
  for (let i = 0; i < n; i++) {
    const start = i < n / 2 ? i * 20 : 60_000 + (i - n / 2) * 200;
    const node = `node-${(i % 10) + 1}`;
    pod(start, "ADDED", i, { phase: "Pending", node: null, ready: false });
    pod(start + 10, "MODIFIED", i, { phase: "Pending", node, ready: false });
    pod(start + 2000, "MODIFIED", i, { phase: "Running", node, ready: false });
    pod(start + 5000, "MODIFIED", i, { phase: "Running", node, ready: true });
    if (i < n / 2) {
      pod(70_000 + i * 200, "MODIFIED", i, { phase: "Running", node, ready: true, deleting: true });
      pod(100_000 + i * 200, "DELETED", i, { phase: "Running", node, ready: false });
    }
  }
  recs.sort((a, b) => a.t - b.t);
  recs.push({ t: 240_000, type: "end", events: 0, objects: {}, seed: 1 });
  return recs;
}

describe("report.html in headless Chromium", () => {
  it("draws one bar per pod, moves the cluster view with the slider, switches language, with no console errors", async () => {
    const { scenario, records } = fileRun("scenarios/failures/node-crash.yaml");
    const pods = records.filter((r) => r.type === "object" && r.kind === "Pod" && r.verb === "ADDED").length;
    const { page, problems } = await open("node-crash", scenario, records);

    expect(await page.locator(".pod-bar").count()).toBe(pods);
    expect(await page.locator("#workloads .workload").count()).toBe(1);
    expect(await page.locator("#faults .fault").count()).toBe(1);
    expect(await page.locator("#events-body tr").count()).toBe(
      records.filter((r) => r.type === "event").length,
    );

    // At 0 no pod exists yet; at 30s three are Ready; at 7m the replacement runs and the old pod is Terminating.
    await setSlider(page, 0);
    expect(await page.locator("#cluster .chip").count()).toBe(0);
    await setSlider(page, 30_000);
    expect(await page.locator("#cluster .chip").count()).toBe(3);
    const at30s = await page.locator("#cluster").innerHTML();
    await setSlider(page, 420_000);
    expect(await page.locator("#cluster .chip").count()).toBe(4);
    expect(await page.locator("#cluster").innerHTML()).not.toBe(at30s);
    expect(await page.locator("#cluster .chip[title*='Terminating']").count()).toBe(1);
    expect(await page.locator("#narration li.current").textContent()).toContain("The 300 s are over");
    expect(await page.locator("#now-narration").textContent()).toContain("The 300 s are over");
    expect(await page.locator("#cluster .node.notready").count()).toBe(1);

    expect(await page.locator("[data-w=clusterAt]").textContent()).toBe("The cluster at");
    await page.locator("[data-lang=zh]").click();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.locator("[data-w=timeline]").textContent()).toBe("各节点上的 Pod 生命周期");
    expect(await page.locator(".pod-bar").count()).toBe(pods);
    await page.locator("[data-lang=en]").click();
    expect(await page.locator("[data-w=timeline]").textContent()).toBe("Pod lifetimes per node");

    await page.screenshot({ path: join(dir, "node-crash.png"), fullPage: true });
    expect(existsSync(join(dir, "node-crash.png"))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens in Chinese with --lang zh and shows the Chinese narration", async () => {
    const { scenario, records } = fileRun("scenarios/failures/node-crash.yaml");
    const { page, problems } = await open("node-crash-zh", scenario, records, "zh");
    expect(await page.locator("[data-w=events]").textContent()).toBe("事件（Events）");
    const zh = records.find((r) => r.type === "narrate" && r.zh !== undefined);
    if (zh?.type === "narrate") expect(await page.locator("#narration").textContent()).toContain(zh.zh);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("charts each ReplicaSet of a rollout and its band", async () => {
    const { scenario, records } = fileRun("scenarios/rollouts/undo.yaml");
    const { page, problems } = await open("undo", scenario, records);
    const replicaSets = new Set(
      records.flatMap((r) => (r.type === "object" && r.kind === "ReplicaSet" ? [r.name] : [])),
    );
    expect(await page.locator("#workloads path.rs").count()).toBe(replicaSets.size);
    expect(await page.locator("#workloads rect.band").count()).toBeGreaterThan(0);
    expect(await page.locator("#actions li").count()).toBe(records.filter((r) => r.type === "action").length);
    await page.screenshot({ path: join(dir, "undo.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stays fast with about 1,000 pods", async () => {
    const records = syntheticRecords(1000);
    const scenario = loadScenario(["scenarios/hello.yaml"], readRepoFile);
    const { page, problems, loadMs } = await open("thousand", scenario, records);
    expect(await page.locator(".pod-bar").count()).toBe(1000);
    expect(loadMs).toBeLessThan(10_000);
    const started = performance.now();
    for (const ms of [30_000, 90_000, 150_000, 210_000]) await setSlider(page, ms);
    expect((performance.now() - started) / 4).toBeLessThan(1_000);
    expect(problems).toEqual([]);
    await page.close();
  });
});
