"""What the network drawing needs to know about each layer (drawn by `core.viz.raster.network_image`):
a node per neuron with a thumbnail of what it computes over the input plane (2D data) or, with more
inputs, its value on one sample as a colour and a number; at most 8 drawn per layer.
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
    labels: tuple[str, ...] = ()  # drawn beside the nodes (the inputs' feature names)
    values: np.ndarray | None = None  # one sample's value per unit, drawn in the node when there is no map
