/** The report page's script (plain browser JavaScript, inlined): renders the embedded model as SVG and HTML. */

/**
 * The script reads the model from `#kubesim-data` and the words from `#kubesim-words`. It is
 * kept free of backticks so that it can live in this string; it is tested in headless Chromium.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kubesim-data").textContent);
  var W = JSON.parse(document.getElementById("kubesim-words").textContent);
  var lang = D.lang;
  var now = 0;
  var END = Math.max(D.endMs, 1);
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31"];
  var STATE_COLORS = ["#f2c94c", "#9ecae1", "#4a90d9", "#2e9d4f", "#9e9e9e", "#555555", "#d62728", "#c7a0d9"];
  var STATE_OPACITY = [0.25, 0.45, 0.7, 1, 0.5, 0.35, 1, 0.4];
  var byId = function (id) { return document.getElementById(id); };

  function t(key) { return (W[lang] && W[lang][key]) || W.en[key] || key; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function clock(ms) {
    var h = Math.floor(ms / 3600000), m = Math.floor((ms % 3600000) / 60000), s = Math.floor((ms % 60000) / 1000);
    var tail = pad(s, 2) + "." + pad(ms % 1000, 3);
    return h > 0 ? h + ":" + pad(m, 2) + ":" + tail : m + ":" + tail;
  }
  function dur(ms) {
    if (ms < 1000) return ms + "ms";
    var s = ms / 1000;
    if (s < 60) return (Math.round(s * 1000) / 1000) + "s";
    var m = Math.floor(s / 60);
    return m + "m" + (Math.round((s - m * 60) * 1000) / 1000) + "s";
  }
  function ownerColor(i) {
    if (i < 0) return "#777";
    var o = D.owners[i];
    var rank = ownerRank[i];
    return PALETTE[(workloadIndex[o.workload] * 3 + rank) % PALETTE.length];
  }
  var workloadIndex = {}, ownerRank = [], perWorkload = {};
  D.owners.forEach(function (o, i) {
    if (!(o.workload in workloadIndex)) workloadIndex[o.workload] = Object.keys(workloadIndex).length;
    perWorkload[o.workload] = (perWorkload[o.workload] || 0);
    ownerRank[i] = perWorkload[o.workload]++;
  });
  function ownerLabel(i) {
    if (i < 0) return "—";
    var o = D.owners[i];
    return o.owner + (o.revision ? " (rev " + o.revision + ")" : "");
  }
  function stateAt(p, ms) {
    var s = p.segs[0][1];
    for (var i = 0; i < p.segs.length && p.segs[i][0] <= ms; i++) s = p.segs[i][1];
    return s;
  }
  function valueAt(series, ms) {
    var v = 0;
    for (var i = 0; i < series.length && series[i][0] <= ms; i++) v = series[i][1];
    return v;
  }
  function nodeAt(n, ms) {
    var s = n.states[0];
    for (var i = 0; i < n.states.length && n.states[i][0] <= ms; i++) s = n.states[i];
    return s;
  }
  function alive(p, ms) { return p.createdMs <= ms && (p.deletedMs === null || ms < p.deletedMs); }
  var STATES = ["Pending", "ContainerCreating", "Running", "Ready", "Terminating", "Succeeded", "Failed", "Unknown"];

  // ---- header ----
  function renderHeader() {
    var failed = D.expectations.filter(function (e) { return !e.ok; }).length;
    var verdict = D.expectations.length === 0 ? "" :
      '<span class="verdict ' + (failed ? "bad" : "good") + '">' + t("expectations") + ": " +
      (failed ? failed + " " + t("failed") : t("allHeld")) + "</span>";
    byId("header").innerHTML =
      "<h1>" + esc(D.scenario.name) + ' <small>' + esc(t("title")) + "</small></h1>" +
      (D.scenario.description ? "<p>" + esc(D.scenario.description) + "</p>" : "") +
      '<p class="meta">' + esc(D.scenario.file) + " · " + t("seed") + " " + D.seed + " · " + t("simulated") + " " + dur(D.endMs) + " " + verdict + "</p>" +
      '<ul class="expect">' + D.expectations.map(function (e) {
        return '<li class="' + (e.ok ? "good" : "bad") + '">' + (e.ok ? "✓ " : "✗ ") + esc(e.expect) + " — " + esc(e.detail) + "</li>";
      }).join("") + D.violations.map(function (v) {
        return '<li class="bad">✗ ' + clock(v.t) + " " + esc(t("violation")) + " " + esc(v.invariant) + " — " + esc(v.message) + "</li>";
      }).join("") + "</ul>";
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = D.scenario.name + " — " + t("title");
    var btns = document.querySelectorAll("[data-lang]");
    for (var i = 0; i < btns.length; i++) btns[i].classList.toggle("on", btns[i].getAttribute("data-lang") === lang);
  }

  // ---- Gantt ----
  var G = { width: 1000, label: 150, row: 12, gap: 4 };
  function gx(ms) { return G.label + (ms / END) * (G.width - G.label - 10); }
  function ticks(width) {
    var steps = [1000, 5000, 10000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000, 7200000];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) if (END / steps[i] <= width / 90) { step = steps[i]; break; }
    var out = [];
    for (var ms = 0; ms <= END; ms += step) out.push(ms);
    return out;
  }
  function podGroups() {
    var groups = D.nodes.map(function (n) { return { name: n.name, node: n, pods: [] }; });
    var index = {};
    groups.forEach(function (g, i) { index[g.name] = i; });
    var unscheduled = { name: t("unscheduled"), node: null, pods: [] };
    D.pods.forEach(function (p, i) {
      if (p.node !== null && p.node in index) groups[index[p.node]].pods.push(i);
      else if (p.node !== null) { index[p.node] = groups.length; groups.push({ name: p.node, node: null, pods: [i] }); }
      else unscheduled.pods.push(i);
    });
    if (unscheduled.pods.length) groups.push(unscheduled);
    return groups;
  }
  function lanes(pods) {
    var ends = [], lane = {};
    pods.forEach(function (i) {
      var p = D.pods[i];
      for (var l = 0; l < ends.length && ends[l] > p.createdMs; l++);
      ends[l] = p.deletedMs === null ? Infinity : p.deletedMs;
      lane[i] = l;
    });
    return { count: Math.max(ends.length, 1), lane: lane };
  }
  function podBar(i, y) {
    var p = D.pods[i];
    var end = p.deletedMs === null ? D.endMs : p.deletedMs;
    var color = ownerColor(p.owner), parts = [];
    for (var s = 0; s < p.segs.length; s++) {
      var from = p.segs[s][0], to = s + 1 < p.segs.length ? p.segs[s + 1][0] : end, st = p.segs[s][1];
      var w = Math.max(gx(to) - gx(from), 0.6);
      var fill = st === 6 ? STATE_COLORS[6] : color;
      parts.push('<rect x="' + gx(from).toFixed(1) + '" y="' + y + '" width="' + w.toFixed(1) + '" height="' + G.row + '" fill="' + fill + '" fill-opacity="' + STATE_OPACITY[st] + '"' + (st === 4 ? ' class="term"' : "") + "/>");
      if (st === 4) parts.push('<rect x="' + gx(from).toFixed(1) + '" y="' + y + '" width="' + w.toFixed(1) + '" height="' + G.row + '" fill="url(#hatch)"/>');
    }
    p.restartsMs.forEach(function (ms) {
      parts.push('<line class="restart" x1="' + gx(ms).toFixed(1) + '" x2="' + gx(ms).toFixed(1) + '" y1="' + (y - 1) + '" y2="' + (y + G.row + 1) + '"/>');
    });
    var title = p.ns + "/" + p.name + "\n" + ownerLabel(p.owner) + "\n" + p.segs.map(function (sg) { return clock(sg[0]) + " " + STATES[sg[1]]; }).join("\n") +
      (p.restartsMs.length ? "\nrestarts: " + p.restartsMs.length : "") + (p.deletedMs !== null ? "\n" + clock(p.deletedMs) + " deleted" : "");
    var room = gx(end) - gx(p.createdMs);
    if (G.row >= 12 && room > p.name.length * 5.2 + 6) parts.push('<text class="pod-name" x="' + (gx(p.createdMs) + 3).toFixed(1) + '" y="' + (y + G.row - 3) + '">' + esc(p.name) + "</text>");
    return '<g class="pod-bar" data-pod="' + esc(p.ns + "/" + p.name) + '"><title>' + esc(title) + "</title>" + parts.join("") + "</g>";
  }
  function renderGantt() {
    var groups = podGroups(), y = 24, out = [], labels = [];
    var laned = groups.map(function (g) { return lanes(g.pods); });
    var total = laned.reduce(function (a, L) { return a + L.count; }, 0);
    // Many pods: thinner rows, so that the chart stays about a screen or two high.
    G.row = total <= 60 ? 12 : total <= 200 ? 6 : 3;
    G.gap = total <= 60 ? 4 : 1;
    groups.forEach(function (g, gi) {
      var L = laned[gi], h = Math.max(L.count * (G.row + G.gap) + 8, 34);
      out.push('<rect class="group" x="0" y="' + y + '" width="' + G.width + '" height="' + h + '"/>');
      if (g.node) notReadySpans(g.node).forEach(function (sp) {
        out.push('<rect class="notready" x="' + gx(sp[0]).toFixed(1) + '" y="' + y + '" width="' + Math.max(gx(sp[1]) - gx(sp[0]), 1).toFixed(1) + '" height="' + h + '"><title>' + esc(g.name + " " + sp[2]) + "</title></rect>");
      });
      labels.push('<text class="node-label" x="6" y="' + (y + 14) + '">' + esc(g.name) + '</text><text class="node-count" x="6" y="' + (y + 27) + '">' + g.pods.length + " pods</text>");
      g.pods.forEach(function (i) { out.push(podBar(i, y + 4 + L.lane[i] * (G.row + G.gap))); });
      y += h + 2;
    });
    var axis = ticks(G.width - G.label).map(function (ms) {
      return '<line class="tick" x1="' + gx(ms).toFixed(1) + '" x2="' + gx(ms).toFixed(1) + '" y1="18" y2="' + y + '"/><text class="tick-label" x="' + gx(ms).toFixed(1) + '" y="12">' + dur(ms) + "</text>";
    }).join("");
    byId("gantt").innerHTML = '<svg id="gantt-svg" viewBox="0 0 ' + G.width + " " + y + '" width="100%" role="img">' +
      '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>' +
      axis + out.join("") + labels.join("") + '<line id="gantt-cursor" x1="0" x2="0" y1="18" y2="' + y + '"/></svg>';
    byId("gantt-svg").addEventListener("click", function (ev) {
      var svg = byId("gantt-svg"), r = svg.getBoundingClientRect();
      var x = ((ev.clientX - r.left) / r.width) * G.width;
      if (x >= G.label) setTime(Math.round(((x - G.label) / (G.width - G.label - 10)) * END));
    });
    renderLegend();
  }
  function notReadySpans(n) {
    var spans = [], from = null, why = "";
    n.states.forEach(function (s) {
      if (s[1] !== "True" && from === null) { from = s[0]; why = "Ready=" + s[1]; }
      else if (s[1] === "True" && from !== null) { spans.push([from, s[0], why]); from = null; }
    });
    if (from !== null) spans.push([from, D.endMs, why]);
    return spans;
  }
  function renderLegend() {
    var owners = D.owners.map(function (o, i) {
      return '<span class="key"><i style="background:' + ownerColor(i) + '"></i>' + esc(ownerLabel(i)) + "</span>";
    }).join("");
    var states = STATES.slice(0, 7).map(function (s, i) {
      return '<span class="key"><i style="background:' + STATE_COLORS[i] + '"></i>' + esc(t(s)) + "</span>";
    }).join("");
    byId("legend").innerHTML = '<div>' + owners + '</div><div><b>' + esc(t("legendStates")) + ":</b> " + states + "</div>";
  }

  // ---- narration ----
  function renderNarration() {
    byId("narration").innerHTML = D.narration.length === 0 ? '<p class="muted">' + esc(t("noNarration")) + "</p>" :
      D.narration.map(function (n, i) {
        var text = (lang === "zh" ? n.zh || n.en : n.en || n.zh) || "";
        return '<li data-i="' + i + '" data-t="' + n.t + '"><button class="at">' + clock(n.t) + "</button> " + esc(text) + "</li>";
      }).join("");
  }

  // ---- cluster at a moment ----
  function renderCluster() {
    var boxes = {}, order = [];
    D.nodes.forEach(function (n) {
      var s = nodeAt(n, now);
      if (n.states[0][0] > now || s[1] === "Deleted") return;
      boxes[n.name] = { name: n.name, state: s, pods: [] };
      order.push(n.name);
    });
    var pending = { name: t("unscheduled"), state: null, pods: [] };
    D.pods.forEach(function (p, i) {
      if (!alive(p, now)) return;
      var on = p.boundMs !== null && p.boundMs <= now ? boxes[p.node] : pending;
      (on || pending).pods.push(i);
    });
    var list = order.map(function (k) { return boxes[k]; });
    if (pending.pods.length) list.push(pending);
    byId("cluster").innerHTML = list.map(function (b) {
      var status = "";
      if (b.state) {
        var ready = b.state[1];
        status = '<span class="badge ' + (ready === "True" ? "good" : "bad") + '">' + (ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Ready=" + esc(ready)) + "</span>" +
          (b.state[2] ? ' <span class="badge warn">' + esc(t("cordoned")) + "</span>" : "") +
          (b.state[3].length ? ' <span class="taints" title="' + esc(b.state[3].join("\n")) + '">' + b.state[3].length + " taint(s)</span>" : "");
      }
      var chips = b.pods.map(function (i) {
        var p = D.pods[i], st = stateAt(p, now);
        return '<span class="chip" style="background:' + STATE_COLORS[st] + ";border-left-color:" + ownerColor(p.owner) + '" title="' + esc(p.ns + "/" + p.name + " — " + t(STATES[st])) + '">' + esc(p.name) + "</span>";
      }).join("");
      var cls = !b.state ? " pending" : b.state[1] !== "True" ? " notready" : "";
      return '<div class="node' + cls + '"><div class="node-head"><b>' + esc(b.name) + "</b> " + status + "</div>" +
        (chips || '<span class="muted">' + esc(t("noPods")) + "</span>") + "</div>";
    }).join("");
  }

  // ---- workloads ----
  function stepPath(series, x, y, until) {
    if (!series.length) return "";
    var d = "M" + x(series[0][0]).toFixed(1) + "," + y(series[0][1]).toFixed(1);
    for (var i = 1; i < series.length; i++) d += "H" + x(series[i][0]).toFixed(1) + "V" + y(series[i][1]).toFixed(1);
    return d + "H" + x(until).toFixed(1);
  }
  function fenceposts(s, desired) {
    if (s.strategy === "Recreate") return [0, desired];
    function scaled(v, up) {
      if (typeof v === "number") return v;
      if (v.slice(-1) !== "%") return parseInt(v, 10) || 0;
      var x = (parseInt(v, 10) * desired) / 100;
      return up ? Math.ceil(x) : Math.floor(x);
    }
    var surge = scaled(s.maxSurge, true), unavailable = scaled(s.maxUnavailable, false);
    if (surge === 0 && unavailable === 0) unavailable = 1;
    return [Math.max(0, desired - unavailable), desired + surge];
  }
  function renderWorkload(w) {
    var width = 1000, height = 200, left = 40, top = 10, bottom = 24;
    var rsNames = Object.keys(w.replicaSets);
    var max = 1;
    function upd(series) { series.forEach(function (p) { if (p[1] > max) max = p[1]; }); }
    upd(w.available); upd(w.desired);
    rsNames.forEach(function (n) { upd(w.replicaSets[n]); });
    var band = [];
    if (w.strategy && w.desired.length) {
      w.desired.forEach(function (d) { var f = fenceposts(w.strategy, d[1]); band.push([d[0], f[0], f[1]]); if (f[1] > max) max = f[1]; });
    }
    var x = function (ms) { return left + (ms / END) * (width - left - 10); };
    var y = function (v) { return top + (1 - v / max) * (height - top - bottom); };
    var parts = [];
    for (var v = 0; v <= max; v += Math.max(1, Math.ceil(max / 6))) {
      parts.push('<line class="grid" x1="' + left + '" x2="' + (width - 10) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '"/><text class="tick-label" x="' + (left - 6) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + v + "</text>");
    }
    ticks(width - left).forEach(function (ms) {
      parts.push('<text class="tick-label" x="' + x(ms).toFixed(1) + '" y="' + (height - 6) + '">' + dur(ms) + "</text>");
    });
    band.forEach(function (b, i) {
      var to = i + 1 < band.length ? band[i + 1][0] : D.endMs;
      parts.push('<rect class="band" x="' + x(b[0]).toFixed(1) + '" y="' + y(b[2]).toFixed(1) + '" width="' + Math.max(x(to) - x(b[0]), 0.5).toFixed(1) + '" height="' + Math.max(y(b[1]) - y(b[2]), 0.5).toFixed(1) + '"/>');
    });
    var legend = [];
    rsNames.forEach(function (n) {
      var oi = D.owners.findIndex(function (o) { return o.owner === "ReplicaSet/" + n; });
      parts.push('<path class="rs" stroke="' + ownerColor(oi) + '" d="' + stepPath(w.replicaSets[n], x, y, D.endMs) + '"/>');
      legend.push('<span class="key"><i style="background:' + ownerColor(oi) + '"></i>' + esc(ownerLabel(oi)) + "</span>");
    });
    if (w.desired.length) parts.push('<path class="desired" d="' + stepPath(w.desired, x, y, D.endMs) + '"/>');
    parts.push('<path class="avail" d="' + stepPath(w.available, x, y, D.endMs) + '"/>');
    parts.push('<line class="cursor wl-cursor" x1="0" x2="0" y1="' + top + '" y2="' + (height - bottom) + '"/>');
    legend.push('<span class="key"><i class="line avail"></i>' + esc(t("available")) + "</span>");
    if (w.desired.length) legend.push('<span class="key"><i class="line desired"></i>' + esc(t("desired")) + "</span>");
    if (band.length) legend.push('<span class="key"><i class="band"></i>' + esc(t("band")) + " (" + esc(String(w.strategy.maxSurge)) + " / " + esc(String(w.strategy.maxUnavailable)) + ")</span>");
    return '<div class="workload"><h3>' + esc(w.ns + "/" + w.key) + '</h3><svg viewBox="0 0 ' + width + " " + height + '" width="100%">' + parts.join("") + '</svg><div class="legend">' + legend.join("") + "</div></div>";
  }
  function renderWorkloads() {
    byId("workloads").innerHTML = D.workloads.length ? D.workloads.map(renderWorkload).join("") : '<p class="muted">' + esc(t("noWorkloads")) + "</p>";
  }

  // ---- recovery ----
  function renderFaults() {
    if (!D.faults.length) { byId("faults").innerHTML = '<p class="muted">' + esc(t("noFaults")) + "</p>"; return; }
    byId("faults").innerHTML = D.faults.map(function (f) {
      var d = f.data || {}, phases = d.phasesMs || {};
      var keys = D.phases.filter(function (k) { return typeof phases[k] === "number"; });
      var sum = keys.reduce(function (a, k) { return a + phases[k]; }, 0) || 1;
      var bar = keys.map(function (k, i) {
        return '<div class="phase" style="flex:' + Math.max(phases[k], sum / 200) + ";background:" + PALETTE[i % PALETTE.length] + '" title="' + esc(t(k) + " " + dur(phases[k])) + '"><span>' + esc(t(k)) + " " + dur(phases[k]) + "</span></div>";
      }).join("");
      var head = esc(d.fault + " " + (d.pod || d.node) + " @ " + clock(d.atMs)) + " — " +
        (d.totalMs !== null && d.totalMs !== undefined ? esc(t("total")) + " " + dur(d.totalMs) : esc(t("notRecovered"))) + "; " +
        (d.healedMs !== null && d.healedMs !== undefined ? esc(t("healed")) + " " + dur(d.healedMs - d.atMs) : esc(t("notHealed")));
      var rows = (d.pods || []).map(function (p) {
        return "<tr><td>" + esc(p.pod) + "</td><td>" + esc(p.outcome) + "</td><td>" + esc(p.replacement || "—") + "</td><td>" + (p.recoveredMs !== null ? clock(p.recoveredMs) : "—") + "</td></tr>";
      }).join("");
      return '<div class="fault"><h3>' + head + '</h3><p class="hint">' + esc(f.message) + '</p><div class="phases">' + bar + "</div>" +
        '<ol class="phase-list">' + keys.map(function (k) { return "<li>" + esc(t(k)) + ": <b>" + dur(phases[k]) + "</b></li>"; }).join("") + "</ol>" +
        (rows ? "<table><thead><tr><th>" + esc(t("pod")) + "</th><th>" + esc(t("outcome")) + "</th><th>" + esc(t("replacement")) + "</th><th>" + esc(t("recoveredAt")) + "</th></tr></thead><tbody>" + rows + "</tbody></table>" : "") + "</div>";
    }).join("");
  }

  // ---- events and actions ----
  var filterText = "";
  function renderEvents() {
    var f = filterText.toLowerCase(), shown = 0, rows = [];
    D.events.forEach(function (e) {
      if (f && (e[2] + " " + e[3] + " " + e[4] + " " + e[5]).toLowerCase().indexOf(f) < 0) return;
      shown++;
      if (rows.length < 2000) rows.push('<tr class="' + (e[1] === "Warning" ? "warn" : "") + '" data-t="' + e[0] + '"><td>' + clock(e[0]) + "</td><td>" + e[1] + "</td><td>" + esc(e[2]) + "</td><td>" + esc(e[3]) + "</td><td>" + esc(e[4]) + "</td><td>" + esc(e[5]) + "</td><td>" + e[6] + "</td></tr>");
    });
    byId("events-head").innerHTML = "<tr><th>" + [t("time"), t("type"), t("reason"), t("object"), t("source"), t("message"), t("count")].map(esc).join("</th><th>") + "</th></tr>";
    byId("events-body").innerHTML = rows.join("");
    byId("events-count").textContent = (rows.length < shown ? rows.length + " " + t("shown") + ", " : "") + shown + " / " + D.events.length;
  }
  function renderActions() {
    byId("actions").innerHTML = D.actions.length ? D.actions.map(function (a) {
      var label = a.action === "kubectl" ? "kubectl " + a.args : a.action + " " + a.args;
      return '<li><button class="at" data-t="' + a.t + '">' + clock(a.t) + "</button> <code>" + esc(label) + "</code>" +
        (a.output ? ' <span class="muted">' + esc(a.output) + "</span>" : "") + (a.error ? ' <span class="bad">' + esc(a.error) + "</span>" : "") + "</li>";
    }).join("") : '<li class="muted">' + esc(t("noActions")) + "</li>";
  }

  // ---- time ----
  function setTime(ms) {
    now = Math.max(0, Math.min(END, ms));
    byId("slider").value = String(now);
    byId("now").textContent = clock(now);
    var cx = gx(now).toFixed(1), cursor = byId("gantt-cursor");
    if (cursor) { cursor.setAttribute("x1", cx); cursor.setAttribute("x2", cx); }
    var wl = document.querySelectorAll(".wl-cursor");
    for (var i = 0; i < wl.length; i++) {
      var wx = (40 + (now / END) * (1000 - 50)).toFixed(1);
      wl[i].setAttribute("x1", wx); wl[i].setAttribute("x2", wx);
    }
    var items = document.querySelectorAll("#narration li"), current = -1;
    for (var j = 0; j < items.length; j++) if (Number(items[j].getAttribute("data-t")) <= now) current = j;
    for (var k = 0; k < items.length; k++) items[k].classList.toggle("current", k === current);
    var said = current >= 0 ? D.narration[current] : null;
    byId("now-narration").textContent = said ? clock(said.t) + "  " + ((lang === "zh" ? said.zh || said.en : said.en || said.zh) || "") : "";
    renderCluster();
  }
  var playing = null;
  function togglePlay() {
    if (playing !== null) { clearInterval(playing); playing = null; byId("play").textContent = "▶ " + t("play"); return; }
    if (now >= END) setTime(0);
    byId("play").textContent = "⏸ " + t("pause");
    playing = setInterval(function () {
      if (now >= END) { togglePlay(); return; }
      setTime(now + END / 300);
    }, 50);
  }
  function renderAll() {
    renderHeader();
    var words = document.querySelectorAll("[data-w]");
    for (var i = 0; i < words.length; i++) words[i].textContent = t(words[i].getAttribute("data-w"));
    byId("filter").placeholder = t("filter");
    byId("play").textContent = (playing === null ? "▶ " + t("play") : "⏸ " + t("pause"));
    renderGantt(); renderNarration(); renderWorkloads(); renderFaults(); renderEvents(); renderActions();
    setTime(now);
  }

  byId("slider").max = String(END);
  byId("slider").step = String(Math.max(1, Math.round(END / 2000)));
  var pendingFrame = false;
  byId("slider").addEventListener("input", function () {
    var v = Number(byId("slider").value);
    if (pendingFrame) { now = v; return; }
    pendingFrame = true;
    requestAnimationFrame(function () { pendingFrame = false; setTime(Number(byId("slider").value)); });
  });
  byId("play").addEventListener("click", togglePlay);
  byId("filter").addEventListener("input", function () { filterText = byId("filter").value; renderEvents(); });
  document.addEventListener("click", function (ev) {
    var el = ev.target;
    if (!el || !el.closest) return;
    var lb = el.closest("[data-lang]");
    if (lb) { lang = lb.getAttribute("data-lang"); renderAll(); return; }
    var at = el.closest("[data-t]");
    if (at && (el.closest("#narration") || el.closest("#actions") || el.closest("#events-body"))) setTime(Number(at.getAttribute("data-t")));
  });
  renderAll();
})();
`;
