"""The Explain lab's "Can we trust it?" tab: faithfulness curves and scores, and Adebayo et al.'s
sanity check, each computed from the maps in the grid, on demand where it is slow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.explain import AUTO, METHODS, Explanation, explain, resolve_baseline
from core.explain.faithfulness import faithfulness
from core.explain.trust import SANITY_FLAG, cascading_randomization, sensitivity
from core.explain.viz import attribution_overlay, faithfulness_curves, feature_bars, sanity_figure
from ui.explain import compute as xp_compute
from ui.explain.controls import BASELINE_NAMES
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
    baseline = resolve_baseline(options.get("baseline", AUTO), x)
    key = ("faithfulness", src.version, xp_compute.input_key(x), target, baseline,
           tuple((m, hash(e.attributions.tobytes())) for m, e in done.items()))
    result = xp_compute.lookup(key)  # reruns (any widget) reuse the curves of the same maps
    if result is None:
        with st.spinner("Deleting and inserting pixels…"):
            result = faithfulness(src.model, x, {e.label: e.attributions for e in done.values()}, target,
                                  src.output, baseline, src.background.mean(0, keepdim=True), steps=40)
        xp_compute.remember(key, result)
    rows = [s.row() for s in result.scores]
    a, b = st.columns(2)
    a.plotly_chart(faithfulness_curves(result.deletion, "Deletion: most important first"), key="xp_del")
    b.plotly_chart(faithfulness_curves(result.insertion, "Insertion: most important first"), key="xp_ins")
    st.caption(f"Removed features take the baseline's values ({BASELINE_NAMES[src.kind][baseline]}): the same "
               "baseline Integrated Gradients, "
               "DeepLift and Occlusion compare with (and LIME and SHAP Partition fill hidden parts with), so each "
               "method is judged with its own idea of \"absent\". Infidelity (captum.metrics): how badly "
               "attributions x small noise predict the output's change.")
    losers = result.losers()
    if losers:
        st.info(f"**{', '.join(losers)}** {'does' if len(losers) == 1 else 'do'} no better than a map of random "
                   "noise on this input: a lower deletion area and a higher insertion area than the dashed random "
                   "map are both needed. Do not read much into " + ("its" if len(losers) == 1 else "their")
                   + " heatmap here.", icon=":material/casino:")
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
            bar.progress(n / len(done), text=f"Sensitivity: {METHODS[m].label}")
            try:
                values[m] = sensitivity(lambda inp, m=m: explain(
                    src.model, inp, m, target, background=src.background, mean=src.background.mean(0, True),
                    **xp_compute.options_for(src, options)).attributions, x)
            except ValueError as exc:
                st.warning(f"{METHODS[m].label}: {exc}")
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
                            format_func=lambda m: METHODS[m].label)
    key = ("sanity", src.version, xp_compute.input_key(x), target, tuple(chosen), tuple(sorted(options.items())))
    if _clicked("Run the sanity check", "xp_san", key) and chosen:
        bar = st.progress(0.0, text="Randomizing…")
        out = {}
        for n, m in enumerate(chosen):
            def report(i: int, total: int, layer: str, n: int = n, m: str = m) -> None:
                bar.progress((n + i / total) / len(chosen), text=f"{METHODS[m].label}: randomizing {layer}")

            def run(model: torch.nn.Module, m: str = m) -> np.ndarray:
                return explain(model, x, m, target, background=src.background, mean=src.background.mean(0, True),
                               **xp_compute.options_for(src, options)).attributions
            try:
                out[m] = cascading_randomization(src.model, run, progress=report)
            except ValueError as exc:
                st.warning(f"{METHODS[m].label}: {exc}")
        bar.empty()
        xp_compute.remember(key, out)
    results = xp_compute.lookup(key)
    if not results:
        st.caption("Runs each chosen method once per layer with weights; the network itself is never changed "
                   "(a copy is randomized).")
        return
    st.plotly_chart(sanity_figure({METHODS[m].label: (s.layers, s.correlations) for m, s in results.items()},
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
        st.markdown(f"- **{METHODS[m].label}** {verdict}")
        cols = st.columns(2)
        if src.kind == "image":
            cols[0].image(attribution_overlay(done[m].attributions[0], display, 160), caption="trained weights")
            cols[1].image(attribution_overlay(s.maps[-1][0], display, 160), caption="all layers random")
        else:
            cols[0].plotly_chart(feature_bars(done[m].attributions[0], src.feature_names, "trained", 220),
                                 key=f"xp_san_a_{m}")
            cols[1].plotly_chart(feature_bars(s.maps[-1][0], src.feature_names, "all layers random", 220),
                                 key=f"xp_san_b_{m}")
