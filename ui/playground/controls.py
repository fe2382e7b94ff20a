"""The Playground's controls: data, network builder and training settings, each with a short
explanation beside it. Changes go through `pg_state.try_update`, so a bad value keeps what was there.
"""

from __future__ import annotations

import random
from dataclasses import replace

import streamlit as st

from core.data import DATASETS
from core.data.csv_data import MAX_CSV_BYTES, csv_dataset, read_csv
from core.data.toy2d import FEATURES
from core.playground.fields import SETTINGS
from core.playground.network import MAX_HIDDEN_LAYERS, MAX_UNITS, HiddenLayer, edit_layers
from core.specs import ACTIVATION_TITLES
from core.training.config import OPTIMIZERS
from core.training.device import available_devices
from core.validate import validate
from ui.kit import links
from ui.kit.fold import folded
from ui.playground import state as pg_state
from ui.playground.state import Playground

S = SETTINGS  # every option list, range, default and help below comes from the Playground's one table
DATA_CHOICES = [k for k, (_, kind) in DATASETS.items() if kind in ("2d", "tabular")] + ["csv"]
OPT_TITLES = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
ACTIVATION_HELP = ("The non-linearity after each neuron's weighted sum. Without one, stacked layers collapse "
                   "into a single linear map. ReLU is fast and does not squash gradients; tanh and sigmoid "
                   "saturate, which can make gradients vanish in deep networks.")


def hidden() -> set[str]:
    """Controls a share link or lesson hides (TensorFlow Playground's hide flags)."""
    return set(st.session_state.get("hide_playground", ()))


def data_panel(pg: Playground) -> None:
    st.markdown("#### Data")
    hide = hidden()
    names = DATA_CHOICES if pg.csv is not None else DATA_CHOICES[:-1]
    titles = {**{k: v[0] for k, v in DATASETS.items()}, "csv": "Your CSV data"}
    current = pg.data.name if pg.data.name in names else names[0]
    choice = pg.data.name if "data" in hide else st.selectbox("Dataset", names, index=names.index(current),
                                                              format_func=titles.get)
    if "data" in hide:
        st.markdown(f"**{titles.get(pg.data.name, pg.data.name)}**")
    if choice != pg.data.name:
        pg_state.try_update(pg, data=replace(pg.data, name=choice))
    ds = pg_state.dataset(pg)
    if ds.kind == "2d" and "noise" not in hide:
        n = S["noise"]
        noise = st.slider("Noise", int(n.lo * 100), int(n.hi * 100), int(round(pg.data.noise * 100)), 5, format="%d%%",
                          help=n.help)
        if noise / 100 != pg.data.noise:
            pg_state.try_update(pg, data=replace(pg.data, noise=noise / 100))
    if ds.kind == "2d" and "features" not in hide:
        if st.session_state.get("pg_features") is None:
            st.session_state["pg_features"] = list(pg.data.features)
        # pills keep every choice in sight (a multiselect hid them behind "+2" once four were chosen)
        feats = st.pills("Input features", list(FEATURES), selection_mode="multi", format_func=FEATURES.get,
                         key="pg_features", help=S["features"].help, wrap=True) or []
        if tuple(feats) != pg.data.features:
            if feats:
                pg_state.try_update(pg, data=replace(pg.data, features=tuple(f for f in FEATURES if f in feats)))
            else:
                st.warning("Choose at least one input feature.")
    if "data" not in hide:  # your CSV too: its split into training and test rows follows these
        r = S["ratio"]
        ratio = st.slider("Training data", int(r.lo * 100), int(r.hi * 100), int(round(pg.data.train_fraction * 100)),
                          10, format="%d%%", help=r.help)
        if ratio / 100 != pg.data.train_fraction:
            _new_split(pg, train_fraction=ratio / 100)
        c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
        seed = c1.number_input("Seed", int(S["seed"].lo), int(S["seed"].hi), pg.data.seed, help=S["seed"].help)
        if seed != pg.data.seed:
            _new_split(pg, seed=int(seed))
        c2.button("Regenerate", on_click=lambda: _new_split(pg, seed=random.randint(0, int(S["seed"].hi))),
                  help="New random points (for a CSV or a table: a new split)")
    st.caption(f"{len(ds.x_train)} training and {len(ds.x_test)} test points, {ds.input_shape[0]} inputs; "
               + ("regression" if ds.task == "regression" else f"{ds.n_classes} classes"))
    if ds.kind == "2d":
        pg.show_test = st.checkbox("Show test data", pg.show_test)
        pg.discretize = st.checkbox("Discretize output", pg.discretize)
    if "data" not in hide:
        box = folded("Use your own CSV", key="pg_csv_open")
        if box.open:  # stays open while the student works in it: its message and choices stay in view
            with box:
                csv_panel(pg)


def _csv(source: tuple, train_fraction: float, seed: int):
    data, name, label, features = source
    return csv_dataset(read_csv(data, name), label, list(features), train_fraction=train_fraction, seed=seed)


def _new_split(pg: Playground, **changes) -> None:
    """A new training share or seed: new points, or for your CSV the same rows split anew."""
    data = replace(pg.data, **changes)
    if pg.data.name == "csv" and pg.csv_source is not None:
        try:
            ds, notes = _csv(pg.csv_source, data.train_fraction, data.seed)
        except ValueError as exc:
            pg.error = str(exc)
            return
        pg_state.try_update(pg, csv=ds, csv_notes=tuple(notes), data=data)
    else:
        pg_state.try_update(pg, data=data)


def _use_csv(pg: Playground) -> None:
    """Button callback: build the dataset from the uploaded file and the chosen columns."""
    up = st.session_state.get("pg_csv_file")
    st.session_state.pop("pg_csv_error", None)
    if up is None:
        return
    source = (up.getvalue(), up.name, st.session_state["pg_csv_label"], tuple(st.session_state["pg_csv_features"]))
    try:
        ds, notes = _csv(source, pg.data.train_fraction, pg.data.seed)
    except ValueError as exc:
        st.session_state["pg_csv_error"] = str(exc)  # shown beside the button; the current data and network stay
        return
    pg_state.try_update(pg, csv=ds, csv_notes=tuple(notes), csv_source=source, data=replace(pg.data, name="csv"))


def csv_panel(pg: Playground) -> None:
    up = st.file_uploader("CSV file", type=["csv", "txt"], key="pg_csv_file", max_upload_size=MAX_CSV_BYTES // 2**20,
                          help="A header row, then one row per example; numeric feature columns.")
    if up is not None:
        try:
            table = read_csv(up.getvalue(), up.name)
        except ValueError as exc:
            st.error(str(exc))
            return
        cols, text = table.columns, set(table.text_columns)
        label = st.selectbox("Label column (what to predict)", cols, index=len(cols) - 1, key="pg_csv_label")
        others = [c for c in cols if c != label]
        st.multiselect("Feature columns", others, [c for c in others if c not in text], key=f"pg_csv_features_{label}")
        left_out = [c for c in others if c in text]
        if left_out:
            st.caption("Not selected: " + ", ".join(f"'{c}'" for c in left_out) + " hold" + ("s" if len(left_out) == 1
                       else "") + " text, and features must be numbers.")
        st.session_state["pg_csv_features"] = st.session_state[f"pg_csv_features_{label}"]
        st.button("Train on this data", type="primary", key="pg_csv_train", on_click=_use_csv, args=(pg,))
        error = st.session_state.get("pg_csv_error")
        if error:
            st.error(error, icon="✋")
    if pg.csv_notes:
        st.info("; ".join(pg.csv_notes))


def _set_hidden(pg: Playground, hidden: list[HiddenLayer]) -> None:
    pg_state.try_update(pg, hidden=hidden)


def edit(pg: Playground, event: dict) -> None:
    """A layer or a neuron more or fewer (`core.playground.network.edit_layers`), from the layer builder's
    buttons or the network drawing's; past a limit the network stays and the page says why."""
    try:
        hidden = edit_layers(pg.hidden, event)
    except ValueError as exc:
        pg.error = str(exc)
        return
    _set_hidden(pg, hidden)


def _change(pg: Playground, i: int, **kw) -> None:
    hidden = list(pg.hidden)
    try:
        hidden[i] = replace(hidden[i], **kw)
    except ValueError as exc:
        pg.error = str(exc)
        return
    _set_hidden(pg, hidden)


def _move(pg: Playground, i: int, j: int) -> None:
    hidden = list(pg.hidden)
    hidden[i], hidden[j] = hidden[j], hidden[i]
    _set_hidden(pg, hidden)


def network_panel(pg: Playground) -> None:
    st.markdown("#### Network")
    hide = hidden()
    n = len(pg.hidden)
    if "layers" in hide:
        st.markdown(" → ".join(f"{h.units} {ACTIVATION_TITLES[h.activation]}" for h in pg.hidden) or "no hidden layer")
        return
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.button("Layer", icon=":material/add:", key="pg_add_layer", disabled=n >= MAX_HIDDEN_LAYERS,
              on_click=edit, args=(pg, {"op": "add_layer"}))
    c2.button("Layer", icon=":material/remove:", key="pg_remove_layer", disabled=n == 0,
              on_click=edit, args=(pg, {"op": "remove_layer"}))
    c3.caption(f"{n} hidden layer{'s' if n != 1 else ''}" + (" (a linear model)" if n == 0 else "")
               + f", at most {MAX_HIDDEN_LAYERS}")
    acts = list(ACTIVATION_TITLES)
    for i, h in enumerate(pg.hidden):
        with st.container(border=True, key=f"pg_layer_{i}"):
            top = st.columns([1.5, 0.55, 0.55, 1.7], vertical_alignment="center")
            top[0].markdown(f"**Layer {i + 1}**: {h.units} neuron{'s' if h.units != 1 else ''}")
            top[1].button("", icon=":material/remove:", key=f"pg_minus_{i}", disabled=h.units <= 1, on_click=edit,
                          args=(pg, {"op": "remove_neuron", "layer": i}), help="One neuron fewer")
            top[2].button("", icon=":material/add:", key=f"pg_plus_{i}", disabled=h.units >= MAX_UNITS,
                          on_click=edit, args=(pg, {"op": "add_neuron", "layer": i}), help="One neuron more")
            act = h.activation if "activation" in hide else top[3].selectbox(
                f"Activation of layer {i + 1}", acts, index=acts.index(h.activation), format_func=ACTIVATION_TITLES.get,
                label_visibility="collapsed", key=f"pg_act_{i}_{h.activation}", help=ACTIVATION_HELP)
            if act != h.activation:
                _change(pg, i, activation=act)
                st.rerun()
            low = st.columns([0.55, 0.55, 0.55, 2.2], vertical_alignment="center")
            low[0].button("", icon=":material/arrow_upward:", key=f"pg_up_{i}", disabled=i == 0, on_click=_move,
                          args=(pg, i, i - 1), help="Move this layer up")
            low[1].button("", icon=":material/arrow_downward:", key=f"pg_down_{i}", disabled=i == n - 1,
                          on_click=_move, args=(pg, i, i + 1), help="Move this layer down")
            low[2].button("", icon=":material/delete:", key=f"pg_del_{i}", help="Remove this layer",
                          on_click=lambda i=i: _set_hidden(pg, pg.hidden[:i] + pg.hidden[i + 1:]))
            extras = [x for x in ("batch norm" if h.batchnorm else "", f"dropout {h.dropout:g}" if h.dropout else "")
                      if x]
            with low[3].popover(", ".join(extras) if extras else "Batch norm, dropout"):
                bn = st.checkbox("Batch norm", h.batchnorm, key=f"pg_bn_{i}_{h.batchnorm}",
                                 help="Normalizes each neuron's input over the batch; often speeds training up.")
                if bn != h.batchnorm:
                    _change(pg, i, batchnorm=bn)
                    st.rerun()
                dp = st.select_slider("Dropout", [0.0, 0.1, 0.2, 0.3, 0.5], h.dropout, key=f"pg_dp_{i}_{h.dropout}",
                                      help="Zeroes this share of the layer's outputs while training: a regularizer.")
                if dp != h.dropout:
                    _change(pg, i, dropout=dp)
                    st.rerun()
    box = folded("Shapes and parameters", key="pg_shapes_open")
    if not box.open:
        return
    with box:
        table = validate(pg_state.spec(pg))
        rows = [{"layer": r["layer"], "output": r["output shape"], "parameters": r["parameters"]}
                for r in table.as_records()]
        st.dataframe(rows, hide_index=True, width="stretch",  # three short columns fit the narrow panel
                     column_config={"layer": st.column_config.TextColumn("layer", width="medium"),
                                    "output": st.column_config.TextColumn("output", width="small"),
                                    "parameters": st.column_config.NumberColumn("params", width="small",
                                                                                format="%d")})
        st.caption(f"{table.total_params:,} parameters in all")


def training_panel(pg: Playground) -> None:
    st.markdown("#### Training")
    cfg = pg.config
    hide = hidden()
    lr, batch = S["learning_rate"], S["batch_size"]
    lr = cfg.learning_rate if lr.hide in hide else st.select_slider(
        "Learning rate", lr.steps, key=links.bound(S.key(lr.name), cfg.learning_rate), help=lr.help)
    opt = cfg.optimizer if "optimizer" in hide else st.selectbox(
        "Optimizer", OPTIMIZERS, OPTIMIZERS.index(cfg.optimizer), format_func=OPT_TITLES.get,
        help=S["optimizer"].help)
    batch = cfg.batch_size if batch.hide in hide else st.slider(
        "Batch size", int(batch.lo), int(batch.hi), help=batch.help, key=links.bound(S.key(batch.name), cfg.batch_size))
    reg, rate = pg.regularization, pg.reg_rate
    if "regularization" not in hide:
        reg = st.selectbox("Regularization", ["none", "l1", "l2"], ["none", "l1", "l2"].index(pg.regularization),
                           format_func={"none": "None", "l1": "L1", "l2": "L2"}.get, help=S["regularization"].help)
        rate = st.select_slider("Regularization rate", S["reg_rate"].steps, pg.reg_rate, disabled=reg == "none")
    ds = pg_state.dataset(pg)
    losses = ["auto", "mse", "cross_entropy"] if ds.task == "classification" else ["auto"]
    titles = {"auto": "Automatic (" + ("cross-entropy" if ds.task == "classification" else "squared error") + ")",
              "mse": "Mean squared error (TF Playground's)", "cross_entropy": "Cross-entropy"}
    loss = st.selectbox("Loss", losses, losses.index(cfg.loss) if cfg.loss in losses else 0, format_func=titles.get,
                        help="What training minimizes: the gap between the network's outputs and the labels.")
    devices = ["auto", *available_devices()]
    device = st.selectbox("Device", devices, devices.index(cfg.device) if cfg.device in devices else 0,
                          format_func={"auto": "Automatic (best available)", "cpu": "CPU", "cuda": "GPU (CUDA)",
                                       "mps": "GPU (Apple MPS)"}.get)
    new = replace(cfg, learning_rate=lr, optimizer=opt, batch_size=batch, loss=loss, device=device)
    if new != cfg or reg != pg.regularization or rate != pg.reg_rate:
        if not pg_state.try_update(pg, config=new, regularization=reg, reg_rate=rate if reg != "none" else 0.0):
            # refused: the widgets go back to what the Playground uses
            links.resync(S.key("learning_rate"), S.key("batch_size"))
