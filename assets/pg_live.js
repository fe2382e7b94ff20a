// The Playground's live view, drawn in the browser (Streamlit custom component v2, no iframe, no build).
// Python sends compact numbers (core/playground/live_payload.py); this draws the network (thumbnails as
// nodes, weights as lines), the output map with the data points, and the curves, on canvases. Each
// redraw brings the snapshots since the last one; they are played evenly until the next redraw. Hover a
// neuron: its map large with its range. Click a neuron: it is selected (highlighted, the Neuron view).
// Click a weight: its value; when paused it can be edited (sent back as an "edit" trigger). Above the
// drawing, TF Playground's +/- buttons: hidden layers, and neurons per hidden layer ("layers" trigger).
const WHITE = [232, 234, 235], POS = [8, 119, 189], NEG = [245, 147, 34];
const MAX_DRAWN = 8;

function ramp(t) {
  const c = t >= 0 ? POS : NEG, a = Math.min(1, Math.abs(t));
  return [WHITE[0] + (c[0] - WHITE[0]) * a, WHITE[1] + (c[1] - WHITE[1]) * a, WHITE[2] + (c[2] - WHITE[2]) * a];
}



function pointsOf(p, wrong) {  // [[x, y, label, wrong], ...] from the float32 / byte arrays
  if (!p || !p.n) return [];
  const xy = floats(p.xy), lab = floats(p.label), bad = wrong ? bytes(wrong) : new Uint8Array(p.n);
  return Array.from({ length: p.n }, (_, i) => [xy[2 * i], xy[2 * i + 1], lab[i], bad[i]]);
}

function thumbCanvas(values, res, k) {  // one neuron's map (int8 values) as a res x res canvas
  const c = document.createElement("canvas");
  c.width = c.height = res;
  const ctx = c.getContext("2d"), img = ctx.createImageData(res, res);
  for (let i = 0; i < res * res; i++) {
    const rgb = ramp(values[k * res * res + i] / 127);
    img.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return c;
}


function layout(d, W, H) {  // node positions
  const px = d.text_px, cols = d.columns, n = cols.length;
  const top = 16 + px, bottom = H - 10 - px;
  // Nodes as large as the fullest column allows (TF Playground's are ~30 px): 4 units get twice 8's size.
  const most = Math.max(2, ...cols.map((c) => Math.min(c.units, MAX_DRAWN)));
  const node = Math.floor(Math.min(48 * W / 640, (bottom - top) / most * 0.72));
  const labelW = Math.max(0, ...cols[0].labels.map((t) => t.length)) * px * 0.6 + 8;
  const left = node / 2 + labelW;
  const xs = cols.map((_, i) => (n > 1 ? left + node / 2 + (W - node - left - node / 2) * i / (n - 1) : W / 2));
  const ys = cols.map((c) => {
    const k = Math.min(c.units, MAX_DRAWN);
    if (k === 1) return [(top + bottom) / 2];
    return Array.from({ length: k }, (_, j) => top + node / 2 + (bottom - top - node) * j / (k - 1));
  });
  return { xs, ys, node };
}

const BAR_H = 26;  // the +/- row above the drawing

function button(text, title, disabled, event, send) {
  const b = document.createElement("button");
  b.className = "pgl-lb"; b.textContent = text; b.title = title; b.disabled = disabled;
  b.onclick = () => send("layers", event);
  return b;
}

// TF Playground's layer controls on the network itself: "- + N hidden layers" over the inputs, and
// "- +" over each hidden layer. Rebuilt only when the network or the width changes.
function drawLayerBar(st, L) {
  const d = st.data, bar = st.bar, lim = d.layers;
  if (!lim) { bar.style.display = "none"; bar.innerHTML = ""; st.barKey = null; return; }
  const hidden = d.columns.slice(1, -1).map((c) => c.units), key = JSON.stringify([hidden, L.xs, lim]);
  bar.style.display = "";
  if (key === st.barKey) return;
  st.barKey = key;
  bar.innerHTML = "";
  const layers = document.createElement("div");
  layers.className = "pgl-lgroup"; layers.style.left = "0px";
  layers.append(button("−", "One hidden layer fewer", hidden.length === 0, { op: "remove_layer" }, st.send),
    button("+", "One hidden layer more", hidden.length >= lim.max_layers, { op: "add_layer" }, st.send));
  const label = document.createElement("span");
  label.className = "pgl-lcount"; label.textContent = `${hidden.length} hidden`;
  layers.appendChild(label);
  bar.appendChild(layers);
  hidden.forEach((units, i) => {
    const g = document.createElement("div");
    g.className = "pgl-ngroup"; g.dataset.layer = String(i);
    g.append(button("−", `One neuron fewer in layer ${i + 1}`, units <= 1, { op: "remove_neuron", layer: i }, st.send),
      button("+", `One neuron more in layer ${i + 1}`, units >= lim.max_units, { op: "add_neuron", layer: i }, st.send));
    bar.appendChild(g);
    g.style.left = Math.round(L.xs[i + 1] - g.offsetWidth / 2) + "px";
  });
}

function drawNetwork(st) {
  const d = st.data, f = st.frame, canvas = st.net, W = canvas.parentElement.clientWidth || 640,
    H = Math.round(Math.min(W * 0.5625, rowMax()) - (d.layers ? BAR_H : 0));
  const ctx = fit(canvas, W, H), L = layout(d, W, H), px = d.text_px;
  st.geom = L;
  drawLayerBar(st, L);
  canvas.dataset.geom = JSON.stringify({ xs: L.xs, ys: L.ys, node: L.node });  // node centres, for tests and tools
  st.edges = [];
  f.weights.forEach((w, i) => {
    if (i + 1 >= d.columns.length) return;
    w.forEach((row, o) => row.forEach((v, j) => {
      const a = Math.min(Math.abs(v) / f.wmax, 1), c = v >= 0 ? POS : NEG;
      const x0 = L.xs[i] + L.node / 2, y0 = L.ys[i][j], x1 = L.xs[i + 1] - L.node / 2, y1 = L.ys[i + 1][o];
      const sel = st.picked && st.picked.layer === i && st.picked.row === o && st.picked.col === j;
      ctx.strokeStyle = sel ? "#d62728" : `rgba(${c[0]},${c[1]},${c[2]},${0.25 + 0.75 * a})`;
      ctx.lineWidth = sel ? 3 + 4 * a : 1 + 5 * a;
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      st.edges.push({ layer: i, row: o, col: j, v, x0, y0, x1, y1 });
    }));
  });
  ctx.font = `${px}px sans-serif`;
  ctx.textBaseline = "middle";
  st.thumbs = [];
  d.columns.forEach((col, ci) => {
    ctx.fillStyle = "#3c3c3c"; ctx.textAlign = "center";
    const half = ctx.measureText(col.title).width / 2;  // kept inside the canvas ("output" at the right edge)
    ctx.fillText(col.title, Math.min(W - half - 2, Math.max(half + 2, L.xs[ci])), 4 + px / 2);
    if (col.units > MAX_DRAWN) ctx.fillText(`+${col.units - MAX_DRAWN} more`, L.xs[ci], H - 10);
    const values = f.values[ci];
    const vals = f.thumbs[ci] ? Int8Array.from(bytes(f.thumbs[ci]), (b) => (b << 24) >> 24) : null;
    const peak = values ? Math.max(1e-9, ...values.map((v) => Math.abs(v || 0))) : 1;
    st.thumbs.push([]);
    L.ys[ci].forEach((y, k) => {
      const x0 = L.xs[ci] - L.node / 2, y0 = y - L.node / 2;
      if (vals) {
        const t = thumbCanvas(vals, col.res, k);
        st.thumbs[ci].push(t);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(t, x0, y0, L.node, L.node);
      } else if (values) {
        const v = values[k] || 0, rgb = ramp(v / peak);
        ctx.fillStyle = `rgb(${rgb.join(",")})`; ctx.fillRect(x0, y0, L.node, L.node);
        ctx.fillStyle = "#141414"; ctx.textAlign = "center";
        ctx.fillText(Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(0), x0 + L.node / 2, y);
      } else {
        ctx.fillStyle = "#f0f1f2"; ctx.fillRect(x0, y0, L.node, L.node);
      }
      if (k < col.labels.length) {
        ctx.fillStyle = "#323232"; ctx.textAlign = "right"; ctx.fillText(col.labels[k], x0 - 4, y);
      }
      const sel = d.selected && d.selected[0] === ci && d.selected[1] === k;
      ctx.strokeStyle = sel ? "#d62728" : "#5a5a5a"; ctx.lineWidth = sel ? 3 : 1;
      ctx.strokeRect(x0, y0, L.node, L.node);
    });
  });
}

// The network and the map share one row, kept to under a third of the window's height, so the play bar,
// both of them and the curves below fit one screen (a projector at 1280x720 included).
function rowMax() {
  return Math.max(180, Math.round((window.innerHeight || 900) * 0.3));
}

function drawMap(st) {
  const m = st.data.map, fm = st.frame.map, canvas = st.map;
  if (!m || !fm) { canvas.style.display = "none"; return; }
  canvas.style.display = "";
  const px = st.data.text_px, W = canvas.parentElement.clientWidth || 360;
  const padL = Math.round(px * 3.2), padB = Math.round(px * 2.6);
  const size = Math.max(50, Math.min(W - padL - 4, 520, rowMax() - padB - 4));
  const ctx = fit(canvas, size + padL + 4, size + padB + 4);
  const src = document.createElement("canvas");
  src.width = src.height = m.res;
  const sctx = src.getContext("2d"), img = sctx.createImageData(m.res, m.res), rgb = bytes(fm.rgb);
  for (let i = 0; i < m.res * m.res; i++) img.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(src, padL, 4, size, size);
  const [lo, hi] = m.domain, X = (x) => padL + (x - lo) / (hi - lo) * (size - 1), Y = (y) => 4 + (hi - y) / (hi - lo) * (size - 1);
  const r = Math.max(3, size / 90);
  const color = (v) => {
    if (m.task === "regression") { const c = ramp(v / 1.2); return `rgb(${c.join(",")})`; }
    return m.colors[Math.round(v) % m.colors.length];
  };
  [[pointsOf(m.train, fm.wrong_train), "#ffffff"], [pointsOf(m.test, fm.wrong_test), "#1e1e1e"]].forEach(([pts, rim]) => pts.forEach(([x, y, v, bad]) => {
    ctx.strokeStyle = color(v); ctx.fillStyle = color(v);
    if (bad) {
      ctx.lineWidth = 2; ctx.beginPath();
      ctx.moveTo(X(x) - r - 1, Y(y) - r - 1); ctx.lineTo(X(x) + r + 1, Y(y) + r + 1);
      ctx.moveTo(X(x) - r - 1, Y(y) + r + 1); ctx.lineTo(X(x) + r + 1, Y(y) - r - 1); ctx.stroke();
    } else {
      ctx.beginPath(); ctx.arc(X(x), Y(y), r, 0, 2 * Math.PI); ctx.fill();
      ctx.strokeStyle = rim; ctx.lineWidth = 1; ctx.stroke();
    }
  }));
  ctx.strokeStyle = "#787878"; ctx.lineWidth = 1; ctx.strokeRect(padL, 4, size - 1, size - 1);
  ctx.fillStyle = "#464646"; ctx.font = `${px}px sans-serif`;
  m.ticks.forEach((t) => {
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.fillText(`${t}`, X(t), size + 9);
    ctx.textAlign = "right"; ctx.textBaseline = "middle"; ctx.fillText(`${t}`, padL - 6, Y(t));
  });
  ctx.fillStyle = "#282828"; ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.fillText(m.axes[0], padL + size / 2, size + 10 + px);
  ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillText(m.axes[1], 2, 4 + size / 2);
}

function drawCurves(st) {
  const box = st.curves, charts = st.data.curves || [];
  while (box.children.length > charts.length) box.removeChild(box.lastChild);
  while (box.children.length < charts.length) box.appendChild(document.createElement("canvas"));
  const px = st.data.text_px, W = Math.floor((box.clientWidth || 600) / Math.max(1, charts.length)) - 8, H = 190 + 2 * px;
  charts.forEach((c, i) => {
    const ctx = fit(box.children[i], W, H), l = 4.2 * px, r = 8, t = 2.2 * px, b = H - 2.2 * px;
    const xs = floats(c.x), series = c.series.map((s) => ({ name: s.name, color: s.color, y: floats(s.y) }));
    const ys = series.flatMap((s) => Array.from(s.y).filter((v) => isFinite(v)));
    let y0 = c.percent ? 0 : Math.min(0, ...ys), y1 = c.percent ? 1 : Math.max(1e-6, ...ys) * 1.05;  // ticks 0-100%
    if (!isFinite(y1)) y1 = 1;
    const x0 = xs[0] || 0, x1 = Math.max(x0 + 1, xs[xs.length - 1] || 1);
    const X = (x) => l + (x - x0) / (x1 - x0) * (W - l - r), Y = (y) => b - (y - y0) / (y1 - y0) * (b - t);
    ctx.strokeStyle = "#dddddd"; ctx.fillStyle = "#555555"; ctx.font = `${px}px sans-serif`; ctx.lineWidth = 1;
    for (let k = 0; k <= 4; k++) {
      const v = y0 + (y1 - y0) * k / 4;
      ctx.beginPath(); ctx.moveTo(l, Y(v)); ctx.lineTo(W - r, Y(v)); ctx.stroke();
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      ctx.fillText(c.percent ? `${Math.round(v * 100)}%` : v.toPrecision(2), l - 4, Y(v));
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText(`epoch ${x1}`, W - r - 30, b + 4);
    ctx.fillStyle = "#222222"; ctx.textBaseline = "top"; ctx.fillText(c.title, W / 2, 2);
    series.forEach((s, k) => {
      ctx.strokeStyle = s.color; ctx.lineWidth = 2; ctx.beginPath();
      let on = false;
      s.y.forEach((v, j) => {
        if (!isFinite(v)) { on = false; return; }
        if (on) ctx.lineTo(X(xs[j]), Y(v)); else { ctx.moveTo(X(xs[j]), Y(v)); on = true; }
      });
      ctx.stroke();
      ctx.textAlign = "left";
      const last = s.y[s.y.length - 1];
      const text = `${s.name}${!isFinite(last) ? "" : ": " + (c.percent ? (last * 100).toFixed(1) + "%" : last.toFixed(4))}`;
      ctx.fillStyle = "rgba(255, 255, 255, 0.85)";  // the legend stays readable over the lines
      ctx.fillRect(l + 4, t + 2 + k * (px + 4), ctx.measureText(text).width + 4, px + 3);
      ctx.fillStyle = s.color;
      ctx.fillText(text, l + 6, t + 4 + k * (px + 4));
    });
  });
}

function nodeAt(st, x, y) {
  const L = st.geom;
  if (!L) return null;
  for (let ci = 0; ci < L.xs.length; ci++) {
    for (let k = 0; k < L.ys[ci].length; k++) {
      if (Math.abs(x - L.xs[ci]) <= L.node / 2 && Math.abs(y - L.ys[ci][k]) <= L.node / 2) return [ci, k];
    }
  }
  return null;
}

function edgeAt(st, x, y) {
  let best = null, bestD = 5;
  (st.edges || []).forEach((e) => {
    const dx = e.x1 - e.x0, dy = e.y1 - e.y0, t = Math.max(0, Math.min(1, ((x - e.x0) * dx + (y - e.y0) * dy) / (dx * dx + dy * dy)));
    const d = Math.hypot(x - (e.x0 + t * dx), y - (e.y0 + t * dy));
    if (d < bestD) { bestD = d; best = e; }
  });
  return best;
}

function nodeName(st, ci, k) {
  const col = st.data.columns[ci];
  return ci === 0 ? `input ${col.labels[k] || k + 1}` : `${col.title}, neuron ${k + 1}`;
}

function showTip(st, ev, hit) {
  const tip = st.tip, [ci, k] = hit, col = st.data.columns[ci];
  tip.innerHTML = "";
  const title = document.createElement("div");
  title.className = "pgl-tip-title";
  title.textContent = nodeName(st, ci, k);
  tip.appendChild(title);
  if (st.thumbs[ci] && st.thumbs[ci][k]) {
    const big = document.createElement("canvas");
    big.className = "pgl-big";
    const ctx = fit(big, 160, 160);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(st.thumbs[ci][k], 0, 0, 160, 160);
    tip.appendChild(big);
    const r = st.frame.ranges[ci], [lo, hi] = (r && r[k]) || [null, null];
    const txt = document.createElement("div");
    txt.textContent = lo === null ? "" : `outputs ${lo.toFixed(3)} to ${hi.toFixed(3)} over the plane`;
    tip.appendChild(txt);
  } else if (st.frame.values[ci]) {
    const txt = document.createElement("div");
    txt.textContent = `value ${Number(st.frame.values[ci][k]).toFixed(4)} on this row`;
    tip.appendChild(txt);
  }
  if (ci > 0) {
    const hint = document.createElement("div");
    hint.className = "pgl-hint";
    hint.textContent = "click to select it";
    tip.appendChild(hint);
  }
  place(st, tip, ev);
}

function place(st, el, ev) {
  const box = st.root.getBoundingClientRect();
  el.style.display = "block";
  el.style.left = Math.min(ev.clientX - box.left + 14, box.width - 200) + "px";
  el.style.top = ev.clientY - box.top + 14 + "px";
}

function showEdge(st, ev, e) {
  const pop = st.pop, d = st.data, from = nodeName(st, e.layer, e.col), to = nodeName(st, e.layer + 1, e.row);
  st.picked = e;
  pop.innerHTML = "";
  const title = document.createElement("div");
  title.className = "pgl-tip-title";
  title.textContent = `weight from ${from} to ${to}`;
  pop.appendChild(title);
  const value = document.createElement("div");
  value.className = "pgl-weight";
  value.textContent = e.v.toFixed(4);
  pop.appendChild(value);
  if (d.editable) {
    const input = document.createElement("input");
    input.type = "number"; input.step = "0.1"; input.value = e.v.toFixed(4); input.className = "pgl-input";
    const set = document.createElement("button");
    set.textContent = "Set"; set.className = "pgl-set";
    const send = () => {
      st.send("edit", { layer: e.layer, row: e.row, col: e.col, value: input.value });
      pop.style.display = "none"; st.picked = null;
    };
    set.onclick = send;
    input.onkeydown = (k) => { if (k.key === "Enter") send(); if (k.key === "Escape") pop.style.display = "none"; };
    pop.append(input, set);
    setTimeout(() => input.focus(), 0);
  } else {
    const hint = document.createElement("div");
    hint.className = "pgl-hint";
    hint.textContent = "pause to change it";
    pop.appendChild(hint);
  }
  const close = document.createElement("button");
  close.textContent = "×"; close.className = "pgl-close"; close.title = "close";
  close.onclick = () => { pop.style.display = "none"; st.picked = null; drawNetwork(st); };
  pop.appendChild(close);
  place(st, pop, ev);
  drawNetwork(st);
}

function init(root, st) {
  st.root = root;
  st.net = root.querySelector(".pgl-net canvas");
  st.bar = document.createElement("div");
  st.bar.className = "pgl-bar";
  st.net.parentElement.insertBefore(st.bar, st.net);
  st.map = root.querySelector(".pgl-map canvas");
  st.curves = root.querySelector(".pgl-curves");
  st.tip = root.querySelector(".pgl-tip");
  st.pop = root.querySelector(".pgl-pop");
  const pos = (ev) => { const b = st.net.getBoundingClientRect(); return [ev.clientX - b.left, ev.clientY - b.top]; };
  st.net.addEventListener("mousemove", (ev) => {
    const [x, y] = pos(ev), hit = nodeAt(st, x, y);
    st.hover = hit;
    if (hit) showTip(st, ev, hit); else st.tip.style.display = "none";
    st.net.style.cursor = hit || edgeAt(st, x, y) ? "pointer" : "default";
  });
  st.net.addEventListener("mouseleave", () => { st.hover = null; st.tip.style.display = "none"; });
  st.net.addEventListener("click", (ev) => {
    const [x, y] = pos(ev), hit = nodeAt(st, x, y);
    if (hit && hit[0] > 0) { st.send("select", hit); return; }
    const e = edgeAt(st, x, y);
    if (e) showEdge(st, ev, e);
  });
  new ResizeObserver(() => draw(st)).observe(root);
}

function draw(st) {
  drawNetwork(st);
  drawMap(st);
  drawCurves(st);
  if (st.picked) {  // keep the open weight's value current
    const w = st.frame.weights[st.picked.layer];
    const v = w && w[st.picked.row] ? w[st.picked.row][st.picked.col] : undefined;
    const shown = st.pop.querySelector(".pgl-weight");
    if (v !== undefined && shown) shown.textContent = v.toFixed(4);
  }
  st.root.dataset.version = String(st.frame.v);
  st.root.dataset.epoch = String(st.frame.epoch);
  st.root.dataset.redraws = String((Number(st.root.dataset.redraws) || 0) + 1);
}

function show(st, frame) {
  st.frame = frame;
  draw(st);
  if (st.hover && st.tip.style.display === "block") {
    const [ci, k] = st.hover;  // the hovered neuron's map follows the training
    if (st.thumbs[ci] && st.thumbs[ci][k]) {
      const big = st.tip.querySelector(".pgl-big");
      if (big) big.getContext("2d").drawImage(st.thumbs[ci][k], 0, 0, 160, 160);
    }
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".pgl");
  if (!root || !data || !data.frames || !data.frames.length) return;
  const st = root.__pgl || (root.__pgl = {});
  st.data = data;
  st.send = setTriggerValue;
  if (!st.ready) { init(root, st); st.ready = true; }
  (st.timers || []).forEach(clearTimeout);  // newer numbers replace the frames still waiting
  const frames = data.frames, gap = frames.length > 1 ? data.every_s * 1000 / frames.length : 0;
  show(st, frames[0]);
  st.timers = frames.slice(1).map((f, i) => setTimeout(() => show(st, f), gap * (i + 1)));
}
