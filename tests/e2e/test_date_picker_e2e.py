"""The calendar button of a date field in a real Chromium: Flutter's picker, a tapped day, saved.

Its own app and data folder (``own_server``): the meeting date it changes is
read back from the vault on disk once the app has stopped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Browser, expect

from mus.demo import EXAMPLE_ID, MEETING_DAYS_AGO
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import PASSPHRASE, PHONE, AppServer, open_app, unlock

TIMEOUT = 15_000


def test_meeting_date_picked_in_the_calendar_is_saved(
    browser: Browser, own_server: AppServer
) -> None:
    meeting = date.today() - timedelta(days=MEETING_DAYS_AGO)  # the example's (prepare_vault)
    chosen = meeting.replace(day=15 if meeting.day != 15 else 16)
    shown = chosen.strftime("%d.%m.%Y")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
    page = context.new_page()
    open_app(page, own_server.url + "/wheel/process")
    unlock(page)
    field = page.get_by_label("Samtalens dato", exact=True)
    expect(field).to_be_visible(timeout=TIMEOUT)

    page.get_by_role("button", name="Vælg i kalenderen: Samtalens dato").click()
    picker = page.get_by_role("dialog")
    expect(picker).to_be_visible(timeout=TIMEOUT)
    # In Danish, on the field's month: the day buttons say "15, mandag den 15. …".
    picker.get_by_role(
        "button", name=re.compile(rf"^{chosen.day}, \S+ den {chosen.day}\. ")
    ).click()
    picker.get_by_role("button", name="OK").click()
    expect(picker).to_be_hidden(timeout=TIMEOUT)
    # Flutter mirrors a field's text into the page only while it has focus.
    field.focus()
    expect(field).to_have_value(shown, timeout=TIMEOUT)

    # Shown again from the saved record on a fresh screen, then on disk.
    open_app(page, own_server.url + "/wheel")
    open_app(page, own_server.url + "/wheel/process")
    field = page.get_by_label("Samtalens dato", exact=True)
    field.focus()
    expect(field).to_have_value(shown, timeout=TIMEOUT)
    context.close()
    own_server.stop()
    session = VaultSession(DataPaths.resolve(own_server.data_dir).vault)
    session.unlock(PASSPHRASE)
    record = session.conversations().get(EXAMPLE_ID)
    session.lock()
    assert record is not None
    assert record.conversation.meeting_date == chosen
