"""A zip of images with one folder per class, including a corpus of hostile archives made here."""

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from core.data.zip_images import MAX_UNPACKED, read_image_zip


def _png(color, size=(20, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_folders_become_classes_and_images_tensors():
    z = _zip({f"red/{i}.png": _png((200, 10, 10)) for i in range(4)} | {f"blue/{i}.png": _png((10, 10, 200))
                                                                         for i in range(4)})
    ds, notes = read_image_zip(z, size=16)
    assert ds.class_names == ("blue", "red") and ds.input_shape == (3, 16, 16) and len(ds) == 8
    red = ds.x_train[ds.y_train == 1][0]
    assert float(red[0].mean()) > 0.7 and float(red[2].mean()) < 0.1 and notes == []


def test_a_wrapping_folder_nested_folders_and_other_files_are_handled():
    entries = {"data/cats/a.png": _png((1, 1, 1)), "data/cats/b.png": _png((2, 2, 2)),
               "data/cats/deeper/c.png": _png((3, 3, 3)), "data/dogs/a.jpg": _png((9, 9, 9)),
               "data/dogs/b.png": _png((8, 8, 8)), "data/dogs/notes.txt": b"hello",
               "data/dogs/broken.png": b"\x89PNG broken", "data/.DS_Store": b"x", "__MACOSX/data/._a.png": b"x"}
    ds, notes = read_image_zip(_zip(entries), size=8, channels=1)
    assert ds.class_names == ("cats", "dogs") and len(ds) == 5 and ds.input_shape == (1, 8, 8)
    joined = " ".join(notes)
    assert "1 file(s) skipped: not an image" in joined and "1 file(s) skipped: unreadable image" in joined


@pytest.mark.parametrize("entries, message", [
    ({"only/a.png": _png((1, 2, 3)), "only/b.png": _png((1, 2, 3))}, "only one"),
    ({"a.png": _png((1, 2, 3))}, "none"),
    ({"x/a.png": _png((1, 2, 3)), "y/b.png": _png((1, 2, 3)), "y/c.png": _png((1, 2, 3))}, "single image"),
    ({"../evil/a.png": _png((1, 2, 3)), "ok/b.png": _png((1, 2, 3))}, "climbs out"),
    ({"/etc/a.png": _png((1, 2, 3))}, "absolute path"),
    ({"C:/evil/a.png": _png((1, 2, 3))}, "absolute path"),
    ({"[x](https://example.com)/0.png": _png((1, 2, 3)), "ok/b.png": _png((1, 2, 3))}, "markdown or HTML"),
    ({"<img src=x onerror=alert(1)>/0.png": _png((1, 2, 3)), "ok/b.png": _png((1, 2, 3))}, "markdown or HTML"),
])
def test_bad_zips_are_refused_readably(entries, message):
    with pytest.raises(ValueError, match=message):
        read_image_zip(_zip(entries))


def test_not_a_zip_and_a_zip_bomb_are_refused():
    with pytest.raises(ValueError, match="not a zip"):
        read_image_zip(b"PK but not really")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/big.png", b"\0" * (MAX_UNPACKED + 1))
        zf.writestr("b/x.png", _png((1, 1, 1)))
    assert len(buf.getvalue()) < 2 * 1024 * 1024  # tiny on disk, huge unpacked
    with pytest.raises(ValueError, match="zip bomb"):
        read_image_zip(buf.getvalue())


def test_a_link_inside_the_zip_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("a/link.png")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
        zf.writestr("b/x.png", _png((1, 1, 1)))
    with pytest.raises(ValueError, match="link"):
        read_image_zip(buf.getvalue())
    assert np.isfinite(1.0)


def test_a_member_of_exactly_the_cap_is_refused_before_it_is_read(monkeypatch):
    from core.data import zip_images

    monkeypatch.setattr(zip_images, "MAX_UNPACKED", 40_000)
    z = _zip({"a/big.png": b"\0" * 40_000, "b/x.png": _png((1, 1, 1))})
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a[0]) or real_open(self, *a, **k))
    with pytest.raises(ValueError, match="zip bomb"):
        read_image_zip(z)
    assert opened == []


def test_a_member_over_its_own_cap_is_skipped_unread(monkeypatch):
    from core.data import zip_images

    monkeypatch.setattr(zip_images, "MAX_MEMBER_BYTES", 2_000)
    entries = {f"{c}/{i}.png": _png((i, 9, 9)) for c in ("a", "b") for i in range(2)}
    entries["a/huge.png"] = _png((1, 2, 3), size=(300, 300)) + b"\0" * 3_000
    ds, notes = read_image_zip(_zip(entries))
    assert len(ds) == 4 and any("over" in n and "1 file" in n for n in notes)


def test_pixels_are_capped_per_image_and_in_all_before_decoding(monkeypatch):
    from core.data import zip_images

    decoded = []
    real = zip_images.decode_image
    monkeypatch.setattr(zip_images, "decode_image", lambda raw, name: decoded.append(name) or real(raw, name))
    monkeypatch.setattr(zip_images, "MAX_IMAGE_PIXELS", 1_000)
    monkeypatch.setattr(zip_images, "MAX_TOTAL_PIXELS", 20 * 16 * 6)  # six small images
    entries = {f"{c}/{i}.png": _png((i, 9, 9)) for c in ("a", "b") for i in range(4)}  # 20x16 each
    entries["a/blank.png"] = _png((0, 0, 0), size=(2000, 2000))  # tiny file, 4 million pixels
    ds, notes = read_image_zip(_zip(entries))
    assert "blank.png" not in decoded and len(decoded) == 6 and len(ds) == 6
    assert any("million pixels" in n and "budget" not in n for n in notes)
    assert any("budget" in n and "2 file" in n for n in notes)


def test_a_zip_whose_images_were_all_skipped_says_why():
    z = _zip({"cats/a.png": b"\x89PNG broken", "dogs/readme.txt": b"hello"})
    with pytest.raises(ValueError, match="has none.*unreadable image"):
        read_image_zip(z)


def test_a_markdown_name_is_refused_for_what_it_is_not_as_a_path():
    z = _zip({"[x](https://example.com)/0.png": _png((1, 2, 3)), "ok/b.png": _png((1, 2, 3))})
    with pytest.raises(ValueError) as info:
        read_image_zip(z)
    assert "absolute path" not in str(info.value) and "[x](https://example.com)" in str(info.value)


def test_plain_folder_names_with_spaces_and_brackets_still_load():
    z = _zip({f"thumbs up (left)/{i}.png": _png((200, 10, 10)) for i in range(2)}
             | {f"C3PO_2/{i}.png": _png((10, 10, 200)) for i in range(2)})
    ds, _ = read_image_zip(z, size=8)
    assert ds.class_names == ("C3PO_2", "thumbs up (left)")
