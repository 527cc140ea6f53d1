"""Key derivation, key wrapping and authenticated encryption for the vault.

The only module that touches ``cryptography``'s primitives. Library errors are
renamed here (``InvalidTag`` → ``_AuthFailed``) so callers decide what a failed
tag means: a wrong passphrase when unwrapping, damage for data frames.

Key hierarchy (as 1Password, Bitwarden and Standard Notes do): a random 256-bit
*data key* encrypts everything; it is stored only wrapped, once under a key
derived from the passphrase (slow KDF) and once under a key derived from the
recovery code (HKDF: the code already holds 160 random bits, so stretching it
would buy nothing). The recovery wrap is a sealed box to an X25519 key pair
derived from the code: only its public half is stored, so a passphrase change
can make a new data key and wrap it for the recovery code without knowing it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from mus.errors import UnsupportedKdf, VaultDamaged, WrongRecoveryCode

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
SALT_BYTES: Final = 16

KDF_ARGON2ID: Final = 1
KDF_SCRYPT: Final = 2
KDF_HKDF_SHA256: Final = 3
KDF_X25519: Final = 4
KDF_NAMES: Final = {
    KDF_ARGON2ID: "argon2id",
    KDF_SCRYPT: "scrypt",
    KDF_HKDF_SHA256: "hkdf-sha256",
    KDF_X25519: "x25519",
}
PUBLIC_BYTES: Final = 32


class AuthFailed(Exception):
    """An AEAD tag did not verify; the caller renames it for the user."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    """A password KDF and its cost, exactly as recorded in a vault header.

    ``a, b, c`` are (memory KiB, iterations, lanes) for Argon2id and
    (log2 N, r, p) for scrypt.
    """

    kdf_id: int
    a: int
    b: int
    c: int

    @property
    def name(self) -> str:
        return KDF_NAMES.get(self.kdf_id, "unknown")


ARGON2ID_RFC9106: Final = KdfParams(KDF_ARGON2ID, 64 * 1024, 3, 4)
"""RFC 9106's second recommendation (64 MiB, t=3, p=4): ~0.15 s here."""
SCRYPT_DEFAULT: Final = KdfParams(KDF_SCRYPT, 17, 8, 1)
"""scrypt N=2**17, r=8, p=1 (OWASP): in every cryptography version, ~0.4 s here."""


@dataclass(frozen=True, slots=True)
class KdfLimits:
    """Which recorded KDF costs a reader accepts.

    Below the floor is a downgrade (an attacker weakening a copied header);
    above the ceiling is a denial of service (a header asking a phone for 4 GiB).
    Tests pass a laxer instance to run fast; files can never choose the limits.
    """

    argon2_min_memory_kib: int = 19 * 1024
    argon2_min_iterations: int = 2
    argon2_max_memory_kib: int = 1024 * 1024
    argon2_max_iterations: int = 16
    argon2_max_lanes: int = 16
    scrypt_min_work_log2: int = 20  # N*r*p >= 2**17 * 8 * 1
    scrypt_max_memory_bytes: int = 1024 * 1024 * 1024
    scrypt_max_work_log2: int = 30

    def check(self, params: KdfParams) -> None:
        """Raise VaultDamaged unless ``params`` is within the accepted range."""
        if params.kdf_id == KDF_ARGON2ID:
            memory, iterations, lanes = params.a, params.b, params.c
            ok = (
                1 <= lanes <= self.argon2_max_lanes
                and max(self.argon2_min_memory_kib, 8 * lanes)
                <= memory
                <= self.argon2_max_memory_kib
                and self.argon2_min_iterations <= iterations <= self.argon2_max_iterations
            )
        elif params.kdf_id == KDF_SCRYPT:
            log2_n, r, p = params.a, params.b, params.c
            ok = 1 <= log2_n <= 40 and 1 <= r <= 64 and 1 <= p <= 64
            if ok:
                work = (1 << log2_n) * r * p
                ok = (
                    work >= 1 << self.scrypt_min_work_log2
                    and work <= 1 << self.scrypt_max_work_log2
                    and 128 * (1 << log2_n) * r <= self.scrypt_max_memory_bytes
                )
        else:
            ok = False
        if not ok:
            raise VaultDamaged("key derivation parameters out of range")


DEFAULT_LIMITS: Final = KdfLimits()


def argon2id_available() -> bool:
    """True when this cryptography build has Argon2id (>= 44; phones ship 43)."""
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:
        return False
    return True


def default_kdf() -> KdfParams:
    """The KDF new vaults use: Argon2id when available, else scrypt."""
    return ARGON2ID_RFC9106 if argon2id_available() else SCRYPT_DEFAULT


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC so the same passphrase typed on another keyboard derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The slow part of unlocking (0.15-0.4 s): a plain blocking call by design."""
    secret = normalize_passphrase(passphrase)
    if params.kdf_id == KDF_ARGON2ID:
        try:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        except ImportError as exc:
            raise UnsupportedKdf("argon2id is not in this build") from exc
        return Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=params.b,
            lanes=params.c,
            memory_cost=params.a,
        ).derive(secret)
    if params.kdf_id == KDF_SCRYPT:
        return Scrypt(salt=salt, length=KEY_BYTES, n=1 << params.a, r=params.b, p=params.c).derive(
            secret
        )
    raise VaultDamaged("unknown key derivation")


def hkdf(key: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(key)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM with a fresh random 96-bit nonce; returns (nonce, ciphertext+tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


class Sealer:
    """A data key ready for many frames (keeps one AESGCM context)."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, aad)

    def open(self, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise AuthFailed from None


def unseal(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    return Sealer(key).open(nonce, ciphertext, aad)


def mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def mac_matches(key: bytes, data: bytes, tag: bytes) -> bool:
    return hmac.compare_digest(mac(key, data), tag)


# ------------------------------------------------------------------ recovery code

CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: no I, L, O or U, so a printed code cannot be misread."""
_DECODE: Final = {ch: i for i, ch in enumerate(CROCKFORD)} | {
    "O": 0,
    "I": 1,
    "L": 1,
}
RECOVERY_GROUPS: Final = 8
RECOVERY_GROUP_LEN: Final = 4
RECOVERY_BITS: Final = RECOVERY_GROUPS * RECOVERY_GROUP_LEN * 5  # 160


def new_recovery_code() -> str:
    """160 random bits as 8 groups of 4 Crockford characters: ABCD-EFGH-..."""
    chars = [secrets.choice(CROCKFORD) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)]
    groups = [
        "".join(chars[i : i + RECOVERY_GROUP_LEN]) for i in range(0, len(chars), RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


def recovery_code_bytes(code: str) -> bytes:
    """Decode a typed code: case, spaces and dashes are forgiven, O/I/L read as 0/1/1."""
    cleaned = [ch for ch in code.upper() if ch not in " -\t\n"]
    if len(cleaned) != RECOVERY_GROUPS * RECOVERY_GROUP_LEN:
        raise WrongRecoveryCode("recovery code has the wrong length")
    value = 0
    for ch in cleaned:
        digit = _DECODE.get(ch)
        if digit is None:
            raise WrongRecoveryCode("recovery code has an invalid character")
        value = value << 5 | digit
    return value.to_bytes(RECOVERY_BITS // 8, "big")


def derive_recovery_key(code: str, salt: bytes) -> bytes:
    """The code's 32-byte secret: an AES key (legacy wrap) or an X25519 private key."""
    return hkdf(recovery_code_bytes(code), salt, b"musling recovery wrap v1")


def recovery_public_key(secret: bytes) -> bytes:
    """The public half of the X25519 key whose private half is ``secret``."""
    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _box_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return hkdf(shared, ephemeral + public, b"musling recovery box v2")


def seal_to(public: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes, bytes]:
    """A sealed box: (ephemeral public key, nonce, ciphertext) only ``public``'s owner opens."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    nonce, ciphertext = seal(_box_key(shared, ephemeral_public, public), plaintext, aad)
    return ephemeral_public, nonce, ciphertext


def open_sealed(
    secret: bytes, ephemeral: bytes, nonce: bytes, ciphertext: bytes, aad: bytes
) -> bytes:
    """Open a sealed box with the private key; raises AuthFailed if it is not ours."""
    private = X25519PrivateKey.from_private_bytes(secret)
    public = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    except ValueError:  # a low-order point: not a box anyone sealed
        raise AuthFailed from None
    return unseal(_box_key(shared, ephemeral, public), nonce, ciphertext, aad)
