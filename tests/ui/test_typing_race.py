"""A note field never sends its text back to the browser while it is typed in.

Played the way the wire delivers it under load (in-process, real session): the
browser's value updates are applied as they arrive, each change event runs
later as its own task, and a re-render of the screen (here: the autosave's
"Gemt" line) lands between an update and its change event. The field used to
re-send the text it had rendered with — older than the browser's by then —
which made the browser drop its newer letters, and the stored text lacked the
end (seen in Chromium: tests/e2e/test_typing_under_load_e2e.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from flet.messaging.protocol import MessageAction

from mus.model import ConversationRecord
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI
from views.widgets.fields import DEBOUNCE_S

TEXT = "Foråret var hårdt, men vi nåede det: æøå ÆØÅ, f.eks. sårpleje 😀"


def pushed_values(body: Any) -> Iterator[str]:
    """Every text a patch sets as a ``value`` ([op, node, "value", text])."""
    if isinstance(body, list | tuple):
        if len(body) == 4 and body[2] == "value" and isinstance(body[3], str):
            yield body[3]
        else:
            for item in body:
                yield from pushed_values(item)
    elif hasattr(body, "patch"):
        yield from pushed_values(body.patch)


def test_a_note_field_never_echoes_an_older_text_while_typed_in(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    pushed: list[str] = []

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        field = ui.find("prep-A1")
        real_send = ui.client.send_message

        def spy(message: Any) -> None:
            if message.action == MessageAction.PATCH_CONTROL:
                pushed.extend(pushed_values(message.body))
            real_send(message)

        ui.client.send_message = spy  # type: ignore[method-assign]
        events: list[asyncio.Task[None]] = []
        for i in range(1, len(TEXT) + 1):
            typed = TEXT[:i]
            # The browser's update is applied on arrival; its change event runs later.
            ui.session.apply_patch(field._i, {"value": typed})
            if i == len(TEXT) // 2:
                # The autosave's pause passes here: the screen renders "Gemt" with
                # the field while this update's change event still waits.
                await asyncio.sleep(DEBOUNCE_S * 1.5)
                await ui.settle()
            events.append(asyncio.create_task(ui.session.dispatch_event(field._i, "change", typed)))
            await asyncio.sleep(0)  # the scheduler may render between messages
        await asyncio.gather(*events)
        await ui.session.dispatch_event(field._i, "blur", None)
        await ui.settle()
        assert ui.prop("prep-A1", "value") == TEXT  # the server's copy of the field

    play(scenario)
    assert any(v.startswith("Gemt") for v in pushed), "the screen did render mid-typing"
    assert [v for v in pushed if TEXT.startswith(v)] == [], "no text sent back into the field"
    with_example.unlock(PASSPHRASE)
    try:
        (head,) = with_example.conversations().list()
        record = with_example.conversations().get(head.id)
    finally:
        with_example.lock()
    assert isinstance(record, ConversationRecord)
    note = record.preparation.note("A1")
    assert note is not None and note.text == TEXT


def test_the_passphrase_field_never_echoes_an_older_text_while_typed_in(
    play: Callable[..., None], vault: VaultSession
) -> None:
    """The same race on the lock screen: the button unlocks with every letter typed
    (an echo there made a right passphrase arrive wrong, and count as a wrong try)."""
    pushed: list[str] = []

    async def scenario(ui: UI) -> None:
        field = ui.find("passphrase")
        real_send = ui.client.send_message

        def spy(message: Any) -> None:
            if message.action == MessageAction.PATCH_CONTROL:
                pushed.extend(pushed_values(message.body))
            real_send(message)

        ui.client.send_message = spy  # type: ignore[method-assign]
        events = []
        for i in range(1, len(PASSPHRASE) + 1):
            ui.session.apply_patch(field._i, {"value": PASSPHRASE[:i]})
            events.append(
                asyncio.create_task(ui.session.dispatch_event(field._i, "change", PASSPHRASE[:i]))
            )
            await asyncio.sleep(0)  # the scheduler renders between messages
        await asyncio.gather(*events)
        await ui.settle()
        await ui.tap("unlock")
        await ui.wait_for(lambda: not ui.find_all("busy"))
        assert vault.unlocked, ui.texts()

    play(scenario)
    assert [v for v in pushed if PASSPHRASE.startswith(v)] == [], "no text sent back"


def test_a_text_the_screen_changes_is_still_sent(
    play: Callable[..., None], vault: VaultSession
) -> None:
    """Only echoes are held back: after a wrong passphrase the screen empties the
    field, and that empty text is sent to the browser."""
    pushed: list[str] = []

    async def scenario(ui: UI) -> None:
        real_send = ui.client.send_message

        def spy(message: Any) -> None:
            if message.action == MessageAction.PATCH_CONTROL:
                pushed.extend(pushed_values(message.body))
            real_send(message)

        ui.client.send_message = spy  # type: ignore[method-assign]
        await ui.type("passphrase", "ikke den rigtige sætning")
        assert pushed == []
        await ui.tap("unlock")
        await ui.wait_for(lambda: not ui.find_all("busy"))
        assert "Forkert" in str(ui.prop("passphrase", "error"))
        assert ui.prop("passphrase", "value") == ""

    play(scenario)
    assert "" in pushed
