"""The app's side in a process of its own, for the tests that SIGKILL it mid-upload.

``python -m tests.sync.client_proc VAULT URL PDF NAME`` creates a vault (fast
KDF), adds the WebDAV target, queues the PDF and runs the outbox once. The
test kills it while the server holds one of its requests.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import httpx
from tinydb import TinyDB

from mus.sync import SyncTarget, TargetKind, TargetRole
from storage.sync import Outbox, StandardDeliverers
from storage.vault import VaultStorage
from tests.storage.conftest import create_vault, open_vault
from tests.sync.conftest import META, NOW
from tests.sync.dav_server import PASSWORD, USER


def open_outbox(folder: Path) -> tuple[Outbox, TinyDB]:
    vault = open_vault(folder) if folder.exists() else create_vault(folder)[0]
    db = TinyDB(vault, storage=VaultStorage)
    return Outbox(db), db


def main(argv: list[str]) -> None:
    vault, url, pdf, name = argv
    outbox, db = open_outbox(Path(vault))
    target = SyncTarget(
        "", "Sky", TargetRole.MINE, TargetKind.WEBDAV, url=url, user=USER, folder="MUS"
    )
    outbox.add_target(target, PASSWORD, now=NOW)
    outbox.enqueue(Path(pdf).read_bytes(), name, META, now=NOW)
    factory = StandardDeliverers(timeout=httpx.Timeout(30.0))
    outbox.run_due(NOW + timedelta(seconds=1), factory)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
