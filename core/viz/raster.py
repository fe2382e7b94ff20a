"""Live pictures drawn on the server: the curves of a lab's live view, and the output map's colours.

While a network trains, a lab's curves are redrawn several times a second; a browser swaps a JPEG far
more cheaply than it redraws a plotly chart, so they are rasterized here with PIL. The Playground's
network and output map are drawn in the browser (`assets/pg_live.js`), from `map_rgb`'s colours.
Same colour convention as every chart: orange negative, blue positive.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.viz.colors import class_rgb, diverging_rgb

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


def map_rgb(values: np.ndarray, task: str, discretize: bool = False, scale: float | None = None) -> np.ndarray:
    """The output map's colours, (res, res, 3) uint8 with row 0 at the top (`values` has it at the bottom)."""
    z = np.asarray(values, float)
    if task == "binary":
        z = np.clip(z, -1, 1)
        rgb = diverging_rgb(np.where(z >= 0, 1.0, -1.0) if discretize else z, scale=1.0)
    elif task == "multiclass":
        rgb = class_rgb(z.astype(int), light=0.55)
    else:
        s = scale or float(np.nanmax(np.abs(z))) or 1.0
        rgb = diverging_rgb(np.round(z / s * 4) / 4 * s if discretize else z, scale=s)
    return np.ascontiguousarray((rgb * 0.62 + 255 * 0.38).astype(np.uint8)[::-1])  # lighter than the points


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if not np.isfinite([lo, hi]).all() or hi <= lo:
        return [lo]
    step = 10 ** np.floor(np.log10((hi - lo) / n))
    for m in (1, 2, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    return list(np.arange(np.ceil(lo / step) * step, hi + step * 1e-9, step))


def curves_image(x: np.ndarray, lines: list[tuple[str, np.ndarray, str]], title: str, width: int = 520,
                 height: int = 220, y_range: tuple[float, float] | None = None, percent: bool = False,
                 xlabel: str = "epoch") -> np.ndarray:
    """A small line chart as an image: `lines` are (name, values, "#rrggbb") against `x` (epochs)."""
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

    for t in nice_ticks(y0, y1):
        yy = float(sy(t))
        draw.line([(left, yy), (right, yy)], fill=(236, 236, 236))
        draw.text((left - 4, yy), f"{t:.0%}" if percent else f"{t:.3g}", fill=(90, 90, 90), font=font, anchor="rm")
    for t in nice_ticks(x0, x1):
        xx = float(sx(t))
        draw.text((xx, bottom + 4), f"{t:.0f}", fill=(90, 90, 90), font=font, anchor="ma")
    draw.text(((left + right) / 2, height - 14), xlabel, fill=(90, 90, 90), font=font, anchor="ma")
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
