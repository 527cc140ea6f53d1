"""'Send now' is one rule for the app and the command line (``OutboxItem.retried_now``,
``Outbox.retry_now``): what waits for its backoff or is paused goes at once, except
what a refused login paused, which waits for a new password.

Over a real vault and a real WsgiDAV server on 127.0.0.1 (``tests/sync/conftest.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mus.sync import DeliveryState, Failure, OutboxItem
from storage.session import VaultSession
from storage.sync import Outbox, StandardDeliverers
from tests.cli.conftest import FAST_KDF, LAX, PASSPHRASE
from tests.sync import test_outbox_run as run_tests
from tests.sync.conftest import META, NOW, pdf_bytes, webdav_target
from tests.sync.dav_server import PASSWORD, DavServer
from tests.sync.test_outbox_run import Scripted, webdav
from views.sync_state import SyncState

writes = run_tests.writes  # counts the vault's durable writes (a fixture)

LATER = NOW + timedelta(hours=1)


def item(**changes: Any) -> OutboxItem:
    base = OutboxItem("i", "t", "plan.pdf", "0" * 64, 10, NOW)
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("state", "changes", "sent_now", "needs_password"),
    [
        ("waiting, due", {}, False, False),  # goes anyway
        ("waiting for a busy target", {"next_attempt_at": LATER}, True, False),
        ("failed, backing off", {"state": DeliveryState.FAILED, "next_attempt_at": LATER,
                                 "last_error_code": "server_busy"}, True, False),
        ("failed, due", {"state": DeliveryState.FAILED, "next_attempt_at": NOW,
                         "last_error_code": "timeout"}, False, False),
        ("paused, server full", {"state": DeliveryState.FAILED,
                                 "last_error_code": "server_full"}, True, False),
        ("paused, retry limit", {"state": DeliveryState.FAILED,
                                 "last_error_code": "server_error"}, True, False),
        ("paused, wrong password", {"state": DeliveryState.FAILED,
                                    "last_error_code": "wrong_password"}, False, True),
        ("paused, forbidden", {"state": DeliveryState.FAILED,
                               "last_error_code": "forbidden"}, False, True),
        ("sending", {"state": DeliveryState.SENDING}, False, False),
        ("sent", {"state": DeliveryState.SENT}, False, False),
        ("cancelled", {"state": DeliveryState.CANCELLED, "last_error_code": "server_full"},
         False, False),
    ],
)  # fmt: skip
def test_the_rule_item_by_item(
    state: str, changes: dict[str, Any], sent_now: bool, needs_password: bool
) -> None:
    one = item(**changes)
    assert one.retried_now(NOW) is sent_now, state
    assert one.needs_password is needs_password, state


def test_retry_now_is_one_write_and_leaves_refused_logins_paused(
    outbox: Outbox, writes: list[int]
) -> None:
    outbox.add_target(webdav("Sky"), "pw", now=NOW)
    refused = outbox.add_target(webdav("Gammel"), "old", auto=True, now=NOW)
    for n in range(3):
        outbox.enqueue(pdf_bytes(n, 2_000), f"p{n}.pdf", META, now=NOW + timedelta(seconds=n))
    full = Failure("server_full", pause=True, whole_target=True)
    login = Failure("wrong_password", pause=True, whole_target=True)
    outbox.run_due(NOW, Scripted(lambda i: login if i.target_id == refused.id else full))
    assert all(i.paused for i in outbox.items())

    writes.clear()
    done = outbox.retry_now(now=LATER)

    assert len(writes) == 1
    assert len(done.resumed) == 3 and all(i.target_id != refused.id for i in done.resumed)
    assert {i.target_id for i in done.need_password} == {refused.id}
    assert len(done.need_password) == 3
    resumed = [outbox.item(i.id) for i in done.resumed]
    assert all(i.is_due(LATER) and i.attempts <= 1 and not i.last_error_code for i in resumed)
    assert outbox.retry_now(now=LATER).resumed == (), "nothing left to resume"


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[VaultSession]:
    session = VaultSession(tmp_path / "vault", kdf=FAST_KDF, limits=LAX)
    session.create(PASSPHRASE)
    yield session
    session.lock()


def test_the_apps_send_now_uses_the_same_rule(
    vault: VaultSession, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    outbox = vault.outbox()
    full, busy = (
        outbox.add_target(webdav_target(dav, name=name), PASSWORD, now=NOW)
        for name in ("Fuld", "Travl")
    )
    refused = outbox.add_target(webdav_target(dav, name="Afvist"), "gammel", now=NOW)
    for n, (target, status) in enumerate([(full, 507), (busy, 503), (refused, 0)]):
        outbox.enqueue(pdf_bytes(n), f"plan {n}.pdf", META, targets=[target.id], now=NOW)
        if status:
            dav.faults.fail("PUT", status)
        outbox.run_due(NOW, deliverers)  # the others are paused or backing off
    codes = {outbox.target(i.target_id).name: i.last_error_code for i in outbox.items()}
    assert codes == {"Fuld": "server_full", "Travl": "server_busy", "Afvist": "wrong_password"}
    dav.faults.clear()

    sync = SyncState(vault=vault, clock=lambda: NOW)
    sync.refresh()
    asyncio.run(sync.send_all())

    states = {outbox.target(i.target_id).name: i.state for i in vault.outbox().items()}
    assert states == {
        "Fuld": DeliveryState.SENT,
        "Travl": DeliveryState.SENT,
        "Afvist": DeliveryState.FAILED,
    }
    assert dav.faults.methods().count("PUT") == 2, "the refused login was not tried again"
    (held,) = [i for i in vault.outbox().items() if i.target_id == refused.id]
    assert held.needs_password


def test_an_unexpected_error_is_logged_without_its_message(
    outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    outbox.add_target(webdav("Sky"), "pw", now=NOW)
    outbox.enqueue(pdf_bytes(1, 2_000), "Anna Hansen.pdf", META, now=NOW)

    def boom(_: OutboxItem) -> None:
        raise RuntimeError("https://anna@sky.example/remote.php/dav/files/anna/Anna Hansen.pdf")

    caplog.set_level(logging.DEBUG, logger="musling.sync")
    (result,) = outbox.run_due(NOW, Scripted(boom))
    assert result.item.last_error_code == "unexpected"
    (record,) = [r for r in caplog.records if r.name == "musling.sync"]
    line = record.getMessage()
    assert "RuntimeError" in line and "tests/sync/test_retry_now.py:" in line
    assert "anna" not in caplog.text.lower() and record.exc_info is None
