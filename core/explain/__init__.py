"""One framework-free facade over the attribution libraries: `explain(model, inputs, method, target)`.

Returns an `Explanation` whose attributions have the input's shape, as numpy, with metadata (method,
target, baseline, settings, seconds; Integrated Gradients' convergence delta). This module covers the
gradient and perturbation methods of captum; SHAP and LIME join the same facade.
"""

from core.explain.captum_methods import CAPTUM_METHODS, Explanation, explain, make_baseline

__all__ = ["CAPTUM_METHODS", "Explanation", "explain", "make_baseline"]
