"""Share links and presenter mode, for every lab: read the link once per session (a lesson's preset
included), keep the URL in step with the page, show a copyable link and the presenter toggle.

The fields themselves are `core.share`'s tables; this module only moves them between the URL and
the session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from core.lessons import BY_ID
from core.share import Field, encode, parse
from ui.kit.fold import folded
from ui.kit.text import plain


def read_link(page: str, fields: tuple[Field, ...]) -> tuple[dict[str, Any], set[str]] | None:
    """A new link's values (a lesson's preset first, the link's own fields over it) and the names it
    set; None when the URL holds nothing new (no parameters, or those this page wrote itself)."""
    params = {k: st.query_params.get_all(k)[-1] for k in st.query_params.keys()}
    if not params or _seen(page, params):
        return None
    _remember(page, params)
    lesson = BY_ID.get(str(params.get("lesson", "")))
    merged = {**(lesson.preset if lesson and lesson.page == page else {}), **params}
    values, notices = parse(fields, merged)
    st.session_state[f"link_notices_{page}"] = notices
    st.session_state["present"] = bool(values.get("present"))
    st.session_state[f"lesson_{page}"] = values.get("lesson") or ""
    if "hide" in values:
        st.session_state[f"hide_{page}"] = list(values["hide"])
    return values, set(merged)


def frame_values(page: str) -> dict[str, Any]:
    """The fields every lab's link ends with: what it hides, presenter mode, the lesson."""
    return {"hide": tuple(st.session_state.get(f"hide_{page}", ())), "present": bool(st.session_state.get("present")),
            "lesson": st.session_state.get(f"lesson_{page}", "")}


def hidden(page: str) -> set[str]:
    """What this page's link or lesson hides (TensorFlow Playground's hide flags)."""
    return set(st.session_state.get(f"hide_{page}", ()))


def pick(page: str, flag: str, label: str, options: Mapping[str, str], key: str, help: str) -> str:
    """A selectbox over `options` (value -> title), or, when the page's link hides `flag`, the
    link's (or the first) value shown as text. A title's details after its first ", " (a model's data
    and accuracy) go in a caption under the box, which a narrow column would cut instead."""
    if flag in hidden(page):
        value = keep(key, next(iter(options)))
        st.markdown(f"**{label}:** {options[value]}")
        return value
    parts = {v: title.split(", ", 1) for v, title in options.items()}
    value = st.selectbox(label, list(options), format_func=lambda v: parts[v][0], key=key, help=help)
    if value is not None and len(parts[value]) == 2:
        st.caption(parts[value][1])
    return value


def keep(key: str, default: Any) -> Any:
    """A hidden control's value: what a link or an earlier run chose, else the default. Written back
    on every run, so it outlives its widget (Streamlit drops the state of widgets not drawn)."""
    value = st.session_state.get(key, default)
    st.session_state[key] = value
    return value


def kept(key: str, default: Any) -> dict[str, Any]:
    """A widget's `key`/`on_change` arguments for a value that lives in `st.session_state[key]` whether or
    not the widget is drawn: the widget shows that value at every run and writes it back when changed."""
    widget = f"_{key}_widget"
    st.session_state[widget] = st.session_state.get(key, default)
    return {"key": widget, "on_change": _write_back, "args": (widget, key)}


def _write_back(widget: str, key: str) -> None:
    st.session_state[key] = st.session_state[widget]


def bound(key: str, value: object) -> str:
    """A widget key that follows a value kept outside the widget (a lab's own state, changed by a link,
    a load or a refused change) without passing a default: with a fixed key and fixed arguments the
    widget keeps its identity across reruns, so the browser keeps its focus (arrow keys keep working)."""
    shadow = f"{key}__was"  # the outside value when the widget was last drawn
    if key not in st.session_state or st.session_state.get(shadow, value) != value:
        st.session_state[key] = value  # changed from outside the widget: show it
    st.session_state[shadow] = value
    return key


def resync(*keys: str) -> None:
    """The next run shows these `bound` widgets at the outside value again (a change was refused)."""
    for key in keys:
        st.session_state[f"{key}__was"] = None


def sticky(widget: Callable[..., Any], label: str, options: Any, key: str, valid: Callable[[Any], bool] | None = None,
           **kwargs: Any) -> Any:
    """A widget whose choice outlives runs that do not draw it (a tab shown without an input, say):
    Streamlit drops a widget's state when a run skips it, and it would come back at its default while
    the page still showed the old choice. The last choice is kept beside it and given back when the
    widget is drawn again, if it is still one of its options (`valid`, or `in options`)."""
    shadow = f"{key}__kept"
    if key not in st.session_state and shadow in st.session_state:
        kept = st.session_state[shadow]
        if (valid(kept) if valid is not None else kept in options):
            st.session_state[key] = kept
    value = widget(label, options, key=key, **kwargs) if options is not None else widget(label, key=key, **kwargs)
    st.session_state[shadow] = value
    return value


def _seen(page: str, params: Mapping[str, str]) -> bool:
    return tuple(sorted(params.items())) in st.session_state.get(f"link_seen_{page}", [])


def _remember(page: str, params: Mapping[str, str]) -> None:
    """The browser's URL can lag a run behind what the page wrote: links this page wrote (or read)
    lately are not new links, so they are never applied again over newer choices."""
    seen = st.session_state.setdefault(f"link_seen_{page}", [])
    key = tuple(sorted(params.items()))
    if key in seen:
        seen.remove(key)
    seen.append(key)
    del seen[:-20]


def notices(page: str) -> None:
    """What a link could not use, as plain text: a link's values never render as markdown."""
    items = st.session_state.get(f"link_notices_{page}") or []
    if items:
        st.warning("Some settings in this link could not be used, so their defaults are shown:\n\n"
                   + "\n".join(f"- {plain(n)}" for n in items[:8]), icon=":material/link_off:")
        st.button("Dismiss", key=f"link_dismiss_{page}", on_click=st.session_state.__setitem__,
                  args=(f"link_notices_{page}", []))


def write_link(page: str, fields: tuple[Field, ...], values: Mapping[str, Any]) -> dict[str, str]:
    """Put the page's state in the URL (only what differs from the defaults); returns the parameters."""
    params = encode(fields, values)
    _remember(page, params)
    current = {k: st.query_params.get_all(k)[-1] for k in st.query_params.keys()}
    if current != params:
        st.query_params.from_dict(params)
    return params


def link_url(params: Mapping[str, str]) -> str:
    base = st.context.url or ""
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def share_box(params: Mapping[str, str], page: str | None = None, hideable: tuple[str, ...] = (),
              note: str = "") -> None:
    """The copyable link (the copy icon is on the code block), presenter mode and, for the labs,
    which controls the link hides."""
    box = folded("Share this setup", key="share_open", icon=":material/share:")
    if not box.open:
        return
    with box:
        st.caption("Anyone who opens this link gets the same setup; with the same seed, the same training on "
                   "a CPU. Click the copy icon at the right of the link." + (f" {note}" if note else ""))
        st.code(link_url(params), language=None, wrap_lines=True)
        st.toggle("Presenter mode", **kept("present", False),
                  help="Bigger text and charts for a projector; the controls fold away. Links made now open in "
                       "presenter mode too.")
        if page and hideable:
            st.multiselect("Controls students will not see", hideable, **kept(f"hide_{page}", []),
                           help="Like TensorFlow Playground's hide flags: the link opens with these controls (or "
                                "tabs) hidden, and their values fixed at what you chose. They are hidden here too, "
                                "now; remove them from this list to bring them back.")
