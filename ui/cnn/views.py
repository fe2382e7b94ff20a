"""The CNN lab's views: feature maps, hierarchy, filters, the operations step by step, feature
visualization. Each draws from core results; heavy work is cached in the session.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch
from torch import nn

from core.cnn.features import SCALES, FeatureMaps, conv_layers, filters, scaled, strongest_channels
from core.cnn.featureviz import maximize, top_images
from core.cnn.ops import conv_step, pool_step, relu_view, softmax_view
from core.cnn.viz import clickable_grid, filters_image, map_tile, values_heatmap
from core.cores import free_cores
from core.data.photos import tensor_to_rgb
from core.viz.images import upscale
from core.zoo.shipped import ShippedModel
from ui.kit import links
from ui.kit import models as zoo

GRID_MAX = 80  # maps drawn at once; ResNet's 512-channel stages page through them with the channel slider


def clicked_channel(event) -> int | None:
    """The channel of the map clicked in the grid (a plotly selection event), or None."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or ():
        if isinstance(point, dict) and isinstance(point.get("customdata"), (int, float)):
            return int(point["customdata"])
        if isinstance(point, dict) and isinstance(point.get("customdata"), list) and point["customdata"]:
            return int(point["customdata"][0])
    return None


def feature_maps_tab(sm: ShippedModel, fm: FeatureMaps, display: np.ndarray) -> None:
    layers = list(fm.layers)
    c1, c2 = st.columns([1, 1])
    layer = links.sticky(c1.selectbox, "Layer", layers, "cnn_fm_layer", help="Every layer that still has an image "
                         "shape.")
    mode = links.sticky(c2.radio, "Colour scale", SCALES, "cnn_fm_scale", horizontal=True,
                        help="Per map: each map uses its own range (shows shapes). Per layer: one range for the "
                             "layer (compares channels). Global: one range for the whole network (compares layers).")
    maps, peak = scaled(fm, layer, mode)
    clicked = clicked_channel(st.session_state.get("cnn_fm_grid"))
    if clicked is not None and clicked != st.session_state.get("cnn_fm_clicked") and clicked < len(maps):
        st.session_state[f"cnn_fm_ch_{layer}"] = clicked  # a click on a map opens it, as in CNN Explainer
    st.session_state["cnn_fm_clicked"] = clicked
    channel = links.sticky(st.slider, "Channel", None, f"cnn_fm_ch_{layer}", min_value=0, max_value=len(maps) - 1,
                           valid=lambda v: 0 <= v < len(maps))
    first = channel // GRID_MAX * GRID_MAX
    st.plotly_chart(clickable_grid(maps[first:first + GRID_MAX], cols=min(10, len(maps)), size=72,
                                   selected=channel - first, first=first), key="cnn_fm_grid", on_select="rerun",
                    selection_mode="points", width="content", config={"displayModeBar": False})
    part = f" (channels {first}-{min(first + GRID_MAX, len(maps)) - 1} shown)" if len(maps) > GRID_MAX else ""
    st.caption(f"{len(maps)} channels of {maps.shape[1]}x{maps.shape[2]}{part}; orange negative, blue positive; "
               f"the scale's largest magnitude is {peak:.3g}.")
    a, b = st.columns(2)
    a.image(upscale(display, 256), caption="What the network sees")
    raw = fm.layers[layer][channel]
    b.plotly_chart(values_heatmap(raw, f"{layer}, channel {channel}", show_numbers=raw.size <= 64),
                   key="cnn_fm_large")


def hierarchy_tab(sm: ShippedModel, fm: FeatureMaps, display: np.ndarray) -> None:
    st.caption("For each layer, the channel that fires most on this image: early layers respond to edges and "
               "colours, later ones to textures and parts, and the last to the object itself.")
    row = strongest_channels(fm)
    tiles = [(upscale(display, 160), "input")]
    tiles += [(map_tile(fm.layers[layer][k] / (np.abs(fm.layers[layer][k]).max() or 1), 160), f"{layer} #{k}")
              for layer, k, _mean in row]
    per_row = 5  # tiles large enough to see, wrapping onto more rows for deep networks
    for start in range(0, len(tiles), per_row):
        cols = st.columns(per_row)
        for col, (img, caption) in zip(cols, tiles[start:start + per_row]):
            col.image(img, caption=caption, width="stretch")
    top = int(np.argmax(fm.probs))
    st.markdown(f"Prediction: **{sm.class_names[top]}** ({fm.probs[top]:.0%})")


def filters_tab(sm: ShippedModel) -> None:
    for layer in conv_layers(sm.model):
        w = filters(sm.model, layer)
        st.image(filters_image(w, size=48 if w.shape[-1] <= 5 else 64), width="content",
                 caption=f"{layer}: {w.shape[0]} filters of {w.shape[1]}x{w.shape[2]}x{w.shape[3]}"
                         + (" (shown in colour: one per input channel)" if w.shape[1] == 3 else
                            " (mean over input channels)"))


def _input_of(model: nn.Module, fm: FeatureMaps, x: np.ndarray, layer: str) -> np.ndarray:
    names = [n for n, _ in model.named_children()]
    i = names.index(layer)
    return x if i == 0 else fm.layers[names[i - 1]]


def operations_tab(sm: ShippedModel, fm: FeatureMaps, x: np.ndarray) -> None:
    op = st.radio("Operation", ["Convolution", "ReLU", "Max-pool", "Softmax"], horizontal=True, key="cnn_op")
    model = sm.model
    names = [n for n, _ in model.named_children()]
    if op == "Convolution":
        playing = st.toggle("Play: slide the kernel over the input", key="cnn_op_play",
                            help="Moves the kernel position on its own, as CNN Explainer animates it.")
        st.fragment(run_every=PLAY_S if playing else None)(_convolution)(model, fm, x, playing)
    elif op == "ReLU":
        layer = st.selectbox("ReLU layer", [n for n in names if isinstance(model.get_submodule(n), nn.ReLU)
                                            and n in fm.layers], key="cnn_op_relu")
        before = _input_of(model, fm, x, layer)
        ch = st.slider("Channel", 0, before.shape[0] - 1, key=f"cnn_op_relu_ch_{layer}")
        after, zeroed = relu_view(before[ch])
        lim = float(np.abs(before[ch]).max()) or 1.0
        a, b = st.columns(2)
        a.plotly_chart(values_heatmap(before[ch], "before: any value", zmax=lim, show_numbers=False), key="cnn_r1")
        b.plotly_chart(values_heatmap(after, "after: max(0, value)", zmax=lim, show_numbers=False), key="cnn_r2")
        st.caption(f"ReLU keeps positive values and sets the others to 0: here {zeroed:.0%} of the values.")
    elif op == "Max-pool":
        pools = [n for n in names if isinstance(model.get_submodule(n), nn.MaxPool2d)]
        layer = st.selectbox("Pooling layer", pools, key="cnn_op_pool")
        pool = model.get_submodule(layer)
        before = _input_of(model, fm, x, layer)
        ch = st.slider("Channel", 0, before.shape[0] - 1, key=f"cnn_op_pool_ch_{layer}")
        oh, ow = fm.layers[layer].shape[1:]
        out = fm.layers[layer][ch]  # open on the window whose maximum is largest (not an all-zero corner)
        pos = st.slider("Window", 0, oh * ow - 1, int(np.argmax(out)) if out.size else 0,
                        key=f"cnn_op_pool_pos_{layer}_{ch}")
        ps = pool_step(before, pool, ch, pos // ow, pos % ow)
        k, s, p = (v if isinstance(v, int) else v[0] for v in (pool.kernel_size, pool.stride, pool.padding))
        a, b = st.columns(2)
        shown = np.pad(before[ch], p, constant_values=np.nan) if p else before[ch]
        a.plotly_chart(values_heatmap(shown, "input" + (f" (padded by {p})" if p else ""),
                                      highlight=(ps.row * s, ps.col * s, k), show_numbers=before.shape[1] <= 10),
                       key="cnn_p1")
        b.plotly_chart(values_heatmap(np.where(np.isfinite(ps.window), ps.window, np.nan), "window"), key="cnn_p2")
        overlap = f", moving {s} at a time so windows overlap" if s < k else ""
        st.markdown(f"The largest of the {k}x{k} window{overlap} is **{ps.value:.4f}**: that single value goes on; "
                    "the image shrinks and keeps its strongest responses.")
    else:
        sm_view = softmax_view(fm.logits)
        table = pd.DataFrame({"class": list(sm.class_names), **{k: np.round(v, 4) for k, v in sm_view.items()}})
        if len(table) > 20:
            st.caption(f"The 20 most likely of {len(table):,} classes; the sum runs over all of them.")
            table = table.sort_values("logits", ascending=False).head(20)
        st.dataframe(table, hide_index=True)
        st.caption("Softmax turns the last layer's scores (logits) into probabilities: subtract the largest "
                   "(for numerical safety), take exp, divide by the sum. They are positive and add up to 1.")


def _request(key: tuple) -> None:
    st.session_state["cnn_fv_pending"], st.session_state["cnn_fv_stopped"] = key, None


def featureviz_tab(sm: ShippedModel, fm: FeatureMaps) -> None:
    st.caption("What does a channel look for? Gradient ascent paints an input that excites it as much as "
               "possible (with jitter, blur and decay to keep it natural, as Lucid does); beside it, the sample "
               "images that excite it most.")
    c = st.columns([1, 1, 1])
    layer = c[0].selectbox("Layer", list(fm.layers), index=len(fm.layers) - 1, key="cnn_fv_layer")
    channel = c[1].number_input("Channel", 0, fm.layers[layer].shape[0] - 1, 0, key=f"cnn_fv_ch_{layer}")
    big = sm.input_shape[-1] > 100  # ResNet's 224x224 input: about 0.15 s a step on a CPU
    steps = c[2].select_slider("Steps", [64, 128, 256, 512], 64 if big else 256, key="cnn_fv_steps",
                               help="More steps paint a clearer picture and take longer"
                                    + (" (about 10 s per 64 on this model on a CPU)." if big else "."))
    cache = st.session_state.setdefault("cnn_fv_cache", {})
    key = (sm.name, layer, int(channel), steps)
    st.button("Visualize", key="cnn_fv_go", type="primary", on_click=_request, args=(key,))
    if st.session_state.get("cnn_fv_pending") == key and key not in cache:
        st.session_state["cnn_fv_pending"] = None
        threads = free_cores()  # a busy server: one thread per free core, not one waiting on a busy one
        holder = st.empty()
        with holder.container():
            bar = st.progress(0.0, text=f"Gradient ascent on {threads} free core{'s' if threads > 1 else ''}…")
            st.button("Stop", key="cnn_fv_stop", icon=":material/stop:", on_click=st.session_state.__setitem__,
                      args=("cnn_fv_stopped", key), help="Stop painting; press Visualize to start again.")

        def report(s: int, a: float) -> None:  # each report is where a click on Stop ends this run
            bar.progress(s / steps, text=f"step {s}/{steps}: activation {a:.3f} ({threads} threads)")

        img, hist = maximize(sm.model, layer, int(channel), sm.input_shape, steps=steps, progress=report,
                             threads=threads)
        holder.empty()
        x, _, _ = zoo.samples_for(sm)
        idx, scores = top_images(sm.model, x, layer, int(channel))
        cache[key] = (img, hist, idx, scores)
    elif st.session_state.get("cnn_fv_stopped") == key and key not in cache:
        st.info("Stopped before the picture was finished. Press Visualize to paint it again.")
    if key in cache:
        img, hist, idx, scores = cache[key]
        x, y, classes = zoo.samples_for(sm)
        cols = st.columns(len(idx) + 1)
        cols[0].image(upscale(tensor_to_rgb(torch.as_tensor(img)), 128),
                      caption=f"activation {hist[0]:.2f} -> {max(hist):.2f}")
        for col, i, s in zip(cols[1:], idx, scores):
            col.image(upscale(tensor_to_rgb(x[int(i)]), 96), caption=f"{classes[int(y[int(i)])]} ({s:.2f})")


PLAY_S = 0.7  # seconds per step of the convolution's animation


def _convolution(model: nn.Module, fm: FeatureMaps, x: np.ndarray, playing: bool) -> None:
    """The convolution number by number at one kernel position (a fragment: it animates on its own)."""
    c = st.columns(3)
    layer = c[0].selectbox("Conv layer", conv_layers(model), key="cnn_op_conv")
    conv = model.get_submodule(layer)
    inp = _input_of(model, fm, x, layer)
    out_ch = c[1].number_input("Output channel", 0, conv.out_channels - 1, key=f"cnn_op_oc_{layer}")
    in_ch = c[2].number_input("Input channel shown", 0, inp.shape[0] - 1, key=f"cnn_op_ic_{layer}")
    oh, ow = fm.layers[layer].shape[1:]
    key = f"cnn_op_pos_{layer}"
    if playing:  # the next position, set before the slider is drawn in this run
        st.session_state[key] = (int(st.session_state.get(key, 0)) + max(1, oh * ow // 80)) % (oh * ow)
    pos = st.slider("Kernel position (step through the output)", 0, oh * ow - 1, key=key)
    step = conv_step(inp, conv, int(out_ch), pos // ow, pos % ow)
    k = step.kernel.shape[-1]
    a, b, d = st.columns([1.2, 0.8, 1.2])
    s, p = conv.stride[0], conv.padding[0]
    a.plotly_chart(values_heatmap(np.pad(inp[int(in_ch)], p), f"input channel {in_ch}",
                                  highlight=(step.row * s, step.col * s, k), show_numbers=inp.shape[1] <= 10),
                   key="cnn_op_in")
    b.plotly_chart(values_heatmap(step.kernel[int(in_ch)], "kernel"), key="cnn_op_k")
    d.plotly_chart(values_heatmap(fm.layers[layer][int(out_ch)], f"output channel {out_ch}",
                                  highlight=(step.row, step.col, 1), show_numbers=oh <= 10), key="cnn_op_out")
    w1, w2, w3 = st.columns(3)  # the multiply-add itself, number by number, for the channel shown
    ic = int(in_ch)
    w1.plotly_chart(values_heatmap(step.window[ic], f"the input window (channel {ic})"), key="cnn_op_win")
    w2.plotly_chart(values_heatmap(step.kernel[ic], "x the kernel"), key="cnn_op_ker")
    w3.plotly_chart(values_heatmap(step.products[ic], f"= products, sum {step.products[ic].sum():.3f}"),
                    key="cnn_op_prod")
    per_channel = step.products.reshape(len(step.products), -1).sum(1)
    st.markdown(
        f"At row {step.row}, column {step.col}: the {k}x{k} window of every input channel is multiplied "
        f"element by element with the kernel and everything is added up: "
        + " + ".join(f"{v:.3f}" for v in per_channel[:6]) + (" + …" if len(per_channel) > 6 else "")
        + f" (one sum per input channel) + bias {step.bias:.3f} = **{step.value:.4f}**, the value in the "
          f"output map (the layer computed {fm.layers[layer][int(out_ch), step.row, step.col]:.4f}).")
