"""Train and watch: the tiny Transformer trained live on the chosen task, its curves, every head's
attention map for the followed test sequence, and two or three sentences on what is seen. The learning
rate and the followed sequence change in the running job; anything else starts a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
import streamlit as st

from core.attention.fields import SETTINGS as S
from core.attention.model import POSITIONS
from core.attention.tasks import LENGTHS, MAX_TEXT, TASKS, AttnData, AttnTask, default_text, make_data
from core.attention.trainer import OPTIMIZERS, AttnSpec, AttnTrainer
from core.attention.viz import attention_grid, attention_panels
from core.training import Job, TrainConfig, make_job
from ui.kit import links
from ui.kit.fieldmap import widget_defaults
from ui.kit.header import presenting
from ui.kit.job_slot import JobSlot
from ui.kit.live import ACCURACY, LOSS, NARROW_BAR, LiveLab, curves, play_bar
from ui.kit.panels import show

KEY = "att_train_state"
EPOCHS = 60


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: AttnSpec = field(default_factory=AttnSpec)
    sample: int = 0


def state() -> Side:
    if KEY not in st.session_state:
        st.session_state[KEY] = Side()
    return st.session_state[KEY]


@lru_cache(maxsize=4)
def task_data(task: AttnTask) -> AttnData:
    """The task's sequences (the same ones the job trains on: made from the same seed)."""
    return make_data(task)


DEFAULTS = widget_defaults(S)  # (key, default, the values its control offers or None), from the settings table


def defaults() -> None:
    for k, v, opts in DEFAULTS:
        if k not in st.session_state or (opts is not None and st.session_state[k] not in opts):
            st.session_state[k] = v
    lo, hi = LENGTHS[st.session_state["att_task"]]
    st.session_state["att_length"] = min(hi, max(lo, int(st.session_state["att_length"])))
    st.session_state["att_offset"] = min(max(1, int(st.session_state["att_offset"])), 15)


def keep_settings() -> None:
    """On a view that does not draw every control: keep their values (Streamlit drops undrawn widgets')."""
    defaults()
    for k, _, _ in DEFAULTS:
        links.keep(k, st.session_state[k])


def _task_controls() -> AttnTask:
    task = st.selectbox("Task", list(TASKS), key="att_task", format_func=lambda t: TASKS[t][0], help=S["task"].help)
    lo, hi = LENGTHS[task]
    st.session_state["att_length"] = min(hi, max(lo, int(st.session_state["att_length"])))
    label = {"add": "Digits per number", "text": "Context (characters)"}.get(task, "Digits")
    length = st.slider(label, lo, hi, key="att_length", help=S["length"].help)
    offset, causal, text = 2, True, st.session_state["att_text"]
    if task == "shift":
        st.session_state["att_offset"] = min(int(st.session_state["att_offset"]), length - 1)
        offset = st.slider("Offset", 1, length - 1, key="att_offset")
    if task == "text":
        with st.popover("Your text", width="stretch", icon=":material/edit_note:"):
            text = st.text_area("Text to learn", key="att_text", max_chars=MAX_TEXT, height=160,
                                placeholder=default_text()[:200] + " ...",
                                help="Any text, up to 20,000 characters and 80 different characters. Empty: a small "
                                     "generated text about cats, dogs and foxes.")
    else:
        causal = st.toggle("GPT style (causal mask)", key="att_causal", help=S["causal"].help)
    st.caption(TASKS[task][1])
    return AttnTask(task, int(length), int(offset), bool(causal), text=str(text or ""))


def controls(hide: set[str]) -> AttnSpec:
    """Task, then the network and its training in popovers: compact, beside the live view."""
    defaults()
    if "task" in hide:
        task = AttnTask(*(links.keep(k, st.session_state[k]) for k in ("att_task", "att_length", "att_offset",
                                                                      "att_causal")),
                        text=str(links.keep("att_text", st.session_state["att_text"]) or ""))
    else:
        task = _task_controls()
    c = st.columns(2)
    with c[0].popover("Network", width="stretch"):
        if "network" in hide:
            layers, heads, width, positions = (links.keep(k, st.session_state[k]) for k in
                                               ("att_layers", "att_heads", "att_width", "att_positions"))
            st.caption("The network is set by the link.")
        else:
            layers = st.slider("Layers (blocks)", int(S["layers"].lo), int(S["layers"].hi), key="att_layers")
            heads = st.select_slider("Heads per layer", S["heads"].steps, key="att_heads", help=S["heads"].help)
            width = st.select_slider("Width", S["width"].steps, key="att_width", help=S["width"].help)
            positions = st.segmented_control("Positions", POSITIONS, key="att_positions", format_func=str.capitalize,
                                             help=S["positions"].help)
    with c[1].popover("Training", width="stretch"):
        optimizer = st.selectbox("Optimizer", OPTIMIZERS, key="att_optimizer", format_func=str.capitalize)
        lr = st.select_slider("Learning rate", S["learning_rate"].steps, key=S.key("learning_rate"),
                              help=S["learning_rate"].help)
    st.caption(f"{layers} layer{'s' if layers > 1 else ''} × {heads} head{'s' if heads > 1 else ''}, width {width}, "
               f"{positions or 'learned'} positions; {optimizer} at {lr:g}.")
    return AttnSpec(task, int(width), int(layers), int(heads), positions or "learned", optimizer, float(lr))


def sample_control(data: AttnData) -> int:
    if not 0 <= int(st.session_state.get("att_sample", 0)) < len(data.test_tokens):
        st.session_state["att_sample"] = 0
    return int(st.number_input("Test sequence", 0, len(data.test_tokens) - 1, key="att_sample",
                               help="Which test sequence the attention maps and predictions follow."))


def ensure(side: Side, spec: AttnSpec, sample: int) -> Job:
    """The job for these settings; the learning rate and the followed sequence change in the running job."""
    key = spec.with_(learning_rate=1.0)
    job = side.slot.ensure(key, lambda initial: make_job(
        partial(AttnTrainer, spec), config=TrainConfig(max_epochs=EPOCHS), snapshot_every_s=0.3,
        **({"initial_state": initial} if initial else {})))
    live = job.poll().live
    want = {"learning_rate": spec.learning_rate, "sample": float(sample)}
    changed = {k: v for k, v in want.items() if live.get(k) is not None and live[k] != v}
    if changed:
        job.set(**changed)
    side.spec, side.sample = spec, sample
    return job


def words(data: AttnData, i: int) -> list[str]:
    return data.words(data.test_tokens[i])


def explain(view, spec: AttnSpec) -> str:
    """Two or three sentences read off the curves and the attention maps."""
    data = task_data(spec.task)
    if not view.epoch:
        return (f"Press Play: a {spec.layers}-layer Transformer with {spec.heads} head{'s' if spec.heads > 1 else ''} "
                f"learns {TASKS[spec.task.task][0].lower()} from {len(data.tokens):,} examples. The squares on the "
                "right are its attention: row = the place asking, column = where it looks (dark = much).")
    h = view.history
    acc, exact = float(h["test_acc"][-1]), float(h["test_exact"][-1])
    text = f"After {view.epoch} epoch{'s' if view.epoch != 1 else ''}: {acc:.0%} of answer tokens right on test"
    text += (f", {exact:.0%} of whole answers." if data.prompt else ".")
    plane = view.snapshot.plane if view.snapshot is not None else None
    if plane and data.task.task == "reverse" and data.prompt:
        maps, p, i = plane["attn"], data.prompt, int(plane["sample"])
        # where each answer place should look: the prompt's mirror image (place p + j writes digit L-1-j)
        want = [data.prompt - 1 - j for j in range(data.answer)]
        share = [float(maps[:, :, p + j, w].max()) for j, w in enumerate(want)]
        text += (f" On test sequence {i}, the head that looks hardest at the digit to copy gives it "
                 f"{np.mean(share):.0%} of its attention on average: " +
                 ("the anti-diagonal in the map is the model finding the digit to copy." if np.mean(share) > 0.5 else
                  "it has not found the digits to copy yet, so it guesses."))
    elif acc > 0.95:
        text += " Pause and look below at one query's path: which place does it look at, and why?"
    return text


def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec = side.spec
    play_bar(LIVE, view, extra=f"{spec.layers}×{spec.heads} heads, width {spec.width}")
    left, right = st.columns([1, 1.6])
    with left.container(key="att_curves"):  # stacked: each as wide as the column
        curves(view, (ACCURACY,), "att")
        curves(view, (LOSS,), "att")
    plane = view.snapshot.plane if view.snapshot is not None else None
    with right.container(key="att_maps"):
        if plane:
            data = task_data(spec.task)
            w = words(data, int(plane["sample"]))
            if live:  # at most as wide as its screen's height allows, so the whole map stays on a projector
                layers, heads = plane["attn"].shape[:2]  # every head's map within ~330 px of height
                side = min((300 if presenting() else 420) // heads, 330 // layers - 32)
                show(attention_panels(plane["attn"], w, max_w=side), "att_maps_live", cols=heads, stamp=view.epoch)
                st.caption(f"Attention on test sequence {int(plane['sample'])}: " + " ".join(w)
                           + ". Row: the place asking; column: where it looks (hover a cell).")
            else:
                st.plotly_chart(attention_grid(plane["attn"], w, f"Attention on test sequence {int(plane['sample'])}",
                                               height=90 + 220 * spec.layers), key="att_grid")
                st.caption("Row: the place asking (its query); column: where it looks. Labels are token·place.")
    st.markdown(explain(view, spec))


LIVE = LiveLab("att", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)
