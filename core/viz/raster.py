"""The live pictures of the Playground drawn as images: the network graph and the output map.

While a network trains these are redrawn several times a second; a browser swaps a PNG far more
cheaply than it redraws a plotly chart, so they are rasterized here with PIL (as TensorFlow
Playground draws on a canvas). Same colour convention as every chart: orange negative, blue positive.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.viz.colors import CLASS_COLORS, NEG_RGB, POS_RGB, class_rgb, diverging_rgb
from core.viz.network import MAX_DRAWN, Column

_FONT_CACHE: dict[int, ImageFont.ImageFont] = {}


def _font(size: int) -> ImageFont.ImageFont:
    if size not in _FONT_CACHE:
        try:
            _FONT_CACHE[size] = ImageFont.load_default(size=size)
        except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
            _FONT_CACHE[size] = ImageFont.load_default()
    return _FONT_CACHE[size]


def image_bytes(rgb: np.ndarray) -> bytes:
    """Encode for the browser: JPEG at high quality without chroma subsampling (sharp coloured lines).

    About 10x faster to encode than PNG at these sizes, which matters several times a second.
    """
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="JPEG", quality=92, subsampling=0)
    return buf.getvalue()


def _hex(c: str) -> tuple[int, int, int]:
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def map_image(values: np.ndarray, task: str, points: np.ndarray | None = None, labels: np.ndarray | None = None,
              test_points: np.ndarray | None = None, test_labels: np.ndarray | None = None,
              wrong: np.ndarray | None = None, test_wrong: np.ndarray | None = None, domain: tuple = (-6.0, 6.0),
              discretize: bool = False, size: int = 360, scale: float | None = None,
              axes: tuple[str, str] | None = None, text_px: int = 12) -> np.ndarray:
    """The output over the plane as an RGB image with the data points on it (row 0 is the top);
    with `axes` (the two inputs' names), framed with ticks and those names.

    `values` is (res, res) with row 0 at the bottom of the plane (y = domain[0]). Binary: a score
    in [-1, 1]; multiclass: class indices; regression: values (scaled by `scale` or their max).
    Training points have a white rim, test points a dark one; misclassified points are crosses.
    """
    z = np.asarray(values, float)
    if task == "binary":
        z = np.clip(z, -1, 1)
        rgb = diverging_rgb(np.where(z >= 0, 1.0, -1.0) if discretize else z, scale=1.0)
    elif task == "multiclass":
        rgb = class_rgb(z.astype(int), light=0.55)
    else:
        s = scale or float(np.nanmax(np.abs(z))) or 1.0
        rgb = diverging_rgb(np.round(z / s * 4) / 4 * s if discretize else z, scale=s)
    rgb = (rgb * 0.62 + 255 * 0.38).astype(np.uint8)  # lighter than the points drawn on it
    img = Image.fromarray(rgb[::-1]).resize((size, size), Image.BILINEAR)
    draw = ImageDraw.Draw(img)
    lo, hi = domain

    def px(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (p[:, 0] - lo) / (hi - lo) * (size - 1), (hi - p[:, 1]) / (hi - lo) * (size - 1)

    def color(v: float) -> tuple[int, ...]:
        if task == "regression":
            return tuple(int(c) for c in diverging_rgb(np.array([v]), scale=1.2)[0])
        return _hex(CLASS_COLORS[int(v) % len(CLASS_COLORS)])

    r = max(3, size // 90)
    sets = ((points, labels, wrong, (255, 255, 255)), (test_points, test_labels, test_wrong, (30, 30, 30)))
    for pts, labs, bad, rim in sets:
        if pts is None or len(pts) == 0:
            continue
        xs, ys = px(np.asarray(pts, float))
        bad = np.zeros(len(xs), bool) if bad is None else np.asarray(bad, bool)
        for x, y, v, b in zip(xs, ys, np.asarray(labs).ravel(), bad):
            c = color(v)
            if b:
                draw.line([(x - r - 1, y - r - 1), (x + r + 1, y + r + 1)], fill=c, width=2)
                draw.line([(x - r - 1, y + r + 1), (x + r + 1, y - r - 1)], fill=c, width=2)
            else:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=c, outline=rim)
    return np.asarray(_with_axes(img, domain, axes, text_px)) if axes else np.asarray(img)


def _with_axes(plane: Image.Image, domain: tuple, names: tuple[str, str], text_px: int) -> Image.Image:
    """The map framed with ticks and the two inputs' names (x1 along the bottom, x2 up the side)."""
    font = _font(text_px)
    size = plane.size[0]
    pad_l, pad_b = int(text_px * 3.2), int(text_px * 2.6)
    img = Image.new("RGB", (size + pad_l + 4, size + pad_b + 4), (255, 255, 255))
    img.paste(plane, (pad_l, 4))
    draw = ImageDraw.Draw(img)
    lo, hi = domain
    draw.rectangle([pad_l, 4, pad_l + size - 1, 4 + size - 1], outline=(120, 120, 120))
    for t in _nice_ticks(lo, hi, 4):
        f = (t - lo) / (hi - lo)
        x, y = pad_l + f * (size - 1), 4 + (1 - f) * (size - 1)
        draw.line([(x, size + 4), (x, size + 8)], fill=(120, 120, 120))
        draw.text((x, size + 9), f"{t:g}", fill=(70, 70, 70), font=font, anchor="mt")
        draw.line([(pad_l - 4, y), (pad_l, y)], fill=(120, 120, 120))
        draw.text((pad_l - 6, y), f"{t:g}", fill=(70, 70, 70), font=font, anchor="rm")
    draw.text((pad_l + size / 2, size + 10 + text_px), names[0], fill=(40, 40, 40), font=font, anchor="mt")
    draw.text((2, 4 + size / 2), names[1], fill=(40, 40, 40), font=font, anchor="lm")
    return img


def network_image(columns: list[Column], weights: list[np.ndarray | None], selected: tuple[int, int] | None = None,
                  width: int = 640, height: int = 360, text_px: int = 12) -> np.ndarray:
    """The network as an RGB image: thumbnails (or one sample's values) as nodes, the inputs' names
    beside them, weights as lines (colour sign, width size). `text_px` grows for a projector."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    n = len(columns)
    top, bottom = 16 + text_px, height - 10 - text_px
    node = int(min(36, (bottom - top) / MAX_DRAWN * 0.78))
    font = _font(text_px)
    label_w = max((font.getlength(t) for t in columns[0].labels), default=0.0) + 8 if columns else 0.0
    left = node / 2 + label_w
    xs = np.linspace(left + node / 2, width - node, n) if n > 1 else np.array([width / 2])

    def ys(units: int) -> np.ndarray:
        k = min(units, MAX_DRAWN)
        return np.array([(top + bottom) / 2]) if k == 1 else np.linspace(top + node / 2, bottom - node / 2, k)

    pos = [ys(c.units) for c in columns]
    wmax = max((float(np.abs(w).max()) for w in weights if w is not None and w.size), default=1.0) or 1.0
    for i, w in enumerate(weights):
        if w is None or i + 1 >= n:
            continue
        w = np.asarray(w)[:MAX_DRAWN, :MAX_DRAWN]
        for o in range(w.shape[0]):
            for j in range(w.shape[1]):
                v = float(w[o, j])
                a = min(abs(v) / wmax, 1.0)
                base = POS_RGB if v >= 0 else NEG_RGB
                c = tuple(int(255 + (ch - 255) * (0.25 + 0.75 * a)) for ch in base)
                draw.line([(xs[i] + node / 2, pos[i][j]), (xs[i + 1] - node / 2, pos[i + 1][o])], fill=c,
                          width=max(1, int(round(1 + 5 * a))))
    small = _font(max(9, text_px - 3))
    for ci, col in enumerate(columns):
        draw.text((xs[ci], 4 + text_px / 2), col.title, fill=(60, 60, 60), font=font, anchor="mm")
        if col.units > MAX_DRAWN:
            draw.text((xs[ci], height - 10), f"+{col.units - MAX_DRAWN} more", fill=(110, 110, 110), font=font,
                      anchor="mm")
        for k, y in enumerate(pos[ci]):
            x0, y0 = int(xs[ci] - node / 2), int(y - node / 2)
            if col.maps is not None and k < len(col.maps):
                thumb = Image.fromarray(diverging_rgb(col.maps[k][::-1], scale=1.0))
                img.paste(thumb.resize((node, node), Image.NEAREST), (x0, y0))
            elif col.values is not None and k < len(col.values):
                v = float(col.values[k])
                peak = float(np.abs(col.values).max()) or 1.0
                rgb = diverging_rgb(np.array([[v]]), scale=peak)[0, 0]
                draw.rectangle([x0, y0, x0 + node, y0 + node], fill=tuple(int(c) for c in rgb))
                draw.text((x0 + node / 2, y0 + node / 2), f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}",
                          fill=(20, 20, 20), font=small, anchor="mm")
            else:
                draw.rectangle([x0, y0, x0 + node, y0 + node], fill=(240, 241, 242))
            if k < len(col.labels):
                draw.text((x0 - 4, y), col.labels[k], fill=(50, 50, 50), font=font, anchor="rm")
            is_sel = selected is not None and tuple(selected) == (ci, k)
            draw.rectangle([x0, y0, x0 + node, y0 + node], outline=(214, 39, 40) if is_sel else (90, 90, 90),
                           width=3 if is_sel else 1)
    return np.asarray(img)


def _nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if not np.isfinite([lo, hi]).all() or hi <= lo:
        return [lo]
    step = 10 ** np.floor(np.log10((hi - lo) / n))
    for m in (1, 2, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    return list(np.arange(np.ceil(lo / step) * step, hi + step * 1e-9, step))


def curves_image(x: np.ndarray, lines: list[tuple[str, np.ndarray, str]], title: str, width: int = 520,
                 height: int = 220, y_range: tuple[float, float] | None = None, percent: bool = False) -> np.ndarray:
    """A small line chart as an image: `lines` are (name, values, "#rrggbb") against epochs `x`."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = _font(11)
    left, right, top, bottom = 46, width - 10, 24, height - 36
    draw.text((left, 4), title, fill=(40, 40, 40), font=_font(13))
    x = np.asarray(x, float)
    ys = [np.asarray(v, float) for _, v, _ in lines]
    finite = np.concatenate([v[np.isfinite(v)] for v in ys]) if ys else np.array([])
    if y_range is not None:
        y0, y1 = y_range
    elif finite.size:
        y0, y1 = float(finite.min()), float(finite.max())
        pad = (y1 - y0) * 0.05 or abs(y1) * 0.05 or 1.0
        y0, y1 = max(0.0, y0 - pad) if y0 >= 0 else y0 - pad, y1 + pad
    else:
        y0, y1 = 0.0, 1.0
    x0, x1 = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
    x1 = x1 if x1 > x0 else x0 + 1

    def sx(v):
        return left + (np.asarray(v) - x0) / (x1 - x0) * (right - left)

    def sy(v):
        return bottom - (np.asarray(v) - y0) / (y1 - y0) * (bottom - top)

    for t in _nice_ticks(y0, y1):
        yy = float(sy(t))
        draw.line([(left, yy), (right, yy)], fill=(236, 236, 236))
        draw.text((left - 4, yy), f"{t:.0%}" if percent else f"{t:.3g}", fill=(90, 90, 90), font=font, anchor="rm")
    for t in _nice_ticks(x0, x1):
        xx = float(sx(t))
        draw.text((xx, bottom + 4), f"{t:.0f}", fill=(90, 90, 90), font=font, anchor="ma")
    draw.text(((left + right) / 2, height - 14), "epoch", fill=(90, 90, 90), font=font, anchor="ma")
    draw.rectangle([left, top, right, bottom], outline=(200, 200, 200))
    lx = left + 8
    for (name, _, color), v in zip(lines, ys):
        ok = np.isfinite(v)
        if ok.sum() >= 2:
            pts = list(zip(sx(x[ok]).tolist(), np.clip(sy(v[ok]), top, bottom).tolist()))
            draw.line(pts, fill=_hex(color), width=2)
        draw.line([(lx, top + 9), (lx + 14, top + 9)], fill=_hex(color), width=3)
        draw.text((lx + 18, top + 9), name, fill=(60, 60, 60), font=font, anchor="lm")
        lx += 30 + int(draw.textlength(name, font=font))
    return np.asarray(img)
