"""The app's import (``VaultSession.import_data``, the settings screen's path) refuses
what the CLI refuses, as the ``mus.errors`` the screen shows: too large, too deep,
a year or number out of range. Nothing is written when it refuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mus.demo import example_bundle
from mus.errors import (
    BadNumber,
    BadYear,
    ImportNotAccepted,
    ImportTooDeep,
    ImportTooLarge,
)
from mus.i18n import Translator
from mus.settings import Preferences
from storage.portability import MAX_IMPORT_BYTES, MAX_IMPORT_MIB, NUMBERS, YEARS
from storage.session import VaultSession
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def session(tmp_path: Path) -> VaultSession:
    vault = VaultSession(tmp_path / "vault", kdf=FAST_KDF, limits=LAX)
    vault.create(PASSPHRASE)
    return vault


@pytest.fixture
def export(tmp_path: Path) -> dict[str, Any]:
    """The example, exported from a vault of its own."""
    other = VaultSession(tmp_path / "other", kdf=FAST_KDF, limits=LAX)
    other.create(PASSPHRASE)
    bundle = example_bundle(NOW.date())
    other.conversations().save(bundle.record)
    other.versions().add(bundle.version)
    other.schedules().save(bundle.schedule)
    data: dict[str, Any] = json.loads(other.export_data(Preferences(), NOW))
    other.lock()
    return data


def _refused(session: VaultSession, raw: bytes, error: type[ImportNotAccepted]) -> None:
    with pytest.raises(error) as caught:
        session.import_data(raw)
    assert type(caught.value) is error
    assert session.conversations().list() == ()
    for language in ("da", "en"):  # the settings screen shows error.<code>
        assert Translator(language).has(f"error.{caught.value.code}")


def test_too_large_too_deep_and_out_of_range_are_refused_whole(
    session: VaultSession, export: dict[str, Any]
) -> None:
    body = json.dumps(export).encode()
    _refused(session, body + b" " * (MAX_IMPORT_BYTES + 1 - len(body)), ImportTooLarge)
    _refused(session, b"[" * 100_000 + b"]" * 100_000, ImportTooDeep)
    export["conversations"][0]["conversation"]["meeting_date"] = "9999-12-31"
    _refused(session, json.dumps(export).encode(), BadYear)
    export["conversations"][0]["conversation"]["meeting_date"] = "2026-07-27"
    export["schedules"][0]["settings"]["quarter_months"] = 10_001
    _refused(session, json.dumps(export).encode(), BadNumber)
    export["schedules"][0]["settings"]["quarter_months"] = 3
    report = session.import_data(json.dumps(export).encode())
    assert report.added == 3


def test_the_screen_texts_name_the_limits() -> None:
    for language in ("da", "en"):
        t = Translator(language)
        assert f"{MAX_IMPORT_MIB} MiB" in t("error.import_too_large")
        assert f"{YEARS[0]}–{YEARS[-1]}" in t("error.import_bad_year")
        assert str(NUMBERS[-1]) in t("error.import_bad_number")
