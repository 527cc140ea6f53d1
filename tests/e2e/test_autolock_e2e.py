"""Auto-lock as a person meets it: real Chromium, two tabs, real (shortened) time.

The app runs with the documented test-only settings ``MUSLING_AUTO_LOCK_SECONDS``
(the idle limit), ``MUSLING_ALONE_LOCK_SECONDS`` (no tab connected) and
``MUSLING_SYNC_PERIOD_SECONDS`` (the sync loop runs every 2 s, against a WebDAV
address where nothing listens, so it keeps failing and re-rendering: it must
never count as use). Every wait is for an event, with a deadline of the limit
plus 20 s, so a busy machine makes the test slower, not red.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from mus.report import ReportKind
from mus.sync import ExportMeta, SyncTarget, TargetKind, TargetRole
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import (
    PASSPHRASE,
    PHONE,
    ROOT,
    AppServer,
    free_port,
    open_app,
    prepare_vault,
    unlock,
)

IDLE_S = 20
SLACK_S = 20
NAMES = re.compile("Sofie Eksempel|Lars Eksempel")


def queue_a_failing_delivery(data_dir: Path) -> None:
    """A WebDAV target on a loopback port where nothing listens, with one PDF queued."""
    session = VaultSession(DataPaths.resolve(data_dir).vault)
    session.unlock(PASSPHRASE)
    outbox = session.outbox()
    target = outbox.add_target(
        SyncTarget(
            id="",
            name="Ingen server",
            role=TargetRole.MINE,
            kind=TargetKind.WEBDAV,
            url=f"http://127.0.0.1:{free_port()}/dav/",
            user="test",
            folder="MUS",
        ),
        "test-password",
        auto=True,
    )
    meta = ExportMeta(conversation_id="example", kind=ReportKind.PLAN)
    outbox.enqueue(b"%PDF-1.4\n% test\n", "test.pdf", meta, targets=[target.id])
    session.lock()


def server_with(tmp_path: Path, **env: str) -> AppServer:
    port = free_port()
    server = AppServer(
        f"http://127.0.0.1:{port}", port, tmp_path / "data", log=tmp_path / "app.log", env=env
    )
    prepare_vault(server.data_dir)
    return server


@pytest.fixture
def idle_server(tmp_path: Path) -> Iterator[AppServer]:
    server = server_with(
        tmp_path,
        MUSLING_AUTO_LOCK_SECONDS=str(IDLE_S),
        MUSLING_ALONE_LOCK_SECONDS="300",
        MUSLING_SYNC_PERIOD_SECONDS="2",
    )
    queue_a_failing_delivery(server.data_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def alone_server(tmp_path: Path) -> Iterator[AppServer]:
    server = server_with(tmp_path, MUSLING_AUTO_LOCK_SECONDS="600", MUSLING_ALONE_LOCK_SECONDS="5")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def vault_check(server: AppServer) -> int:
    """``python main.py vault check``: exit 4 while the app process holds the vault open."""
    env = {**os.environ, "MUSLING_PASSPHRASE": PASSPHRASE}
    done = subprocess.run(
        [sys.executable, "main.py", "vault", "check", "--data-dir", str(server.data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )
    return done.returncode


def screen_text(page: Page) -> str:
    """All a screen reader could read: the semantics tree's text and labels."""
    return str(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('flt-semantics, [aria-label]'))
                .map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.textContent || ''))
                .join(' ')"""
        )
    )


def shows_names(page: Page) -> bool:
    return NAMES.search(screen_text(page)) is not None


def wait_for_names(page: Page) -> None:
    deadline = time.monotonic() + 30
    while not shows_names(page):
        assert time.monotonic() < deadline, "the example conversation never showed"
        page.wait_for_timeout(200)


def open_unlocked_tab(context: BrowserContext, server: AppServer) -> Page:
    page = context.new_page()
    open_app(page, server.url)
    unlock(page)
    expect(page.get_by_role("tab").first).to_be_visible(timeout=30_000)
    return page


def test_two_idle_tabs_lock_while_sync_runs(browser: Browser, idle_server: AppServer) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        first = open_unlocked_tab(context, idle_server)
        second = open_unlocked_tab(context, idle_server)  # the vault is shared: a second unlock
        wait_for_names(second)
        assert vault_check(idle_server) == 4  # held open by the app
        last_input = time.monotonic()

        # Nobody touches anything; the sync loop keeps failing every 2 s meanwhile.
        deadline_ms = (IDLE_S + SLACK_S) * 1000
        for page in (first, second):
            left = max(1_000, deadline_ms - int((time.monotonic() - last_input) * 1000))
            expect(page.get_by_label("Adgangssætning", exact=True)).to_be_visible(timeout=left)
        locked_after = time.monotonic() - last_input
        assert locked_after >= IDLE_S - 1, "locked before the idle limit"

        for page in (first, second):
            assert not shows_names(page), "a locked tab still shows decrypted names"
        assert vault_check(idle_server) == 0  # the app let go of the vault
    finally:
        context.close()


def test_input_keeps_it_open(browser: Browser, idle_server: AppServer) -> None:
    """Taps spread over more than the idle limit keep the vault open."""
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = open_unlocked_tab(context, idle_server)
        tabs = page.get_by_role("tab")
        start = time.monotonic()
        step = 0
        while time.monotonic() - start < IDLE_S * 1.5:
            step += 1
            tabs.nth(step % 2).click()
            page.wait_for_timeout(IDLE_S * 1000 // 4)
            assert page.get_by_label("Adgangssætning", exact=True).count() == 0
        assert vault_check(idle_server) == 4
    finally:
        context.close()


def test_a_closed_tab_leaves_the_vault_locked_and_resumes_locked(
    browser: Browser, alone_server: AppServer
) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = open_unlocked_tab(context, alone_server)
        wait_for_names(page)
        # Leave the app (the WebSocket closes; the Flet session waits to be resumed).
        page.goto("about:blank")
        deadline = time.monotonic() + 5 + SLACK_S
        while vault_check(alone_server) != 0:
            assert time.monotonic() < deadline, "the vault stayed open with no tab connected"
            time.sleep(1)
        # Back: the tab reconnects to its old session, which must show only the lock screen.
        page.go_back()
        page.wait_for_selector("#loading", state="detached", timeout=60_000)
        expect(page.get_by_label("Adgangssætning", exact=True)).to_be_visible(timeout=30_000)
        assert not shows_names(page)
    finally:
        context.close()
