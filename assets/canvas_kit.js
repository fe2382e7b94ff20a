// Shared by the app's browser-drawn components (prepended to pg_live.js and live_panels.js when mounted):
// base64 byte arrays from Python, and canvases sized sharp for the screen.
function bytes(b64) {
  const s = atob(b64 || ""), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function floats(b64) {  // float32 values sent as base64 bytes
  const b = bytes(b64);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function fit(canvas, cssW, cssH) {  // sharp on any screen: the backing store follows devicePixelRatio
  const r = window.devicePixelRatio || 1;
  canvas.style.width = cssW + "px";
  canvas.style.height = cssH + "px";
  if (canvas.width !== Math.round(cssW * r) || canvas.height !== Math.round(cssH * r)) {
    canvas.width = Math.round(cssW * r);
    canvas.height = Math.round(cssH * r);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(r, 0, 0, r, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  return ctx;
}
