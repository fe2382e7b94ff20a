"""Train and compare: the chosen cells (RNN, LSTM, GRU) trained live side by side on one task, their
curves, the gradient through time, one cell's hidden states over the chosen test sequence, and two or
three sentences on what is seen. The learning rate and clipping change live; the rest starts a new job."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
import streamlit as st

from core.sequence.fields import SETTINGS as S
from core.sequence.models import CELLS
from core.sequence.tasks import MAX_LENGTH, MAX_TEXT, TASKS, SeqData, TaskSpec, default_text, describe, make_task
from core.sequence.trainer import OPTIMIZERS, SeqCompare, SeqSpec
from core.sequence.viz import CELL_COLORS, CELL_NAMES, cell_curves, grads_figure, state_heatmap, state_panel
from core.training import Job, TrainConfig, make_job
from core.viz.panels import lines
from ui.kit import links
from ui.kit.fieldmap import widget_defaults
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.panels import show

KEY = "seq_train_state"
EPOCHS, EPOCHS_PER_S = 200, 10.0


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: SeqSpec = field(default_factory=SeqSpec)
    inside: str = "lstm"
    sample: int = 0


def state() -> Side:
    if KEY not in st.session_state:
        st.session_state[KEY] = Side()
    return st.session_state[KEY]


@lru_cache(maxsize=4)
def task_data(task: TaskSpec) -> SeqData:
    """The task's sequences (the same ones the job trains on: made from the same seed)."""
    return make_task(task)


DEFAULTS = widget_defaults(S)  # (key, default, the values its control offers or None), from the settings table


def defaults() -> None:
    for k, v, opts in DEFAULTS:
        if k not in st.session_state or (opts is not None and st.session_state[k] not in opts):
            st.session_state[k] = v
    st.session_state["seq_length"] = min(MAX_LENGTH, max(4, int(st.session_state["seq_length"]) // 2 * 2))


def keep_settings() -> None:
    """On a view that does not draw every control: keep their values (Streamlit drops undrawn widgets')."""
    defaults()
    for k, _, _ in DEFAULTS:
        links.keep(k, st.session_state[k])


def controls(hide: set[str], sweep: bool = False) -> SeqSpec:
    """Task, cells, then the network and its training in popovers: compact, beside the live view."""
    defaults()
    if "task" in hide:
        task, length, text = (links.keep(k, st.session_state[k]) for k in ("seq_task", "seq_length", "seq_text"))
    else:
        if sweep:
            task = links.keep("seq_task", "delay")
            st.caption(f"**Task:** {TASKS['delay'][0]}. {TASKS['delay'][1]}")
        else:
            task = st.selectbox("Task", list(TASKS), key="seq_task", format_func=lambda t: TASKS[t][0],
                                help=S["task"].help)
        label = "Delay T (steps)" if task == "delay" else "Steps per sequence"
        length = links.keep("seq_length", st.session_state["seq_length"]) if sweep else st.slider(
            label, int(S["length"].lo), int(S["length"].hi), step=2, key="seq_length", help=S["length"].help)
        text = st.session_state["seq_text"]
        if task == "text" and not sweep:
            with st.popover("Your text", width="stretch", icon=":material/edit_note:"):
                text = st.text_area("Text to learn", key="seq_text", max_chars=MAX_TEXT, height=160,
                                    placeholder=default_text()[:200] + " ...",
                                    help="Any text, up to 20,000 characters and 80 different characters. Empty: a "
                                         "small generated text about cats, dogs and foxes.")
    if not sweep:
        st.caption(TASKS[task][1])
    cells = st.pills("Cells, trained side by side", list(CELLS), selection_mode="multi", key="seq_cells",
                     format_func=CELL_NAMES.get, help=S["cells"].help) or []
    c = st.columns(2)
    with c[0].popover("Network", width="stretch"):
        if "network" in hide:
            hidden, layers = links.keep("seq_hidden", st.session_state["seq_hidden"]), links.keep(
                "seq_layers", st.session_state["seq_layers"])
            st.caption("The network is set by the link.")
        else:
            hidden = st.select_slider("Hidden units", S["hidden"].steps, key="seq_hidden")
            layers = st.slider("Recurrent layers", int(S["layers"].lo), int(S["layers"].hi), key="seq_layers")
    with c[1].popover("Training", width="stretch"):
        optimizer = st.selectbox("Optimizer", OPTIMIZERS, key="seq_optimizer", format_func=str.capitalize)
        lr = st.select_slider("Learning rate", S["learning_rate"].steps, key=S.key("learning_rate"),
                              help=S["learning_rate"].help)
        clip = st.select_slider("Clip the gradient's norm at", S["clip"].steps, key="seq_clip",
                                format_func=lambda v: "off" if v == 0 else f"{v:g}", help=S["clip"].help)
    st.caption(f"{hidden} units × {layers} layer{'s' if layers > 1 else ''}, {optimizer} at {lr:g}, clip "
               + ("off" if clip == 0 else f"{clip:g}") + ".")
    return SeqSpec(TaskSpec(task, int(length), text=str(text or "")), tuple(c for c in CELLS if c in cells),
                   int(hidden), int(layers), optimizer, float(lr), float(clip))


def look_controls(spec: SeqSpec, data: SeqData) -> tuple[str, int]:
    """Which cell to look inside, and which test sequence (views only: the job keeps training)."""
    if st.session_state.get("seq_inside") not in spec.cells:
        st.session_state["seq_inside"] = "lstm" if "lstm" in spec.cells else spec.cells[0]
    if not 0 <= int(st.session_state.get("seq_sample", 0)) < len(data.x_test):
        st.session_state["seq_sample"] = 0
    inside = st.segmented_control("Look inside", list(spec.cells), key="seq_inside", format_func=CELL_NAMES.get)
    sample = st.number_input("Test sequence", 0, len(data.x_test) - 1, key="seq_sample",
                               help="Which of the test sequences the pictures follow.")
    return inside or spec.cells[0], int(sample)


def ensure(side: Side, spec: SeqSpec, inside: str, sample: int) -> Job:
    """The job for these settings: a new task, network or cells start a new one (the last runs are kept);
    the learning rate, clipping and the followed sequence change in the running job."""
    key = spec.with_(learning_rate=1.0, clip=0.0)
    job = side.slot.ensure(key, lambda initial: make_job(
        partial(SeqCompare, spec, epochs_per_s=EPOCHS_PER_S), config=TrainConfig(max_epochs=EPOCHS),
        snapshot_every_s=0.3, **({"initial_state": initial} if initial else {})))
    live = job.poll().live
    want = {"learning_rate": spec.learning_rate, "clip": spec.clip, "sample": float(sample)}
    changed = {k: v for k, v in want.items() if live.get(k) is not None and live[k] != v}
    if changed:
        job.set(**changed)
    side.spec, side.inside, side.sample = spec, inside, sample
    return job


def _metric(spec: SeqSpec) -> tuple[str, str, bool]:
    data = task_data(spec.task)
    return ("acc", "Test accuracy", True) if data.kind == "classification" else ("loss", "Test loss", False)


def explain(view, spec: SeqSpec) -> str:
    """Two or three sentences read off the curves and the gradients."""
    h, snap = view.history, view.snapshot
    data = task_data(spec.task)
    if not view.epoch:
        return (f"Press Play: {', '.join(CELL_NAMES[c] for c in spec.cells)} start from the same seed on the same "
                f"{len(data.x_train):,} sequences. On the right: how much of the last step's gradient gets back to "
                "each earlier step.")
    metric, title, pct = _metric(spec)
    vals = {c: float(h[f"{c}_test_{metric}"][-1]) for c in spec.cells}
    best = (max if pct else min)(vals, key=vals.get)
    fmt = (lambda v: f"{v:.0%}") if pct else (lambda v: f"{v:.4f}")
    text = (f"After {view.epoch} epoch{'s' if view.epoch != 1 else ''}: "
            + ", ".join(f"{CELL_NAMES[c]} {fmt(v)}" for c, v in vals.items())
            + f" ({title.lower()}; best {CELL_NAMES[best]}).")
    if data.task == "delay":
        text += f" Chance is {1 / len(data.classes):.0%}."
    planes = snap.plane if snap is not None and isinstance(snap.plane, dict) else {}
    ratios = {c: float(p["grads"][0] / max(p["grads"][-1], 1e-30)) for c, p in planes.items() if "grads" in p}
    if ratios:
        low = min(ratios, key=ratios.get)
        text += (" The gradient that gets back to the first step is " + ", ".join(
            f"{ratios[c]:.1g} of the last step's in the {CELL_NAMES[c]}" for c in sorted(ratios, key=ratios.get))
            + ": ")
        text += ("where it is tiny, what the first steps said can hardly be learned." if ratios[low] < 1e-3
                 else "it still reaches back this far.")
    return text


def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec = side.spec
    play_bar(LIVE, view, extra=f"{len(spec.cells)} cell{'s' if len(spec.cells) > 1 else ''}, T = {spec.task.length}")
    h = view.history
    metric, title, pct = _metric(spec)
    snap = view.snapshot
    planes = snap.plane if snap is not None and isinstance(snap.plane, dict) else {}
    left, mid, right = st.columns([1, 1, 1.1])  # one row: it fits a projector's first screen
    with left.container(key="seq_curves"):
        if view.epoch:
            if live:
                show([lines(h["epoch"], [(CELL_NAMES[c], h[f"{c}_test_{metric}"], CELL_COLORS[c]) for c in spec.cells],
                            title, percent=pct, height=200)], "seq_curves_live", stamp=view.epoch)
            else:
                st.plotly_chart(cell_curves(h, spec.cells, metric, title, pct, height=260), key="seq_curve_chart")
    with mid.container(key="seq_grads"):
        grads = {c: p["grads"] for c, p in planes.items() if "grads" in p}
        if grads:
            if live:
                show([lines(np.arange(spec.task.length), [(CELL_NAMES[c], g, CELL_COLORS[c]) for c, g in grads.items()],
                            "Gradient reaching step t", log=True, xlabel="time step t", height=200)],
                     "seq_grads_live", stamp=view.epoch)
            else:
                st.plotly_chart(grads_figure(grads, height=260), key="seq_grads_chart")
    inside = planes.get(side.inside)
    with right.container(key="seq_state_view"):
        if inside is not None:
            data = task_data(spec.task)
            name = f"{CELL_NAMES[side.inside]} hidden state, sequence {side.sample}"
            steps = describe(data, data.x_test[side.sample])
            if live:
                show([state_panel(inside["hidden"], name, steps)], "seq_state_live", stamp=view.epoch)
            else:
                st.plotly_chart(state_heatmap(inside["hidden"], steps, name, height=260), key="seq_hidden_chart")
    st.markdown(explain(view, spec))


LIVE = LiveLab("seq", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)
