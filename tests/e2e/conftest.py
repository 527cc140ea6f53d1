"""Real-browser fixtures: the real app (``python main.py``) and Debian's chromium.

The server runs in its own process group, which is always ended whole: Flet's
web server can leave children listening when only the parent is killed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Playwright,
    Request,
    ViewportSize,
    expect,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    url: str
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(os.devnull))
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment for the app (the documented test-only settings)."""

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        env.pop("FLET_APP_STORAGE_DATA", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "main.py",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited early:\n{self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(self.url, timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("app did not answer within 60 s")

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


PASSPHRASE = "en lang og tydelig testsætning"


def prepare_vault(data_dir: Path) -> None:
    """A vault with the example conversation, made with the production KDF."""
    from datetime import date

    from mus.demo import example_bundle
    from storage.paths import DataPaths
    from storage.session import VaultSession

    paths = DataPaths.resolve(data_dir)
    paths.ensure()
    session = VaultSession(paths.vault)
    session.create(PASSPHRASE)
    bundle = example_bundle(date.today())
    session.conversations().save(bundle.record)
    session.versions().add(bundle.version)
    session.schedules().save(bundle.schedule)
    session.lock()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    port = free_port()
    base = tmp_path_factory.mktemp("app")
    server = AppServer(f"http://127.0.0.1:{port}", port, base / "data", log=base / "app.log")
    prepare_vault(server.data_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[AppServer]:
    """An app of the test's own, with its own data folder: for tests that restart it."""
    port = free_port()
    server = AppServer(
        f"http://127.0.0.1:{port}", port, tmp_path / "data", log=tmp_path / "app.log"
    )
    prepare_vault(server.data_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `python3 dev.py test` installs Debian's chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@dataclass
class Traffic:
    """Every request the page made, and those that left the machine."""

    requests: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.requests.append(request.url)

    def foreign(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in LOOPBACK:
                out.append(url)
        return out


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def phone(browser: Browser, app_server: AppServer, traffic: Traffic) -> Iterator[Page]:
    """A fresh phone-size tab (a fresh Flet session) that has loaded the app."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
    context.on("request", traffic.record)
    page = context.new_page()
    open_app(page, app_server.url)
    unlock(page)
    yield page
    context.close()


def unlock(page: Page, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the lock screen and wait until the vault is open.

    A reload of the same tab reconnects to its Flet session, which may already
    be unlocked: then there is no lock screen and nothing to do.
    """
    field = page.get_by_label("Adgangssætning", exact=True).or_(
        page.get_by_label("Passphrase", exact=True)
    )
    # Unlocked screens have the bottom navigation (tabs) or a back button; the
    # lock screen has neither. Wait for one or the other, never for "something".
    inside = page.get_by_role("tab").or_(
        page.get_by_role("button", name=re.compile("^(Tilbage|Back)$"))
    )
    field.or_(inside).first.wait_for(timeout=30_000)
    if field.count() == 0:
        return
    # The lock screen autofocuses its field, and ~0.15 s later the browser's focus
    # can drop back to the page; a field focused in that moment never sends its
    # text to the server (the button stays disabled). So: let the screen settle
    # first, and when the text does not reach the server, reload (the session
    # stays) rather than type again into a dead field.
    button = page.get_by_role("button", name=re.compile("^(Lås op|Unlock)$"))
    for attempt in range(4):
        page.wait_for_timeout(1_000)
        try:
            field.first.focus()  # not a tap: a late re-layout can't make it land elsewhere
            expect(field.first).to_be_focused(timeout=5_000)
            page.wait_for_timeout(100)
            field.first.fill("")
            page.keyboard.type(passphrase, delay=5)
            # Every character arrived, and the server has the text: the button is enabled.
            expect(field.first).to_have_value(passphrase, timeout=5_000)
            expect(button).to_be_enabled(timeout=5_000)
            break
        except (AssertionError, PlaywrightTimeout):
            if attempt == 3:
                raise
            page.reload(wait_until="commit", timeout=60_000)  # then Flutter's first frame, below
            page.wait_for_selector("#loading", state="detached", timeout=60_000)
            wait_for_semantics(page)
            field.or_(inside).first.wait_for(timeout=30_000)
            if field.count() == 0:
                return
    button.click()
    # The lock screen goes; what comes is wherever the address pointed.
    field.first.wait_for(state="detached", timeout=30_000)


def open_app(page: Page, url: str) -> None:
    """Load, wait for Flutter's first frame and for the accessibility tree."""
    page.goto(url)
    page.wait_for_selector("#loading", state="detached", timeout=60_000)
    wait_for_semantics(page)


def wait_for_semantics(page: Page, timeout_s: float = 20) -> None:
    """The app's index.html turns semantics on; click the placeholder only if still there."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if page.locator("flt-semantics").count() > 0:
            return
        placeholder = page.locator("flt-semantics-placeholder")
        if placeholder.count() > 0:
            # It may vanish between count() and the click.
            with contextlib.suppress(Exception):
                placeholder.dispatch_event("click", timeout=1000)
        page.wait_for_timeout(100)
    raise AssertionError("the accessibility tree never appeared")


def fill(page: Page, label: str | re.Pattern[str], text: str) -> None:
    """Type like a person: tap the field, type, leave it (which saves at once).

    Flutter's web text input can drop keys sent before it has taken focus (or
    under load); a field that did not get the whole text is typed again.
    """
    field = page.get_by_label(label).first
    for attempt in range(3):
        field.scroll_into_view_if_needed()
        field.focus()
        expect(field).to_be_focused(timeout=15_000)
        page.wait_for_timeout(150)
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(text, delay=2)
        try:
            expect(field).to_have_value(text, timeout=3_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    page.keyboard.press("Tab")
