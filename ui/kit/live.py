"""The live area every lab shares: the play bar, the status line, the curves, and the loop that
redraws only the live part of the page while a job trains.

While the job trains, the lab's `draw(live=True)` reruns as a fragment every `main_s` (stretched by
`live_load` when many sessions draw at once, and retuned when the server's load changes), and its
`details()` less often; when the job stops, both are drawn once, still, and the page waits for a
click. Either state switches to the other with a full rerun. AppTest does not fire `run_every`, so
the loop itself is exercised through the job and the browser suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.settings import SETTINGS
from core.training import JobState, JobView
from core.viz.colors import BLUE, ORANGE
from core.viz.curves import compare_runs
from core.viz.panels import lines
from ui.kit import gate, live_load
from ui.kit.header import fold_lesson
from ui.kit.job_slot import JobSlot
from ui.kit.panels import show


@dataclass(frozen=True)
class Metric:
    """A pair of history columns drawn as one chart (training and test)."""

    title: str
    train: str
    test: str
    percent: bool = False
    key: str = ""  # the chart's key is the lab's prefix and this (the train column by default)


LOSS = Metric("Loss", "train_loss", "test_loss", key="loss")
ACCURACY = Metric("Accuracy", "train_acc", "test_acc", percent=True, key="acc")


@dataclass(frozen=True)
class LiveLab:
    prefix: str  # widget and session keys start with it
    slot: Callable[[], JobSlot]  # the lab's slot, read afresh on every redraw
    draw: Callable[[bool], None]  # the live part (live=True while it trains: cheap pictures)
    details: Callable[[], None] | None = None  # metrics, hints, extra views: redrawn less often
    start: Callable[[], None] | None = None  # Play when no job exists yet (build it, then start)
    on_reset: Callable[[], None] | None = None
    main_s: float = SETTINGS.live_main_s
    details_s: float = SETTINGS.live_details_s
    play_label: str = "Play"
    bar: tuple[float, ...] = (0.9, 0.8, 0.8, 1.1, 4)  # the play bar's column widths (NARROW_BAR beside controls;
    # four widths put the status line under the buttons)


NARROW_BAR = (1.4, 1.2, 1.2, 1, 2.2)  # Step and Reset keep their labels in a 600 px column
COMPACT_BAR = (1.3, 1.1, 1.1, 1.2)  # a column of ~500 px: the status line goes under the buttons


def status(view: JobView) -> tuple[str, str]:
    """(kind, text): running, info (queued, finished, a message), error (diverged, failed) or idle."""
    if view.active:
        if view.state == JobState.QUEUED or (view.queue_position or 0) > 0:
            return "info", f"Queued: place {view.queue_position} for a training slot on this server"
        return "running", f"Training on {view.device}"
    if view.state in (JobState.DIVERGED, JobState.FAILED):
        return "error", view.message
    if view.state == JobState.FINISHED or view.message:
        return "info", view.message or "Finished"
    return "idle", "Paused" if view.epoch else "Ready: press Play to train"


def play_bar(lab: LiveLab, view: JobView | None, extra: str = "") -> None:
    """Play (Resume once it trained) / Pause, Step, Reset, the epoch and the status line."""
    slot = lab.slot()
    job = slot.job
    p = lab.prefix
    c = st.columns(list(lab.bar), vertical_alignment="center")
    if len(c) < 5:
        c.append(st.container())
    diverged = view is not None and view.state == JobState.DIVERGED
    finished = view is not None and view.state == JobState.FINISHED
    if view is not None and view.active:
        c[0].button("Pause", icon=":material/pause:", key=f"{p}_pause", on_click=job.pause, type="primary",
                    width="stretch")
    elif finished:  # Resume would do nothing: it trained all its epochs
        c[0].button("Again", icon=":material/replay:", key=f"{p}_play", on_click=_again, args=(lab,), type="primary",
                    width="stretch", help="It trained all its epochs: start over from the seed's weights and train")
    else:
        label = "Resume" if view is not None and view.epoch else lab.play_label
        start = lab.start if (job is None and lab.start is not None) else (job.start if job else None)
        c[0].button(label, icon=":material/play_arrow:", key=f"{p}_play", on_click=start, type="primary",
                    width="stretch", disabled=diverged or start is None, help="Train until you pause")
    c[1].button("Step", icon=":material/skip_next:", key=f"{p}_step", on_click=job.step if job else None,
                width="stretch", disabled=job is None or bool(view and view.active) or diverged or finished,
                help="Train one epoch, then pause")
    c[2].button("Reset", icon=":material/restart_alt:", key=f"{p}_reset", on_click=lab.on_reset or slot.reset,
                width="stretch", disabled=job is None, help="New initial weights from the seed, back to epoch 0")
    with c[3].container(key=f"{p}_epoch"):
        st.markdown(f"**Epoch** {view.epoch if view is not None else 0:,}")
    if view is None:
        c[4].caption(f"Ready: press {lab.play_label} to train" + (f" · {extra}" if extra else ""))
        return
    kind, text = status(view)
    text = text.rstrip(".")  # "Finished: trained 400 epochs" · learning rate ...
    if kind == "error":
        c[4].error(text, icon="⚠️")
    else:
        lr = view.live.get("learning_rate")
        c[4].caption(text + (f" · learning rate {lr:g}" if lr is not None else "") + (f" · {extra}" if extra else ""))


def _again(lab: LiveLab) -> None:
    """A finished run's Again: archive it, back to epoch 0, and train."""
    (lab.on_reset or lab.slot().reset)()
    job = lab.slot().job
    if job is not None:
        job.start()


def curves(view: JobView, metrics: tuple[Metric, ...], key: str, stacked: bool = False) -> None:
    """One chart per metric pair present in the history, side by side (or one above the other in a narrow
    column), drawn by the browser, live or still: cheap to redraw, readable text, hover for values, and
    no plotting library for a first visit's browser to load before the page can be used
    (`benchmarks/first_visit.py`)."""
    h = view.history
    shown = [m for m in metrics if m.train in h]
    if not shown:
        return
    panels = [lines(h["epoch"], [(f"training {m.title.lower()}", h[m.train], "#333333")]
                    + ([(f"test {m.title.lower()}", h[m.test], BLUE if m.percent else ORANGE)]
                       if m.test in h else []), m.title, percent=m.percent, height=200) for m in shown]
    show(panels, f"{key}_live_{'_'.join(m.key or m.train for m in shown)}", cols=1 if stacked else len(shown),
         stamp=view.epoch)


def compare_runs_view(slot: JobSlot, view: JobView | None, key: str, current: dict | None = None) -> None:
    """This session's last runs of a lab (and the current one) overlaid on one metric, with their settings."""
    runs = [*slot.runs]
    if view is not None and view.epoch:
        runs.append({"label": "current run", "history": view.history, "epochs": view.epoch, "wall_s": view.wall_s,
                     "params": int(sum(w.size for w in view.snapshot.weights.values())) if view.snapshot else 0,
                     "dataset": "", "settings": {}, **(current or {})})
    if len(runs) < 2:
        st.info("Change the network or a setting and train again: your last runs are kept here to compare "
                f"({len(slot.runs)} kept so far).")
        if not runs:
            return
    metrics = [m for m in ("test_loss", "train_loss", "test_acc", "loss") if all(m in r["history"] for r in runs)]
    if not metrics:
        return
    metric = st.radio("Metric", metrics, horizontal=True, key=f"{key}_cmp_metric",
                      format_func=lambda m: m.replace("_", " "))
    st.plotly_chart(compare_runs(runs, metric), key=f"{key}_cmp")
    rows = [{"run": r["label"], "dataset": r["dataset"], "parameters": r["params"], "epochs": r["epochs"],
             "train time (s)": round(r["wall_s"], 2), **r["settings"],
             f"final {metric.replace('_', ' ')}": float(r["history"][metric][-1])} for r in runs]
    st.dataframe(rows, hide_index=True, width="stretch")


def _timed(lab: LiveLab) -> None:
    gate.yield_to_pages()  # a page being drawn for someone comes first: this redraw can be a moment late
    slot = lab.slot()
    active = slot.job is not None and slot.job.poll().active
    with live_load.Redraw():
        lab.draw(True)  # shows a pause at once (cheap images); the rerun below redraws the page still
    if not active or live_load.should_retune(lab.main_s, st.session_state.get(f"{lab.prefix}_live_every",
                                                                               lab.main_s),
                                             f"{lab.prefix}_live_retuned"):
        st.rerun()  # still, or the server's load changed: the page takes the new interval


def _timed_details(lab: LiveLab) -> None:
    gate.yield_to_pages()
    with live_load.Redraw(main=False):
        lab.details()


def _still(lab: LiveLab) -> None:
    slot = lab.slot()
    if slot.job is not None and slot.job.poll().active:
        st.rerun()
    lab.draw(False)
    if lab.details is not None:
        lab.details()


def live_area(lab: LiveLab) -> None:
    """Draw the lab's live part: on a timer while its job trains, once otherwise."""
    live_load.note_present()
    job = lab.slot().job
    view = job.poll() if job is not None else None
    if view is not None and view.state == JobState.FINISHED:
        fold_lesson(finished=True)  # the run is over: its chart, not the lesson's text, keeps the screen
    if view is not None and view.active:
        fold_lesson()
        every = st.session_state[f"{lab.prefix}_live_every"] = live_load.refresh_s(lab.main_s)
        st.fragment(run_every=every)(_timed)(lab)
        if lab.details is not None:
            st.fragment(run_every=max(lab.details_s, SETTINGS.live_details_ratio * every))(_timed_details)(lab)
    else:
        st.fragment(_still)(lab)
