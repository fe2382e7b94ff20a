"""The student's images: the starter set, their own classes (named, filled from the webcam or uploads, as
Teachable Machine does), or a zip with a folder per class. Every image goes through the app's safe
readers; a bad one is refused by name and the rest are kept. The current set has a version number, so a
change starts a new training job."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
import torch

from core.data.photos import MAX_BYTES
from core.transfer.images import MAX_CLASSES, MAX_PER_CLASS, ImageSet, class_name, from_lists, from_zip, read_upload
from core.transfer.images import starter_set as make_starter
from core.viz.images import image_row
from core.viz.raster import image_bytes
from ui.kit.text import plain

KEY = "tl_images_state"
SOURCES = {"starter": "Starter set (3 shapes)", "own": "My classes (webcam, uploads)", "zip": "A zip"}


@dataclass
class Images:
    own: dict[str, list[torch.Tensor]] = field(default_factory=lambda: {"class 1": [], "class 2": []})
    seen: set = field(default_factory=set)  # upload and camera file ids already added
    zipped: ImageSet | None = None
    current: ImageSet | None = None
    version: int = 0
    source: str = "starter"
    own_key: tuple = ()


def state() -> Images:
    if KEY not in st.session_state:
        st.session_state[KEY] = Images()
    return st.session_state[KEY]


@st.cache_resource(show_spinner=False)
def starter() -> ImageSet:
    return make_starter()


def _add(im: Images, name: str, files: list) -> None:
    for f in files:
        if f is None or f.file_id in im.seen:
            continue
        im.seen.add(f.file_id)
        if len(im.own[name]) >= MAX_PER_CLASS:
            st.warning(f"{name} has {MAX_PER_CLASS} images already: that is the most a class can hold.")
            return
        try:
            im.own[name].append(read_upload(f.getvalue(), f.name))
        except ValueError as exc:
            st.error(plain(exc), icon="⚠️")


def _own(im: Images) -> ImageSet:
    c = st.columns([2, 1])
    new = c[0].text_input("New class", key="tl_new_class", max_chars=40, placeholder="e.g. thumbs up")
    if c[1].button("Add", key="tl_add_class", width="stretch") and new:
        try:
            name = class_name(new)
            if name in im.own:
                st.error(f"There is a class called {name} already.", icon="⚠️")
            elif len(im.own) >= MAX_CLASSES:
                st.error(f"At most {MAX_CLASSES} classes.", icon="⚠️")
            else:
                im.own[name] = []
        except ValueError as exc:
            st.error(plain(exc), icon="⚠️")
    name = st.selectbox("Add images to", list(im.own), key="tl_target_class",
                        format_func=lambda n: f"{n} ({len(im.own[n])} images)")
    with st.popover("Webcam", icon=":material/photo_camera:", width="stretch"):
        shot = st.camera_input(f"A photo for {name}", key=f"tl_cam_{name}")
        _add(im, name, [shot])
    files = st.file_uploader(f"Upload images for {name}", type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
                             accept_multiple_files=True, key=f"tl_up_{name}",
                             help=f"Up to {MAX_BYTES // 2**20} MB each; a few per class is enough.")
    _add(im, name, files or [])
    if im.own[name]:
        st.image(image_bytes(image_row(torch.stack(im.own[name][-8:]).numpy(), 1, 2)), caption=f"{name}, newest")
    if st.button(f"Remove {name}", key="tl_remove_class") and len(im.own) > 2:
        del im.own[name]
        st.rerun()
    key = tuple((n, len(v)) for n, v in im.own.items())
    if key != im.own_key or im.current is None or im.source != "own":  # a new set only when images changed
        got = from_lists(im.own)
        im.own_key = key
        return got
    return im.current


def controls(hide: set[str]) -> ImageSet:
    """The image source and its widgets; the set to train on (or a `ValueError` the page shows)."""
    im = state()
    if "images" in hide:
        source = "starter"
    else:
        source = st.radio("Images", list(SOURCES), key="tl_source", format_func=SOURCES.get,  # one per line: three
                          help="What the three ways train on")  # segments wrapped raggedly in a narrow column
    if source == "starter":
        got = starter()
        st.caption("New pictures (a seed the backbone never saw) of three of the six shapes TinyVGG learned. Bring "
                   "your own to see what pretraining gives on them.")
    elif source == "zip":
        up = st.file_uploader("A zip with a folder per class", type=["zip"], key="tl_zip")
        if up is not None and up.file_id not in im.seen:
            im.seen.add(up.file_id)
            im.zipped, notes = from_zip(up.getvalue())
            for n in notes:
                st.caption(n)
        if im.zipped is None:
            raise ValueError("upload a zip with a folder of images per class (folder name = class name)")
        got = im.zipped
    else:
        got = _own(im)
    if got is not im.current or source != im.source:
        im.current, im.source, im.version = got, source, im.version + 1
    st.caption(", ".join(f"{c}: {n}" for c, n in zip(got.classes, got.counts())) + " images.")
    return got
