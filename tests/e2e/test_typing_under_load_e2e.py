"""What a person sees in a field is what is stored: fast typing on a busy machine.

A long Danish text is typed at full speed (``keyboard.type`` with no delay)
into a note field while two processes keep both cores busy, then the field is
left with Tab. Each round starts the app, types one text, stops the app and
reads the vault on disk: it must hold the text byte for byte, and the page
must have shown it whole before Tab.

The WebSocket frames are read too, so a failure says where letters went: the
value the browser last sent (Flet's ``UPDATE_CONTROL_PROPS``), and every text
the server sent into the field while it was typed in. It must send none. It
used to re-send the text it had rendered with, which by the time it arrived
was older than the browser's: the browser replaced its newer text with it
(letters lost in the middle, page and vault alike), or the re-rendered control
on the server kept the older text while the page showed the whole one (the
last letters missing from the vault). ``tests/ui/test_typing_race.py`` plays
the same race in-process, deterministically.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import msgpack
import pytest
from flet.messaging.protocol import decode_ext_from_msgpack
from playwright.sync_api import Browser, Page, WebSocket, expect

from mus import questions
from mus.model import ConversationRecord
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import PASSPHRASE, PHONE, AppServer, open_app, unlock

TIMEOUT = 15_000
ROUNDS = 5
TEXTS = [
    "Jeg vil gerne blive bedre til at planlægge min uge, så jeg når både sårpleje, "
    "dokumentation og samtaler med pårørende – især om fredagen, hvor der ofte er travlt.",
    "Foråret var hårdt: tre kolleger på barsel, en ny skærmløsning og færre hænder. "
    "Alligevel fik vi åbnet skranken til tiden, og borgerne mærkede det næppe.",
    "Når en borger går herfra, skal vedkommende vide præcis, hvad der sker nu: hvem der "
    "ringer, hvornår, og hvad man selv skal gøre. Det øver jeg mig på hver dag.",
    "Sidemandsoplæring i den nye journal, f.eks. to gange om ugen, bl.a. med Åse fra "
    "visitationen; bagefter skriver jeg kort ned, hvad der virkede og hvad der ikke gjorde.",
    "Æbler, ærter og ølandshvede på hylden; ørredsøen ved Ålholm er stille. Hvor mange "
    "bogstaver når frem, når maskinen har travlt? Alle sammen, og i den rigtige rækkefølge.",
]
NOTE = re.compile("Dine noter")
UPDATE_CONTROL_PROPS, PATCH_CONTROL = 4, 2


@dataclass
class Wire:
    """Text values that crossed the WebSocket, in order (client → server, server → client)."""

    sent: list[str] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)

    def watch(self, ws: WebSocket) -> None:
        ws.on("framesent", lambda payload: self._read(payload, self.sent, UPDATE_CONTROL_PROPS))
        ws.on("framereceived", lambda payload: self._read(payload, self.pushed, PATCH_CONTROL))

    def _read(self, payload: str | bytes, into: list[str], action: int) -> None:
        if isinstance(payload, str) or not payload or payload[0] != 0:
            return
        try:
            message = msgpack.unpackb(
                payload[1:], ext_hook=decode_ext_from_msgpack, strict_map_key=False
            )
        except Exception:  # a frame of another kind: not a text value
            return
        if isinstance(message, list) and len(message) == 2 and message[0] == action:
            into.extend(_values(message[1]))


def _values(body: Any) -> Iterator[str]:
    """Every ``value`` property set to a string in a message body (props or patch ops)."""
    if isinstance(body, dict):
        for key, item in body.items():
            if key == "value" and isinstance(item, str):
                yield item
            else:
                yield from _values(item)
    elif isinstance(body, list | tuple):
        if len(body) == 4 and body[2] == "value" and isinstance(body[3], str):
            yield body[3]  # a patch operation [op, node, "value", text]
        else:
            for item in body:
                yield from _values(item)


@pytest.fixture
def busy() -> Iterator[None]:
    """Both cores kept busy by two processes of the test's own, ended by their ids."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait(timeout=10)


def type_fast(page: Page, text: str, wire: Wire) -> tuple[str, list[str]]:
    """Type ``text`` at full speed into the first note field, read what the page
    shows, leave with Tab. Returns the page's value and the texts the server sent
    into fields meanwhile."""
    box = page.get_by_label(NOTE).first
    for attempt in range(4):  # a busy machine can lose a focus request: ask again
        box.scroll_into_view_if_needed()
        box.focus()
        try:
            expect(box).to_be_focused(timeout=5_000)
            # Emptying the field is the test's setup, not what is tested: keys sent
            # just as Flutter's input takes focus can go nowhere, so try again.
            page.keyboard.press("ControlOrMeta+A")
            page.keyboard.press("Delete")
            expect(box).to_have_value("", timeout=5_000)
            break
        except AssertionError:
            if attempt == 3:
                raise
            box.click()
    pushed_before = len(wire.pushed)
    page.keyboard.type(text, delay=0)
    with contextlib.suppress(AssertionError):  # reported by the caller, with the wire
        expect(box).to_have_value(text, timeout=TIMEOUT)
    shown = box.input_value()
    page.keyboard.press("Tab")
    expect(box).not_to_be_focused(timeout=TIMEOUT)
    return shown, wire.pushed[pushed_before:]


def stored_note(server: AppServer) -> str:
    """The first question's note, read from the vault on disk (the server stopped)."""
    session = VaultSession(DataPaths.resolve(server.data_dir).vault)
    session.unlock(PASSPHRASE)
    try:
        (head,) = session.conversations().list()
        record = session.conversations().get(head.id)
    finally:
        session.lock()
    assert isinstance(record, ConversationRecord)
    note = record.preparation.note(questions.entries(record.form)[0].id)
    return "" if note is None else note.text


def test_fast_typing_on_a_busy_machine_stores_exactly_what_the_page_shows(
    browser: Browser, own_server: AppServer, busy: None
) -> None:
    """Each round: start the app, type one text into the same field, stop the app,
    compare the vault on disk with what was typed (and shown) byte for byte."""
    problems = []
    for round_, typed in enumerate(TEXTS[:ROUNDS]):
        if round_:
            own_server.start()
        wire = Wire()
        context = browser.new_context(viewport=PHONE, locale="da-DK")
        page = context.new_page()
        page.on("websocket", wire.watch)
        try:
            open_app(page, own_server.url + "/wheel/preparation")
            unlock(page)
            expect(page.get_by_label(NOTE).first).to_be_visible(timeout=30_000)
            shown, pushed = type_fast(page, typed, wire)
            # Nothing more to wait for than the server's "Gemt" after the last change.
            page.wait_for_timeout(500)
        finally:
            context.close()
        own_server.stop()  # the vault is read as the next start would read it
        stored = stored_note(own_server)
        echoes = [v for v in pushed if typed.startswith(v) and v != typed]
        last_sent = next((v for v in reversed(wire.sent) if typed.startswith(v)), "")
        if stored != typed or shown != typed or echoes:
            problems.append(
                f"round {round_}: typed {len(typed)} chars; page showed {len(shown)}"
                f" (equal: {shown == typed}); the browser's last value sent: {len(last_sent)}"
                f" chars of it; stored {len(stored)} (equal: {stored == typed}, missing"
                f" {typed[len(stored) :]!r}); older texts the server sent into the field"
                f" while it was typed in: {[len(v) for v in echoes]}"
            )
    assert problems == [], "\n".join(problems)
