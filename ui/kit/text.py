"""Text from outside (a link's values, a file's name) shown as plain text: Streamlit renders markdown
in messages, so `[text](url)` would become a link and `:red[...]` or `$...$` would be styled."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=])")


def plain(text: object, limit: int = 300) -> str:
    """`text` with every markdown character escaped (and at most `limit` characters)."""
    return _MARKDOWN.sub(r"\\\1", str(text)[:limit])
