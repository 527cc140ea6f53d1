"""Private means private (issue 10, part 2): one switch, "Del med lederen", off = private.

The stored flag (``PrepNote.shared``) never changed meaning; only the screen's
label did. So a vault written by the current format keeps every note's
sharing, the switch shows it, its label never changes, and the PDFs leave
private notes out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import flet as ft
from pypdf import PdfReader

from mus.demo import EXAMPLE_ID, example_conversation
from mus.model import ConversationRecord, PrepNote
from storage.codec import from_document, to_document
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI

PRIVATE = "Privatmarkør: kun til mig selv"
SHARED = "Deltmarkør: gerne til lederen"


def example_sharing() -> dict[str, bool]:
    return {n.question_id: n.shared for n in example_conversation(NOW.date()).preparation.notes}


def read_record(vault: VaultSession) -> ConversationRecord:
    vault.unlock(PASSPHRASE)
    try:
        record = vault.conversations().get(EXAMPLE_ID)
    finally:
        vault.lock()
    assert record is not None
    return record


def switch(ui: UI, question_id: str) -> ft.Switch:
    control = ui.find(f"prep-share-{question_id}")
    assert isinstance(control, ft.Switch)
    return control


def test_stored_notes_keep_their_sharing_as_written_by_the_current_format() -> None:
    """The documents as the current format stores them: ``shared`` true = shared."""
    stored: dict[str, Any] = {
        "question_id": "A1",
        "text": "Noten",
        "updated_at": "2026-07-17T20:00:00+00:00",
        "shared": True,
    }
    assert from_document(PrepNote, stored).shared is True
    assert from_document(PrepNote, {**stored, "shared": False}).shared is False
    record = example_conversation(NOW.date())
    doc = to_document(record)
    assert {n["question_id"]: n["shared"] for n in doc["preparation"]["notes"]} == (
        example_sharing()
    )
    assert from_document(ConversationRecord, doc) == record


def test_the_switch_shows_each_stored_note_as_it_is_and_never_relabels(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    before = example_sharing()
    assert True in before.values() and False in before.values()

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        for question_id, shared in before.items():
            s = switch(ui, question_id)
            assert (s.value, s.label) == (shared, "Del med lederen")
        await ui.change("prep-share-A1", True)  # private -> shared
        await ui.change("prep-share-F1", False)  # shared -> private
        for question_id in before:
            assert switch(ui, question_id).label == "Del med lederen"
        assert (switch(ui, "A1").value, switch(ui, "F1").value) == (True, False)

    play(scenario)
    after = {n.question_id: n.shared for n in read_record(with_example).preparation.notes}
    assert after == {**before, "A1": True, "F1": False}


def saved_texts(ui: UI) -> list[str]:
    return [
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(c.args["src_bytes"]))).pages)
        for c in ui.client.invocations
        if c.name == "save_file"
    ]


def test_private_notes_stay_out_of_every_pdf(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    texts: list[str] = []

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        await ui.type("prep-A1", PRIVATE)
        await ui.type("prep-A3", SHARED)
        await ui.change("prep-share-A3", True)
        await ui.go("/wheel/follow_up/check-in")
        await ui.change("check-in-mini", True)
        await ui.tap("check-in-save")
        await ui.go("/plan")
        for n, kind in enumerate(("plan", "summary", "mini_mus"), 1):
            await ui.change("export-kind", kind)
            await ui.tap("export-pdf")
            await ui.wait_for(lambda n=n: len(saved_texts(ui)) == n)  # type: ignore[misc]
        texts.extend(saved_texts(ui))

    play(scenario)
    plan, summary, mini = (" ".join(t.split()) for t in texts)
    for text in (plan, summary, mini):
        assert "Privatmarkør" not in text
    assert SHARED in summary
    assert "Deltmarkør" not in plan and "Deltmarkør" not in mini  # no notes there at all
    record = read_record(with_example)
    a1, a3 = record.preparation.note("A1"), record.preparation.note("A3")
    assert a1 is not None and (a1.text, a1.shared) == (PRIVATE, False)
    assert a3 is not None and (a3.text, a3.shared) == (SHARED, True)
