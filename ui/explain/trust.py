"""The Explain lab's "Can we trust it?" tab: faithfulness curves and scores, and Adebayo et al.'s
sanity check, each computed from the maps in the grid, on demand where it is slow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.explain import METHODS, Explanation, explain, make_baseline
from core.explain.trust import SANITY_FLAG, cascading_randomization, deletion_insertion, infidelity, sensitivity
from core.viz.explain import attribution_overlay, faithfulness_curves, feature_bars, sanity_figure
from ui.explain import compute as xp_compute
from ui.explain.sources import Source

WHY = ("A heatmap is only useful if it shows what the model uses. **Faithfulness**: delete the pixels (or features) "
       "a map ranks highest, replacing them with the baseline; if the map is right, the target's score falls "
       "fastest (a low deletion area) and, revealing them first, rises fastest (a high insertion area). A map "
       "drawn at random is the yardstick (dashed). **Sanity check** (Adebayo et al., 2018, \"Sanity Checks for "
       "Saliency Maps\"): replace the weights with random ones, layer by layer from the output down. A map that "
       "hardly changes cannot be explaining what the network learned; it mostly shows the input itself (its "
       "edges, say), and some popular methods fail this test.")


def trust_tab(src: Source, x: torch.Tensor, display: np.ndarray | None, target: int, options: dict,
              results: dict[str, Explanation | str]) -> None:
    st.markdown(WHY)
    done = {m: e for m, e in results.items() if not isinstance(e, str)}
    if not done:
        st.info("Explain with at least one method first (the grid above).")
        return
    base = make_baseline(x, options.get("baseline", "black"), src.background.mean(0, keepdim=True))
    key = ("faithfulness", src.version, xp_compute.input_key(x), target, options.get("baseline"),
           tuple((m, hash(e.attributions.tobytes())) for m, e in done.items()))
    cached = xp_compute.lookup(key)  # reruns (any widget) reuse the curves of the same maps
    if cached is None:
        dels, ins, rows = {}, {}, []
        for e in done.values():
            d, i = deletion_insertion(src.model, x, e.attributions, target, src.output, base)
            dels[e.label], ins[e.label] = d, i
            rows.append({"method": e.label, "deletion area (lower is better)": round(d.auc, 4),
                         "insertion area (higher is better)": round(i.auc, 4),
                         "infidelity (lower is better)":
                             float(f"{infidelity(src.model, x, e.attributions, target):.3g}")})
        d, i = deletion_insertion(src.model, x, xp_compute.random_map(tuple(x.shape)), target, src.output, base)
        dels["random map"], ins["random map"] = d, i
        cached = (dels, ins, rows)
        xp_compute.remember(key, cached)
    dels, ins, rows = cached[0], cached[1], [dict(r) for r in cached[2]]
    a, b = st.columns(2)
    a.plotly_chart(faithfulness_curves(dels, "Deletion: most important first"), key="xp_del")
    b.plotly_chart(faithfulness_curves(ins, "Insertion: most important first"), key="xp_ins")
    st.caption(f"Removed features take the {options.get('baseline', 'black')} baseline's values. Infidelity "
               "(captum.metrics): how badly attributions x small noise predict the output's change.")
    _sensitivity(src, x, target, options, done, rows)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.subheader("Sanity check: randomize the weights")
    _sanity(src, x, display, target, options, done)


def _clicked(label: str, name: str, key: tuple) -> bool:
    """A button whose click survives a rerun: the callback records the request, the run consumes it."""
    st.button(label, key=f"{name}_go", on_click=st.session_state.__setitem__, args=(f"{name}_pending", key))
    if st.session_state.get(f"{name}_pending") == key:
        st.session_state[f"{name}_pending"] = None
        return True
    return False


def _sensitivity(src: Source, x: torch.Tensor, target: int, options: dict, done: dict, rows: list[dict]) -> None:
    key = ("sens", src.version, xp_compute.input_key(x), target, tuple(done), tuple(sorted(options.items())))
    if _clicked("Measure sensitivity (explains each method 5 more times)", "xp_sens", key):
        bar = st.progress(0.0, text="Sensitivity…")
        values = {}
        for n, m in enumerate(done):
            bar.progress(n / len(done), text=f"Sensitivity: {METHODS[m][0]}")
            try:
                values[m] = sensitivity(lambda inp, m=m: explain(
                    src.model, inp, m, target, background=src.background, mean=src.background.mean(0, True),
                    **xp_compute.options_for(src, options)).attributions, x)
            except ValueError as exc:
                st.warning(f"{METHODS[m][0]}: {exc}")
                values[m] = float("nan")
        bar.empty()
        xp_compute.remember(key, values)
    values = xp_compute.lookup(key)
    if values:
        for row, m in zip(rows, done):
            row["sensitivity (lower is steadier)"] = float(f"{values[m]:.3g}")


def _sanity(src: Source, x: torch.Tensor, display: np.ndarray | None, target: int, options: dict,
            done: dict) -> None:
    chosen = st.multiselect("Methods to test", list(done), default=list(done)[:4], key="xp_san_methods",
                            format_func=lambda m: METHODS[m][0])
    key = ("sanity", src.version, xp_compute.input_key(x), target, tuple(chosen), tuple(sorted(options.items())))
    if _clicked("Run the sanity check", "xp_san", key) and chosen:
        bar = st.progress(0.0, text="Randomizing…")
        out = {}
        for n, m in enumerate(chosen):
            def report(i: int, total: int, layer: str, n: int = n, m: str = m) -> None:
                bar.progress((n + i / total) / len(chosen), text=f"{METHODS[m][0]}: randomizing {layer}")

            def run(model: torch.nn.Module, m: str = m) -> np.ndarray:
                return explain(model, x, m, target, background=src.background, mean=src.background.mean(0, True),
                               **xp_compute.options_for(src, options)).attributions
            try:
                out[m] = cascading_randomization(src.model, run, progress=report)
            except ValueError as exc:
                st.warning(f"{METHODS[m][0]}: {exc}")
        bar.empty()
        xp_compute.remember(key, out)
    results = xp_compute.lookup(key)
    if not results:
        st.caption("Runs each chosen method once per layer with weights; the network itself is never changed "
                   "(a copy is randomized).")
        return
    st.plotly_chart(sanity_figure({METHODS[m][0]: (s.layers, s.correlations) for m, s in results.items()},
                                  SANITY_FLAG), key="xp_san_fig")
    for m, s in results.items():
        if s.undefined:
            verdict = ("**undefined**: the map (trained or randomized) is the same everywhere, so it ranks no pixel "
                       "above another and there is nothing to correlate. The test says nothing about this method here.")
        elif s.flagged:
            verdict = (f":red[**flagged**: still {s.correlations[-1]:.2f} correlated with the original once every "
                       "layer is random]")
        else:
            verdict = (f"changes with the weights (correlation {s.correlations[-1]:.2f} at the end): it depends on "
                       "what the model learned")
        st.markdown(f"- **{METHODS[m][0]}** {verdict}")
        cols = st.columns(2)
        if src.kind == "image":
            cols[0].image(attribution_overlay(done[m].attributions[0], display, 160), caption="trained weights")
            cols[1].image(attribution_overlay(s.maps[-1][0], display, 160), caption="all layers random")
        else:
            cols[0].plotly_chart(feature_bars(done[m].attributions[0], src.feature_names, "trained", 220),
                                 key=f"xp_san_a_{m}")
            cols[1].plotly_chart(feature_bars(s.maps[-1][0], src.feature_names, "all layers random", 220),
                                 key=f"xp_san_b_{m}")
