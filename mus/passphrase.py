"""Passphrase rules: a minimum length with its reason, and a strength hint.

The vault's key is derived with a slow, memory-hard function, but a copied
phone backup can still be attacked offline for as long as the attacker likes;
length is what protects it. Four or five random words beat any "P@ssw0rd1!".
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

MIN_LENGTH = 10
"""Shorter passphrases are refused (``passphrase.too_short`` explains why)."""

_COMMON = frozenset(
    {
        "password", "passw0rd", "kodeord", "adgangskode", "hemmelig", "qwerty", "123456",
        "1234567890", "abc123", "iloveyou", "sommer", "vinter", "efterår", "forår",
        "danmark", "musling", "medarbejder", "leder", "mus2026", "letmein", "welcome",
    }
)  # fmt: skip


class Strength(enum.IntEnum):
    """A coarse hint, shown while typing; only ``TOO_SHORT`` blocks."""

    TOO_SHORT = 0
    WEAK = 1
    FAIR = 2
    GOOD = 3
    STRONG = 4

    @property
    def key(self) -> str:
        return f"passphrase.strength.{self.name.lower()}"


@dataclass(frozen=True, slots=True)
class Assessment:
    strength: Strength
    bits: float

    @property
    def acceptable(self) -> bool:
        return self.strength is not Strength.TOO_SHORT


def assess(passphrase: str) -> Assessment:
    """Estimate guessing resistance from length and alphabet, penalising the obvious."""
    if len(passphrase) < MIN_LENGTH:
        return Assessment(Strength.TOO_SHORT, 0.0)
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 29  # a-z plus æøå
    if any(c.isupper() for c in passphrase):
        pool += 29
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    distinct = len(set(passphrase))
    bits = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))
    lowered = passphrase.casefold()
    if any(word in lowered for word in _COMMON) or distinct <= 3:
        bits /= 2
    if bits < 45:
        strength = Strength.WEAK
    elif bits < 60:
        strength = Strength.FAIR
    elif bits < 80:
        strength = Strength.GOOD
    else:
        strength = Strength.STRONG
    return Assessment(strength, bits)
