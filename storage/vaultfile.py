"""The vault's bytes on disk: preamble, key block and AEAD frames (see FORMAT.md).

Parsing is strict and total: any input either parses or raises ``VaultDamaged``
(or ``NewerFormat`` for a higher version), never an ``IndexError`` or
``struct.error``. Nothing here holds keys longer than a call.

Version 2 (written now) adds: a key epoch in every preamble (a new data key is
a new epoch), a SHA-256 check at the end of the key file (damage is told from
a wrong passphrase before the KDF runs), an X25519 recovery wrap, and journal
frames chained by their tags inside a zero-padded file (a cut is visible).
Version 1 files are still read; backups are still written as version 1.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from typing import Final

from mus.errors import NewerFormat, VaultDamaged, WrongPassphrase, WrongRecoveryCode
from storage.crypto import (
    KDF_HKDF_SHA256,
    KDF_X25519,
    KEY_BYTES,
    NONCE_BYTES,
    PUBLIC_BYTES,
    TAG_BYTES,
    AuthFailed,
    KdfLimits,
    KdfParams,
    Sealer,
    hkdf,
    mac,
    mac_matches,
    open_sealed,
    recovery_public_key,
    seal,
    seal_to,
    unseal,
)

MAGIC: Final = b"\x89MUSLING"
FORMAT_VERSION: Final = 2
"""What this build writes for vault files (and the highest it reads)."""
LEGACY_VERSION: Final = 1
"""Still read; backups are still written in it (older apps read them)."""

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
CHECK_BYTES: Final = 32
END_MARK: Final = 8
"""Zero bytes a version 2 journal always has after its last frame."""
NO_TAG: Final = bytes(TAG_BYTES)
MAX_FRAME: Final = 1 << 30
MIN_SALT: Final = 16
MAX_SALT: Final = 64


@dataclass(frozen=True, slots=True)
class Preamble:
    """The first 40 bytes of every vault file; bound into every AEAD as AAD.

    ``epoch`` (version 2, in the old reserved field) numbers the data key: a
    passphrase change makes a new key and a new epoch, so files of different
    keys are told apart before any decryption.
    """

    kind: int
    vault_id: bytes
    generation: int = 0
    version: int = FORMAT_VERSION
    epoch: int = 0

    def pack(self) -> bytes:
        return PREAMBLE.pack(
            MAGIC, self.version, self.kind, 0, self.epoch, self.vault_id, self.generation
        )


def parse_preamble(data: bytes, kind: int) -> Preamble:
    """Check magic, version and kind before anything else is trusted."""
    if len(data) < PREAMBLE.size:
        raise VaultDamaged("file too short")
    magic, version, found_kind, flags, reserved, vault_id, generation = PREAMBLE.unpack_from(data)
    if magic != MAGIC:
        raise VaultDamaged("not a Musling vault file")
    if version > FORMAT_VERSION:
        raise NewerFormat(f"format version {version}")
    if version < 1 or found_kind != kind or flags or (version == 1 and reserved):
        raise VaultDamaged("unexpected file header")
    return Preamble(found_kind, vault_id, generation, version, reserved)


# ------------------------------------------------------------------ frames


def pack_frame(
    sealer: Sealer, preamble: bytes, seq: int, plaintext: bytes, chain: bytes = b""
) -> bytes:
    """One AEAD frame; AAD = the file's preamble, its position ``seq`` and ``chain``
    (in a version 2 journal: the previous frame's tag, so each frame names the one
    before it)."""
    nonce, ciphertext = sealer.seal(plaintext, preamble + SEQ.pack(seq) + chain)
    length = struct.pack(">I", len(ciphertext))
    return length + struct.pack(">I", zlib.crc32(length)) + nonce + ciphertext


def frame_tag(frame: bytes) -> bytes:
    """A packed frame's AEAD tag (its last 16 bytes): what the next frame chains on."""
    return frame[-TAG_BYTES:]


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


def open_frame(
    sealer: Sealer, preamble: bytes, seq: int, frame: RawFrame, chain: bytes = b""
) -> bytes:
    """Authenticate and decrypt; raises AuthFailed (the caller decides what it means)."""
    return sealer.open(frame.nonce, frame.ciphertext, preamble + SEQ.pack(seq) + chain)


def looks_torn(frame: RawFrame) -> bool:
    """A last frame whose tag is all zeros: space allocated, data never written."""
    return not any(frame.ciphertext[-TAG_BYTES:])


PAGE: Final = 4096
"""Where a killed write can stop: the kernel copies a write page by page."""


def torn_in_place(data: bytes, frame: RawFrame) -> bool:
    """A version 2 journal's last frame that a crash cut short: its bytes are zero
    from some point to the end of the file (the file was grown with zeros before
    the write), and that point is where a write stops: a page boundary, or early
    enough that the whole tag is zero. A complete frame's tag is never all zero."""
    written = frame.start + len(data[frame.start :].rstrip(b"\0"))
    if written >= frame.end:
        return False
    return written <= frame.end - TAG_BYTES or written % PAGE == 0


@dataclass(frozen=True, slots=True)
class PaddedScan:
    """A version 2 journal split into frames (not yet authenticated).

    ``ending``: ``"clean"`` (zeros from ``end`` to the end of the file, at least
    the 8-byte end mark), ``"torn"`` (one half-written frame header, then zeros),
    ``"cut"`` (the file stops inside a frame or before its end mark: the writer
    always grows the file first, so only a truncation does that) or ``"garbage"``
    (something that is not a frame where one should start).
    """

    frames: list[RawFrame]
    end: int
    ending: str
    dirty_end: int
    """End of the non-zero bytes after ``end`` (what a clean-up must zero)."""


def scan_padded(data: bytes, start: int) -> PaddedScan:
    """Split a version 2 journal's frames; classify what follows the last one."""
    frames: list[RawFrame] = []
    pos = start
    total = len(data)
    while True:
        if total - pos < END_MARK:
            return PaddedScan(frames, pos, "cut", total)
        head = data[pos : pos + FRAME_HEAD.size]
        if not any(head):
            rest = data[pos:]
            if not any(rest):
                return PaddedScan(frames, pos, "clean", pos)
            return PaddedScan(frames, pos, "garbage", _last_nonzero(data) + 1)
        length, check = FRAME_HEAD.unpack_from(data, pos)
        if zlib.crc32(head[:4]) != check or length > MAX_FRAME or length < TAG_BYTES:
            if not any(data[pos + FRAME_HEAD.size :]):
                return PaddedScan(frames, pos, "torn", pos + FRAME_HEAD.size)
            return PaddedScan(frames, pos, "garbage", _last_nonzero(data) + 1)
        end = pos + FRAME_HEAD.size + NONCE_BYTES + length
        if end + END_MARK > total:
            return PaddedScan(frames, pos, "cut", total)
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


def _last_nonzero(data: bytes) -> int:
    return len(data.rstrip(b"\0")) - 1


# ------------------------------------------------------------------ key block


@dataclass(frozen=True, slots=True)
class Wrap:
    nonce: bytes
    wrapped: bytes


@dataclass(frozen=True, slots=True)
class RecoveryWrap:
    """The data key for the recovery code: ``kdf_id`` 3 (legacy: AES under the
    code's key) or 4 (a sealed box to the code's X25519 public key)."""

    kdf_id: int
    salt: bytes
    wrap: Wrap
    public: bytes = b""
    ephemeral: bytes = b""

    def fields(self) -> bytes:
        """What the wrap's AAD holds (the ephemeral key is bound by the box key)."""
        return REC_FIELDS.pack(self.kdf_id, len(self.salt)) + self.salt + self.public

    def pack(self) -> bytes:
        return self.fields() + self.ephemeral + self.wrap.nonce + self.wrap.wrapped


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

    @property
    def epoch(self) -> int:
        return self.preamble.epoch

    def _recovery_aad(self) -> bytes:
        """A legacy wrap keeps the AAD it was made with: the version 1 preamble."""
        assert self.recovery is not None
        head = self.preamble
        if self.recovery.kdf_id == KDF_HKDF_SHA256:
            head = Preamble(head.kind, head.vault_id, head.generation, LEGACY_VERSION)
        return head.pack() + self.recovery.fields()

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
        return out + b"\x01" + self.recovery.pack()

    def pack(self) -> bytes:
        signed = self._body() + self.tag
        if self.preamble.version == LEGACY_VERSION:
            return signed
        return signed + hashlib.sha256(signed).digest()

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
        """The data key, given ``derive_recovery_key(code, recovery.salt)``."""
        recovery = self.recovery
        if recovery is None:
            raise WrongRecoveryCode("no recovery code is set")
        wrap, aad = recovery.wrap, self._recovery_aad()
        try:
            if recovery.kdf_id == KDF_X25519:
                if len(key) != KEY_BYTES or recovery_public_key(key) != recovery.public:
                    raise AuthFailed
                data_key = open_sealed(key, recovery.ephemeral, wrap.nonce, wrap.wrapped, aad)
            else:
                data_key = unseal(key, wrap.nonce, wrap.wrapped, aad)
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
    """Wrap ``data_key`` under the passphrase key and for the recovery code.

    ``passphrase`` is the derived key to wrap under, or an existing ``Wrap`` to
    keep (new recovery code; same data key and preamble). ``recovery`` is an
    existing ``RecoveryWrap`` (kept as it is when it wraps this data key; an
    X25519 one is sealed anew to its public key for a new data key), a
    ``(recovery_key, salt)`` pair to wrap anew, or None (backups have no code).
    """
    if isinstance(passphrase, Wrap):
        pass_wrap = passphrase
    else:
        draft = KeyBlock(preamble, kdf, salt, Wrap(b"", b""), None, b"", 0)
        pass_wrap = Wrap(*seal(passphrase, data_key, draft._passphrase_aad()))
    rec: RecoveryWrap | None
    if isinstance(recovery, tuple):
        rec_key, rec_salt = recovery
        if preamble.version == LEGACY_VERSION:
            fields = REC_FIELDS.pack(KDF_HKDF_SHA256, len(rec_salt)) + rec_salt
            rnonce, rwrapped = seal(rec_key, data_key, preamble.pack() + fields)
            rec = RecoveryWrap(KDF_HKDF_SHA256, rec_salt, Wrap(rnonce, rwrapped))
        else:
            rec = _seal_recovery(preamble, data_key, rec_salt, recovery_public_key(rec_key))
    elif recovery is not None and recovery.kdf_id == KDF_X25519:
        rec = _seal_recovery(preamble, data_key, recovery.salt, recovery.public)
    else:
        rec = recovery
    unsigned = KeyBlock(preamble, kdf, salt, pass_wrap, rec, b"", 0)
    body = unsigned._body()
    tag = mac(mac_key(data_key), body)
    check = 0 if preamble.version == LEGACY_VERSION else CHECK_BYTES
    return KeyBlock(preamble, kdf, salt, pass_wrap, rec, tag, len(body) + MAC_BYTES + check)


def _seal_recovery(preamble: Preamble, data_key: bytes, salt: bytes, public: bytes) -> RecoveryWrap:
    fields = RecoveryWrap(KDF_X25519, salt, Wrap(b"", b""), public).fields()
    ephemeral, nonce, wrapped = seal_to(public, data_key, preamble.pack() + fields)
    return RecoveryWrap(KDF_X25519, salt, Wrap(nonce, wrapped), public, ephemeral)


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
    """Parse the key block at the start of ``data`` and check its KDF's cost.

    A version 2 block ends in a SHA-256 of everything before it: any accidental
    change is ``VaultDamaged`` here, before a key derivation could make it look
    like a wrong passphrase.
    """
    preamble = parse_preamble(data, kind)
    reader = _Reader(data, PREAMBLE.size)
    kdf_id, a, b, c, salt_len = reader.unpack(KDF_FIELDS)
    if not MIN_SALT <= salt_len <= MAX_SALT:
        raise VaultDamaged("bad salt")
    kdf = KdfParams(kdf_id, a, b, c)
    salt = reader.take(salt_len)
    passphrase = Wrap(reader.take(NONCE_BYTES), reader.take(KEY_BYTES + TAG_BYTES))
    (has_recovery,) = reader.take(1)
    recovery: RecoveryWrap | None = None
    kinds = (
        (KDF_HKDF_SHA256,) if preamble.version == LEGACY_VERSION else (KDF_HKDF_SHA256, KDF_X25519)
    )
    if has_recovery == 1:
        rec_kdf, rec_salt_len = reader.unpack(REC_FIELDS)
        if rec_kdf not in kinds or not MIN_SALT <= rec_salt_len <= MAX_SALT:
            raise VaultDamaged("bad recovery fields")
        rec_salt = reader.take(rec_salt_len)
        public = ephemeral = b""
        if rec_kdf == KDF_X25519:
            public, ephemeral = reader.take(PUBLIC_BYTES), reader.take(PUBLIC_BYTES)
        wrap = Wrap(reader.take(NONCE_BYTES), reader.take(KEY_BYTES + TAG_BYTES))
        recovery = RecoveryWrap(rec_kdf, rec_salt, wrap, public, ephemeral)
    elif has_recovery != 0:
        raise VaultDamaged("bad recovery flag")
    tag = reader.take(MAC_BYTES)
    if preamble.version != LEGACY_VERSION:
        signed = data[: reader.pos]
        if hashlib.sha256(signed).digest() != reader.take(CHECK_BYTES):
            raise VaultDamaged("key file check failed")
    limits.check(kdf)
    return KeyBlock(preamble, kdf, salt, passphrase, recovery, tag, reader.pos)
