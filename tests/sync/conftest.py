"""Real pieces for the sync tests: a WsgiDAV server on 127.0.0.1 and a real vault.

The server runs in a thread of the test process (fast to start, faults armed
through ``dav.faults``); tests that must kill the *server* start their own
subprocess (``tests.sync.dav_server``). The vault uses the storage tests'
``FAST_KDF`` so opening it costs milliseconds, and the outbox gets a seeded
random source so backoff times are reproducible. Every test on ``db`` runs
over plain TinyDB and over the app's ``IndexedDB`` (what ``storage.session``
opens), whose id lookups the outbox uses.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from tinydb import TinyDB

from mus.report import ReportKind
from mus.sync import BackoffPolicy, ExportMeta, SyncTarget, TargetKind, TargetRole
from storage.sync import Outbox, StandardDeliverers
from storage.table import IndexedDB
from storage.vault import VaultStorage
from tests.storage.conftest import create_vault
from tests.sync.dav_server import PASSWORD, USER, DavServer

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
META = ExportMeta("conv-1", ReportKind.PLAN, 1)
FAST = httpx.Timeout(connect=2.0, read=2.0, write=2.0, pool=2.0)


def pdf_bytes(seed: int = 0, size: int = 35_000) -> bytes:
    """PDF-looking bytes of a given size (the sync never parses them)."""
    rng = random.Random(seed)
    body = bytes(rng.getrandbits(8) for _ in range(size - 16))
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    root = tmp_path / "dav"
    (root / "MUS").mkdir(parents=True)
    server = DavServer(root).start()
    yield server
    server.stop()


@pytest.fixture(params=[TinyDB, IndexedDB], ids=["tinydb", "indexed"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[TinyDB]:
    vault, _ = create_vault(tmp_path / "musling.vault")
    database: TinyDB = request.param(vault, storage=VaultStorage)
    yield database
    if vault.is_open:
        database.close()


@pytest.fixture
def outbox(db: TinyDB) -> Outbox:
    return Outbox(db, policy=BackoffPolicy(max_attempts=4), rng=random.Random(7))


@pytest.fixture
def deliverers() -> Iterator[StandardDeliverers]:
    factory = StandardDeliverers(timeout=FAST)
    yield factory
    factory.close()


def webdav_target(dav: DavServer, *, name: str = "Nextcloud", folder: str = "MUS") -> SyncTarget:
    return SyncTarget(
        "", name, TargetRole.MINE, TargetKind.WEBDAV, url=dav.url, user=USER, folder=folder
    )


@pytest.fixture
def target(outbox: Outbox, dav: DavServer) -> SyncTarget:
    return outbox.add_target(webdav_target(dav), PASSWORD, now=NOW)
