"""Every explanation method on the shipped TinyVGG, one held-out 64x64 image, on the CPU (two threads).

Last line:
explain_speed saliency_ms=<a> ig_ms=<b> gradcam_ms=<c> occlusion_ms=<d> gradshap_ms=<e> lime_ms=<f> overhead_ratio=<g>
Each figure is the median of several runs after a warm-up, through `core.explain.explain`.
overhead_ratio: the facade's total time over the same six calls made directly to captum, SHAP and
LIME with the same settings (Integrated Gradients 50 steps, Occlusion 8x8 window stride 4,
GradientExplainer 50 samples on 50 background images, LIME 1000 samples over the same superpixels).
SHAP's explainer sees the same one-output wrapper in both (computing every class would be 6x the work).
The line before it times the Explain lab's side-by-side grid: those six methods plus their pictures.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from core.data import DataSpec, load_dataset  # noqa: E402
from core.data.photos import tensor_to_rgb  # noqa: E402
from core.explain import explain  # noqa: E402
from core.explain.lime_methods import HIDDEN, _quiet, superpixels  # noqa: E402
from core.explain.shap_methods import TargetScore  # noqa: E402
from core.explain.viz import attribution_overlay, segments_overlay  # noqa: E402
from core.zoo.shipped import load_shipped  # noqa: E402

METHODS = {"saliency": "saliency_ms", "integrated_gradients": "ig_ms", "gradcam": "gradcam_ms",
           "occlusion": "occlusion_ms", "gradient_shap": "gradshap_ms", "lime": "lime_ms"}
RUNS = {"saliency": 21, "integrated_gradients": 11, "gradcam": 21, "occlusion": 9, "gradient_shap": 11, "lime": 11}


def _median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _paired_ms(a, b, runs: int) -> tuple[float, float]:
    """Medians of a and b run alternately, so a busy moment of the machine hits both alike."""
    a(), b()
    ta, tb = [], []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(ta), statistics.median(tb)


def direct_calls(model, x, target, bg):
    """The same work, written as a user of each library would write it."""
    import shap
    from captum import attr as ca
    from lime import lime_image

    lime_image.tqdm = _quiet
    zeros = torch.zeros_like(x)
    img = x[0].permute(1, 2, 0).numpy().astype(float)
    n_segments = int(superpixels(img, 50).max()) + 1
    wrapped = TargetScore(model, target).eval()

    def classify(batch):
        batch = np.where(batch == HIDDEN, 0.0, batch)
        with torch.no_grad():
            return model(torch.as_tensor(batch, dtype=torch.float32).permute(0, 3, 1, 2)).softmax(-1).numpy()

    def gradcam():
        cam = ca.LayerGradCam(model, model.get_submodule("conv_4")).attribute(x, target=target, relu_attributions=True)
        return F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)

    return {
        "saliency": lambda: ca.Saliency(model).attribute(x, target=target, abs=True),
        "integrated_gradients": lambda: ca.IntegratedGradients(model).attribute(
            x, baselines=zeros, target=target, n_steps=50, return_convergence_delta=True),
        "gradcam": gradcam,
        "occlusion": lambda: ca.Occlusion(model).attribute(x, sliding_window_shapes=(3, 8, 8), strides=(3, 4, 4),
                                                           baselines=zeros, target=target, perturbations_per_eval=16),
        "gradient_shap": lambda: shap.GradientExplainer(wrapped, bg, batch_size=50).shap_values(x, nsamples=50,
                                                                                                 rseed=0),
        "lime": lambda: lime_image.LimeImageExplainer(random_state=0).explain_instance(
            img, classify, labels=(target,), top_labels=None, hide_color=HIDDEN, num_features=n_segments,
            num_samples=1000, batch_size=100, segmentation_fn=lambda i: superpixels(i, 50), random_seed=0),
    }


def main() -> None:
    torch.set_num_threads(2)
    model = load_shipped("tinyvgg").model
    ds = load_dataset(DataSpec("objects", n_samples=120, image_size=64, train_fraction=0.5, seed=20261121))
    x, bg = ds.x_test[:1], ds.x_train[:50]
    with torch.no_grad():
        target = int(model(x).argmax())
    direct_fns = direct_calls(model, x, target, bg)
    facade, direct = {}, {}
    for m in METHODS:
        facade[m], direct[m] = _paired_ms(lambda m=m: explain(model, x, m, target, background=bg), direct_fns[m],
                                          RUNS[m])
    for m in METHODS:
        print(f"{m}: facade {facade[m]:.1f} ms, direct {direct[m]:.1f} ms")
    display = tensor_to_rgb(x[0])

    def grid() -> None:
        for m in METHODS:
            e = explain(model, x, m, target, background=bg)
            attribution_overlay(e.attributions[0], display)
            if m == "lime":
                segments_overlay(display, e.extra["segments"])

    grid_s = _median_ms(grid, 3) / 1000
    print(f"explain_grid six_methods_with_pictures_s={grid_s:.2f}")
    ratio = sum(facade.values()) / sum(direct.values())
    print("explain_speed " + " ".join(f"{METHODS[m]}={facade[m]:.1f}" for m in METHODS)
          + f" overhead_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
