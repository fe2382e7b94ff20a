"""Take the README's screenshots from the real app: starts it, opens each page in Chromium.

    python scripts/screenshots.py            # writes assets/screenshots/<page>.png
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import browser, streamlit_server, wait_idle  # noqa: E402
from ui.labs import HOME, LABS  # noqa: E402

OUT = ROOT / "assets" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, browser() as chrome:
        for lab in (HOME, *LABS):
            slug = "home" if lab is HOME else lab.path.rsplit("/", 1)[-1].removesuffix(".py")
            page = chrome.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/{'' if lab is HOME else slug}")
            wait_idle(page)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / f"{slug}.png"))
            page.close()
            print(f"wrote {OUT / f'{slug}.png'}")


if __name__ == "__main__":
    main()
