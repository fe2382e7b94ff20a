"""Regenerate `assets/imagenet_classes.json`: ImageNet-1k's 1,000 class names in torchvision's index order.

Source: the `timm` wheel from PyPI (Apache-2.0), files `timm/data/_info/imagenet_synsets.txt` (the
1,000 WordNet ids, sorted: the index order torchvision's ImageNet weights use) and
`imagenet_synset_to_lemma.txt` (WordNet's lemmas). The name shown is the first lemma; where two
classes share it (crane the bird and the machine, maillot), a word from WordNet's definition is added
by hand (`SAME_NAME`). timm is not a dependency of the app. Run:
    pip download timm --no-deps -d /tmp/timm
    python scripts/imagenet_classes.py /tmp/timm/timm-*.whl
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

SAME_NAME = {"n02012849": "crane (bird)", "n03126707": "crane (machine)", "n03710637": "maillot (swimsuit)",
             "n03710721": "maillot (tank suit)"}
OUT = Path(__file__).resolve().parent.parent / "assets" / "imagenet_classes.json"


def main(wheel: str) -> None:
    z = zipfile.ZipFile(wheel)
    wnids = z.read("timm/data/_info/imagenet_synsets.txt").decode().split()
    lemmas = dict(line.split("\t", 1) for line in
                  z.read("timm/data/_info/imagenet_synset_to_lemma.txt").decode().splitlines() if "\t" in line)
    if len(wnids) != 1000 or wnids != sorted(wnids):
        raise SystemExit("expected 1000 sorted synset ids")
    first = [lemmas[w].split(", ")[0] for w in wnids]
    counts = Counter(first)
    names = [f if counts[f] == 1 else SAME_NAME[w] for f, w in zip(first, wnids)]
    OUT.write_text(json.dumps({
        "source": f"{Path(wheel).name}: timm/data/_info/imagenet_synsets.txt and imagenet_synset_to_lemma.txt "
                  "(Apache-2.0); names are WordNet's first lemma; order is the sorted synset ids",
        "wnids": wnids, "names": names}, indent=0) + "\n")
    print(f"wrote {OUT} ({len(names)} classes, {len(set(names))} distinct names)")


if __name__ == "__main__":
    main(sys.argv[1])
