"""Passphrases, recovery codes, KDF choice and header policy."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from mus.errors import (
    KeysMismatch,
    NewerFormat,
    VaultDamaged,
    VaultExists,
    VaultMissing,
    VaultOpenElsewhere,
    WrongPassphrase,
    WrongRecoveryCode,
)
from storage.crypto import (
    ARGON2ID_RFC9106,
    CROCKFORD,
    DEFAULT_LIMITS,
    KDF_ARGON2ID,
    SCRYPT_DEFAULT,
    KdfParams,
    default_kdf,
    recovery_code_bytes,
)
from storage.vault import Vault
from storage.vaultfile import PREAMBLE
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, create_vault, open_vault

ROOT = Path(__file__).resolve().parents[2]


def test_wrong_passphrase(vault_folder: Path) -> None:
    create_vault(vault_folder)[0].close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_folder, PASSPHRASE + " ", limits=LAX)


def test_recovery_code_shape_and_entropy(vault_folder: Path) -> None:
    vault, code = create_vault(vault_folder)
    vault.close()
    groups = code.split("-")
    assert len(groups) == 8
    assert all(len(g) == 4 and set(g) <= set(CROCKFORD) for g in groups)
    assert len(recovery_code_bytes(code)) * 8 >= 128


def test_recovery_code_opens_and_forgives_typing(vault_folder: Path) -> None:
    vault, code = create_vault(vault_folder)
    vault.write({"t": {"1": {"a": "b"}}})
    vault.close()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    vault = Vault.open_with_recovery_code(vault_folder, typed, limits=LAX)
    assert vault.read() == {"t": {"1": {"a": "b"}}}
    vault.close()


@pytest.mark.parametrize("mangle", ["swap", "short", "bad-char"])
def test_wrong_recovery_code(vault_folder: Path, mangle: str) -> None:
    vault, code = create_vault(vault_folder)
    vault.close()
    other = {
        "swap": code[1] + code[0] + code[2:] if code[0] != code[1] else "0" * 32,
        "short": code[:-1],
        "bad-char": "U" + code[1:],
    }[mangle]
    with pytest.raises(WrongPassphrase) as caught:
        Vault.open_with_recovery_code(vault_folder, other, limits=LAX)
    assert isinstance(caught.value, WrongRecoveryCode)


def test_new_recovery_code_replaces_old(vault_folder: Path) -> None:
    vault, old = create_vault(vault_folder)
    new = vault.new_recovery_code()
    vault.close()
    with pytest.raises(WrongRecoveryCode):
        Vault.open_with_recovery_code(vault_folder, old, limits=LAX)
    Vault.open_with_recovery_code(vault_folder, new, limits=LAX).close()
    open_vault(vault_folder).close()  # the passphrase wrap is untouched


def test_change_passphrase_makes_a_new_data_key_and_re_encrypts(vault_folder: Path) -> None:
    """An old copy of the key file, even with the old passphrase, opens nothing
    written after the change; the recovery code keeps working."""
    vault, code = create_vault(vault_folder)
    vault.write({"t": {"1": {"a": 1}}})
    old_keys = (vault_folder / "keys").read_bytes()
    snapshot_before = (vault_folder / "snapshot").read_bytes()
    assert vault.change_passphrase("ny adgangssætning", kdf=FAST_KDF) is None
    assert (vault_folder / "snapshot").read_bytes() != snapshot_before
    assert not (vault_folder / "snapshot.prev").exists()  # of the old key: gone
    vault.write({"t": {"1": {"a": 1}, "2": {"after": "the change"}}})
    vault.close()
    with pytest.raises(WrongPassphrase):
        open_vault(vault_folder)
    vault = Vault.open(vault_folder, "ny adgangssætning", limits=LAX)
    assert vault.read() == {"t": {"1": {"a": 1}, "2": {"after": "the change"}}}
    vault.close()
    Vault.open_with_recovery_code(vault_folder, code, limits=LAX).close()
    (vault_folder / "keys").write_bytes(old_keys)  # an old copy, the old passphrase
    with pytest.raises(KeysMismatch):
        open_vault(vault_folder)
    with pytest.raises(KeysMismatch):
        Vault.open_for_recovery(vault_folder, PASSPHRASE, limits=LAX)


def test_passphrase_is_unicode_normalised(vault_folder: Path) -> None:
    Vault.create(vault_folder, "Ærø cafe\u0301", kdf=FAST_KDF, limits=LAX)[0].close()
    Vault.open(vault_folder, "Ærø caf\u00e9", limits=LAX).close()


def test_real_kdf_default_argon2id_round_trip(vault_folder: Path) -> None:
    """The production KDF and floor: Argon2id (RFC 9106 second recommendation)."""
    assert default_kdf() == ARGON2ID_RFC9106
    vault, _ = Vault.create(vault_folder, PASSPHRASE)
    vault.write({"t": {"1": {"a": 1}}})
    vault.close()
    vault = Vault.open(vault_folder, PASSPHRASE)
    assert vault.kdf.kdf_id == KDF_ARGON2ID
    assert vault.read() == {"t": {"1": {"a": 1}}}
    vault.close()


def test_scrypt_vault_opens_under_normal_code_path(vault_folder: Path) -> None:
    """A phone build (no Argon2id) writes scrypt; the default reader opens it."""
    vault, _ = Vault.create(vault_folder, PASSPHRASE, kdf=SCRYPT_DEFAULT)
    vault.write({"t": {"1": {"phone": True}}})
    vault.close()
    vault = Vault.open(vault_folder, PASSPHRASE)
    assert vault.read() == {"t": {"1": {"phone": True}}}
    assert vault.check().kdf == "scrypt"
    vault.close()


def _rewrite_kdf(folder: Path, params: KdfParams) -> None:
    keys = bytearray((folder / "keys").read_bytes())
    struct.pack_into(">BIII", keys, PREAMBLE.size, params.kdf_id, params.a, params.b, params.c)
    (folder / "keys").write_bytes(bytes(keys))


@pytest.mark.parametrize(
    "params",
    [
        KdfParams(KDF_ARGON2ID, 1024, 1, 1),  # below OWASP floor: downgrade
        KdfParams(2, 10, 8, 1),  # scrypt N=2**10: downgrade
        KdfParams(KDF_ARGON2ID, 64 * 1024 * 1024, 3, 4),  # 64 GiB: denial of service
        KdfParams(2, 30, 8, 1),  # scrypt N=2**30: denial of service
        KdfParams(9, 1, 1, 1),  # unknown KDF
    ],
)
def test_header_kdf_out_of_policy_is_damaged(vault_folder: Path, params: KdfParams) -> None:
    create_vault(vault_folder)[0].close()
    _rewrite_kdf(vault_folder, params)
    with pytest.raises(VaultDamaged):
        Vault.open(vault_folder, PASSPHRASE, limits=DEFAULT_LIMITS)


def test_create_refuses_weak_kdf_under_default_limits(vault_folder: Path) -> None:
    with pytest.raises(ValueError, match="limits"):
        Vault.create(vault_folder, PASSPHRASE, kdf=FAST_KDF)


@pytest.mark.parametrize("name", ["keys", "snapshot", "journal"])
def test_newer_format_version(vault_folder: Path, name: str) -> None:
    create_vault(vault_folder)[0].close()
    data = bytearray((vault_folder / name).read_bytes())
    struct.pack_into(">H", data, 8, 3)
    (vault_folder / name).write_bytes(bytes(data))
    with pytest.raises(NewerFormat):
        open_vault(vault_folder)


def test_foreign_file_is_damaged(vault_folder: Path) -> None:
    create_vault(vault_folder)[0].close()
    (vault_folder / "keys").write_bytes(b'{"_default": {}}')
    with pytest.raises(VaultDamaged):
        open_vault(vault_folder)


def test_missing_and_existing(vault_folder: Path) -> None:
    with pytest.raises(VaultMissing):
        open_vault(vault_folder)
    vault, _ = create_vault(vault_folder)
    vault.close()
    with pytest.raises(VaultExists):
        create_vault(vault_folder)
    open_vault(vault_folder).close()


def test_second_instance_in_process(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    with pytest.raises(VaultOpenElsewhere):
        open_vault(vault_folder)
    vault.close()
    open_vault(vault_folder).close()


def test_second_process_gets_open_elsewhere(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    script = (
        "import sys\n"
        "from mus.errors import VaultError\n"
        "from tests.storage.conftest import open_vault\n"
        "from pathlib import Path\n"
        "try:\n"
        "    open_vault(Path(sys.argv[1]))\n"
        "except VaultError as exc:\n"
        "    print(exc.code, exc.exit_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(vault_folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == ["open_elsewhere", "4"]
    vault.close()
