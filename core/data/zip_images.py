"""Your own images: a zip with one folder per class, read safely into a `Dataset`.

The zip is untrusted. Its byte size, the number of entries and the total size once unpacked are
capped before anything is extracted; a member is read only up to its own cap, and the bytes really
read count against the total. Pixels are capped twice before decoding: each image's (from its
header) and all images' together, so a small zip of huge blank PNGs cannot keep the server decoding.
Names that climb out (`../`), absolute paths, links and names carrying markdown or HTML (a class
name is shown on the page) are refused, each for its own reason. Each member is read into memory
(nothing is written to disk) and decoded with the same checks as any upload.
Files that are not images are skipped and counted. The class is the first folder
level, below one optional top folder that wraps everything; deeper folders belong to their
top-level class.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
from collections import Counter

import numpy as np
from PIL import Image

from core.data.dataset import Dataset, make_dataset
from core.data.photos import MAX_BYTES, decode_image, preprocess

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_UNPACKED = 300 * 1024 * 1024
MAX_IMAGES = 3000
MAX_MEMBER_BYTES = MAX_BYTES  # one image file, as for any upload
MAX_IMAGE_PIXELS = 16_000_000  # one image (4000 x 4000), read from its header before decoding
MAX_TOTAL_PIXELS = 400_000_000  # all images together (decoding time grows with pixels, not bytes)
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff")


_DRIVE = re.compile(r"^[A-Za-z]:")  # C:/... or C:name: a Windows absolute or drive-relative path
_MARKUP = re.compile(r"[<>\[\]`]|\]\(|://|&#?\w+;")  # tags, link brackets, code, URLs, entities


def _safe_name(info: zipfile.ZipInfo) -> str | None:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise ValueError(f"the zip holds an absolute path ('{name[:60]}'); refused")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"the zip holds a path that climbs out of it ('{name[:60]}'); refused")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ValueError(f"the zip holds a link ('{name[:60]}'); refused")
    if _MARKUP.search(name):
        raise ValueError(f"the zip holds a name with markdown or HTML in it ('{name[:60]}'); folder names "
                         "become class names on the page, so rename them to plain words")
    if info.is_dir() or not parts or parts[-1].startswith(".") or "__MACOSX" in parts:
        return None
    return posixpath.join(*parts)


def read_image_zip(data: bytes, size: int = 32, channels: int = 3, train_fraction: float = 0.8,
                   seed: int = 0) -> tuple[Dataset, list[str]]:
    """Zip bytes -> a classification `Dataset` of (channels, size, size) images, plus notes."""
    if len(data) > MAX_ZIP_BYTES:
        raise ValueError(f"the zip is {len(data) / 2**20:.0f} MB; up to {MAX_ZIP_BYTES // 2**20} MB are accepted")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("this file is not a zip archive (make one with a folder per class inside)") from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ValueError(f"the zip has {len(infos)} entries; at most {MAX_ENTRIES} are accepted")
    if sum(i.file_size for i in infos) >= MAX_UNPACKED:  # the cap itself is already too much
        raise ValueError(f"the zip would unpack to {MAX_UNPACKED // 2**20} MB or more (a zip bomb?); refused")
    files = [(n, i) for i in infos if (n := _safe_name(i)) is not None]
    roots = {n.split("/")[0] for n, _ in files}
    strip = len(roots) == 1 and all(n.count("/") >= 2 for n, _ in files)  # one wrapping top folder
    images, labels, notes, skipped = [], [], [], Counter()
    read_bytes = pixels = 0
    for name, info in files:
        parts = name.split("/")[1:] if strip else name.split("/")
        if len(parts) < 2:
            skipped["file outside a class folder"] += 1
            continue
        if not name.lower().endswith(IMAGE_EXT):
            skipped["not an image"] += 1
            continue
        if len(images) >= MAX_IMAGES:
            skipped["over the image limit"] += 1
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            skipped[f"image file over {MAX_MEMBER_BYTES // 2**20} MB"] += 1
            continue
        try:
            with zf.open(info) as fh:
                raw = fh.read(MAX_MEMBER_BYTES + 1)  # never more than one member's cap, whatever it declares
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
            skipped["unreadable image"] += 1
            continue
        read_bytes += len(raw)
        if read_bytes >= MAX_UNPACKED:  # sizes in the zip's directory can lie: count what was really read
            raise ValueError(f"the zip unpacks to {MAX_UNPACKED // 2**20} MB or more (a zip bomb?); refused")
        if len(raw) > MAX_MEMBER_BYTES:
            skipped[f"image file over {MAX_MEMBER_BYTES // 2**20} MB"] += 1
            continue
        n_px = _header_pixels(raw)
        if n_px is None:
            skipped["unreadable image"] += 1
            continue
        if n_px > MAX_IMAGE_PIXELS:
            skipped[f"image over {MAX_IMAGE_PIXELS // 1_000_000} million pixels"] += 1
            continue
        if pixels + n_px > MAX_TOTAL_PIXELS:
            skipped[f"over the zip's budget of {MAX_TOTAL_PIXELS // 1_000_000} million pixels in all (use smaller "
                    "images)"] += 1
            continue
        pixels += n_px
        try:
            rgb = decode_image(raw, posixpath.basename(name))
        except ValueError:
            skipped["unreadable image"] += 1
            continue
        images.append(preprocess(rgb, size, channels).tensor.numpy())
        labels.append(parts[0])
    for why, n in sorted(skipped.items()):
        notes.append(f"{n} file(s) skipped: {why}")
    counts = Counter(labels)
    if len(counts) < 2:
        found = f"only one ('{next(iter(counts))[:30]}')" if counts else "none"
        why = f" ({'; '.join(notes)})" if notes else ""
        raise ValueError(f"a classifier needs at least two class folders with images; this zip has {found}{why}. "
                         "Put each class's images in its own folder.")
    small = [c for c, n in counts.items() if n < 2]
    if small:
        raise ValueError(f"class '{small[0][:30]}' has a single image; each class needs at least 2")
    classes = tuple(sorted(counts))
    y = np.array([classes.index(c) for c in labels], np.int64)
    ds = make_dataset("images", "classification", "image", np.stack(images), y, train_fraction, seed,
                      class_names=classes, meta={"title": f"Your images ({len(images)} in {len(classes)} classes)"})
    return ds, notes


def _header_pixels(raw: bytes) -> int | None:
    """Width x height from the image's header alone (nothing decoded), or None when it has none."""
    try:
        with Image.open(io.BytesIO(raw)) as im:
            w, h = im.size
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        return None
    return int(w) * int(h)
