"""Agreeing at the table, exporting the PDF, and the follow-up it starts."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader

from mus.demo import EXAMPLE_ID
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI
from tests.ui.test_agreement_ui import tap_in_dialog


def saved_files(ui: UI) -> list[tuple[str, bytes]]:
    return [
        (str(call.args["file_name"]), bytes(call.args["src_bytes"]))
        for call in ui.client.invocations
        if call.name == "save_file"
    ]


def test_agree_freezes_a_version_and_proposes_reminders(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert "Udkast" in ui.text_of("plan-status")
        assert ui.prop("agree", "disabled"), "names are required"
        assert ui.find_all("agree-reason"), "a disabled button says why"
        await ui.change("agree-employee", "Sofie Eksempel")
        await ui.change("agree-leader", "lars eksempel")
        await ui.tap("agree")
        # The example's meeting was months ago: both confirm that first.
        await tap_in_dialog(ui, "agree-confirm")
        assert ui.text_of("plan-status").startswith("Aftalt: version 1")
        assert ui.prop("agree", "disabled")
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: bool(saved_files(ui)))
        name, data = saved_files(ui)[0]
        assert name.endswith("v1.pdf") and "Udviklingsplan" in name
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "UDKAST" not in text
        assert "Sofie Eksempel" in text
        await ui.go("/reminders")
        assert any(k.startswith("reminder-") for k in map(str, _keys(ui)))

    play(scenario)
    with_example.unlock(PASSPHRASE)
    assert [v.version for v in with_example.versions().for_conversation(EXAMPLE_ID)] == [1]
    assert with_example.schedules().get(EXAMPLE_ID) is not None


def _keys(ui: UI) -> list[object]:
    return [getattr(c, "key", None) for c in ui.controls()]


def test_mini_mus_is_exported_on_one_page(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up/check-in")
        await ui.change("check-in-mini", True)
        await ui.tap("check-in-save")
        await ui.go("/plan")
        await ui.change("export-kind", "mini_mus")
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: bool(saved_files(ui)))
        name, data = saved_files(ui)[0]
        assert name.startswith("Mini-MUS 2026 Sofie Eksempel")
        assert len(PdfReader(io.BytesIO(data)).pages) == 1

    play(scenario)
