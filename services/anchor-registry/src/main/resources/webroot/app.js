// The registry's page: versions, the anchors of one version, and a plot in the (ln w, ln h) plane of the
// anchors over the density of ground-truth shapes, with each anchor's trajectory across versions.
// After drawing, the canvas gets data-drawn="<number of anchors drawn>" (a hook for tests).
"use strict";

const $ = (id) => document.getElementById(id);
const COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#800000", "#000075"];
let state = { model: null, snapshots: [], selected: null };

async function getJson(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error + ": " + body.reason);
  return body;
}

function time(ms) { return new Date(ms).toISOString().replace("T", " ").slice(0, 19); }

function fmt(x, digits) { return x === undefined || x === null ? "-" : Number(x).toFixed(digits); }

async function loadModels() {
  const { models } = await getJson("/v1/models");
  const select = $("model");
  select.innerHTML = "";
  for (const m of models) {
    const o = document.createElement("option");
    o.value = m.name;
    o.textContent = m.name + " (" + m.versions + ")";
    select.appendChild(o);
  }
  document.body.dataset.models = String(models.length);
  if (models.length === 0) {
    $("error").textContent = "no models yet";
    return;
  }
  const wanted = new URLSearchParams(location.search).get("model");
  select.value = models.some((m) => m.name === wanted) ? wanted : models[0].name;
  select.onchange = () => loadModel(select.value);
  await loadModel(select.value);
}

async function loadModel(model) {
  const list = await getJson("/v1/models/" + encodeURIComponent(model) + "/snapshots");
  state.model = model;
  state.snapshots = list.snapshots;
  const tbody = $("versions").querySelector("tbody");
  tbody.innerHTML = "";
  for (const s of list.snapshots) {
    const tr = document.createElement("tr");
    tr.className = "version";
    tr.dataset.version = String(s.version);
    const cells = [s.version, s.trainingStep, fmt(s.metrics.ap50, 4), fmt(s.metrics.loss, 4), s.metrics.heldOutSet || "-",
      time(s.createdUnixMs), s.promoted ? "promoted" : ""];
    cells.forEach((c, i) => {
      const td = document.createElement("td");
      td.textContent = String(c);
      if (c === "promoted") td.className = "promoted";
      if (i === 4) td.className = "held-out-set";
      tr.appendChild(td);
    });
    const decision = document.createElement("td");
    decision.className = "decision";
    const d = s.promotionDecision;
    decision.textContent = d ? (d.promoted ? "promoted: " : "held: ") + d.reason : "-";
    if (d && !d.promoted) decision.classList.add("held");
    tr.appendChild(decision);
    tr.onclick = () => selectVersion(s.version);
    tbody.appendChild(tr);
  }
  $("versions").dataset.count = String(list.snapshots.length);
  const p = list.promoted;
  $("pointer").textContent = p ? "Promoted: version " + p.version + " (" + p.reason + ", " + time(p.promotedUnixMs) + ")"
    + (p.policyReason ? ": " + p.policyReason : "") : "Promoted: none";
  $("pointer").dataset.version = p ? String(p.version) : "";
  const promoted = list.snapshots.find((s) => s.promoted);
  await selectVersion((promoted || list.snapshots[list.snapshots.length - 1]).version);
}

async function selectVersion(version) {
  const snap = await getJson("/v1/models/" + encodeURIComponent(state.model) + "/snapshots/" + version);
  state.selected = snap;
  $("shown-version").textContent = String(version);
  for (const tr of $("versions").querySelectorAll("tr.version")) {
    tr.classList.toggle("selected", tr.dataset.version === String(version));
  }
  const tbody = $("anchors").querySelector("tbody");
  tbody.innerHTML = "";
  snap.anchors.forEach((a, i) => {
    const tr = document.createElement("tr");
    for (const c of [i + 1, fmt(a.widthPx, 2), fmt(a.heightPx, 2), fmt(Math.log(a.widthPx), 3), fmt(Math.log(a.heightPx), 3)]) {
      const td = document.createElement("td");
      td.textContent = String(c);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  });
  draw(snap, state.snapshots);
}

// The plotted range: the histogram's if there is one, widened to hold every anchor of every version.
function plotRange(snap, history) {
  const h = snap.gtShapeHistogram;
  let r = h ? { x0: h.logWidthMin, x1: h.logWidthMax, y0: h.logHeightMin, y1: h.logHeightMax }
            : { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (const s of history) {
    for (const a of s.anchors) {
      const x = Math.log(a.widthPx), y = Math.log(a.heightPx);
      r = { x0: Math.min(r.x0, x - 0.1), x1: Math.max(r.x1, x + 0.1), y0: Math.min(r.y0, y - 0.1), y1: Math.max(r.y1, y + 0.1) };
    }
  }
  return r;
}

function draw(snap, history) {
  const canvas = $("plot");
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, M = 40;
  const r = plotRange(snap, history);
  const px = (x) => M + (x - r.x0) / (r.x1 - r.x0) * (W - 2 * M);
  const py = (y) => H - M - (y - r.y0) / (r.y1 - r.y0) * (H - 2 * M);
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, W, H);

  const h = snap.gtShapeHistogram;
  if (h) {
    const max = Math.max(1, ...h.counts);
    const dx = (h.logWidthMax - h.logWidthMin) / h.widthBins, dy = (h.logHeightMax - h.logHeightMin) / h.heightBins;
    for (let j = 0; j < h.heightBins; j++) {
      for (let i = 0; i < h.widthBins; i++) {
        const c = h.counts[j * h.widthBins + i];
        if (c === 0) continue;
        const shade = Math.round(235 - 200 * Math.sqrt(c / max));
        g.fillStyle = "rgb(" + shade + "," + shade + "," + shade + ")";
        const x0 = px(h.logWidthMin + i * dx), x1 = px(h.logWidthMin + (i + 1) * dx);
        const y0 = py(h.logHeightMin + j * dy), y1 = py(h.logHeightMin + (j + 1) * dy);
        g.fillRect(x0, y1, x1 - x0 + 0.5, y0 - y1 + 0.5);
      }
    }
  }

  g.strokeStyle = "#444";
  g.strokeRect(M, M, W - 2 * M, H - 2 * M);
  g.fillStyle = "#222";
  g.font = "12px sans-serif";
  g.fillText("ln w", W / 2, H - 8);
  g.fillText("ln h", 4, H / 2);
  g.fillText(r.x0.toFixed(1), M, H - M + 14);
  g.fillText(r.x1.toFixed(1), W - M - 20, H - M + 14);
  g.fillText(r.y0.toFixed(1), 8, H - M);
  g.fillText(r.y1.toFixed(1), 8, M + 4);

  // trajectories: anchor k across versions up to the selected one
  const upTo = history.filter((s) => s.version <= snap.version);
  for (let k = 0; k < snap.anchors.length; k++) {
    g.strokeStyle = COLOURS[k % COLOURS.length];
    g.lineWidth = 1.5;
    g.beginPath();
    upTo.forEach((s, n) => {
      const a = s.anchors[k];
      if (!a) return;
      const x = px(Math.log(a.widthPx)), y = py(Math.log(a.heightPx));
      if (n === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }
  snap.anchors.forEach((a, k) => {
    g.fillStyle = COLOURS[k % COLOURS.length];
    g.beginPath();
    g.arc(px(Math.log(a.widthPx)), py(Math.log(a.heightPx)), 5, 0, 2 * Math.PI);
    g.fill();
  });
  canvas.dataset.drawn = String(snap.anchors.length);
  canvas.dataset.version = String(snap.version);
  canvas.dataset.histogram = h ? String(h.counts.reduce((x, y) => x + y, 0)) : "0";
}

loadModels().catch((e) => { $("error").textContent = String(e); document.body.dataset.error = String(e); });
