"""The encrypted backup: the whole vault as one file the user can keep elsewhere.

It has its own random key (wrapped under the backup passphrase), so handing a
backup and its passphrase to someone never reveals the vault's data key.
Layout: a key block of kind ``backup`` (no recovery wrap) followed by exactly
one frame whose AAD is the whole key block. Written in format version 1, which
every Musling reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from mus.errors import VaultDamaged
from storage.atomic import replace_file
from storage.contents import Tables
from storage.crypto import (
    DEFAULT_LIMITS,
    AuthFailed,
    KdfLimits,
    KdfParams,
    Sealer,
    derive_passphrase_key,
    new_key,
    new_salt,
)
from storage.fs import FileSystem, disk_errors
from storage.vaultfile import (
    KIND_BACKUP,
    LEGACY_VERSION,
    Preamble,
    build_key_block,
    frame_key,
    open_frame,
    pack_frame,
    parse_key_block,
    scan_frames,
)


def write_backup(
    fs: FileSystem,
    destination: Path,
    passphrase: str,
    snapshot_plaintext: bytes,
    *,
    vault_id: bytes,
    generation: int,
    kdf: KdfParams,
) -> None:
    """Write atomically (temp, fsync, replace): a half-written backup never exists."""
    backup_key = new_key()
    salt = new_salt()
    passphrase_key = derive_passphrase_key(passphrase, salt, kdf)
    preamble = Preamble(KIND_BACKUP, vault_id, generation, LEGACY_VERSION)
    block = build_key_block(
        preamble, data_key=backup_key, kdf=kdf, salt=salt, passphrase=passphrase_key, recovery=None
    ).pack()
    frame = pack_frame(Sealer(frame_key(backup_key)), block, 0, snapshot_plaintext)
    with disk_errors():
        replace_file(fs, destination, block + frame)


def read_backup(
    source: Path | bytes,
    passphrase: str,
    *,
    limits: KdfLimits = DEFAULT_LIMITS,
    fs: FileSystem | None = None,
) -> Tables:
    """The backup's tables as plain dicts (in memory only).

    ``source`` is a file, or the file's bytes as a phone's file picker hands
    them over (the app never writes a picked backup to disk first)."""
    if isinstance(source, bytes):
        raw = source
    else:
        fs = fs or FileSystem()
        with disk_errors():
            raw = fs.read_bytes(source)
    block = parse_key_block(raw, KIND_BACKUP, limits)
    key = derive_passphrase_key(passphrase, block.salt, block.kdf)
    backup_key = block.unwrap_with_passphrase_key(key)
    scan = scan_frames(raw, block.size)
    if scan.torn or len(scan.frames) != 1 or scan.end != len(raw):
        raise VaultDamaged("backup truncated")
    try:
        plaintext = open_frame(Sealer(frame_key(backup_key)), raw[: block.size], 0, scan.frames[0])
    except AuthFailed:
        raise VaultDamaged("backup does not authenticate") from None
    try:
        tables = json.loads(plaintext)["tables"]
    except (ValueError, KeyError, TypeError):
        raise VaultDamaged("backup content unreadable") from None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise VaultDamaged("backup content unreadable")
    return tables
