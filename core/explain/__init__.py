"""One framework-free facade over captum, SHAP and LIME: `explain(model, inputs, method, target, **options)`.

Attributions come back shaped like the input, as numpy, with metadata (method, target, baseline,
settings, seconds; Integrated Gradients' delta, SHAP's base value, LIME's superpixels).
"""

from core.explain.base import (
    BASELINES,
    CAPTUM_METHODS,
    METHODS,
    ExplainOptions,
    Explanation,
    make_baseline,
    why_not,
)
from core.explain.facade import explain

__all__ = ["BASELINES", "CAPTUM_METHODS", "METHODS", "ExplainOptions", "Explanation", "explain", "make_baseline",
           "why_not"]
