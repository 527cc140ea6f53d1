"""Wrong passphrases in a real browser: after five, the lock screen counts down.

A server of the test's own: the brake is per process, and the shared server's
other tests must not inherit a wait.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import (
    PASSPHRASE,
    PHONE,
    AppServer,
    open_app,
    unlock,
    wait_for_semantics,
)

COUNTDOWN = re.compile(r"Du kan prøve igen om (\d+) s")


def try_wrong(page: Page, guess: str) -> None:
    """Type a wrong passphrase like a person and press the button; wait for the verdict.

    As in conftest's unlock(): a field focused in the moment the lock screen's
    autofocus settles may never send its text to the server (the button stays
    off); then reload (the session stays) rather than type into a dead field."""
    passphrase = page.get_by_label("Adgangssætning", exact=True)
    button = page.get_by_role("button", name=re.compile("^Lås op$"))
    for attempt in range(4):
        page.wait_for_timeout(1_000)
        try:
            passphrase.focus()
            expect(passphrase).to_be_focused(timeout=5_000)
            page.wait_for_timeout(100)
            passphrase.fill("")
            page.keyboard.type(guess, delay=5)
            expect(passphrase).to_have_value(guess, timeout=5_000)
            # Enabled: the server has the text, and no wait is running.
            expect(button).to_be_enabled(timeout=10_000)
            break
        except (AssertionError, PlaywrightTimeout):
            if attempt == 3:
                raise
            page.reload(wait_until="commit", timeout=60_000)  # then Flutter's first frame, below
            page.wait_for_selector("#loading", state="detached", timeout=60_000)
            wait_for_semantics(page)
            passphrase.wait_for(timeout=30_000)
    button.click()
    # A wrong try empties the field and names the problem.
    expect(passphrase).to_have_value("", timeout=15_000)


def test_the_countdown_holds_the_button_after_five_wrong_passphrases(
    browser: Browser, own_server: AppServer
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
    page = context.new_page()
    try:
        open_app(page, own_server.url)
        countdown = page.locator("flt-semantics").get_by_text(COUNTDOWN)
        for n in range(5):
            try_wrong(page, f"forkert gæt nummer {n}")
        # The fifth failure makes the next try wait 1 s, the sixth 2 s: too short to
        # catch reliably on a busy machine, so one more failure, which waits 4 s.
        try_wrong(page, "forkert gæt nummer 5")
        try_wrong(page, "forkert gæt nummer 6")
        expect(countdown.first).to_be_visible(timeout=5_000)
        expect(page.get_by_role("button", name=re.compile("^Lås op$"))).to_be_disabled()
        expect(countdown).to_have_count(0, timeout=15_000)  # it runs out
        unlock(page, PASSPHRASE)
        expect(page.get_by_role("tab").first).to_be_visible(timeout=15_000)
    finally:
        context.close()
