"""At a terminal: secrets without echo (a new one typed twice), the typed confirmation."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from storage.cli import run
from tests.cli.conftest import FAST_KDF, LAX, NEW_PASSPHRASE, NOW


class Terminal(io.StringIO):
    """stdin that says it is a terminal; typed secrets come from ``hidden``."""

    def isatty(self) -> bool:
        return True


def run_at_terminal(
    data_dir: Path, *argv: str, hidden: list[str], typed: str = ""
) -> tuple[int, str, list[str]]:
    prompts: list[str] = []
    answers: Iterator[str] = iter(hidden)

    def ask_hidden(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    err = io.StringIO()
    code = run(
        [*argv, "--data-dir", str(data_dir)],
        stdin=Terminal(typed),
        stdout=io.StringIO(),
        stderr=err,
        environ={},
        kdf=FAST_KDF,
        limits=LAX,
        clock=lambda: NOW,
        ask_hidden=ask_hidden,
    )
    return code, err.getvalue(), prompts


def test_a_new_passphrase_is_typed_twice(tmp_path: Path) -> None:
    code, err, prompts = run_at_terminal(
        tmp_path, "vault", "init", hidden=[NEW_PASSPHRASE, NEW_PASSPHRASE + "x"]
    )
    assert code == 1
    assert err.strip() == "De to adgangssætninger er ikke ens."
    assert prompts == ["Ny adgangssætning: ", "Gentag den nye adgangssætning: "]
    code, _, _ = run_at_terminal(tmp_path, "vault", "init", hidden=[NEW_PASSPHRASE] * 2)
    assert code == 0
    code, _, prompts = run_at_terminal(tmp_path, "vault", "check", hidden=[NEW_PASSPHRASE])
    assert code == 0
    assert prompts == ["Adgangssætning: "]


def test_erase_at_a_terminal_asks_for_the_word(tmp_path: Path) -> None:
    assert run_at_terminal(tmp_path, "vault", "init", hidden=[NEW_PASSPHRASE] * 2)[0] == 0
    code, err, _ = run_at_terminal(tmp_path, "vault", "erase", hidden=[], typed="ja\n")
    assert code == 1
    assert "Skriv SLET for at fortsætte" in err
    assert "Afbrudt. Intet er ændret." in err
    code, _, _ = run_at_terminal(tmp_path, "vault", "erase", hidden=[], typed="SLET\n")
    assert code == 0
    assert not (tmp_path / "vault").exists()
