"""Phone-size screenshots of every screen with realistic Danish content.

    python3 dev.py shots [OUT_DIR] [--language en]   (default: shots/, Danish)

Starts the real app on a throw-away data folder holding the example
conversation (fictional people), unlocks it in headless Chromium at 390×844,
and captures each route once the picture has settled; then a few at tablet size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

from mus.wheel import ELEMENTS, STRATEGY
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    AppServer,
    free_port,
    open_app,
    prepare_vault,
    unlock,
)

ROUTES = [
    "/",
    "/wheel",
    *[f"/wheel/{e.id}" for e in (STRATEGY, *ELEMENTS)],
    "/wheel/goals/goal-1",
    "/wheel/follow_up/check-in",
    "/plan",
    "/reminders",
    "/reminders/example/mini_mus%3A6",
    "/conversations",
    "/conversations/new",
    "/settings",
    "/settings/sync",
    "/settings/outbox",
]
TABLET: ViewportSize = {"width": 820, "height": 1180}
TABLET_ROUTES = ["/", "/wheel", "/wheel/preparation", "/plan"]


def settle(page: Page, tries: int = 60) -> bytes:
    """Screenshot until two frames in a row are identical."""
    prev = b""
    for _ in range(tries):
        cur = page.screenshot()
        if cur == prev:
            return cur
        prev = cur
        page.wait_for_timeout(200)
    return prev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="shots", help="folder for the PNG files")
    parser.add_argument(
        "--language", choices=["da", "en"], default="da", help="the app's language (da)"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="musling-shots-"))
    port = free_port()
    server = AppServer(f"http://127.0.0.1:{port}", port, base / "data", log=base / "app.log")
    prepare_vault(server.data_dir)
    # The language a user picked in settings (storage/preferences.py's file).
    (server.data_dir / "preferences.json").write_text(json.dumps({"language": args.language}))
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=PHONE).new_page()
            open_app(page, server.url)
            page.wait_for_timeout(500)
            (out / "00-unlock.png").write_bytes(settle(page))
            unlock(page)
            for i, route in enumerate(ROUTES, start=1):
                t0 = time.monotonic()
                # A reload of the same tab keeps its (unlocked) Flet session.
                open_app(page, server.url + route)
                page.wait_for_timeout(400)
                name = f"{i:02d}-{route.strip('/').replace('/', '-') or 'home'}.png"
                (out / name).write_bytes(settle(page))
                print(f"{out / name}  {time.monotonic() - t0:.1f}s")
            page.set_viewport_size(TABLET)  # the same session, turned into a tablet
            for route in TABLET_ROUTES:
                open_app(page, server.url + route)
                page.wait_for_timeout(400)
                name = f"tablet-{route.strip('/').replace('/', '-') or 'home'}.png"
                (out / name).write_bytes(settle(page))
                print(out / name)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
