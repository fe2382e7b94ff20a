"""The Playground's live area on the kit (`ui.kit.live`): the play bar, network graph, output map,
curves, hints and more views. The kit redraws `render` on a timer while the job trains and
`render_details` less often; when the job stops both are drawn once."""

from __future__ import annotations

import streamlit as st

from core.playground.diagnostics import MAX_SHOWN, diagnose
from core.playground.frame import compute_frame
from core.playground.live_payload import payload
from ui.kit import header
from ui.kit.live import ACCURACY, LOSS, NARROW_BAR, LiveLab, curves, play_bar
from ui.kit.live import live_area as kit_live_area
from ui.playground import canvas as pg_canvas
from ui.playground import panels as pg_panels
from ui.playground import state as pg_state
from ui.playground.state import Playground

HINTS_PX = 150  # room for two hints
MAX_FRAMES = 10  # snapshots sent in one redraw, played by the browser until the next


def _reset() -> None:
    pg_state.get().slot.reset()


LIVE = LiveLab("pg", slot=lambda: pg_state.get().slot, draw=lambda live: render(pg_state.get(), live),
               details=lambda: render_details(pg_state.get()), on_reset=_reset, bar=NARROW_BAR)


def render(pg: Playground, live: bool = False) -> None:
    job = pg.job
    view = job.poll()
    pg.sample = int(st.session_state.get("pg_sample", pg.sample))
    play_bar(LIVE, view, f"loss: {job.objective.title}")
    ds, spec = job.dataset, pg_state.spec(pg)
    frames = _frames(pg, view, spec, live)
    if not frames:
        st.info("The network is being set up…")
        return
    frame = frames[-1][0]
    st.session_state["pg_frame"] = frame  # what the details, the edits and the views read
    metrics = [(m.title, m.train, m.test, m.percent) for m in _metrics(ds)] if live else None
    pg_canvas.live_view(payload(frames, ds, show_test=pg.show_test, discretize=pg.discretize,
                                selected=pg_panels.selected(pg), editable=not view.active,
                                text_px=18 if header.presenting() else 12, history=view.history if live else None,
                                metrics=metrics, every_s=st.session_state.get("pg_live_every", 0.0) if live else 0.0,
                                layer_buttons="layers" not in st.session_state.get("hide_playground", ())))
    notes = []
    if frame.maps is None:
        st.info("This dataset has more than two inputs, so there is no plane to draw the output on: the "
                "network shows one row's values instead. Every other view works.")
        notes.append(f"Each node shows its value on test row {min(pg.sample, len(ds.x_test) - 1)} (inputs "
                     "standardized; orange negative, blue positive); hover it to read it.")
    else:
        notes.append("Each node shows what that neuron computes over the input plane (hover it to see it large, "
                     "click it to select it); lines are weights (blue positive, orange negative, thicker is larger; "
                     "click one to read it, and change it while paused). Right: "
                     + map_caption(frame.task_kind, ds.class_names, pg.show_test))
    if max(c.units for c in frame.columns) > 8:
        notes.append("Layers wider than 8 neurons are drawn summarized: the first 8 neurons and their weights.")
    st.caption(" ".join(notes))
    if not live:
        curves(view, _metrics(ds), "pg")


def _frames(pg: Playground, view, spec, live: bool) -> list[tuple]:
    """(frame, version, epoch) for every snapshot since this session's last redraw (at most
    `MAX_FRAMES`, the latest last), each computed once; only the latest when still."""
    job, ds = pg.job, pg.job.dataset
    cache: dict = st.session_state.setdefault("pg_frames", {})
    sent = st.session_state.get("pg_sent")
    fresh = live and sent is not None and sent[0] == id(job)
    snaps = [s for s in view.recent if fresh and (s.step, s.wall_s) > sent[1]][-MAX_FRAMES:]
    latest = view.snapshot
    if latest is not None:
        if snaps and (snaps[-1].step, snaps[-1].wall_s) == (latest.step, latest.wall_s):
            snaps[-1] = latest  # the same snapshot (or an edit of it): the job's latest copy
        else:
            snaps.append(latest)
    out = []
    for snap in snaps:
        # a weight edit keeps the step: the weights' sum tells the edited snapshot apart
        key = (id(job), snap.step, snap.wall_s, sum(float(w.sum()) for w in snap.weights.values()), pg.sample)
        if key not in cache:
            cache[key] = compute_frame(job.objective, spec, snap, ds, sample=pg.sample)
        out.append((cache[key], f"{id(job) % 100_000}-{snap.step}-{snap.wall_s:.6f}-{key[3]:.6g}", snap.epoch))
    for key in list(cache)[:-2 * MAX_FRAMES]:  # keep the cache small
        del cache[key]
    if view.snapshot is not None:
        st.session_state["pg_sent"] = (id(job), (view.snapshot.step, view.snapshot.wall_s))
    return out


def _metrics(ds) -> tuple:
    return (LOSS, ACCURACY) if ds.task == "classification" else (LOSS,)


def map_caption(task_kind: str, class_names: tuple[str, ...], show_test: bool) -> str:
    """What the output map's colours mean, for this task (a sentence)."""
    if task_kind == "binary":
        what = (f"orange is {class_names[0]}, blue {class_names[1]}; the paler, the less sure"
                if len(class_names) == 2 else "orange and blue are the two classes")
    elif task_kind == "multiclass":
        what = f"each colour is the class predicted there ({len(class_names)} classes)"
    else:
        what = "the predicted value: orange low, blue high"
    points = "circles are training points" + (", dark-rimmed ones test points" if show_test else "")
    crosses = "" if task_kind == "regression" else "; crosses are points the network gets wrong"
    return f"the network's output over the input plane (x1 across, x2 up): {what}; {points}{crosses}."


def render_details(pg: Playground) -> None:
    """Metrics, hints and the selected extra view: refreshed less often than the main charts."""
    view = pg.job.poll()
    frame = st.session_state.get("pg_frame")
    if frame is None:
        return
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
    recent = [s.grad_norms for s in view.snapshots[-5:]] or ([snap.grad_norms] if snap else [])
    hints = diagnose(view.history, recent, frame.dead, acts)
    with st.container(height=HINTS_PX, border=False, key="pg_hints"):  # the same space with or without hints
        for h in hints[:MAX_SHOWN]:
            st.warning(f"**{h.title}.** {h.advice}", icon="💡")
        if not hints:
            st.caption("Health checks: no warning. Hints appear here when the loss oscillates or rises, gradients "
                       "vanish or explode, ReLUs die, or the network overfits.")
    if frame.maps is None and len(ds.x_test) > 1:
        st.slider("Test row drawn in the network", 0, len(ds.x_test) - 1, key="pg_sample",
                  help="With more than two inputs there is no plane to draw: the network shows what each neuron "
                       "computes for this one row.")
    pg_panels.more_views(pg, view, frame)


def live_area(pg: Playground) -> None:
    kit_live_area(LIVE)
