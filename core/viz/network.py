"""What the network drawing needs to know about each layer (drawn by `core.viz.raster.network_image`):
a node per neuron with a thumbnail of what it computes over the input plane, at most 8 drawn per layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_DRAWN = 8


@dataclass(frozen=True)
class Column:
    """One column of nodes: a layer's title, its units and optional per-unit thumbnails (units, res, res)."""

    title: str
    units: int
    maps: np.ndarray | None = None
