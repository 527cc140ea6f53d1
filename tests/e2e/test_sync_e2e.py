"""Sync in the real browser: a WebDAV target set up by hand, a plan exported, the file sent.

Its own app server and data folder (the test leaves a target behind otherwise),
and the sync tests' WsgiDAV server on 127.0.0.1 in this process: the app
(another process) reaches it over plain HTTP, which is allowed to this device
only. Needs the routes and the plan screen's hook from views/app.py and
views/screens/plan.py; skipped until they are in.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE, AppServer, fill, open_app, unlock
from tests.sync import conftest as sync_fixtures
from tests.sync.dav_server import PASSWORD, USER, DavServer

TIMEOUT = 15_000


dav = sync_fixtures.dav  # the sync tests' WsgiDAV server on 127.0.0.1 (a fixture)


def visible_text(page: Page, text: str | re.Pattern[str]) -> None:
    """A text on screen; Flutter may merge it into its group's label instead of a node."""
    pattern = text if isinstance(text, re.Pattern) else re.compile(re.escape(text))
    found = page.locator("flt-semantics").get_by_text(pattern).or_(page.get_by_label(pattern))
    expect(found.first).to_be_visible(timeout=TIMEOUT)


def scroll_to(page: Page, button: str) -> None:
    """Scroll the screen's list until the button is built (lists build what is near view)."""
    target = page.get_by_role("button", name=re.compile(button))
    page.mouse.move(195, 400)
    for _ in range(30):
        if target.count() > 0:
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(150)
    target.first.scroll_into_view_if_needed()


def goto(page: Page, server: AppServer, route: str) -> None:
    open_app(page, server.url + route)  # same tab: the session stays unlocked
    unlock(page)


def test_plan_export_is_sent_to_a_webdav_target(
    browser: Browser, own_server: AppServer, dav: DavServer
) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK", accept_downloads=True)
    page = context.new_page()
    try:
        goto(page, own_server, "/settings/sync")
        visible_text(page, "Ingen modtagere endnu")
        page.get_by_role("button", name=re.compile("^Nextcloud")).click()
        fill(page, re.compile("^Serveradresse"), dav.url)
        fill(page, re.compile("^Brugernavn"), USER)
        fill(page, re.compile("^App-adgangskode"), "forkert")
        page.get_by_role("button", name=re.compile("Test forbindelsen")).click()
        visible_text(page, "Forkert brugernavn eller adgangskode")
        fill(page, re.compile("^App-adgangskode"), PASSWORD)
        page.get_by_role("button", name=re.compile("Test forbindelsen")).click()
        visible_text(page, "Forbindelsen virker")
        page.get_by_role("button", name=re.compile("Gem modtager")).click()
        expect(
            page.get_by_role("switch", name=re.compile("Send alle eksporter hertil"))
        ).to_be_checked(timeout=TIMEOUT)

        goto(page, own_server, "/plan")
        visible_text(page, "Udviklingsplan")
        scroll_to(page, "Eksportér PDF")
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name=re.compile("Eksportér PDF")).click()
        exported = Path(download.value.path()).read_bytes()
        assert exported.startswith(b"%PDF-")

        goto(page, own_server, "/settings/outbox")
        visible_text(page, re.compile(r"Sendt \d.* til Nextcloud"))
        (on_server,) = (dav.root / "MUS").iterdir()
        assert on_server.name == download.value.suggested_filename
        assert on_server.read_bytes() == exported
    finally:
        context.close()
