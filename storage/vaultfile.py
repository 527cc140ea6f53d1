"""The vault's bytes on disk: preamble, key block and AEAD frames (see FORMAT.md).

Parsing is strict and total: any input either parses or raises ``VaultDamaged``
(or ``NewerFormat`` for a higher version), never an ``IndexError`` or
``struct.error``. Nothing here holds keys longer than a call.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Final

from mus.errors import NewerFormat, VaultDamaged, WrongPassphrase, WrongRecoveryCode
from storage.crypto import (
    KDF_HKDF_SHA256,
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    AuthFailed,
    KdfLimits,
    KdfParams,
    Sealer,
    hkdf,
    mac,
    mac_matches,
    seal,
    unseal,
)

MAGIC: Final = b"\x89MUSLING"
FORMAT_VERSION: Final = 1

KIND_KEYS: Final = 1
KIND_SNAPSHOT: Final = 2
KIND_JOURNAL: Final = 3
KIND_BACKUP: Final = 4

PREAMBLE: Final = struct.Struct(">8sHBBI16sQ")  # 40 bytes
FRAME_HEAD: Final = struct.Struct(">II")  # ciphertext length, crc32 of those 4 bytes
SEQ: Final = struct.Struct(">Q")
KDF_FIELDS: Final = struct.Struct(">BIIIB")  # kdf id, a, b, c, salt length
REC_FIELDS: Final = struct.Struct(">BB")  # recovery kdf id, salt length
WRAP_BYTES: Final = NONCE_BYTES + KEY_BYTES + TAG_BYTES
MAC_BYTES: Final = 32
MAX_FRAME: Final = 1 << 30
MIN_SALT: Final = 16
MAX_SALT: Final = 64


@dataclass(frozen=True, slots=True)
class Preamble:
    """The first 40 bytes of every vault file; bound into every AEAD as AAD."""

    kind: int
    vault_id: bytes
    generation: int = 0
    version: int = FORMAT_VERSION

    def pack(self) -> bytes:
        return PREAMBLE.pack(MAGIC, self.version, self.kind, 0, 0, self.vault_id, self.generation)


def parse_preamble(data: bytes, kind: int) -> Preamble:
    """Check magic, version and kind before anything else is trusted."""
    if len(data) < PREAMBLE.size:
        raise VaultDamaged("file too short")
    magic, version, found_kind, flags, reserved, vault_id, generation = PREAMBLE.unpack_from(data)
    if magic != MAGIC:
        raise VaultDamaged("not a Musling vault file")
    if version > FORMAT_VERSION:
        raise NewerFormat(f"format version {version}")
    if version < 1 or found_kind != kind or flags or reserved:
        raise VaultDamaged("unexpected file header")
    return Preamble(found_kind, vault_id, generation, version)


# ------------------------------------------------------------------ frames


def pack_frame(sealer: Sealer, preamble: bytes, seq: int, plaintext: bytes) -> bytes:
    """One AEAD frame; its position ``seq`` and the file's preamble are the AAD."""
    nonce, ciphertext = sealer.seal(plaintext, preamble + SEQ.pack(seq))
    length = struct.pack(">I", len(ciphertext))
    return length + struct.pack(">I", zlib.crc32(length)) + nonce + ciphertext


@dataclass(frozen=True, slots=True)
class RawFrame:
    """A complete frame not yet authenticated."""

    start: int
    end: int
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True, slots=True)
class FrameScan:
    frames: list[RawFrame]
    end: int
    """Offset just after the last complete frame (where appends continue)."""
    torn: bool
    """Bytes after ``end`` that can only be an unacknowledged, half-written append."""


def scan_frames(data: bytes, start: int) -> FrameScan:
    """Split ``data[start:]`` into frames; classify what follows the last one.

    A frame is torn (never acknowledged) when the file ends inside it, or when
    the rest of the file is zeros (an extent allocated by a power cut). A frame
    header whose length check fails with data after it is damage.
    """
    frames: list[RawFrame] = []
    pos = start
    total = len(data)
    while pos < total:
        if total - pos < FRAME_HEAD.size:
            return FrameScan(frames, pos, True)
        length, check = FRAME_HEAD.unpack_from(data, pos)
        if zlib.crc32(data[pos : pos + 4]) != check or length > MAX_FRAME or length < TAG_BYTES:
            if not any(data[pos:]):
                return FrameScan(frames, pos, True)
            raise VaultDamaged("frame header damaged")
        end = pos + FRAME_HEAD.size + NONCE_BYTES + length
        if end > total:
            return FrameScan(frames, pos, True)
        nonce_at = pos + FRAME_HEAD.size
        frames.append(
            RawFrame(
                pos,
                end,
                data[nonce_at : nonce_at + NONCE_BYTES],
                data[nonce_at + NONCE_BYTES : end],
            )
        )
        pos = end
    return FrameScan(frames, pos, False)


def open_frame(sealer: Sealer, preamble: bytes, seq: int, frame: RawFrame) -> bytes:
    """Authenticate and decrypt; raises AuthFailed (the caller decides what it means)."""
    return sealer.open(frame.nonce, frame.ciphertext, preamble + SEQ.pack(seq))


def looks_torn(frame: RawFrame) -> bool:
    """A last frame whose tag is all zeros: space allocated, data never written."""
    return not any(frame.ciphertext[-TAG_BYTES:])


# ------------------------------------------------------------------ key block


@dataclass(frozen=True, slots=True)
class Wrap:
    nonce: bytes
    wrapped: bytes


@dataclass(frozen=True, slots=True)
class RecoveryWrap:
    kdf_id: int
    salt: bytes
    wrap: Wrap

    def fields(self) -> bytes:
        return REC_FIELDS.pack(self.kdf_id, len(self.salt)) + self.salt


@dataclass(frozen=True, slots=True)
class KeyBlock:
    """The passphrase wrap, the optional recovery wrap and a MAC over it all."""

    preamble: Preamble
    kdf: KdfParams
    salt: bytes
    passphrase: Wrap
    recovery: RecoveryWrap | None
    tag: bytes
    size: int

    def _passphrase_aad(self) -> bytes:
        kdf = self.kdf
        return (
            self.preamble.pack()
            + KDF_FIELDS.pack(kdf.kdf_id, kdf.a, kdf.b, kdf.c, len(self.salt))
            + self.salt
        )

    def _body(self) -> bytes:
        out = self._passphrase_aad() + self.passphrase.nonce + self.passphrase.wrapped
        if self.recovery is None:
            return out + b"\x00"
        return (
            out
            + b"\x01"
            + self.recovery.fields()
            + self.recovery.wrap.nonce
            + self.recovery.wrap.wrapped
        )

    def pack(self) -> bytes:
        return self._body() + self.tag

    def unwrap_with_passphrase_key(self, key: bytes) -> bytes:
        """The data key; a failed tag means the passphrase is wrong."""
        try:
            data_key = unseal(
                key, self.passphrase.nonce, self.passphrase.wrapped, self._passphrase_aad()
            )
        except AuthFailed:
            raise WrongPassphrase("passphrase does not unlock the vault") from None
        self.verify(data_key)
        return data_key

    def unwrap_with_recovery_key(self, key: bytes) -> bytes:
        if self.recovery is None:
            raise WrongRecoveryCode("no recovery code is set")
        aad = self.preamble.pack() + self.recovery.fields()
        try:
            data_key = unseal(key, self.recovery.wrap.nonce, self.recovery.wrap.wrapped, aad)
        except AuthFailed:
            raise WrongRecoveryCode("recovery code does not unlock the vault") from None
        self.verify(data_key)
        return data_key

    def verify(self, data_key: bytes) -> None:
        """The MAC under the data key covers the other wrap too: tampering is damage."""
        if not mac_matches(mac_key(data_key), self._body(), self.tag):
            raise VaultDamaged("key block altered")


def mac_key(data_key: bytes) -> bytes:
    return hkdf(data_key, None, b"musling key-block mac v1")


def frame_key(data_key: bytes) -> bytes:
    return hkdf(data_key, None, b"musling frames v1")


def build_key_block(
    preamble: Preamble,
    *,
    data_key: bytes,
    kdf: KdfParams,
    salt: bytes,
    passphrase: Wrap | bytes,
    recovery: RecoveryWrap | tuple[bytes, bytes] | None,
) -> KeyBlock:
    """Wrap ``data_key`` under the passphrase key and the recovery key.

    ``passphrase`` is the derived key to wrap under, or an existing ``Wrap`` to
    keep (new recovery code). ``recovery`` is an existing ``RecoveryWrap`` to keep
    (passphrase change), a ``(recovery_key, salt)`` pair to wrap anew, or None
    (backups have no code).
    """
    if isinstance(passphrase, Wrap):
        pass_wrap = passphrase
    else:
        draft = KeyBlock(preamble, kdf, salt, Wrap(b"", b""), None, b"", 0)
        pass_wrap = Wrap(*seal(passphrase, data_key, draft._passphrase_aad()))
    rec: RecoveryWrap | None
    if isinstance(recovery, tuple):
        rec_key, rec_salt = recovery
        fields = REC_FIELDS.pack(KDF_HKDF_SHA256, len(rec_salt)) + rec_salt
        rnonce, rwrapped = seal(rec_key, data_key, preamble.pack() + fields)
        rec = RecoveryWrap(KDF_HKDF_SHA256, rec_salt, Wrap(rnonce, rwrapped))
    else:
        rec = recovery
    unsigned = KeyBlock(preamble, kdf, salt, pass_wrap, rec, b"", 0)
    body = unsigned._body()
    tag = mac(mac_key(data_key), body)
    return KeyBlock(preamble, kdf, salt, pass_wrap, rec, tag, len(body) + MAC_BYTES)


class _Reader:
    """Bounds-checked cursor: running off the end is damage, never IndexError."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data = data
        self.pos = pos

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise VaultDamaged("key block truncated")
        out = self.data[self.pos : self.pos + count]
        self.pos += count
        return out

    def unpack(self, fmt: struct.Struct) -> tuple[int, ...]:
        values: tuple[int, ...] = fmt.unpack(self.take(fmt.size))
        return values


def parse_key_block(data: bytes, kind: int, limits: KdfLimits) -> KeyBlock:
    """Parse the key block at the start of ``data`` and check its KDF's cost."""
    preamble = parse_preamble(data, kind)
    reader = _Reader(data, PREAMBLE.size)
    kdf_id, a, b, c, salt_len = reader.unpack(KDF_FIELDS)
    if not MIN_SALT <= salt_len <= MAX_SALT:
        raise VaultDamaged("bad salt")
    kdf = KdfParams(kdf_id, a, b, c)
    limits.check(kdf)
    salt = reader.take(salt_len)
    passphrase = Wrap(reader.take(NONCE_BYTES), reader.take(KEY_BYTES + TAG_BYTES))
    (has_recovery,) = reader.take(1)
    recovery: RecoveryWrap | None = None
    if has_recovery == 1:
        rec_kdf, rec_salt_len = reader.unpack(REC_FIELDS)
        if rec_kdf != KDF_HKDF_SHA256 or not MIN_SALT <= rec_salt_len <= MAX_SALT:
            raise VaultDamaged("bad recovery fields")
        rec_salt = reader.take(rec_salt_len)
        recovery = RecoveryWrap(
            rec_kdf, rec_salt, Wrap(reader.take(NONCE_BYTES), reader.take(KEY_BYTES + TAG_BYTES))
        )
    elif has_recovery != 0:
        raise VaultDamaged("bad recovery flag")
    tag = reader.take(MAC_BYTES)
    return KeyBlock(preamble, kdf, salt, passphrase, recovery, tag, reader.pos)
