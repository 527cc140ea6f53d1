"""The door to the vault in a real session: create, unlock, wrong passphrase, lock."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader

from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI


def test_first_start_creates_a_vault_and_shows_the_recovery_code_once(
    play: Callable[..., None], new_vault: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        assert ui.text_of("create-title") == "Beskyt dine data"
        await ui.change("new-passphrase", "kort")
        assert ui.text_of("strength") == "for kort"
        assert ui.prop("create-vault", "disabled")
        await ui.change("new-passphrase", "min hemmelige sætning om æbler")
        await ui.change("repeat-passphrase", "min hemmelige sætning om pærer")
        assert "ikke ens" in str(ui.prop("repeat-passphrase", "error"))
        await ui.change("repeat-passphrase", "min hemmelige sætning om æbler")
        assert ui.prop("create-vault", "disabled")  # the warning is not yet acknowledged
        await ui.change("understood", True)
        await ui.tap("create-vault")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        code = ui.text_of("recovery-code")
        assert len(code.replace("-", "").replace(" ", "")) >= 26
        assert ui.prop("code-continue", "disabled")
        await ui.change("code-saved", True)
        await ui.tap("code-continue")
        assert ui.text_of("home-title") == "Velkommen til Musling"
        assert ui.find_all("recovery-code") == []

    play(scenario, session=new_vault)
    assert new_vault.exists()


def test_wrong_passphrase_says_so_and_keeps_it_locked(
    play: Callable[..., None], vault: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock("ikke den rigtige sætning")
        assert "Forkert adgangssætning" in str(ui.prop("passphrase", "error"))
        assert ui.find_all("home-title") == []
        assert not vault.unlocked
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("home-title") == "Velkommen til Musling"

    play(scenario)


def test_recovery_code_opens_the_vault(play: Callable[..., None], new_vault: VaultSession) -> None:
    code = new_vault.create(PASSPHRASE)
    new_vault.lock()

    async def scenario(ui: UI) -> None:
        await ui.tap("toggle-recovery")
        await ui.unlock(code)
        assert ui.text_of("home-title") == "Velkommen til Musling"

    play(scenario, session=new_vault)


def test_lock_now_drops_everything(play: Callable[..., None], with_example: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.tap("lock-now")
        assert ui.text_of("unlock-title") == "Lås op"
        assert not with_example.unlocked
        await ui.go("/wheel/feedback")
        assert ui.find_all("step-title") == []

    play(scenario)


def test_the_recovery_code_can_be_copied_and_saved_as_a_sheet_to_print(
    play: Callable[..., None], new_vault: VaultSession
) -> None:
    sheets: list[tuple[str, bytes]] = []
    copied: list[str] = []

    async def scenario(ui: UI) -> None:
        await ui.change("new-passphrase", "min hemmelige sætning om æbler")
        await ui.change("repeat-passphrase", "min hemmelige sætning om æbler")
        await ui.change("understood", True)
        await ui.tap("create-vault")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        code = ui.text_of("recovery-code")
        # The title is the screen's (the app bar); the body does not say it again.
        assert ui.texts().count("Din gendannelseskode") <= 1
        await ui.tap("code-copy")
        await ui.wait_for(lambda: bool(ui.find_all("code-note")))
        copied.extend(
            str(c.args.get("data"))
            for c in ui.client.invocations
            if c.name == "set" and c.args.get("data") == code
        )
        await ui.tap("code-print")
        await ui.wait_for(lambda: any(c.name == "save_file" for c in ui.client.invocations))
        call = next(c for c in ui.client.invocations if c.name == "save_file")
        sheets.append((str(call.args["file_name"]), bytes(call.args["src_bytes"])))
        sheets.append((code, b""))

    play(scenario, session=new_vault)
    (name, pdf), (code, _) = sheets
    assert copied == [code]
    assert name.startswith("musling-gendannelseskode-") and name.endswith(".pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert code in text.replace("\n", "")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Glemt adgangssætningen? Brug gendannelseskoden" in " ".join(text.split())


def test_the_first_screen_asks_for_the_language_before_anything_else(
    play: Callable[..., None], new_vault: VaultSession, preferences: MemoryPreferences
) -> None:
    async def scenario(ui: UI) -> None:
        assert ui.text_of("create-title") == "Beskyt dine data"
        await ui.choose_segments("first-language", ["en"])
        assert ui.text_of("create-title") == "Protect your data"

    play(scenario, session=new_vault)
    assert preferences.load().language == "en"
