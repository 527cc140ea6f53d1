"""TinyDB through the vault behaves exactly like TinyDB over MemoryStorage."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB
from tinydb.operations import delete, increment
from tinydb.table import Document

from mus.errors import VaultLocked
from storage.vault import VaultStorage
from tests.storage.conftest import create_vault, open_vault, reopened_tables


def test_insert_update_remove(db: TinyDB) -> None:
    plans = db.table("plans")
    first = plans.insert({"employee": "Åse", "goals": [{"title": "læring"}], "n": 1})
    second = plans.insert({"employee": "Bo", "goals": [], "n": 2})
    plans.update({"n": 10}, doc_ids=[first])
    plans.update(increment("n"), Query().employee == "Bo")
    plans.update(delete("goals"), doc_ids=[second])
    plans.remove(doc_ids=[first])
    assert plans.all() == [{"employee": "Bo", "n": 3}]
    assert [doc.doc_id for doc in plans.all()] == [second]


def test_multiple_tables_truncate_and_drop(db: TinyDB) -> None:
    db.table("a").insert_multiple({"i": i} for i in range(5))
    db.table("b").insert({"x": "y"})
    db.table("c").insert({"z": 1})
    db.table("a").truncate()
    assert db.table("a").all() == []
    assert db.tables() == {"a", "b", "c"}
    db.drop_table("c")
    assert db.tables() == {"a", "b"}
    db.table("a").insert({"after": "truncate"})
    assert db.table("a").all() == [{"after": "truncate"}]
    assert db.table("a").all()[0].doc_id == 1


def test_drop_tables_then_reuse(db: TinyDB) -> None:
    db.table("a").insert({"i": 1})
    db.drop_tables()
    assert db.tables() == set()
    db.table("a").insert({"i": 2})
    assert db.table("a").all() == [{"i": 2}]


def test_nested_in_place_transform_is_saved(db: TinyDB) -> None:
    """A transform that appends to a nested list must be persisted, not only shown."""
    plans = db.table("plans")
    doc_id = plans.insert({"goals": [{"activities": ["a"]}], "meta": {"tags": []}})

    def add_activity(doc: MutableMapping[str, Any]) -> None:
        doc["goals"][0]["activities"].append("b")

    def tag(doc: MutableMapping[str, Any]) -> None:
        doc["meta"]["tags"] += ["x"]
        doc["meta"].setdefault("new", [])

    plans.update(add_activity, doc_ids=[doc_id])
    plans.update(tag, doc_ids=[doc_id])
    assert plans.get(doc_id=doc_id) == {
        "goals": [{"activities": ["a", "b"]}],
        "meta": {"tags": ["x"], "new": []},
    }


def test_upsert_and_explicit_ids_and_order(db: TinyDB) -> None:
    plans = db.table("plans")
    plans.insert(Document({"k": "c"}, doc_id=30))
    plans.insert(Document({"k": "a"}, doc_id=10))
    plans.upsert({"k": "a", "v": 1}, Query().k == "a")
    plans.upsert({"k": "new"}, Query().k == "new")
    plans.remove(Query().k == "c")
    assert [(doc.doc_id, dict(doc)) for doc in plans.all()] == [
        (10, {"k": "a", "v": 1}),
        (31, {"k": "new"}),
    ]


def test_many_documents_mixed(db: TinyDB) -> None:
    plans = db.table("plans")
    ids = plans.insert_multiple({"i": i, "text": "æøå " * (i % 7)} for i in range(300))
    plans.update({"text": ""}, doc_ids=ids[::3])
    plans.remove(doc_ids=ids[1::5])
    plans.update(lambda doc: doc.update(extra=[doc["i"]]), doc_ids=ids[::7])
    assert len(plans) == 300 - len(ids[1::5])


def test_returned_documents_are_copies(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    database = TinyDB(vault, storage=VaultStorage)
    plans = database.table("plans")
    plans.insert({"name": "x"})
    doc = plans.all()[0]
    doc["name"] = "changed outside"
    assert plans.all()[0]["name"] == "x"
    database.close()
    assert reopened_tables(vault_folder) == {"plans": {"1": {"name": "x"}}}


def test_closed_vault_refuses_use(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    database = TinyDB(vault, storage=VaultStorage)
    database.close()
    with pytest.raises(VaultLocked):
        vault.read()
    with pytest.raises(VaultLocked):
        vault.write({})
    with pytest.raises(VaultLocked):
        vault.check()


def test_non_json_value_is_refused_and_nothing_changes(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    database = TinyDB(vault, storage=VaultStorage)
    plans = database.table("plans")
    plans.insert({"a": 1})
    with pytest.raises(TypeError):
        plans.update({"a": object()}, doc_ids=[1])
    assert plans.all() == [{"a": 1}]
    database.close()
    assert reopened_tables(vault_folder) == {"plans": {"1": {"a": 1}}}


def test_check_reports_counts_only(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    database = TinyDB(vault, storage=VaultStorage)
    database.table("plans").insert_multiple({"i": i} for i in range(3))
    database.table("notes").insert({"t": "hemmelig"})
    report = vault.check()
    assert report.tables == {"plans": 3, "notes": 1}
    assert report.format_version == 2
    assert report.generation == 1
    assert report.journal_records == 2
    assert report.kdf == "scrypt"
    assert "hemmelig" not in repr(report)
    database.close()


def test_unchanged_write_is_free(vault_folder: Path) -> None:
    vault, _ = create_vault(vault_folder)
    vault.write({"t": {"1": {"a": 1}}})
    size = (vault_folder / "journal").stat().st_size
    vault.write(vault.read() or {})
    assert (vault_folder / "journal").stat().st_size == size
    vault.close()
    vault = open_vault(vault_folder)
    assert vault.read() == {"t": {"1": {"a": 1}}}
    vault.close()
