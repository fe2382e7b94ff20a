// The labs' live charts, drawn in the browser (Streamlit custom component v2, no iframe, no build).
// Python sends panels (core/viz/panels.py): "lines" (curves against epochs or time steps) and "raster"
// (a picture's RGB bytes with points, a legend and hover values). Text is drawn at the page's size
// (data.text_px, at least 12 px), so a projector shows readable titles, ticks and legends.



function ticks(lo, hi, n, integer) {  // round numbers from lo to hi (integers only for epochs and steps)
  const span = hi - lo || 1, raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => span / s <= n) || 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toFixed(10));
  return out;
}

function label(v, c) {
  if (c.percent) return `${Math.round(v * 100)}%`;
  if (c.log) return Number.isInteger(v) ? `1e${v}` : "";
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1).replace(/\.0$/, "") : +v.toPrecision(2) + "";
}

function value(v, c) {
  if (!isFinite(v)) return "–";
  if (c.percent) return (v * 100).toFixed(1) + "%";
  if (c.log) return Math.pow(10, v).toPrecision(3);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

function legendRows(ctx, items, x, y, W, px) {  // swatch + name, wrapped to the width; returns the height used
  let cx = x, cy = y;
  items.forEach(([name, color]) => {
    const w = ctx.measureText(name).width + px + 14;
    if (cx + w > W && cx > x) { cx = x; cy += px + 5; }
    ctx.fillStyle = color; ctx.fillRect(cx, cy + px * 0.2, px * 0.9, px * 0.7);
    ctx.fillStyle = "#333333"; ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.fillText(name, cx + px + 3, cy);
    cx += w;
  });
  return items.length ? cy - y + px + 6 : 0;
}

function drawLines(p, c, W, px) {
  const xs = floats(c.x), series = c.series.map((s) => ({ name: s.name, color: s.color, y: floats(s.y) }));
  const ctx0 = p.canvas.getContext("2d");
  ctx0.font = `${px}px sans-serif`;
  const items = series.map((s) => {
    const last = s.y[s.y.length - 1];
    return [s.name + (isFinite(last) ? ": " + value(last, c) : ""), s.color];
  });
  const legendH = (() => {  // measured before the canvas is sized
    let cx = 0, rows = items.length ? 1 : 0;
    items.forEach(([n]) => { const w = ctx0.measureText(n).width + px + 14; if (cx + w > W && cx > 0) { rows++; cx = 0; } cx += w; });
    return rows ? rows * (px + 5) + 1 : 0;
  })();
  const H = c.height + legendH, ctx = fit(p.canvas, W, H);
  ctx.font = `${px}px sans-serif`;
  const top = px + 6, l = 4.2 * px, r = 10, t = top + legendH + px * 0.6, b = H - 2.4 * px;
  ctx.fillStyle = "#222222"; ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.font = `600 ${px}px sans-serif`; ctx.fillText(c.title, W / 2, 1); ctx.font = `${px}px sans-serif`;
  legendRows(ctx, items, l, top, W - r, px);
  const ys = series.flatMap((s) => Array.from(s.y).filter((v) => isFinite(v)));
  let y0, y1;
  if (c.y_range) [y0, y1] = c.y_range;
  else if (c.percent) [y0, y1] = [0, 1];
  else if (!ys.length) [y0, y1] = [0, 1];
  else {
    y0 = Math.min(...ys); y1 = Math.max(...ys);
    if (!c.log) y0 = Math.min(0, y0);
    if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
    const pad = (y1 - y0) * 0.05; y1 += pad; if (c.log) y0 -= pad;
  }
  const x0 = xs.length ? xs[0] : 0, x1 = Math.max(x0 + 1, xs.length ? xs[xs.length - 1] : 1);
  const X = (x) => l + (x - x0) / (x1 - x0) * (W - l - r), Y = (y) => b - (y - y0) / (y1 - y0) * (b - t);
  ctx.strokeStyle = "#e4e4e4"; ctx.fillStyle = "#555555"; ctx.lineWidth = 1;
  const yt = ticks(y0, y1, 4, c.log), xt = ticks(x0, x1, Math.max(2, Math.floor((W - l) / (5 * px))), true);
  p.canvas.dataset.axes = JSON.stringify({ x: [x0, x1], y: [y0, y1], xticks: xt, yticks: yt.map((v) => label(v, c)) });
  yt.forEach((v) => {
    ctx.beginPath(); ctx.moveTo(l, Y(v)); ctx.lineTo(W - r, Y(v)); ctx.stroke();
    ctx.textAlign = "right"; ctx.textBaseline = "middle"; ctx.fillText(label(v, c), l - 4, Y(v));
  });
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  xt.forEach((v) => ctx.fillText(String(v), X(v), b + 3));
  if (c.xlabel) { ctx.fillStyle = "#333333"; ctx.fillText(c.xlabel, l + (W - l - r) / 2, b + px + 5); }
  ctx.strokeStyle = "#999999"; ctx.beginPath(); ctx.moveTo(l, t); ctx.lineTo(l, b); ctx.lineTo(W - r, b); ctx.stroke();
  series.forEach((s) => {
    ctx.strokeStyle = s.color; ctx.lineWidth = 2; ctx.beginPath();
    let on = false;
    s.y.forEach((v, j) => {
      if (!isFinite(v)) { on = false; return; }
      if (on) ctx.lineTo(X(xs[j]), Y(v)); else { ctx.moveTo(X(xs[j]), Y(v)); on = true; }
    });
    ctx.stroke();
    if (xs.length === 1 && isFinite(s.y[0])) { ctx.fillStyle = s.color; ctx.beginPath(); ctx.arc(X(xs[0]), Y(s.y[0]), 3, 0, 7); ctx.fill(); }
  });
  p.hover = (mx) => {  // the values at the epoch under the mouse
    if (!xs.length || mx < l) return null;
    const want = x0 + (mx - l) / (W - l - r) * (x1 - x0);
    let j = 0;
    for (let k = 1; k < xs.length; k++) if (Math.abs(xs[k] - want) < Math.abs(xs[j] - want)) j = k;
    return `<b>${c.xlabel || "x"} ${xs[j]}</b>` + series.map((s) => `<br><span style="color:${s.color}">■</span> ${s.name}: ${value(s.y[j], c)}`).join("");
  };
}

function drawRaster(p, c, W, px) {
  const w = c.max_w ? Math.min(W, c.max_w) : W, ih = Math.round(w * (c.aspect || c.h / c.w));
  const top = c.title ? px + 6 : 0, left = c.ylabel ? px + 6 : 0;
  const legend = (c.legend || []).map((x) => [x[0], x[1]]);
  const ctx0 = p.canvas.getContext("2d"); ctx0.font = `${px}px sans-serif`;
  let rows = legend.length ? 1 : 0, cx = 0;
  legend.forEach(([n]) => { const lw = ctx0.measureText(n).width + px + 14; if (cx + lw > w && cx > 0) { rows++; cx = 0; } cx += lw; });
  const legendH = rows * (px + 5), bottom = (c.xlabel ? px + 6 : 0) + legendH;
  const cw = w + left, H = top + ih + bottom, ctx = fit(p.canvas, cw, H);
  ctx.font = `${px}px sans-serif`;
  if (!p.img || p.img.width !== c.w || p.img.height !== c.h) {
    p.img = document.createElement("canvas"); p.img.width = c.w; p.img.height = c.h;
  }
  const rgb = bytes(c.rgb), data = p.img.getContext("2d").createImageData(c.w, c.h);
  for (let i = 0, n = c.w * c.h; i < n; i++) data.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
  p.img.getContext("2d").putImageData(data, 0, 0);
  ctx.imageSmoothingEnabled = !!c.smooth;
  ctx.drawImage(p.img, left, top, w, ih);
  if (c.domain) {
    const [lo, hi] = c.domain, X = (x) => left + (x - lo) / (hi - lo) * w, Y = (y) => top + (hi - y) / (hi - lo) * ih;
    (c.points || []).forEach((s) => {
      const xy = floats(s.xy), ring = s.ring ? bytes(s.ring) : null;
      for (let i = 0; i < s.n; i++) {
        ctx.beginPath(); ctx.arc(X(xy[2 * i]), Y(xy[2 * i + 1]), s.r, 0, 7);
        ctx.fillStyle = s.color; ctx.fill();
        if (ring) { ctx.lineWidth = ring[i] ? 1.6 : 0.8; ctx.strokeStyle = ring[i] ? "#000000" : "#ffffff"; ctx.stroke(); }
      }
    });
  }
  ctx.fillStyle = "#222222"; ctx.textBaseline = "top";
  if (c.title) { ctx.textAlign = "left"; ctx.font = `600 ${px}px sans-serif`; ctx.fillText(c.title, left, 1); ctx.font = `${px}px sans-serif`; }
  if (c.xlabel) { ctx.fillStyle = "#444444"; ctx.textAlign = "center"; ctx.fillText(c.xlabel, left + w / 2, top + ih + 3); }
  if (c.ylabel) {
    ctx.save(); ctx.translate(2, top + ih / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center";
    ctx.fillStyle = "#444444"; ctx.fillText(c.ylabel, 0, 0); ctx.restore();
  }
  legendRows(ctx, legend, left, top + ih + (c.xlabel ? px + 6 : 0) + 2, cw, px);
  p.hover = (mx, my) => {
    const hv = c.hover;
    if (!hv || mx < left || mx >= left + w || my < top || my >= top + ih) return null;
    const col = Math.floor((mx - left) / w * hv.cols), row = Math.floor((my - top) / ih * hv.rows);
    const v = floats(hv.values)[row * hv.cols + col];
    return hv.text.replace("{row}", hv.row_labels[row] ?? row).replace("{col}", hv.col_labels[col] ?? col)
      .replace("{value}", Number(v).toFixed(3));
  };
  p.caption.textContent = c.caption || "";
}

function panelOf(st, i) {
  while (st.grid.children.length <= i) {
    const box = document.createElement("div"), canvas = document.createElement("canvas"), cap = document.createElement("div");
    box.className = "lp-panel"; cap.className = "lp-caption";
    box.append(canvas, cap);
    st.grid.appendChild(box);
    const p = { box, canvas, caption: cap };
    box.__p = p;
    canvas.addEventListener("mousemove", (ev) => {
      const b = canvas.getBoundingClientRect(), text = p.hover && p.hover(ev.clientX - b.left, ev.clientY - b.top);
      if (!text) { st.tip.style.display = "none"; return; }
      st.tip.innerHTML = text; st.tip.style.display = "block";
      const r = st.root.getBoundingClientRect();
      st.tip.style.left = Math.min(ev.clientX - r.left + 12, r.width - 200) + "px";
      st.tip.style.top = (ev.clientY - r.top + 12) + "px";
    });
    canvas.addEventListener("mouseleave", () => { st.tip.style.display = "none"; });
  }
  return st.grid.children[i].__p;
}

function draw(st) {
  const d = st.data, panels = d.panels || [], cols = Math.max(1, Math.min(d.cols || 1, panels.length || 1));
  const px = Math.max(12, d.text_px || 13), gap = 10;
  st.grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
  while (st.grid.children.length > panels.length) st.grid.removeChild(st.grid.lastChild);
  const W = Math.floor(((st.root.clientWidth || 600) - gap * (cols - 1)) / cols);
  panels.forEach((c, i) => {
    const p = panelOf(st, i);
    if (c.kind === "lines") { p.caption.textContent = ""; drawLines(p, c, W, px); } else drawRaster(p, c, W, px);
  });
  st.root.dataset.font = String(px);
  st.root.dataset.panels = String(panels.length);
  st.root.dataset.stamp = String(d.stamp ?? "");
  st.root.dataset.redraws = String((Number(st.root.dataset.redraws) || 0) + 1);
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".lp");
  if (!root || !data) return;
  const st = root.__lp || (root.__lp = { root, grid: root.querySelector(".lp-grid"), tip: root.querySelector(".lp-tip") });
  st.data = data;
  if (!st.observed) { new ResizeObserver(() => draw(st)).observe(root); st.observed = true; }
  draw(st);
}
