"""``vault …``: create, check, change secrets, back up, restore, erase (in-process)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.cli.conftest import NEW_PASSPHRASE, PASSPHRASE, Cli

CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$", re.MULTILINE)


def recovery_code(out: str) -> str:
    found = CODE.search(out)
    assert found, out
    return found.group(0)


def test_init_prints_the_recovery_code_alone_on_stdout(cli: Cli) -> None:
    result = cli("vault", "init")
    assert result.code == 0
    assert CODE.fullmatch(result.out.strip())
    assert "gendannelseskode" in result.err.lower()
    assert (cli.vault / "keys").is_file()


def test_init_refuses_an_existing_vault(cli: Cli) -> None:
    assert cli("vault", "init").code == 0
    again = cli("vault", "init")
    assert again.code == 1
    assert again.error_line == "Der findes allerede data her."


def test_init_holds_new_passphrases_to_the_length_rule(cli: Cli) -> None:
    result = cli("vault", "init", env={"MUSLING_PASSPHRASE": "kort"})
    assert result.code == 1
    assert "mindst 10 tegn" in result.error_line
    assert not cli.vault.exists()


def test_init_reads_the_passphrase_from_stdin_when_not_a_terminal(cli: Cli) -> None:
    result = cli("vault", "init", stdin=f"{NEW_PASSPHRASE}\n", env={"MUSLING_PASSPHRASE": ""})
    assert result.code == 0
    check = cli("vault", "check", env={"MUSLING_PASSPHRASE": NEW_PASSPHRASE})
    assert check.code == 0


def test_no_passphrase_at_all_is_a_usage_error_naming_the_variable(cli: Cli) -> None:
    assert cli("vault", "init").code == 0
    result = cli("vault", "check", env={"MUSLING_PASSPHRASE": ""})
    assert result.code == 1
    assert "MUSLING_PASSPHRASE" in result.error_line


def test_check_shows_structure_and_counts_and_no_personal_data(demo_cli: Cli) -> None:
    result = demo_cli("vault", "check")
    assert result.code == 0, result.err
    assert "Formatversion: 2" in result.out
    assert "Nøgleafledning: scrypt" in result.out
    assert "Tabel conversations: 1 poster" in result.out
    assert "Tabel agreed_versions: 1 poster" in result.out
    everything = (result.out + result.err).casefold()
    for personal in ("sofie", "lars", "eksempel", "borgerservice", "kursus", "example"):
        assert personal not in everything


def test_check_in_english_when_the_preferences_say_so(demo_cli: Cli) -> None:
    (demo_cli.data_dir / "preferences.json").write_text('{"language": "en"}')
    result = demo_cli("vault", "check")
    assert "Format version: 2" in result.out
    wrong = demo_cli("vault", "check", env={"MUSLING_PASSPHRASE": "not the passphrase"})
    assert wrong.code == 2
    assert wrong.error_line == "Wrong passphrase. Try again."


def test_passwd_old_stops_working_new_works(cli: Cli) -> None:
    assert cli("vault", "init").code == 0
    changed = cli("vault", "passwd", env={"MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert changed.code == 0, changed.err
    assert cli("vault", "check").code == 2
    assert cli("vault", "check", env={"MUSLING_PASSPHRASE": NEW_PASSPHRASE}).code == 0


def test_passwd_from_stdin_old_then_new(cli: Cli) -> None:
    assert cli("vault", "init").code == 0
    result = cli(
        "vault", "passwd", stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n", env={"MUSLING_PASSPHRASE": ""}
    )
    assert result.code == 0, result.err
    assert cli("vault", "check", env={"MUSLING_PASSPHRASE": NEW_PASSPHRASE}).code == 0


def test_passwd_with_the_recovery_code_needs_no_old_passphrase(cli: Cli) -> None:
    code = recovery_code(cli("vault", "init").out)
    env = {
        "MUSLING_PASSPHRASE": "",
        "MUSLING_RECOVERY_CODE": code.lower(),
        "MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE,
    }
    assert cli("vault", "passwd", env=env).code == 0
    assert cli("vault", "check", env={"MUSLING_PASSPHRASE": NEW_PASSPHRASE}).code == 0


def test_new_recovery_code_replaces_the_old(cli: Cli) -> None:
    old = recovery_code(cli("vault", "init").out)
    result = cli("vault", "recovery-code")
    assert result.code == 0
    new = recovery_code(result.out)
    assert new != old
    stale = cli("vault", "check", "--recovery-code", env={"MUSLING_RECOVERY_CODE": old})
    assert stale.code == 2
    assert "Gendannelseskoden passer ikke" in stale.error_line
    fresh = cli("vault", "check", "--recovery-code", env={"MUSLING_RECOVERY_CODE": new})
    assert fresh.code == 0


def test_backup_then_restore_into_an_empty_folder_gives_the_same_records(
    demo_cli: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "musling.backup"
    assert demo_cli("vault", "backup", str(backup)).code == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    before = demo_cli("data", "export", str(tmp_path / "before.json"))
    assert before.code == 0

    other = Cli(tmp_path / "other")
    restored = other("vault", "restore", str(backup))
    assert restored.code == 0, restored.err
    assert CODE.search(restored.out)
    assert other("data", "export", str(tmp_path / "after.json")).code == 0
    assert _without_time(tmp_path / "before.json") == _without_time(tmp_path / "after.json")


def test_backup_with_its_own_passphrase(demo_cli: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b"
    env = {"BACKUP_PW": "en helt anden sætning"}
    made = demo_cli("vault", "backup", str(backup), "--backup-passphrase-env", "BACKUP_PW", env=env)
    assert made.code == 0
    other = Cli(tmp_path / "other")
    wrong = other("vault", "restore", str(backup))
    assert wrong.code == 2
    assert not (other.vault / "keys").exists()
    ok = other("vault", "restore", str(backup), "--backup-passphrase-env", "BACKUP_PW", env=env)
    assert ok.code == 0, ok.err


def test_restore_over_an_existing_vault_needs_confirmation(demo_cli: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b"
    assert demo_cli("vault", "backup", str(backup)).code == 0
    refused = demo_cli("vault", "restore", str(backup))
    assert refused.code == 1
    assert "--yes" in refused.error_line
    assert demo_cli("vault", "restore", str(backup), "--yes").code == 0
    typed = demo_cli("vault", "restore", str(backup), stdin="SLET\n")
    assert typed.code == 0, typed.err


def test_restore_of_a_missing_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("vault", "restore", str(tmp_path / "nope"))
    assert result.code == 1
    assert result.error_line == "Filen findes ikke eller kan ikke læses."


def test_erase_asks_first_then_destroys_everything(demo_cli: Cli) -> None:
    no = demo_cli("vault", "erase", stdin="nej\n")
    assert no.code == 1
    assert (demo_cli.vault / "keys").is_file()
    yes = demo_cli("vault", "erase", stdin="slet\n")
    assert yes.code == 0
    assert not demo_cli.vault.exists()
    again = demo_cli("vault", "erase", "--yes")
    assert again.code == 1
    assert again.error_line == "Der er ingen data her endnu."


def test_usage_errors_exit_1_with_one_line(cli: Cli) -> None:
    for argv in (["vault"], ["vault", "bogus"], ["reminders", "list", "--days", "x"]):
        result = cli(*argv)
        assert result.code == 1
        assert result.error_line.startswith("Forkert brug:")


def test_help_exits_0_on_the_given_stdout(cli: Cli) -> None:
    result = cli("vault", "--help")
    assert result.code == 0
    assert "recovery-code" in result.out


def _without_time(path: Path) -> dict[str, object]:
    import json

    data: dict[str, object] = json.loads(path.read_text("utf-8"))
    data.pop("exported_at")
    return data


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def test_check_reports_a_damaged_previous_generation(demo_cli: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b"
    assert demo_cli("vault", "backup", str(backup)).code == 0
    assert demo_cli("vault", "restore", str(backup), "--yes").code == 0  # keeps snapshot.prev
    assert "Forrige generation: hel og ægte" in demo_cli("vault", "check").out
    _flip_last_byte(demo_cli.vault / "snapshot.prev")
    result = demo_cli("vault", "check")
    assert result.code == 3
    assert "Forrige generation: beskadiget" in result.out
    assert result.error_line.startswith("Den forrige generation er beskadiget")


def test_check_names_a_damaged_main_file_and_opens_nothing_older(
    demo_cli: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "b"
    assert demo_cli("vault", "backup", str(backup)).code == 0
    assert demo_cli("vault", "restore", str(backup), "--yes").code == 0
    _flip_last_byte(demo_cli.vault / "snapshot")
    result = demo_cli("vault", "check")
    assert result.code == 3
    assert result.error_line.startswith("Dine data er beskadigede: hovedfilen")
    assert result.out == ""
