"""The frame every lab draws the same way: the top (links read, page styling, a one-line title, notices,
lesson), the controls area (folded away in presenter mode), and the share box at the end.

The top is kept short so the lab's live view starts high on a projector (1280x720): the title and the lab's
intro share one row, and the lesson box folds to one line (its title and question) at a click, and on its
own while the lab trains (`fold_lesson()` is what the live area calls then).

A page calls `open_lab(lab, link)` first, puts its controls in `controls()`, and `share_footer`
last; `link` is the lab's field map (a `FieldMap`, or the Playground's own), with `read()` and
`values()`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

import streamlit as st

from core.lessons import BY_ID, Lesson
from ui.kit import links
from ui.kit.frame import ensure_frame
from ui.kit.registry import Lab

# Streamlit leaves 6rem above the first element for its toolbar; the toolbar floats over the top right
# instead, and the title row is short.
PAGE_STYLE = ("<style>[data-testid='stMainBlockContainer'], .block-container { padding-top: 2.2rem !important; }"
              "header[data-testid='stHeader'] { background: transparent; pointer-events: none; }"
              "header[data-testid='stHeader'] * { pointer-events: auto; }"
              ".st-key-lab_header h1 { font-size: 1.9rem; padding: 0; line-height: 1.2; white-space: nowrap; }"
              ".st-key-lab_header [data-testid='stCaptionContainer'] p { margin: 0; }"
              ".st-key-lesson_line { display: none; padding: 0.25rem 0.5rem 0.25rem 1rem; }"
              ".st-key-lesson_full { padding-right: 0.5rem; }"
              ".st-key-lesson_line [data-testid='stMarkdown'] { min-width: 0; flex: 1; }"
              ".st-key-lesson_line p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }"
              "</style>")
PRESENTER_STYLE = ("<style>html { font-size: 20px; } section[data-testid='stSidebar'] { display: none; }"
                   "[data-testid='stMainBlockContainer'], .block-container { max-width: 100% !important; "
                   "padding: 1.2rem 2rem 2rem 2rem !important; }</style>")
# Emitted while a lab trains: the full lesson box gives way to its one-line form.
FOLD_STYLE = ("<style>.st-key-lesson_full { display: none; } .st-key-lesson_line { display: flex; }"
              "</style>")


class LinkMap(Protocol):
    def read(self) -> None: ...

    def values(self) -> dict[str, Any]: ...


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def current_lesson(page: str) -> Lesson | None:
    lesson = BY_ID.get(st.session_state.get(f"lesson_{page}", ""))
    return lesson if lesson is not None and lesson.page == page else None


def open_lab(lab: Lab, link: LinkMap) -> None:
    ensure_frame()
    link.read()
    st.html(PAGE_STYLE + (PRESENTER_STYLE if presenting() else ""))
    lesson = current_lesson(lab.id)
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", key="lab_header"):
        # Presenting a lesson, the lesson is the intro; otherwise the lab's own intro sits beside its title.
        st.title(lab.title, width="content", help=lab.caption if lesson and presenting() else None)
        if lab.caption and not (lesson and presenting()):
            st.caption(lab.caption)
    links.notices(lab.id)
    if lesson is not None:
        lesson_box(lab.id, lesson)


def lesson_box(page: str, lesson: Lesson) -> None:
    """The lesson's title, text and question, with a button that folds it to one line (its title and
    question); while the lab trains it shows folded on its own, so the live view keeps the screen."""
    key = f"lesson_folded_{page}"
    folded = bool(st.session_state.get(key))
    with st.container(key="lesson", gap=None):
        if not folded:
            with st.container(border=True, key="lesson_full", horizontal=True, wrap=False,
                              vertical_alignment="top"):
                st.markdown(f"**Lesson: {lesson.title}**  \n{lesson.text}  \n"
                            f":blue[**Question:** {lesson.question}]")
                st.button("", icon=":material/unfold_less:", key="lesson_fold", help="Fold the lesson to one line",
                          on_click=_by_hand, args=(key, True), type="tertiary")
        with st.container(border=True, key="lesson_line", horizontal=True, wrap=False,
                          vertical_alignment="center"):
            st.markdown(f"**Lesson: {lesson.title}** · :blue[**Question:** {lesson.question}]")
            st.button("", icon=":material/unfold_more:", key="lesson_unfold", help="Show the whole lesson",
                      on_click=_by_hand, args=(key, False), type="tertiary")
    if folded:
        fold_lesson()


def _by_hand(key: str, folded: bool) -> None:
    st.session_state[key] = folded
    st.session_state["lesson_open_by_hand"] = not folded


def fold_lesson(finished: bool = False) -> None:
    """Show the lesson in its one-line form: while a lab trains, and once its run has finished (the result is
    what the question asks about) unless the student opened it again by hand."""
    if finished and st.session_state.get("lesson_open_by_hand"):
        return
    st.html(FOLD_STYLE)


def controls() -> AbstractContextManager:
    """Where a lab's controls go: folded into an expander in presenter mode, so the live view fills the
    projector; in place otherwise."""
    if presenting():
        return st.expander("Controls", expanded=False, icon=":material/tune:")
    return st.container()


def hidden(lab: Lab) -> set[str]:
    return links.hidden(lab.id)


def share_footer(lab: Lab, link: LinkMap, note: str = "") -> dict[str, str]:
    """Keep the URL in step with the page (presenter mode included) and draw the share box."""
    params = links.write_link(lab.id, lab.fields, link.values())
    links.share_box(params, lab.id, lab.hideable, note)
    return params
