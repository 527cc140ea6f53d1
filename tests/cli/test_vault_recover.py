"""``vault check`` only reads; ``vault recover`` says what it would lose before it
writes; a damaged vault makes every command stop with exit 3 and one line."""

from __future__ import annotations

import hashlib
import json
import shutil
import zlib
from pathlib import Path

import pytest

from tests.cli.conftest import NEW_PASSPHRASE, PASSPHRASE, Cli, run_main

ENV = {"MUSLING_PASSPHRASE": PASSPHRASE}


def digests(folder: Path) -> dict[str, str]:
    """Every vault file's hash (the empty lock file any open creates aside)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "lock"
    }


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def last_frame_tag(journal: Path) -> int:
    """An offset inside the last frame's tag (the journal's last non-zero bytes)."""
    return len(journal.read_bytes().rstrip(b"\0")) - 3


def export(cli: Cli, tmp_path: Path, name: str) -> dict[str, object]:
    out = tmp_path / name
    result = cli("data", "export", str(out))
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(out.read_text("utf-8"))
    data.pop("exported_at")
    return data


@pytest.fixture
def real_demo(tmp_path: Path) -> Path:
    """The example, written by the real command line (production KDF)."""
    data = tmp_path / "real"
    made = run_main("demo", "--data-dir", str(data), env=ENV)
    assert made.returncode == 0, made.stderr
    return data


def test_check_in_a_real_process_changes_no_byte_even_with_a_torn_save(
    real_demo: Path,
) -> None:
    """It once zeroed (shortened) the journal's torn tail: now it only reports it."""
    vault = real_demo / "vault"
    journal = vault / "journal"
    data = bytearray(journal.read_bytes())
    end = len(data.rstrip(b"\0"))
    length = (256).to_bytes(4, "big")
    torn = length + zlib.crc32(length).to_bytes(4, "big") + b"\x11\x22\x33"  # died mid-append
    data[end : end + len(torn)] = torn
    journal.write_bytes(bytes(data))
    before = digests(vault)
    check = run_main("vault", "check", "--data-dir", str(real_demo), env=ENV)
    assert check.returncode == 0, check.stderr
    assert "aldrig blev bekræftet" in check.stdout
    assert digests(vault) == before


def test_check_of_a_damaged_vault_in_a_real_process_exits_3_and_changes_nothing(
    real_demo: Path,
) -> None:
    vault = real_demo / "vault"
    flip(vault / "journal", last_frame_tag(vault / "journal"))
    before = digests(vault)
    check = run_main("vault", "check", "--data-dir", str(real_demo), env=ENV)
    assert check.returncode == 3
    assert check.stderr.strip().splitlines() == [
        "Dine data er beskadigede: en gemt ændring i ændringsloggen kan ikke læses. Intet er "
        "åbnet eller ændret. Gendannelse viser først, hvad der ville gå tabt."
    ]
    assert digests(vault) == before


def test_recover_in_a_real_process_says_what_is_lost_then_writes(real_demo: Path) -> None:
    vault = real_demo / "vault"
    flip(vault / "journal", last_frame_tag(vault / "journal"))
    before = digests(vault)
    refused = run_main("vault", "recover", "--data-dir", str(real_demo), env=ENV)
    assert refused.returncode == 1  # no --yes and no typed word: nothing written
    assert refused.stdout.splitlines()[0].startswith("Dine data er beskadigede")
    assert "1 gemning (nr. " in refused.stdout
    assert digests(vault) == before
    done = run_main("vault", "recover", "--yes", "--data-dir", str(real_demo), env=ENV)
    assert done.returncode == 0, done.stderr
    assert done.stdout == refused.stdout  # the same report, then the write
    assert run_main("vault", "check", "--data-dir", str(real_demo), env=ENV).returncode == 0


def test_recover_of_a_whole_vault_writes_nothing(demo_cli: Cli) -> None:
    before = digests(demo_cli.vault)
    result = demo_cli("vault", "recover", "--yes")
    assert result.code == 0
    assert result.err.strip() == "Intet er beskadiget; der er intet at gendanne."
    assert digests(demo_cli.vault) == before


def test_restore_then_a_flipped_snapshot_stops_every_command(demo_cli: Cli, tmp_path: Path) -> None:
    """Seen: after a restore one flipped byte opened an empty vault everywhere,
    and the next save made the loss permanent."""
    backup = tmp_path / "b"
    assert demo_cli("vault", "backup", str(backup)).code == 0
    expected = export(demo_cli, tmp_path, "before.json")
    assert demo_cli("vault", "restore", str(backup), "--yes").code == 0
    flip(demo_cli.vault / "snapshot", 100)
    before = digests(demo_cli.vault)
    for argv in (
        ["vault", "check"],
        ["data", "export", str(tmp_path / "x.json")],
        ["reminders", "list"],
        ["demo"],
        ["vault", "passwd"],
        ["vault", "backup", str(tmp_path / "again")],
        ["sync", "status"],
    ):
        result = demo_cli(*argv, env={"MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE})
        assert result.code == 3, (argv, result.err)
        assert result.error_line.startswith("Dine data er beskadigede: hovedfilen")
    assert digests(demo_cli.vault) == before
    report = demo_cli("vault", "recover", stdin="nej\n")
    assert report.code == 1
    assert report.out.splitlines()[1].startswith("Beholdes: 3 gemninger")  # the demo's saves
    assert "1 gemning (nr. 4)" in report.out  # the restore is what would be lost
    assert digests(demo_cli.vault) == before
    assert demo_cli("vault", "recover", stdin="SLET\n").code == 0
    assert export(demo_cli, tmp_path, "after.json") == expected


def test_a_damaged_key_file_is_damaged_not_a_wrong_passphrase(demo_cli: Cli) -> None:
    keys = demo_cli.vault / "keys"
    original = keys.read_bytes()
    for offset in (45, 60, 100, 150, len(original) - 40, len(original) - 1):
        flip(keys, offset)
        result = demo_cli("vault", "check")
        assert result.code == 3, offset
        assert result.error_line.startswith("Dine data er beskadigede")
        keys.write_bytes(original)


def test_an_old_key_file_after_passwd_opens_nothing(demo_cli: Cli, tmp_path: Path) -> None:
    old_keys = (demo_cli.vault / "keys").read_bytes()
    changed = demo_cli("vault", "passwd", env={"MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert changed.code == 0, changed.err
    assert changed.out == ""  # the recovery code still works: no new one
    new_env = {"MUSLING_PASSPHRASE": NEW_PASSPHRASE}
    assert demo_cli("vault", "check", env=new_env).code == 0
    (demo_cli.vault / "keys").write_bytes(old_keys)
    stale = demo_cli("vault", "check")
    assert stale.code == 3
    assert stale.error_line.startswith("Dine data er beskadigede: nøglefilen passer ikke")


def test_a_version_1_vault_works_from_the_command_line(cli: Cli) -> None:
    from tests.storage.test_vault_formats import CODE, FIXTURE
    from tests.storage.test_vault_formats import PASSPHRASE as V1

    shutil.copytree(FIXTURE, cli.vault, ignore=shutil.ignore_patterns("*.md"))
    env = {"MUSLING_PASSPHRASE": V1}
    before = digests(cli.vault)
    check = cli("vault", "check", env=env)
    assert check.code == 0, check.err
    assert "Formatversion: 1" in check.out
    assert digests(cli.vault) == before  # check migrates nothing
    changed = cli("vault", "passwd", env={**env, "MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert changed.code == 0, changed.err
    assert "gamle slags" in changed.err
    new_code = changed.out.strip()
    assert new_code and new_code != CODE
    with_code = cli("vault", "check", "--recovery-code", env={"MUSLING_RECOVERY_CODE": new_code})
    assert with_code.code == 0
    assert "Formatversion: 2" in with_code.out


def test_recover_with_the_recovery_code(cli: Cli, tmp_path: Path) -> None:
    code = cli("vault", "init").out.strip()
    assert cli("demo").code == 0
    expected = export(cli, tmp_path, "before.json")
    with_code = {"MUSLING_PASSPHRASE": "", "MUSLING_RECOVERY_CODE": code}
    (tmp_path / "target").mkdir()
    added = cli("sync", "add-folder", "t", str(tmp_path / "target"), "--role", "mine")
    assert added.code == 0  # one more save (not in the export): the one the cut loses
    journal = (cli.vault / "journal").read_bytes()
    (cli.vault / "journal").write_bytes(journal[: len(journal.rstrip(b"\0")) - 1])
    assert cli("vault", "check", "--recovery-code", env=with_code).code == 3
    result = cli("vault", "recover", "--yes", "--recovery-code", env=with_code)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].startswith("Dine data er beskadigede: ændringsloggen er af")
    assert export(cli, tmp_path, "after.json") == expected
    assert cli("sync", "targets").out.startswith("Ingen modtagere")
