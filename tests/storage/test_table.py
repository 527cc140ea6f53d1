"""``IndexedTable`` behaves exactly like TinyDB's own ``Table``, only cheaper.

Random sequences of TinyDB operations run on both, side by side, over memory
and over the encrypted vault; after every step the tables, their ids and their
order must be the same, and ``find`` must agree with a full scan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from mus.demo import example_conversation
from mus.model import ConversationRecord
from storage.repositories import TinyConversations
from storage.table import IndexedDB, IndexedTable, field_at, find_id, replace_with
from storage.vault import Tuning, VaultStorage
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, create_vault, open_vault

KEYS = st.sampled_from(["a", "b", "c", "d"])
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("insert_multiple"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("update_cond"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("update_ids"), st.integers(1, 12), st.integers(0, 5)),
        st.tuples(st.just("replace"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("upsert"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("remove_cond"), KEYS, st.integers(0, 5)),
        st.tuples(st.just("remove_ids"), st.integers(1, 12), st.integers(0, 5)),
        st.tuples(st.just("insert_document"), st.integers(1, 15), st.integers(0, 5)),
        st.tuples(st.just("truncate"), KEYS, st.integers(0, 5)),
    ),
    max_size=30,
)


def apply(db: TinyDB, op: tuple[str, Any, int]) -> object:
    """One operation; its result or the error it raised, for comparison."""
    table = db.table("t")
    verb, arg, n = op
    q = Query()

    def replace_doc() -> object:
        doc_id = find_id(table, ("k",), arg)
        if doc_id is None:
            return None
        return table.update(replace_with({"k": arg, "fresh": n}), doc_ids=[doc_id])

    actions: dict[str, Callable[[], object]] = {
        "insert": lambda: table.insert({"k": arg, "n": n, "nested": {"id": f"{arg}{n}"}}),
        "insert_multiple": lambda: table.insert_multiple([{"k": arg, "n": n}, {"k": arg}]),
        "update_cond": lambda: table.update({"n": n}, q.k == arg),
        "update_ids": lambda: table.update({"n": n}, doc_ids=[arg]),
        "replace": replace_doc,
        "upsert": lambda: table.upsert({"k": arg, "n": n}, q.k == arg),
        "remove_cond": lambda: table.remove(q.k == arg),
        "remove_ids": lambda: table.remove(doc_ids=[arg]),
        "insert_document": lambda: table.insert(Document({"k": "doc", "n": n}, doc_id=arg)),
        "truncate": table.truncate,
    }
    try:
        return actions[verb]()
    except (KeyError, ValueError) as e:
        return type(e)


def snapshot(db: TinyDB) -> list[tuple[int, dict[str, Any]]]:
    return [(doc.doc_id, dict(doc)) for doc in db.table("t").all()]


@settings(max_examples=150, deadline=None)
@given(ops=OPS)
def test_same_results_as_stock_tinydb_in_memory(ops: list[tuple[str, Any, int]]) -> None:
    stock = TinyDB(storage=MemoryStorage)
    ours = IndexedDB(storage=MemoryStorage)
    assert isinstance(ours.table("t"), IndexedTable)
    for op in ops:
        assert apply(ours, op) == apply(stock, op), op
        assert snapshot(ours) == snapshot(stock), op
        assert len(ours.table("t")) == len(stock.table("t"))
        for key in ("a", "b", "c", "d", "doc"):
            assert find_id(ours.table("t"), ("k",), key) == find_id(stock.table("t"), ("k",), key)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=OPS)
def test_same_results_over_the_vault_and_after_reopening(
    tmp_path: Path, ops: list[tuple[str, Any, int]]
) -> None:
    folder = tmp_path / f"v{abs(hash(tuple(ops)))}"
    vault, _ = create_vault(folder)
    ours = IndexedDB(vault, storage=VaultStorage)
    stock = TinyDB(storage=MemoryStorage)
    for op in ops:
        assert apply(ours, op) == apply(stock, op), op
    expected = snapshot(stock)
    assert snapshot(ours) == expected
    ours.close()
    again = IndexedDB(open_vault(folder), storage=VaultStorage)
    assert snapshot(again) == expected
    again.close()


def test_find_hits_are_checked_and_misses_rebuild_when_the_table_changed() -> None:
    db = IndexedDB(storage=MemoryStorage)
    table = db.table("t")
    assert isinstance(table, IndexedTable)
    first = table.insert({"id": "x"})
    assert table.find(("id",), "x") == first
    assert table.find(("id",), "y") is None
    second = table.insert({"id": "y"})  # a write since the index was built
    assert table.find(("id",), "y") == second
    table.update({"id": "z"}, doc_ids=[first])  # the key itself edited in place
    assert table.find(("id",), "x") is None
    assert table.find(("id",), "z") == first
    table.remove(doc_ids=[second])
    assert table.find(("id",), "y") is None
    table.insert({"id": ["not", "hashable"]})
    table.insert({"other": 1})
    assert table.find(("id",), "z") == first
    assert field_at({"a": 1}, ("a", "b")) is field_at({}, ("a",))  # "missing" equals no value


def test_a_replaced_vault_content_is_not_answered_from_a_stale_index(tmp_path: Path) -> None:
    """Restoring a backup swaps every table under the repository's feet."""
    vault, _ = create_vault(tmp_path / "v")
    db = IndexedDB(vault, storage=VaultStorage)
    repo = TinyConversations(db)
    empty = tmp_path / "empty.musbackup"
    repo.save(_with_id(BASE, "other"))
    vault.export_backup(empty, PASSPHRASE, kdf=FAST_KDF)
    repo.save(BASE)
    assert repo.get(BASE.id) == BASE
    vault.import_backup(empty, PASSPHRASE, limits=LAX)
    assert repo.get(BASE.id) is None
    assert repo.get("other") == _with_id(BASE, "other")
    repo.save(BASE)
    assert repo.get(BASE.id) == BASE
    db.close()


def test_an_autosave_journals_one_document_whatever_the_table_size(tmp_path: Path) -> None:
    """What one edit appends to the journal does not grow with the vault."""
    never_compact = Tuning(compact_min_bytes=10**12, compact_ratio=10**6)
    appended: dict[int, int] = {}
    for count in (10, 1000):
        folder = tmp_path / f"v{count}"
        vault, _ = create_vault(folder, tuning=never_compact)
        db = IndexedDB(vault, storage=VaultStorage)
        repo = TinyConversations(db)
        for i in range(count):
            repo.save(_with_id(BASE, f"c{i}"))
        before = _bytes_on_disk(folder)
        repo.save(_with_id(BASE, "c3", note="en ny note skrevet i bussen"))
        appended[count] = _bytes_on_disk(folder) - before
        assert repo.get("c3") == _with_id(BASE, "c3", note="en ny note skrevet i bussen")
        db.close()
    assert appended[10] < 20_000
    assert appended[1000] == appended[10]


BASE = example_conversation(date(2026, 11, 24))


def _bytes_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def _with_id(record: ConversationRecord, new_id: str, note: str = "") -> ConversationRecord:
    conversation = replace(record.conversation, id=new_id)
    feedback = replace(record.feedback, strengths=note or record.feedback.strengths)
    return replace(record, conversation=conversation, feedback=feedback)
