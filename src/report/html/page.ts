/** report.html: one self-contained page (inline CSS, script and data; nothing from the network). */
import { PHASES } from "../../faults/recovery-types.js";
import { CLIENT_SCRIPT } from "./client.js";
import { WORDS } from "./i18n.js";
import type { ReportModel } from "./model.js";

const CSS = `
:root { --fg: #1d2330; --muted: #6b7280; --line: #e3e6ec; --good: #1f8a3b; --bad: #c62828; --warn: #b26a00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: var(--fg); margin: 0; background: #f7f8fa; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; padding: 16px 24px 8px;
  background: #fff; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; } h1 small { color: var(--muted); font-weight: normal; font-size: 14px; }
h2 { font-size: 17px; margin: 0 0 6px; } h3 { font-size: 14px; margin: 8px 0 4px; }
section { background: #fff; margin: 12px 24px; padding: 12px 16px; border: 1px solid var(--line); border-radius: 6px; }
.meta, .muted, .hint { color: var(--muted); } .hint { font-size: 12px; margin: 0 0 6px; }
.good { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); }
.verdict { font-weight: 600; margin-left: 8px; }
ul.expect { margin: 4px 0; padding-left: 18px; font-size: 13px; }
.langs button, button.at, #play { border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; padding: 2px 8px; }
.langs button.on { background: var(--fg); color: #fff; }
button.at { font: 12px ui-monospace, monospace; padding: 0 4px; }
.timeline { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 16px; }
#narration { list-style: none; padding: 0; margin: 0; max-height: 640px; overflow: auto; font-size: 13px; }
#narration li { padding: 6px 8px; border-left: 3px solid var(--line); margin-bottom: 6px; }
#narration li.current { border-left-color: #4a90d9; background: #eef5fd; }
#gantt svg { display: block; cursor: crosshair; font: 10px system-ui, sans-serif; }
rect.group { fill: #fafbfc; stroke: var(--line); }
rect.notready { fill: #fde2e1; }
.node-label { font-weight: 600; font-size: 11px; fill: var(--fg); } .node-count { fill: var(--muted); font-size: 10px; }
line.tick { stroke: #eef0f3; } .tick-label { fill: var(--muted); font-size: 10px; }
rect.term { stroke: #555; stroke-width: 0.6; stroke-dasharray: 2 1; }
line.restart { stroke: var(--bad); stroke-width: 1.6; }
#gantt-cursor, line.cursor { stroke: #e4572e; stroke-width: 1.5; }
.legend, #legend { font-size: 12px; margin: 6px 0; } #legend div { margin: 2px 0; }
.key { display: inline-flex; align-items: center; margin-right: 12px; white-space: nowrap; }
.key i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; border-radius: 2px; }
.key i.line { height: 3px; } .key i.avail { background: #111; } .key i.desired { background: #888; }
.key i.band, rect.band { background: #cfe3f7; fill: #cfe3f7; fill-opacity: 0.6; }
.slider-row { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; }
#slider { flex: 1; } #now { font: 600 14px ui-monospace, monospace; min-width: 90px; }
#cluster { display: flex; flex-wrap: wrap; gap: 8px; }
.node { border: 1px solid #c9ced8; border-radius: 6px; padding: 6px; width: 230px; min-height: 60px; background: #fcfdff; }
.node.pending { border-style: dashed; } .node.notready { border-color: var(--bad); background: #fff5f5; }
#now-narration { margin: 0 0 8px; padding: 6px 10px; background: #eef5fd; border-left: 3px solid #4a90d9; font-size: 13px; }
#now-narration:empty { display: none; }
.pod-name { font: 8px ui-monospace, monospace; fill: #1d2330; paint-order: stroke; stroke: #fff; stroke-width: 2px; stroke-opacity: 0.7; pointer-events: none; }
.node-head { font-size: 12px; margin-bottom: 4px; }
.badge { font-size: 11px; padding: 0 4px; border-radius: 3px; border: 1px solid currentColor; }
.taints { font-size: 11px; color: var(--warn); }
.chip { display: inline-block; font: 10px ui-monospace, monospace; color: #fff; padding: 1px 4px; margin: 1px;
  border-radius: 3px; border-left: 4px solid #777; max-width: 214px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
path.rs { fill: none; stroke-width: 1.8; } path.avail { fill: none; stroke: #111; stroke-width: 3; }
path.desired { fill: none; stroke: #888; stroke-width: 1.2; stroke-dasharray: 5 3; } line.grid { stroke: #eef0f3; }
.workload svg { font: 10px system-ui, sans-serif; }
.phases { display: flex; height: 26px; border-radius: 4px; overflow: hidden; margin: 4px 0; }
.phase { color: #fff; font-size: 11px; overflow: hidden; white-space: nowrap; padding: 4px; min-width: 2px; }
.phase-list { font-size: 12px; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.warn td { background: #fff6e5; }
#events-wrap { max-height: 480px; overflow: auto; } #filter { width: 260px; padding: 3px 6px; margin: 0 8px 6px 0; }
#actions { font-size: 13px; padding-left: 18px; } code { font-size: 12px; }
@media (max-width: 900px) { .timeline { grid-template-columns: 1fr; } }
`;

const BODY = `
<header class="top"><div id="header"></div>
<div class="langs"><button data-lang="en">English</button> <button data-lang="zh">中文</button></div></header>
<noscript><p>This report needs JavaScript to draw its charts.</p></noscript>
<section><div class="slider-row"><b data-w="clusterAt"></b><span id="now"></span>
<input id="slider" type="range" min="0" value="0" aria-label="time"><button id="play"></button></div>
<p id="now-narration"></p><div id="cluster"></div></section>
<section><div class="timeline"><div><h2 data-w="timeline"></h2><p class="hint" data-w="timelineHint"></p>
<div id="legend"></div><div id="gantt"></div></div>
<aside><h2 data-w="narration"></h2><ol id="narration"></ol></aside></div></section>
<section><h2 data-w="workloads"></h2><p class="hint" data-w="workloadHint"></p><div id="workloads"></div></section>
<section><h2 data-w="recovery"></h2><div id="faults"></div></section>
<section><h2 data-w="actions"></h2><ol id="actions"></ol></section>
<section><h2 data-w="events"></h2><input id="filter" type="search"><span id="events-count" class="muted"></span>
<div id="events-wrap"><table><thead id="events-head"></thead><tbody id="events-body"></tbody></table></div></section>
`;

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** The whole page for a model: the same model gives the same bytes. */
export function reportHtml(model: ReportModel): string {
  const data = { ...model, phases: PHASES.map(([name]) => name) };
  const title = `${model.scenario.name} — ${WORDS[model.lang].title}`;
  return (
    `<!DOCTYPE html>\n<html lang="${model.lang === "zh" ? "zh-CN" : "en"}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>${BODY}` +
    `<script type="application/json" id="kubesim-data">${scriptJson(data)}</script>\n` +
    `<script type="application/json" id="kubesim-words">${scriptJson(WORDS)}</script>\n` +
    `<script>${CLIENT_SCRIPT}</script>\n</body>\n</html>\n`
  );
}
