"""A new phone in a real browser: the first screen restores the old phone's backup.

The file goes through Chromium's own file chooser and Flet's web file picker
(bytes, no path), as on a phone; the vault it makes is read back from disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mus.demo import example_bundle
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import PASSPHRASE, PHONE, AppServer, fill, free_port, open_app

TIMEOUT = 20_000


@pytest.fixture
def new_phone(tmp_path: Path) -> Iterator[AppServer]:
    """The app on a data folder with no vault yet."""
    port = free_port()
    server = AppServer(f"http://127.0.0.1:{port}", port, tmp_path / "new", log=tmp_path / "app.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def old_backup(tmp_path: Path) -> Path:
    """The old phone's encrypted backup of the example conversation."""
    session = VaultSession(tmp_path / "old" / "vault")
    session.create(PASSPHRASE)
    session.conversations().save(example_bundle(date.today()).record)
    out = tmp_path / "musling-gammel.musbackup"
    out.write_bytes(session.export_backup(PASSPHRASE))
    session.lock()
    return out


def choose_file(page: Page, button: str, path: Path) -> None:
    with page.expect_file_chooser(timeout=TIMEOUT) as chooser:
        page.get_by_role("button", name=re.compile(button)).click()
    chooser.value.set_files(path)


def test_restore_a_backup_on_the_first_screen(
    browser: Browser, new_phone: AppServer, old_backup: Path
) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    open_app(page, new_phone.url)
    page.get_by_role("button", name=re.compile("Gendan den")).click()
    expect(page.get_by_text("Gendan fra sikkerhedskopi").first).to_be_visible(timeout=TIMEOUT)

    choose_file(page, "Vælg sikkerhedskopi", old_backup)
    expect(page.get_by_text(re.compile("Valgt: musling-gammel.musbackup"))).to_be_visible(
        timeout=TIMEOUT
    )
    fill(page, "Sikkerhedskopiens adgangssætning", "ikke den rigtige sætning")
    page.get_by_role("button", name=re.compile("Gendan mine data")).click()
    expect(page.get_by_text(re.compile("passer ikke til denne sikkerhedskopi"))).to_be_visible(
        timeout=TIMEOUT
    )

    fill(page, "Sikkerhedskopiens adgangssætning", PASSPHRASE)
    page.get_by_role("button", name=re.compile("Gendan mine data")).click()
    expect(page.get_by_text("Din gendannelseskode").first).to_be_visible(timeout=TIMEOUT)
    context.close()
    new_phone.stop()

    session = VaultSession(DataPaths.resolve(new_phone.data_dir).vault)
    session.unlock(PASSPHRASE)
    names = [c.employee_name for c in session.conversations().list()]
    session.lock()
    assert names == [example_bundle(date.today()).record.conversation.employee_name]
