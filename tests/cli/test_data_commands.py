"""``demo``, ``data export`` and ``data import``: the records in and out (in-process)."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mus.demo import EXAMPLE_ID, example_conversation
from mus.model import ConversationRecord, Feedback, MeetingNotes
from storage.portability import EXPORT_FORMAT
from tests.cli.conftest import NOW, Cli

ODD = "Æbleø – “citat” … 😀👩🏽‍💻 مرحبا بالعالم שלום \u200f\u202e ﷽ 𝔘𝔫𝔦 \t tab\nny linje"


def export(cli: Cli, path: Path) -> dict[str, Any]:
    result = cli("data", "export", str(path))
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def records(cli: Cli) -> dict[str, Any]:
    """Everything in the vault, as the repositories hand it out."""
    session = cli.session()
    session.unlock("rødgrød med fløde 🍓")
    try:
        repo = session.conversations()
        return {
            "conversations": {c.id: repo.get(c.id) for c in repo.list()},
            "versions": {c.id: session.versions().for_conversation(c.id) for c in repo.list()},
            "schedules": session.schedules().all(),
        }
    finally:
        session.lock()


def test_demo_writes_the_whole_path_and_is_idempotent(demo_cli: Cli) -> None:
    first = records(demo_cli)
    assert list(first["conversations"]) == [EXAMPLE_ID]
    assert len(first["versions"][EXAMPLE_ID]) == 1
    assert [s.conversation_id for s in first["schedules"]] == [EXAMPLE_ID]
    again = demo_cli("demo")
    assert again.code == 0
    assert "findes allerede" in again.out
    assert records(demo_cli) == first


def test_demo_creates_the_vault_and_shows_the_recovery_code(cli: Cli) -> None:
    result = cli("demo")
    assert result.code == 0
    assert "gendannelseskode" in result.err.lower()
    assert len(result.out.splitlines()) == 2  # the code, then what was written


def test_export_is_documented_json_private_and_warned_about(demo_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    result = demo_cli("data", "export", str(path))
    assert result.code == 0
    assert "IKKE krypteret" in result.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == EXPORT_FORMAT
    assert data["version"] == 1
    assert data["exported_at"] == NOW.isoformat()
    assert data["app_version"]
    assert data["record_schema"] == 1
    assert data["preferences"]["language"] == "da"
    assert [c["conversation"]["id"] for c in data["conversations"]] == [EXAMPLE_ID]
    assert len(data["agreed_versions"]) == 1
    assert data["schedules"][0]["conversation_id"] == EXAMPLE_ID
    assert "_schema" not in data["conversations"][0]
    assert "Mødelokale" in path.read_text("utf-8")  # letters as they are, not \u escapes


def test_round_trip_demo_export_erase_init_import(demo_cli: Cli, tmp_path: Path) -> None:
    before = records(demo_cli)
    first = export(demo_cli, tmp_path / "a.json")
    assert demo_cli("vault", "erase", "--yes").code == 0
    assert demo_cli("vault", "init").code == 0
    result = demo_cli("data", "import", str(tmp_path / "a.json"))
    assert result.code == 0, result.err
    assert "Samtaler: 1 tilføjet, 0 erstattet, 0 uændret, 0 sprunget over" in result.out
    assert records(demo_cli) == before
    second = export(demo_cli, tmp_path / "b.json")
    assert {**first, "exported_at": ""} == {**second, "exported_at": ""}


def _odd_record() -> ConversationRecord:
    base = example_conversation(NOW.date())
    return replace(
        base,
        conversation=replace(base.conversation, id="odd", employee_name=ODD, unit=ODD),
        feedback=Feedback(strengths=ODD, areas_to_develop="\u0000nul\u001f", given_to_leader=ODD),
        meeting_notes=MeetingNotes(summary=ODD * 3),
    )


def test_odd_text_survives_export_and_import(cli: Cli, tmp_path: Path) -> None:
    assert cli("vault", "init").code == 0
    odd = _odd_record()
    session = cli.session()
    session.unlock("rødgrød med fløde 🍓")
    session.conversations().save(odd)
    session.lock()
    export(cli, tmp_path / "odd.json")
    assert cli("vault", "erase", "--yes").code == 0
    assert cli("vault", "init").code == 0
    assert cli("data", "import", str(tmp_path / "odd.json")).code == 0
    assert records(cli)["conversations"]["odd"] == odd


def test_existing_ids_are_skipped_unless_replace(demo_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    data = export(demo_cli, path)
    data["conversations"][0]["conversation"]["unit"] = "Ny enhed"
    data["preferences"]["language"] = "en"
    path.write_text(json.dumps(data), "utf-8")

    skipped = demo_cli("data", "import", str(path))
    assert skipped.code == 0
    assert "Samtaler: 0 tilføjet, 0 erstattet, 0 uændret, 1 sprunget over" in skipped.out
    assert "Aftalte versioner: 0 tilføjet, 0 erstattet, 1 uændret" in skipped.out
    assert "--replace" in skipped.err
    assert records(demo_cli)["conversations"][EXAMPLE_ID].conversation.unit != "Ny enhed"

    replaced = demo_cli("data", "import", str(path), "--replace")
    assert replaced.code == 0
    assert "Samtaler: 0 tilføjet, 1 erstattet" in replaced.out
    assert records(demo_cli)["conversations"][EXAMPLE_ID].conversation.unit == "Ny enhed"
    assert json.loads((demo_cli.data_dir / "preferences.json").read_text())["language"] == "en"


def _mangled(data: dict[str, Any], how: str) -> dict[str, Any]:
    if how == "format":
        data["format"] = "something-else"
    elif how == "newer":
        data["version"] = 2
    elif how == "newer_schema":
        data["record_schema"] = 99
    elif how == "bad_record":
        data["conversations"].append({"conversation": {"id": 7}})
    elif how == "duplicate":
        data["conversations"].append(dict(data["conversations"][0]))
    elif how == "edited_agreement":
        data["agreed_versions"][0]["content"]["unit"] = "Noget andet"
    return data


@pytest.mark.parametrize(
    ("how", "code", "start"),
    [
        ("format", 1, "Filen er ikke en eksport fra Musling"),
        ("newer", 5, "Filen er lavet af en nyere version"),
        ("newer_schema", 5, "Filen er lavet af en nyere version"),
        ("bad_record", 3, "Posten conversations[1]"),
        ("duplicate", 3, "Posten conversations[1] findes to gange"),
        ("edited_agreement", 3, "Posten agreed_versions[0]"),
    ],
)
def test_import_refuses_the_whole_file(
    demo_cli: Cli, tmp_path: Path, how: str, code: int, start: str
) -> None:
    data = export(demo_cli, tmp_path / "a.json")
    data["conversations"][0]["conversation"]["id"] = "copy"  # would be added if accepted
    data["agreed_versions"] = [
        {**v, "content": {**v["content"], "plan": {**v["content"]["plan"]}}}
        for v in data["agreed_versions"]
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_mangled(data, how)), "utf-8")
    before = records(demo_cli)
    result = demo_cli("data", "import", str(path))
    assert result.code == code
    assert result.error_line.startswith(start)
    assert "Intet er importeret" in result.error_line
    assert records(demo_cli) == before


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b"\xff\xfe"])
def test_import_of_something_else_is_a_usage_error(
    demo_cli: Cli, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    result = demo_cli("data", "import", str(path))
    assert result.code == 1
    assert result.error_line.startswith("Filen er ikke en eksport fra Musling")


def test_import_needs_a_vault(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"format": EXPORT_FORMAT, "version": 1}), "utf-8")
    result = cli("data", "import", str(path))
    assert result.code == 1
    assert result.error_line == "Der er ingen data her endnu."


def test_an_empty_vault_exports_empty_arrays(cli: Cli, tmp_path: Path) -> None:
    assert cli("vault", "init").code == 0
    data = export(cli, tmp_path / "e.json")
    assert (data["conversations"], data["agreed_versions"], data["schedules"]) == ([], [], [])
