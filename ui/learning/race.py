"""The optimizers race, on the kit: the landscape, racers and learning rate chosen here, one job that
steps every racer together, the paths drawn live over the contours, and a sentence on what is seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import streamlit as st

from core.learning.fields import SETTINGS as S
from core.learning.landscape import DOMAINS, LANDSCAPES, surface
from core.learning.landscape_viz import race_figure, step_detail_figure
from core.learning.race import RACERS, RaceSpec, RaceTrainer, inspect
from core.training import Job, TrainConfig, make_job
from ui.kit import links
from ui.kit.fieldmap import FieldMap, binds
from ui.kit.header import current_lesson, presenting
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, Metric, curves, play_bar
from ui.kit.registry import BY_ID

KEY = "learning"
RACE_CONFIG = TrainConfig(max_epochs=500)  # a race ends after 500 steps (Reset to run it again)
LINK = FieldMap(BY_ID["learning_lab"], binds(S))  # every part's settings: core/learning/fields.py


@dataclass
class Race:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: RaceSpec = field(default_factory=RaceSpec)

    @property
    def job(self) -> Job | None:
        return self.slot.job


def state() -> Race:
    if KEY not in st.session_state:
        race = st.session_state[KEY] = Race()
        race.slot.describe = lambda job: {"label": f"{race.spec.landscape}, lr {job.poll().learning_rate:g}",
                                          "dataset": race.spec.landscape}
    return st.session_state[KEY]


def controls(hide: set[str]) -> RaceSpec:
    """The race's settings; hidden ones keep the link's values."""
    if "landscape" in hide:
        landscape = links.keep("lr_landscape", S.default("lr_landscape"))
    else:
        landscape = st.selectbox("Landscape", list(LANDSCAPES), key="lr_landscape",
                                 format_func=lambda k: f"{k}: {LANDSCAPES[k][0]}", help=S["lr_landscape"].help)
    if "racers" in hide:
        racers = links.keep("lr_racers", list(S.default("lr_racers")))
    else:
        if "lr_racers" not in st.session_state:
            st.session_state["lr_racers"] = list(S.default("lr_racers"))
        racers = st.pills("Optimizers", list(RACERS), selection_mode="multi", key="lr_racers", wrap=True,
                          format_func=lambda r: RACERS[r][0], help=S["lr_racers"].help) or ["sgd"]
    rate = S["lr_rate"]
    if rate.hide in hide:
        lr = links.keep("lr_rate", rate.default)
    else:
        if st.session_state.get("lr_rate") not in rate.steps:
            st.session_state["lr_rate"] = rate.default
        lr = st.select_slider("Learning rate", rate.steps, key="lr_rate", help=rate.help)
    default = LANDSCAPES[landscape][2]
    lo, hi = DOMAINS[landscape]
    if st.session_state.get("lr_start_for") != landscape:  # a new landscape starts at its own default point
        st.session_state["lr_start_for"] = landscape
        st.session_state["lr_start_x"], st.session_state["lr_start_y"] = float(default[0]), float(default[1])
    c = st.columns(2)
    sx = c[0].number_input("Start x", float(lo), float(hi), step=0.1, key="lr_start_x",
                           help="Where every optimizer starts (type a point inside the map).")
    sy = c[1].number_input("Start y", float(lo), float(hi), step=0.1, key="lr_start_y")
    start = None if (sx, sy) == (float(default[0]), float(default[1])) else (float(sx), float(sy))
    kappa = 1.0
    if landscape == "bowl":
        k = S["lr_kappa"]
        if st.session_state.get("lr_kappa") not in k.steps:
            st.session_state["lr_kappa"] = k.default
        kappa = st.select_slider("Condition number κ", k.steps, key="lr_kappa", help=k.help)
    return RaceSpec(landscape, tuple(r for r in RACERS if r in racers), float(lr), start, float(kappa))


def ensure(race: Race, spec: RaceSpec) -> Job:
    """The race's job; a new landscape or new racers start a new race (the old one kept to compare)."""
    key = (spec.landscape, spec.racers, spec.start, spec.condition)
    job = race.slot.ensure(key, lambda initial: make_job(partial(RaceTrainer, spec), config=RACE_CONFIG,
                                                           snapshot_every_s=0.1,
                                                           **({"initial_state": initial} if initial else {})))
    race.spec = spec
    if job.config.learning_rate != spec.learning_rate:  # the job's own current settings, not a read-back
        job.set(learning_rate=spec.learning_rate)
    return job


def _turns(y: np.ndarray, visible: float) -> int:
    """How often a path turns back along y with steps large enough to see (not float noise)."""
    d = np.diff(np.asarray(y, float))
    d = d[np.abs(d) > visible]
    return int(np.sum(np.sign(d[1:]) != np.sign(d[:-1]))) if len(d) > 1 else 0


def explain(view, spec: RaceSpec) -> str:
    """Two or three sentences on what the race shows now, read off the paths themselves."""
    h = view.history
    if view.epoch == 0:
        return ("Press Play or Step: every optimizer takes one step per epoch from the same start. Watch their "
                "paths over the contours (darker is lower).")
    gone = [RACERS[r][0] for r in spec.racers if h.get(f"{r}_diverged", [0])[-1]]
    alive = [r for r in spec.racers if RACERS[r][0] not in gone]
    text = f"After {view.epoch} steps"
    if alive:
        best = min(alive, key=lambda r: h[f"{r}_value"][-1])
        text += f" {RACERS[best][0]} is lowest (loss {h[f'{best}_value'][-1]:.3g})."
    else:
        text += " every optimizer has flown off."
    lo, hi = DOMAINS[spec.landscape]
    turns = {r: _turns(h[f"{r}_y"], 0.01 * (hi - lo)) for r in alive}
    if turns and max(turns.values()) >= 3:
        r = max(turns, key=turns.get)
        text += (f" {RACERS[r][0]} turned back across the slope {turns[r]} times: its steps overshoot the "
                 "bottom of the valley and zig-zag.")
    if gone:
        text += (f" {', '.join(gone)} flew off: at this learning rate each step overshoots further than the last "
                 "(lower it).")
    slow = [r for r in alive if _crawls(h[f"{r}_value"], view.epoch)]
    if slow and not gone and not (turns and max(turns.values()) >= 3):
        text += (f" {', '.join(RACERS[r][0] for r in slow)} crawl{'s' if len(slow) == 1 else ''}: after "
                 f"{view.epoch} steps the loss has fallen by less than a tenth; the learning rate is too low for "
                 "this landscape (raise it).")
    return text


def _crawls(values: np.ndarray, steps: int) -> bool:
    """Many steps, and the loss has hardly moved from where it started (a learning rate too low)."""
    v = np.asarray(values, float)
    return steps >= 50 and len(v) > 1 and np.isfinite(v[-1]) and v[0] - v[-1] < 0.1 * abs(v[0]) + 1e-12


def _draw(live: bool) -> None:
    race = state()
    job = race.job
    view = job.poll()
    play_bar(LIVE, view)
    spec = race.spec
    grid = surface(spec.landscape, *DOMAINS[spec.landscape], n=61, condition=spec.condition)
    names = {r: RACERS[r][0] for r in spec.racers}
    left, right = st.columns([1.3, 1])
    short = presenting() or current_lesson("learning_lab") is not None  # a lesson's line takes ~60 px of 720
    left.plotly_chart(race_figure(grid, view.history, names, height=350 if short else 420), key="lr_paths")
    with right:
        st.markdown(explain(view, spec))
        curves(view, tuple(Metric(f"{RACERS[r][0]} loss", f"{r}_value", "", key=r) for r in spec.racers[:1]), "lr")
        if view.epoch:
            st.dataframe([{"optimizer": RACERS[r][0], "loss": float(view.history[f"{r}_value"][-1]),
                           "x": float(view.history[f"{r}_x"][-1]), "y": float(view.history[f"{r}_y"][-1])}
                          for r in spec.racers], hide_index=True)


LIVE = LiveLab("lr", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)  # plotly contours are slow


def _pair(v: tuple[float, float] | None) -> str:
    return "-" if v is None else f"({v[0]:.4g}, {v[1]:.4g})"


def step_inspector(race: Race) -> None:
    """One racer's steps one at a time: the gradient, its memory (velocity), its adaptive scaling and the
    step it took, drawn from the point (the race replayed: it is deterministic)."""
    spec, job = race.spec, race.job
    done = job.poll().epoch if job is not None else 0
    with st.expander("One optimizer, step by step", expanded=False):
        c = st.columns([1, 3])
        racer = c[0].selectbox("Optimizer", list(spec.racers), key="lr_inspect", format_func=lambda r: RACERS[r][0])
        last = max(1, min(done, 500))
        k = c[1].slider("Step", 1, max(2, last), min(last, int(st.session_state.get("lr_inspect_step", 1))),
                        key="lr_inspect_step", help="Train the race a little (Play or Step) to inspect more steps.")
        steps = inspect(spec, racer, k)
        if not steps:
            st.info("This optimizer flew off at its first step: lower the learning rate.")
            return
        d = steps[-1]
        arrows = [("plain gradient step -lr·g", d.plain, "#888888"), ("the step it took", d.move, "#1f77b4")]
        if d.velocity is not None:
            arrows.insert(1, ("velocity ×(-lr)", (-spec.learning_rate * d.velocity[0],
                                                 -spec.learning_rate * d.velocity[1]), "#f28c28"))
        grid = surface(spec.landscape, *DOMAINS[spec.landscape], n=61, condition=spec.condition)
        left, right = st.columns([1.3, 1])
        left.plotly_chart(step_detail_figure(grid, [s.point for s in steps], d.point, arrows), key="lr_step_fig")
        with right:
            st.markdown(f"**Step {d.step}** of {RACERS[racer][0]} from {_pair(d.point)} (loss {d.loss:.4g}).")
            st.markdown(f"- gradient g = {_pair(d.grad)}\n- velocity (what momentum remembers) = "
                        f"{_pair(d.velocity)}\n- adaptive scaling 1/(√v + ε) per weight = {_pair(d.scale)}\n"
                        f"- the step taken = {_pair(d.move)}; plain SGD would step {_pair(d.plain)}")
            st.caption("Grey: where the gradient alone points. Orange: the velocity, the running sum of past "
                       "gradients that momentum and Adam follow. Blue: the step actually taken. The adaptive "
                       "methods scale each weight's step by its own factor, so a steep direction gets a small "
                       "one and a flat direction a large one.")
