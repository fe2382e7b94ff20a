"""The Playground's live area: controls bar, network graph, output map, curves, hints, more views.

While the job trains, `_live` reruns every 0.2 s as a fragment, only this part of the page (less
often when many sessions draw at once: `live_load` gives all sessions' redraws a budget of the
server's time); when it stops, `_still` draws once and waits for a click. Either switches to the
other with a full rerun.
"""

from __future__ import annotations

import streamlit as st

from core.playground.diagnostics import diagnose
from core.playground.frame import compute_frame
from core.training import JobState
from core.viz.colors import BLUE, ORANGE
from core.viz.curves import accuracy_curves, downsample, loss_curves
from core.viz.raster import curves_image, image_bytes, map_image, network_image
from ui.kit import live_load
from ui.playground import panels as pg_panels
from ui.playground import state as pg_state
from ui.playground.state import Playground

REFRESH_S = 0.2  # the main charts
DETAILS_S = 1.0  # metrics, hints and the extra view
DETAILS_RATIO = 3  # at most this many main redraws per details redraw


def _status(view) -> tuple[str, str]:
    if view.active:
        if view.state == JobState.QUEUED or (view.queue_position or 0) > 0:
            return "info", f"Queued: place {view.queue_position} for a training slot on this server"
        return "running", f"Training on {view.device}"
    if view.state in (JobState.DIVERGED, JobState.FAILED):
        return "error", view.message
    if view.state == JobState.FINISHED or view.message:
        return "info", view.message or "Finished"
    return "idle", "Paused" if view.epoch else "Ready: press Play to train"


def _pause(pg: Playground) -> None:
    pg.job.pause()  # the view says "not active" at once; the worker stops within one slice


def _reset(pg: Playground) -> None:
    pg_state.record_run(pg)
    pg.job.reset()


def controls_bar(pg: Playground, view) -> None:
    job = pg.job
    c = st.columns([0.8, 0.8, 0.8, 1.2, 4], vertical_alignment="center")
    diverged = view.state == JobState.DIVERGED
    if view.active:
        c[0].button("Pause", icon=":material/pause:", key="pg_pause", on_click=_pause, args=(pg,), type="primary",
                    width="stretch")
    else:
        c[0].button("Play", icon=":material/play_arrow:", key="pg_play", on_click=job.start, type="primary",
                    width="stretch", disabled=diverged, help="Train until you pause")
    c[1].button("Step", icon=":material/skip_next:", key="pg_step", on_click=job.step, width="stretch",
                disabled=view.active or diverged, help="Train one epoch, then pause")
    c[2].button("Reset", icon=":material/restart_alt:", key="pg_reset", on_click=_reset, args=(pg,), width="stretch",
                help="New initial weights from the seed, back to epoch 0")
    with c[3].container(key="pg_epoch"):
        st.markdown(f"**Epoch** {view.epoch:,}")
    kind, text = _status(view)
    if kind == "error":
        c[4].error(text, icon="⚠️")
    else:
        c[4].caption(text + f" · learning rate {view.learning_rate:g} · loss: {job.objective.title}")


def _curves(view, classification: bool, live: bool) -> None:
    """Loss (and accuracy) curves: images while training (cheap to redraw), plotly when still."""
    cols = st.columns(2 if classification else 1)
    h = view.history
    if live:
        ep, tr, te = downsample(h["epoch"], h["train_loss"], h["test_loss"])
        cols[0].image(image_bytes(curves_image(ep, [("training loss", tr, "#333333"), ("test loss", te, ORANGE)],
                                             "Loss")), width="stretch")
        if classification:
            ep, tr, te = downsample(h["epoch"], h["train_acc"], h["test_acc"])
            cols[1].image(image_bytes(curves_image(ep, [("training accuracy", tr, "#333333"),
                                                      ("test accuracy", te, BLUE)], "Accuracy", y_range=(0, 1.02),
                                                 percent=True)), width="stretch")
        return
    cols[0].plotly_chart(loss_curves(h), key="pg_loss", width="stretch")
    if classification:
        cols[1].plotly_chart(accuracy_curves(h), key="pg_acc", width="stretch")


def render(pg: Playground, live: bool = False) -> None:
    job = pg.job
    view = job.poll()
    controls_bar(pg, view)
    ds, spec = job.dataset, pg_state.spec(pg)
    snap = view.snapshot
    key = (id(job), snap.step if snap else -1, snap.epoch if snap else -1, view.version if not snap else 0)
    cache = st.session_state.get("pg_frame")
    if cache is None or cache[0] != key:
        cache = (key, compute_frame(job.objective, spec, snap, ds))
        st.session_state["pg_frame"] = cache
    frame = cache[1]
    left, right = st.columns([1.25, 1])
    with left:
        st.image(image_bytes(network_image(frame.columns, frame.weights, pg_panels.selected(pg))), width="stretch")
        if max(c.units for c in frame.columns) > 8:
            st.caption("Layers wider than 8 neurons are drawn summarized: the first 8 neurons and their weights.")
    with right:
        if frame.maps is not None:
            show_test = pg.show_test
            st.container(key="pg_map").image(image_bytes(map_image(
                frame.output_values, frame.task_kind, ds.points_train, ds.y_train.numpy().ravel(),
                ds.points_test if show_test else None, ds.y_test.numpy().ravel() if show_test else None,
                frame.wrong_train, frame.wrong_test if show_test else None, discretize=pg.discretize)),
                width="stretch")
            st.caption("Output over the input plane: orange and blue are the two classes (or low and high values); "
                       "circles are training points" + (", dark-rimmed ones test points" if show_test else "")
                       + "; crosses are points the network gets wrong.")
        else:
            st.info("This dataset has more than two inputs, so there is no plane to draw the output on. "
                    "Every other view works.")
    _curves(view, ds.task == "classification", live)


def render_details(pg: Playground) -> None:
    """Metrics, hints and the selected extra view: refreshed less often than the main charts."""
    view = pg.job.poll()
    cache = st.session_state.get("pg_frame")
    if cache is None:
        return
    frame = cache[1]
    ds = pg.job.dataset
    latest = view.latest
    m = st.columns(4)
    m[0].metric("Training loss", f"{latest.get('train_loss', float('nan')):.4f}")
    m[1].metric("Test loss", f"{latest.get('test_loss', float('nan')):.4f}")
    if ds.task == "classification":
        m[2].metric("Training accuracy", f"{latest.get('train_acc', 0):.1%}")
        m[3].metric("Test accuracy", f"{latest.get('test_acc', 0):.1%}")
    acts = {f"dense_{i + 1}": h.activation for i, h in enumerate(pg.hidden)}
    snap = view.snapshot
    hints = diagnose(view.history, snap.grad_norms if snap else None, frame.dead, acts)
    for h in hints[:3]:
        st.warning(f"**{h.title}.** {h.advice}", icon="💡")
    pg_panels.more_views(pg, view, frame)


def _live() -> None:
    pg = pg_state.get()
    active = pg.job.poll().active
    with live_load.Redraw():
        render(pg, live=True)  # shows a pause at once (cheap images); the rerun below redraws the page still
    if not active or live_load.should_retune(REFRESH_S, st.session_state.get("pg_live_every", REFRESH_S),
                                             "pg_live_retuned"):
        st.rerun()  # still, or the server's load changed: the page takes the new interval


def _live_details() -> None:
    with live_load.Redraw(main=False):
        render_details(pg_state.get())


@st.fragment
def _still() -> None:
    pg = pg_state.get()
    if pg.job.poll().active:
        st.rerun()
    render(pg)
    render_details(pg)


def live_area(pg: Playground) -> None:
    live_load.note_present()
    if pg.job.poll().active:
        every = st.session_state["pg_live_every"] = live_load.refresh_s(REFRESH_S)  # slower when many draw
        st.fragment(run_every=every)(_live)()
        st.fragment(run_every=max(DETAILS_S, DETAILS_RATIO * every))(_live_details)()
    else:
        _still()

