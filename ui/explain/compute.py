"""The Explain lab's computing: explanations cached per (model version, input, method, target, the
settings that method reads) in the session, run one method at a time under a progress bar.

Streamlit stops a running script when the user clicks anything; a progress update is where that
lands, so long work can always be cancelled. What finished before is kept in the cache.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

import streamlit as st
import torch

from core.explain import METHODS, Explanation, explain
from ui.explain.sources import Source

MAX_CACHED = 300


def _cache() -> OrderedDict:
    return st.session_state.setdefault("xp_cache", OrderedDict())


def input_key(x: torch.Tensor) -> tuple:
    """A content key for an input (uploads and edited rows change it)."""
    a = x.detach().cpu().numpy()
    return (a.shape, hash(a.tobytes()))


def cache_key(src: Source, x: torch.Tensor, method: str, target: int, options: dict, extra: object = None) -> tuple:
    used = tuple((k, options[k]) for k in METHODS[method].options if k in options)
    return (src.version, input_key(x), method, int(target), used, extra)


def remember(key: tuple, value: object) -> None:
    cache = _cache()
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > MAX_CACHED:
        cache.popitem(last=False)


def lookup(key: tuple) -> object | None:
    cache = _cache()
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    return None


def options_for(src: Source, options: dict) -> dict:
    return {**options, "output": src.output}


def one(src: Source, x: torch.Tensor, method: str, target: int, options: dict,
        make_model: Callable[[], torch.nn.Module] | None = None, version: object = None) -> Explanation | str:
    """An explanation (cached), or the reason it failed, in words. `make_model` builds another model
    (a checkpoint) only when the cache does not already hold its answer."""
    opts = options_for(src, options)
    key = cache_key(src, x, method, target, opts, version)
    hit = lookup(key)
    if hit is not None:
        return hit
    try:
        model = make_model() if make_model else src.model
        e = explain(model, x, method, target, mean=src.background.mean(0, keepdim=True), background=src.background,
                    **opts)
    except ValueError as exc:
        return str(exc)
    remember(key, e)
    return e


def many(src: Source, x: torch.Tensor, methods: Iterable[str], target: int, options: dict,
         label: str = "Explaining") -> dict[str, Explanation | str]:
    """Every method in turn under one progress bar (cached ones are instant)."""
    methods = list(methods)
    opts = options_for(src, options)
    todo = [m for m in methods if lookup(cache_key(src, x, m, target, opts)) is None]
    bar = st.progress(0.0, text=f"{label}…") if todo else None
    out = {}
    for i, m in enumerate(methods):
        if bar is not None:
            slow = ""
            if m in SLOW and m in todo:
                evals = int(options.get("max_evals", 500))
                slow = f", about {estimate_s(src, x, evals):.0f} s: it runs the model {evals} times"
            bar.progress(i / len(methods), text=f"{label}: {METHODS[m].label} ({i + 1}/{len(methods)}{slow})")
        out[m] = one(src, x, m, target, options)
    if bar is not None:
        bar.empty()
    return out


SLOW = ("partition_shap", "permutation_shap")  # their time grows with the number of model evaluations


def estimate_s(src: Source, x: torch.Tensor, evals: int) -> float:
    """Seconds for `evals` evaluations of the model on inputs like `x`, from one timed batch (kept)."""
    key = ("eval_cost", src.version, tuple(x.shape[1:]))
    per = lookup(key)
    if per is None:
        batch = x.expand(16, *x.shape[1:]).contiguous()
        start = time.perf_counter()
        with torch.no_grad():
            src.model(batch)
        per = (time.perf_counter() - start) / 16
        remember(key, per)
    return max(1.0, 1.5 * per * evals)  # SHAP's own work on top of the model's
