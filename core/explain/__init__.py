"""One framework-free facade over captum, SHAP and LIME: `explain(model, inputs, method, target, **options)`.

Attributions come back shaped like the input, as numpy, with metadata (method, target, baseline,
settings, seconds; Integrated Gradients' delta, SHAP's base value, LIME's superpixels).
"""

from core.explain.base import AUTO, BASELINES, ExplainOptions, Explanation, make_baseline, resolve_baseline
from core.explain.facade import explain
from core.explain.methods import CAPTUM_METHODS, METHODS, Method, why_not

__all__ = ["AUTO", "BASELINES", "CAPTUM_METHODS", "METHODS", "Method", "ExplainOptions", "Explanation", "explain",
           "make_baseline", "resolve_baseline", "why_not"]
