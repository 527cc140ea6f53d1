"""A vault written by format version 1 (the committed fixture) still opens, and
becomes version 2 on its first writable open; a read-only open changes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from mus.errors import WrongRecoveryCode
from storage.vault import Vault
from storage.vaultfile import PREAMBLE
from tests.storage.conftest import LAX

FIXTURE = Path(__file__).parent / "fixtures" / "vault_v1"
PASSPHRASE = "fiktiv adgangssætning til testen"
CODE = "5T7V-VHC0-X0X3-3A7X-42J8-ZTR6-NXYD-V6B1"
FILES = ("keys", "snapshot", "snapshot.prev", "journal", "journal.prev")


def expected() -> dict[str, dict[str, dict[str, str]]]:
    notes = {str(i): {"text": f"fiktiv note {i} " + "æøå" * 40} for i in range(1, 6)}
    notes["2"] = {"text": "rettet"}
    return {"notes": notes}


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns("*.md"))
    folder.chmod(0o700)
    return folder


def version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[8:10], "big")


def digests(folder: Path) -> dict[str, str]:
    """Every file but the (empty) lock file any open creates."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "lock"
    }


def test_the_fixture_is_version_1() -> None:
    assert {version(FIXTURE / name) for name in FILES} == {1}
    assert (FIXTURE / "journal").stat().st_size > PREAMBLE.size  # a journal frame too


def test_read_only_open_and_check_change_no_byte(v1: Path) -> None:
    before = digests(v1)
    with Vault.open(v1, PASSPHRASE, limits=LAX, read_only=True) as vault:
        assert vault.read() == expected()
        report = vault.check()
    assert report.format_version == 1
    assert report.tables == {"notes": 5}
    assert report.previous_generation_ok is True
    assert digests(v1) == before


def test_first_writable_open_migrates_to_version_2(v1: Path) -> None:
    vault = Vault.open(v1, PASSPHRASE, limits=LAX)
    assert vault.read() == expected()
    vault.write({"notes": {**expected()["notes"], "6": {"text": "ny"}}})
    vault.close()
    assert {version(v1 / name) for name in ("keys", "snapshot", "journal")} == {2}
    assert version(v1 / "snapshot.prev") == 1  # the version 1 generation, kept as previous
    with Vault.open(v1, PASSPHRASE, limits=LAX, read_only=True) as vault:
        report = vault.check()
        assert vault.read() == {"notes": {**expected()["notes"], "6": {"text": "ny"}}}
    assert report.format_version == 2
    assert report.previous_generation_ok is True  # version 1 prev, checked against the header


def test_the_old_recovery_code_still_opens_a_migrated_vault(v1: Path) -> None:
    Vault.open(v1, PASSPHRASE, limits=LAX).close()  # migrates (keeps the legacy code wrap)
    with Vault.open_with_recovery_code(v1, CODE.lower(), limits=LAX) as vault:
        assert vault.read() == expected()


def test_opened_with_the_code_it_migrates_the_data_but_keeps_the_key_file(v1: Path) -> None:
    """Without the passphrase its wrap cannot be sealed anew: the key file stays
    version 1 until the passphrase is next used."""
    with Vault.open_with_recovery_code(v1, CODE, limits=LAX) as vault:
        assert vault.read() == expected()
    assert version(v1 / "keys") == 1
    assert version(v1 / "snapshot") == 2
    with Vault.open(v1, PASSPHRASE, limits=LAX) as vault:
        assert vault.read() == expected()
    assert version(v1 / "keys") == 2


def test_passphrase_change_on_a_legacy_code_issues_a_new_code(v1: Path) -> None:
    """A version 1 recovery wrap holds the old data key under the code's own key:
    it cannot follow a new data key, so the change issues a new code (shown once)."""
    vault = Vault.open(v1, PASSPHRASE, limits=LAX)
    code = vault.change_passphrase("en ny og lang adgangssætning", kdf=None)
    vault.close()
    assert code is not None and code != CODE
    with pytest.raises(WrongRecoveryCode):
        Vault.open_with_recovery_code(v1, CODE, limits=LAX)
    with Vault.open_with_recovery_code(v1, code, limits=LAX) as vault:
        assert vault.read() == expected()
        assert vault.change_passphrase("en tredje lang sætning", kdf=None) is None  # X25519 now


def test_a_damaged_version_1_snapshot_stops_and_recovers_from_the_previous(v1: Path) -> None:
    data = bytearray((v1 / "snapshot").read_bytes())
    data[100] ^= 1
    (v1 / "snapshot").write_bytes(bytes(data))
    with pytest.raises(Exception) as caught:
        Vault.open(v1, PASSPHRASE, limits=LAX)
    assert getattr(caught.value, "code", "") == "snapshot_damaged"
    recovery = Vault.open_for_recovery(v1, PASSPHRASE, limits=LAX)
    report = recovery.report
    assert report is not None and not report.exact  # version 1 keeps no save count
    vault = recovery.apply()
    vault.close()
    with Vault.open(v1, PASSPHRASE, limits=LAX) as vault:
        tables = vault.read() or {}
    assert tables != expected()  # an older, proven state: the last edit is gone
    assert tables["notes"]["2"] != {"text": "rettet"}
    assert report.lost_saves == 0  # how many cannot be told (version 1): said as such
