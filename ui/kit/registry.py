"""The labs the app registers: one place for the navigation and the Home page's links."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lab:
    path: str
    title: str
    icon: str
    blurb: str


HOME = Lab("pages/home.py", "Home", ":material/home:", "")

# Register a lab here only when its page works end to end.
LABS: tuple[Lab, ...] = (
    Lab("pages/playground.py", "Playground", ":material/scatter_plot:",
        "Build a network layer by layer on 2D, tabular or your own CSV data, and watch it learn live: the "
        "output map, every neuron, loss curves, weights, gradients and health hints."),
    Lab("pages/cnn_lab.py", "CNN lab", ":material/grid_on:",
        "Look inside pretrained CNNs: every layer's feature maps from edges to objects, the filters, "
        "convolution, ReLU, pooling and softmax number by number, and what each channel looks for."),
    Lab("pages/explain_lab.py", "Explain lab", ":material/visibility:",
        "Open the black box of the model you just trained: Captum, SHAP and LIME side by side, whether to "
        "trust them (faithfulness and the randomization sanity check), maps over training, and a what-if editor."),
)
