"""Images in: uploads decoded safely, scikit-image's bundled photos, and the preprocessing a model needs.

Uploads are untrusted. The byte size is capped before anything is decoded. PIL reads only the header
first, so a decompression bomb is refused by its pixel count before its pixels exist. Modes are
converted explicitly (1, L, LA, P, RGBA, CMYK, I;16, I, F), and every failure becomes a `ValueError`
a student can read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000 x 5000 photo; anything larger is refused before decoding
MIN_SIDE = 8
PHOTOS = {
    "chelsea": "Chelsea the cat", "astronaut": "Astronaut", "coffee": "Coffee cup", "rocket": "Rocket",
    "camera": "Cameraman (grayscale)", "coins": "Coins (grayscale)", "immunohistochemistry": "Cells (stained)",
}


def photo(name: str) -> np.ndarray:
    """One of scikit-image's bundled photos as RGB uint8 (H, W, 3)."""
    import skimage.data

    if name not in PHOTOS:
        raise ValueError(f"unknown photo '{str(name)[:30]}'; choose one of {', '.join(PHOTOS)}")
    img = np.asarray(getattr(skimage.data, name)())
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img[..., :3]


def _to_rgb(im: Image.Image) -> Image.Image:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        a = np.asarray(im, dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        a = (a - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(a)
        im = Image.fromarray(a.astype(np.uint8), "L")
        mode = "L"
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")


def decode_image(data: bytes, name: str = "image") -> np.ndarray:
    """Untrusted bytes -> RGB uint8 (H, W, 3), or a readable `ValueError`."""
    label = str(name)[:60]
    if len(data) > MAX_BYTES:
        raise ValueError(f"'{label}' is {len(data) / 2**20:.0f} MB; images up to {MAX_BYTES // 2**20} MB are accepted")
    if not data:
        raise ValueError(f"'{label}' is empty")
    try:
        im = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:
        raise ValueError(f"'{label}' claims so many pixels that it looks like a decompression bomb; at most "
                         f"{MAX_PIXELS // 1_000_000} million pixels are accepted") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValueError(f"'{label}' is not an image this app can read (PNG, JPEG, GIF, BMP, TIFF, WebP)") from None
    w, h = im.size
    if w * h > MAX_PIXELS:
        raise ValueError(f"'{label}' is {w}x{h} pixels; at most {MAX_PIXELS // 1_000_000} million pixels are "
                         "accepted. Shrink it first.")
    if min(w, h) < MIN_SIDE:
        raise ValueError(f"'{label}' is only {w}x{h} pixels; a CNN needs at least {MIN_SIDE}x{MIN_SIDE}")
    try:
        im.load()
        rgb = _to_rgb(im)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(f"'{label}' is damaged or truncated and cannot be decoded ({str(exc)[:80]})") from None
    return np.asarray(rgb, dtype=np.uint8)


@dataclass(frozen=True)
class Prepared:
    """A model-ready tensor and the steps that made it, to show the student."""

    tensor: torch.Tensor  # (C, S, S) float32 in [0, 1]
    display: np.ndarray  # (S, S, 3) uint8: what the model sees
    steps: tuple[str, ...]


def preprocess(rgb: np.ndarray, size: int, channels: int) -> Prepared:
    """Resize the shorter side to `size`, crop the centre square, scale to [0, 1], gray if 1 channel."""
    h, w = rgb.shape[:2]
    scale = size / min(h, w)
    nh, nw = max(size, round(h * scale)), max(size, round(w * scale))
    im = Image.fromarray(rgb).resize((nw, nh), Image.BILINEAR)
    top, left = (nh - size) // 2, (nw - size) // 2
    im = im.crop((left, top, left + size, top + size))
    arr = np.asarray(im, dtype=np.float32) / 255.0
    steps = [f"resize {w}x{h} -> {nw}x{nh} (shorter side {size})"]
    if (nh, nw) != (size, size):
        steps.append(f"crop the centre {size}x{size}")
    steps.append("scale pixel values from 0-255 to 0-1")
    if channels == 1:
        gray = arr @ np.array([0.299, 0.587, 0.114], np.float32)
        steps.append("convert to grayscale (one channel)")
        t = torch.from_numpy(gray[None].copy())
        display = np.repeat((gray * 255).astype(np.uint8)[..., None], 3, axis=2)
    else:
        t = torch.from_numpy(arr.transpose(2, 0, 1).copy())
        display = (arr * 255).astype(np.uint8)
    return Prepared(t, display, tuple(steps))


def tensor_to_rgb(x: torch.Tensor) -> np.ndarray:
    """(C, H, W) in [0, 1] -> RGB uint8 for display."""
    a = x.detach().cpu().clamp(0, 1).numpy()
    a = np.repeat(a, 3, axis=0) if a.shape[0] == 1 else a[:3]
    return (a.transpose(1, 2, 0) * 255).astype(np.uint8)
