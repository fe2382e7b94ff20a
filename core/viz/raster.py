"""Pixels made on the server: the output map's colours (drawn in the browser by `assets/pg_live.js` and
`assets/live_panels.js`), round tick values, and JPEG bytes for the still pictures a page shows with `st.image`.
Same colour convention as every chart: orange negative, blue positive.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from core.viz.colors import class_rgb, diverging_rgb


def image_bytes(rgb: np.ndarray) -> bytes:
    """Encode for the browser: JPEG at high quality without chroma subsampling (sharp coloured lines).

    About 10x faster to encode than PNG at these sizes, which matters several times a second.
    """
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="JPEG", quality=92, subsampling=0)
    return buf.getvalue()


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
