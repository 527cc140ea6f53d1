"""No plaintext on disk; any text round-trips exactly; backup, restore, erase."""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from mus.demo import example_conversation
from mus.errors import (
    NewerFormat,
    VaultDamaged,
    VaultExists,
    VaultMissing,
    VaultOpenElsewhere,
    WrongPassphrase,
)
from storage.session import VaultSession
from storage.vault import Vault, VaultStorage, erase_vault
from tests.storage.conftest import (
    FAST_KDF,
    LAX,
    PASSPHRASE,
    SMALL_JOURNAL,
    create_vault,
    open_vault,
    reopened_tables,
)

MARKER = "Muslingmærke-7f3aØå-Ærlig"


def leak_forms(text: str) -> list[bytes]:
    """Every way ``text`` could show up in a file if it leaked."""
    forms = {
        text.encode("utf-8"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
        text.encode("utf-32-le"),
        json.dumps(text).encode("ascii"),  # \u00e6 escapes
        json.dumps(text, ensure_ascii=False).encode("utf-8"),
        text.encode("latin-1", "replace"),
    }
    ascii_part = text.split("m", maxsplit=1)[0].encode()  # "Musling": the plain ASCII prefix
    forms.add(ascii_part + b"m")
    forms.add(text.casefold().encode("utf-8"))
    return sorted(forms)


def files_under(root: Path, since: float) -> list[Path]:
    found: list[Path] = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                if path.is_file() and path.stat().st_mtime >= since - 1:
                    found.append(path)
            except OSError:
                continue
    return found


MAX_SCANNED = 64 * 2**20
"""The vault's own files here are far smaller; the temp folder is shared with other
processes (a parallel test run may leave a 1 TiB sparse file there)."""


def test_no_plaintext_in_data_or_temp_folder(tmp_path: Path) -> None:
    started = time.time()
    folder = tmp_path / "data" / "musling.vault"
    vault, _ = create_vault(folder, tuning=SMALL_JOURNAL)
    db = TinyDB(vault, storage=VaultStorage)
    plans = db.table("plans")
    for i in range(30):  # enough to cross several compactions
        plans.insert({"note": f"{MARKER} {i}", "pad": "x" * 300})
        plans.update({"note": f"{MARKER} redigeret {i}"}, doc_ids=[1])
    vault.export_backup(tmp_path / "data" / "backup.musling", "backup-kode", kdf=FAST_KDF)
    vault.check()
    db.close()
    Vault.restore(
        tmp_path / "data" / "backup.musling",
        "backup-kode",
        tmp_path / "data" / "restored.vault",
        PASSPHRASE,
        kdf=FAST_KDF,
        limits=LAX,
    )[0].close()
    checked = files_under(tmp_path, started) + files_under(Path(tempfile.gettempdir()), started)
    assert any(path.parent == folder for path in checked)
    for path in checked:
        try:
            if path.stat().st_size > MAX_SCANNED:  # another test's sparse giant, not ours
                continue
            content = path.read_bytes()
        except OSError:
            continue
        for form in leak_forms(MARKER):
            assert form not in content, f"plaintext in {path.name}"


def test_vault_files_are_private(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder, tuning=SMALL_JOURNAL)
    for i in range(10):
        vault.write({"t": {str(i): {"pad": "p" * 500}}})
    vault.close()
    for path in vault_folder.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path.name
    assert vault_folder.stat().st_mode & 0o077 == 0


_shared: dict[str, Any] = {}


def _shared_vault() -> Vault:
    """One vault for every hypothesis example (a fixture per example is not allowed)."""
    if "vault" not in _shared:
        folder = Path(tempfile.mkdtemp(prefix="musling-prop-")) / "v"
        _shared["vault"], _ = create_vault(folder, tuning=SMALL_JOURNAL)
    vault: Vault = _shared["vault"]
    return vault


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        alphabet=st.characters(codec=None, exclude_categories=()),
        max_size=300,
    ),
    key=st.text(min_size=1, max_size=20),
)
def test_any_text_round_trips(text: str, key: str) -> None:
    vault = _shared_vault()
    tables = {"notes": {"1": {"text": text, key: [text, {"nested": text}]}}}
    vault.write(tables)
    folder = vault.folder
    vault.close()
    reopened = open_vault(folder, tuning=SMALL_JOURNAL)
    _shared["vault"] = reopened
    assert reopened.read() == tables


@pytest.mark.parametrize(
    "text",
    [
        "".join(chr(c) for c in range(0x20)) + "\u2028\u2029\x7f",
        "\ud800 lone \udfff surrogates",
        "שלום עליכם \u202eRTL override\u202c مرحبا",
        "👩‍👩‍👧‍👦🏳️‍🌈 æøå ÆØÅ",
        "".join(chr(0x20 + (i * 7919) % 0xD7E0) for i in range(100_000)),
    ],
    ids=["control", "surrogates", "rtl", "emoji", "100k-chars"],
)
def test_hard_texts_round_trip(vault_folder: Path, text: str) -> None:
    vault, _ = create_vault(vault_folder)
    vault.write({"notes": {"1": {"text": text}}})
    vault.close()
    assert reopened_tables(vault_folder) == {"notes": {"1": {"text": text}}}
    assert len(text) < 100 or len(reopened_tables(vault_folder)["notes"]["1"]["text"]) == len(text)


def test_backup_export_and_restore(tmp_path: Path) -> None:
    vault, _ = create_vault(tmp_path / "a")
    vault.write({"plans": {"1": {"goal": "lære dansk"}}, "empty": {}})
    vault.export_backup(tmp_path / "b.musling", "anden kode", kdf=FAST_KDF)
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.restore(
            tmp_path / "b.musling", PASSPHRASE, tmp_path / "c", "x", kdf=FAST_KDF, limits=LAX
        )
    restored, code = Vault.restore(
        tmp_path / "b.musling", "anden kode", tmp_path / "c", "ny", kdf=FAST_KDF, limits=LAX
    )
    assert restored.read() == {"plans": {"1": {"goal": "lære dansk"}}, "empty": {}}
    restored.close()
    Vault.open_with_recovery_code(tmp_path / "c", code, limits=LAX).close()


def test_backup_import_replaces_content(tmp_path: Path) -> None:
    source, _ = create_vault(tmp_path / "a")
    source.write({"plans": {"1": {"v": "backup"}}})
    source.export_backup(tmp_path / "b.musling", "k", kdf=FAST_KDF)
    source.close()
    target, _ = create_vault(tmp_path / "t")
    target.write({"plans": {"1": {"v": "old"}, "2": {"v": "old"}}})
    target.import_backup(tmp_path / "b.musling", "k", limits=LAX)
    assert target.read() == {"plans": {"1": {"v": "backup"}}}
    target.write({"plans": {"1": {"v": "after import"}}})
    target.close()
    assert reopened_tables(tmp_path / "t") == {"plans": {"1": {"v": "after import"}}}


def test_damaged_backup(tmp_path: Path) -> None:
    vault, _ = create_vault(tmp_path / "a")
    vault.write({"plans": {"1": {"v": 1}}})
    vault.export_backup(tmp_path / "b.musling", "k", kdf=FAST_KDF)
    vault.close()
    data = (tmp_path / "b.musling").read_bytes()
    for position in range(0, len(data), 3):
        flipped = bytearray(data)
        flipped[position] ^= 0x04
        (tmp_path / "b.musling").write_bytes(bytes(flipped))
        target = tmp_path / f"r{position}"
        with pytest.raises((VaultDamaged, WrongPassphrase, NewerFormat)):
            Vault.restore(tmp_path / "b.musling", "k", target, "x", kdf=FAST_KDF, limits=LAX)
    (tmp_path / "b.musling").write_bytes(data[:-1])
    with pytest.raises(VaultDamaged):
        Vault.restore(tmp_path / "b.musling", "k", tmp_path / "r", "x", kdf=FAST_KDF, limits=LAX)


def test_erase_open_vault(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder, tuning=SMALL_JOURNAL)
    for i in range(10):
        vault.write({"t": {str(i): {"pad": "p" * 500}}})
    vault.erase()
    assert not vault_folder.exists()
    assert not vault.is_open
    with pytest.raises(VaultMissing):
        open_vault(vault_folder)


def test_erase_without_passphrase_needs_the_lock(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    with pytest.raises(VaultOpenElsewhere):
        erase_vault(vault_folder)
    vault.close()
    erase_vault(vault_folder)
    assert not vault_folder.exists()


def test_session_restore_backup_from_bytes_writes_nothing_on_failure(tmp_path: Path) -> None:
    """The app's path (picked bytes, no file): a wrong passphrase, a flipped byte
    or an existing vault leave the folder as it was; the right one opens it."""
    old = VaultSession(tmp_path / "old", kdf=FAST_KDF, limits=LAX)
    old.create(PASSPHRASE)
    old.conversations().save(example_conversation(date(2026, 11, 24)))
    backup = old.export_backup(PASSPHRASE)

    new = VaultSession(tmp_path / "new" / "vault", kdf=FAST_KDF, limits=LAX)
    with pytest.raises(WrongPassphrase):
        new.restore_backup(backup, "ikke den rigtige sætning")
    flipped = bytearray(backup)
    flipped[-40] ^= 0x01
    with pytest.raises(VaultDamaged):
        new.restore_backup(bytes(flipped), PASSPHRASE)
    with pytest.raises(VaultDamaged):
        new.restore_backup(backup[: len(backup) // 2], PASSPHRASE)
    assert not (tmp_path / "new").exists()

    code = new.restore_backup(backup, PASSPHRASE)
    assert [c.employee_name for c in new.conversations().list()] == ["Sofie Eksempel"]
    new.lock()
    new.unlock_with_recovery_code(code)
    new.lock()

    before = sorted(p.read_bytes() for p in (tmp_path / "old").iterdir() if p.is_file())
    old.lock()
    with pytest.raises(VaultExists):
        old.restore_backup(backup, PASSPHRASE)
    assert sorted(p.read_bytes() for p in (tmp_path / "old").iterdir() if p.is_file()) == before
