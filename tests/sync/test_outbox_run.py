"""What a run writes, and when: durability per item and the user's changes mid-run.

A scripted deliverer (no network) lets each test act at the moment of a
request: read what the vault has committed (fsynced: ``Vault.write`` commits
only after the journal append is durable), or cancel and retry as the user
would from another thread. Every test runs over plain TinyDB and the app's
``IndexedDB`` (the ``db`` fixture).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from tinydb import Query, TinyDB

import storage.sync
from mus.report import ReportKind
from mus.sync import (
    Delivered,
    DeliveryState,
    ExportMeta,
    Failure,
    OutboxItem,
    SyncTarget,
    TargetKind,
    TargetRole,
)
from storage.codec import from_document
from storage.sync import BLOBS, OUTBOX, TARGETS, Deliverer, Outbox
from tests.sync.conftest import META, NOW, pdf_bytes

LATER = NOW + timedelta(minutes=1)

Act = Callable[[OutboxItem], Delivered | Failure | None]


class Scripted:
    """A deliverer factory whose deliverers call ``act`` per item (None: delivered)."""

    def __init__(self, act: Act | None = None) -> None:
        self.act = act
        self.sent: list[tuple[str, str, bytes]] = []  # (target, item, bytes)
        self.made: list[tuple[str, str | None]] = []

    def __call__(self, target: SyncTarget, password: str | None) -> Deliverer:
        self.made.append((target.id, password))
        return _Scripted(self, target.id)

    def close(self) -> None:
        pass


class _Scripted:
    def __init__(self, owner: Scripted, target_id: str) -> None:
        self.owner = owner
        self.target_id = target_id

    def deliver(self, item: OutboxItem, data: bytes, *, check_first: bool) -> Delivered | Failure:
        outcome = self.owner.act(item) if self.owner.act else None
        if outcome is None or isinstance(outcome, Delivered):
            self.owner.sent.append((self.target_id, item.id, data))
        return outcome or Delivered(item.file_name)

    def close(self) -> None:
        pass


def committed(db: TinyDB) -> dict[str, dict[str, Any]]:
    """The outbox documents the vault holds on disk, by item id."""
    tables = db.storage.read() or {}
    return {d["id"]: d for d in tables.get(OUTBOX, {}).values()}


def webdav(name: str = "Sky") -> SyncTarget:
    return SyncTarget(
        "", name, TargetRole.MINE, TargetKind.WEBDAV, url="https://dav.example", user="u"
    )


@pytest.fixture
def writes(db: TinyDB) -> Iterator[list[int]]:
    """Counts the vault's durable writes."""
    storage = db.storage
    count: list[int] = []
    original = storage.write

    def counted(data: Any) -> None:
        original(data)
        count.append(1)

    storage.write = counted  # type: ignore[method-assign]
    yield count
    storage.write = original  # type: ignore[method-assign]


def queue(outbox: Outbox, n: int) -> list[OutboxItem]:
    """``n`` PDFs, queued a second apart (a run sends the oldest first)."""
    items: list[OutboxItem] = []
    for i in range(n):
        meta = ExportMeta(f"c{i}", ReportKind.PLAN, 1)
        when = NOW + timedelta(seconds=i)
        items += outbox.enqueue(pdf_bytes(i, 2_000), f"plan-{i}.pdf", meta, now=when)
    return items


def test_each_item_is_durably_sending_before_its_request_with_one_write_per_item(
    outbox: Outbox, db: TinyDB, writes: list[int]
) -> None:
    outbox.add_target(webdav(), "pw", now=NOW)
    items = queue(outbox, 5)
    seen: list[dict[str, Any]] = []

    def check(item: OutboxItem) -> None:
        on_disk = committed(db)
        seen.append(dict(on_disk[item.id]))
        before = [i.id for i in items[: items.index(next(i for i in items if i.id == item.id))]]
        assert all(on_disk[b]["state"] == "sent" for b in before)  # results ride along

    factory = Scripted(check)
    writes.clear()
    results = outbox.run_due(LATER, factory)

    assert [(d["state"], d["attempts"]) for d in seen] == [("sending", 1)] * 5
    assert [r.item.state for r in results] == [DeliveryState.SENT] * 5
    assert [data for _t, _i, data in factory.sent] == [pdf_bytes(i, 2_000) for i in range(5)]
    assert len(writes) == 5 + 2  # one per item, the last result, the pruned PDFs
    assert factory.made == [(outbox.targets()[0].id, "pw")]  # one deliverer, one password read
    assert {i: d["state"] for i, d in committed(db).items()} == {i.id: "sent" for i in items}
    assert len(db.table(BLOBS)) == 0


def test_cancelled_while_its_request_runs_is_still_recorded_as_sent(
    outbox: Outbox, db: TinyDB
) -> None:
    outbox.add_target(webdav(), "pw", now=NOW)
    first, second = queue(outbox, 2)

    def cancel_both(item: OutboxItem) -> None:
        if item.id == first.id:
            outbox.cancel(first.id, now=NOW)  # too late: the file is on its way
            outbox.cancel(second.id, now=NOW)  # in time: never sent

    factory = Scripted(cancel_both)
    (result,) = outbox.run_due(LATER, factory)

    assert result.item.id == first.id and result.item.state is DeliveryState.SENT
    assert [s[1] for s in factory.sent] == [first.id]
    assert outbox.item(first.id).state is DeliveryState.SENT
    assert outbox.item(second.id).state is DeliveryState.CANCELLED
    assert committed(db)[first.id]["state"] == "sent"


@pytest.mark.parametrize("delivered", [True, False])
def test_a_cancel_between_items_wins_unless_the_file_landed(
    outbox: Outbox, db: TinyDB, delivered: bool
) -> None:
    """The first item's result waits for the second item's write; a cancel in
    between (``should_stop`` runs exactly there) must not be overwritten by a
    failure, but a delivery is the truth at the target."""
    outbox.add_target(webdav(), "pw", now=NOW)
    first, _second = queue(outbox, 2)
    factory = Scripted(lambda _i: None if delivered else Failure("server_error"))
    calls: list[int] = []

    def between() -> bool:
        calls.append(1)
        if len(calls) == 2:
            outbox.cancel(first.id, now=NOW)
        return False

    outbox.run_due(LATER, factory, should_stop=between)

    expected = DeliveryState.SENT if delivered else DeliveryState.CANCELLED
    assert outbox.item(first.id).state is expected
    assert committed(db)[first.id]["state"] == expected.value


def test_fields_unknown_to_this_app_survive_a_run(outbox: Outbox, db: TinyDB) -> None:
    outbox.add_target(webdav(), "pw", now=NOW)
    (item,) = queue(outbox, 1)
    db.table(OUTBOX).update({"from_a_newer_app": 7}, Query().id == item.id)

    (result,) = outbox.run_due(LATER, Scripted())

    assert result.item.state is DeliveryState.SENT
    assert committed(db)[item.id]["from_a_newer_app"] == 7
    assert committed(db)[item.id]["state"] == "sent"


def test_one_pdf_to_two_targets_is_sent_whole_to_both(outbox: Outbox, db: TinyDB) -> None:
    one = outbox.add_target(webdav("One"), "pw1", auto=True, now=NOW)
    two = outbox.add_target(webdav("Two"), "pw2", auto=True, now=NOW)
    pdf = pdf_bytes(1, 3_000)
    a, b = outbox.enqueue(pdf, "plan.pdf", META, now=NOW)
    factory = Scripted()

    outbox.run_due(LATER, factory)

    assert sorted((t, d) for t, _i, d in factory.sent) == sorted([(one.id, pdf), (two.id, pdf)])
    assert sorted(factory.made) == sorted([(one.id, "pw1"), (two.id, "pw2")])
    assert {outbox.item(a.id).state, outbox.item(b.id).state} == {DeliveryState.SENT}


def test_a_damaged_pdf_is_caught_for_every_target_it_goes_to(outbox: Outbox, db: TinyDB) -> None:
    outbox.add_target(webdav("One"), "pw", auto=True, now=NOW)
    outbox.add_target(webdav("Two"), "pw", auto=True, now=NOW)
    outbox.enqueue(pdf_bytes(1, 3_000), "plan.pdf", META, now=NOW)
    wrong = base64.b64encode(pdf_bytes(2, 3_000)).decode("ascii")
    db.table(BLOBS).update({"data": wrong})
    factory = Scripted()

    results = outbox.run_due(LATER, factory)

    assert [(r.item.last_error_code, r.item.paused) for r in results] == [("damaged", True)] * 2
    assert factory.sent == []


def test_a_target_gone_mid_run_pauses_its_remaining_items(outbox: Outbox, db: TinyDB) -> None:
    """Its deliverer is already open; the target's record vanished without the
    cancel ``remove_target`` does (an import, a bug): not sent, paused."""
    target = outbox.add_target(webdav(), "pw", now=NOW)
    first, second = queue(outbox, 2)

    def drop(item: OutboxItem) -> None:
        if item.id == first.id:
            db.table(TARGETS).remove(Query().id == target.id)

    factory = Scripted(drop)
    results = outbox.run_due(LATER, factory)

    assert [s[1] for s in factory.sent] == [first.id]
    assert results[1].item.id == second.id
    assert (results[1].item.last_error_code, results[1].item.paused) == ("target_missing", True)


def test_a_removed_target_cancels_items_a_run_has_not_reached(outbox: Outbox, db: TinyDB) -> None:
    target = outbox.add_target(webdav(), "pw", now=NOW)
    first, second = queue(outbox, 2)
    factory = Scripted(
        lambda i: outbox.remove_target(target.id, now=NOW) if i.id == first.id else None
    )

    outbox.run_due(LATER, factory)

    assert [s[1] for s in factory.sent] == [first.id]
    assert outbox.item(first.id).state is DeliveryState.SENT
    assert outbox.item(second.id).state is DeliveryState.CANCELLED


def test_sent_history_keeps_no_pdfs_and_is_not_sent_again(outbox: Outbox, db: TinyDB) -> None:
    outbox.add_target(webdav(), "pw", now=NOW)
    queue(outbox, 3)
    outbox.run_due(LATER, Scripted())
    later = queue(outbox, 5)[3:]  # the first three are the same bytes: already sent
    factory = Scripted()

    results = outbox.run_due(LATER, factory)

    assert [r.item.id for r in results] == [i.id for i in later]
    assert [s[1] for s in factory.sent] == [i.id for i in later]
    assert len(db.table(BLOBS)) == 0 and len(db.table(OUTBOX)) == 5


def test_a_run_decodes_each_open_item_once_and_never_the_history(
    outbox: Outbox, db: TinyDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps a run's cost per PDF flat as the sent history grows."""
    outbox.add_target(webdav(), "pw", now=NOW)
    queue(outbox, 20)
    outbox.run_due(LATER, Scripted())
    fresh = [i for i in queue(outbox, 23) if i.state is DeliveryState.WAITING]
    decoded: list[str] = []

    def counting(cls: type[Any], doc: Any) -> Any:
        if cls is OutboxItem:
            decoded.append(doc["id"])
        return from_document(cls, doc)

    monkeypatch.setattr(storage.sync, "from_document", counting)
    results = outbox.run_due(LATER, Scripted())

    assert [r.item.state for r in results] == [DeliveryState.SENT] * 3
    assert sorted(decoded) == sorted(i.id for i in fresh)
