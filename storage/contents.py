"""The decrypted database in memory, and what changed since the last save.

``Contents`` holds the committed tables (what is on disk). ``diff`` turns the
whole-database dict TinyDB passes to ``write()`` into a small list of journal
operations, in time proportional to the change (plus a C-speed identity scan
of the one table TinyDB rebuilt). ``commit`` makes them the new committed
state; ``rollback`` undoes in-place edits after a failed save so memory never
shows what the disk does not hold.

Journal operations (JSON arrays, see FORMAT.md):
``["t", table]`` create, ``["c", table]`` empty (or create), ``["x", table]`` drop,
``["p", table, id, document]`` put, ``["d", table, id]`` delete.
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from mus.errors import VaultDamaged
from storage.tracking import Owner, adopt, owner_of, readopt

Tables = dict[str, dict[str, Any]]

_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
"""ASCII-only JSON: lone surrogates and control characters survive exactly."""


@dataclass(slots=True)
class Change:
    """One save: the journal ops, and the documents to re-adopt on commit."""

    ops: list[str] = field(default_factory=list)
    puts: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ops)

    def frame_plaintext(self, at: int) -> bytes:
        """One journal frame: the save's time (seconds, UTC) and its operations."""
        return ('{"at":' + str(at) + ',"ops":[' + ",".join(self.ops) + "]}").encode("ascii")

    def put(self, table: str, key: str, doc: Any) -> None:
        text = _encode(doc)
        self.puts.append((table, key, text))
        self.ops.append(f'["p",{_encode(table)},{_encode(key)},{text}]')


class Contents:
    """Committed tables plus the pre-images of documents edited in place."""

    def __init__(self) -> None:
        self._tables: Tables = {}
        self._before: dict[Owner, str] = {}

    # ---------------------------------------------------------------- reading

    def view(self) -> Tables | None:
        """A fresh outer dict (TinyDB rebinds tables in it) over the committed tables."""
        return dict(self._tables) if self._tables else None

    def counts(self) -> dict[str, int]:
        return {name: len(table) for name, table in self._tables.items()}

    def snapshot_plaintext(self, journal_id: bytes, saves: int, at: int | None) -> bytes:
        """The whole database, naming the journal that goes with it and how many
        saves (and the last one's time) it holds."""
        head = f'{{"journal":"{journal_id.hex()}","saves":{saves},"at":{_encode(at)},"tables":'
        return (head + _encode(self._tables) + "}").encode("ascii")

    def tables_plaintext(self) -> bytes:
        """The tables alone, as a backup holds them."""
        return _encode({"tables": self._tables}).encode("ascii")

    # ---------------------------------------------------------------- tracking

    def touched(self, owner: Owner) -> None:
        if owner not in self._before:
            self._before[owner] = _encode(owner.root)

    # ---------------------------------------------------------------- saving

    def diff(self, data: Tables) -> Change:
        change = Change()
        old_tables = self._tables
        for name, table in data.items():
            if not isinstance(name, str) or not isinstance(table, dict):
                raise TypeError("tables must map str to dict")
            old = old_tables.get(name)
            if old is None:
                change.ops.append(f'["t",{_encode(name)}]')
                for key, doc in table.items():
                    change.put(name, key, doc)
            elif table is not old:
                _diff_table(change, name, old, table)
        for name in old_tables:
            if name not in data:
                change.ops.append(f'["x",{_encode(name)}]')
        for owner in self._before:
            now = data.get(owner.table)
            before = old_tables.get(owner.table)
            if (
                now is not None
                and before is not None
                and now.get(owner.key) is owner.root
                and before.get(owner.key) is owner.root
            ):
                change.put(owner.table, owner.key, owner.root)
        return change

    def commit(self, data: Tables, change: Change) -> None:
        """Adopt the saved documents (fresh tracked copies) and forget pre-images."""
        for table, key, text in change.puts:
            docs = data[table]
            owner = owner_of(docs.get(key))
            if owner is not None:
                owner.sink = None  # the caller may still hold it: stop reporting
            docs[key] = adopt(json.loads(text), table, key, self)
        self._tables = dict(data)
        self._before.clear()

    def rollback(self) -> None:
        """After a failed save: put in-place edits back as they were on disk."""
        for owner, text in self._before.items():
            readopt(owner.root, json.loads(text))
        self._before.clear()

    def replace_all(self, tables: Tables) -> None:
        """Install decoded plain tables (restore, import) as committed."""
        self._before.clear()
        self._tables = {}
        for name, docs in tables.items():
            self._tables[name] = {key: adopt(doc, name, key, self) for key, doc in docs.items()}

    # ---------------------------------------------------------------- loading

    def apply_ops(self, ops: list[Any]) -> None:
        """Replay one journal frame's operations (already authenticated and decoded)."""
        try:
            for op in ops:
                self._apply(op)
        except (ValueError, KeyError, TypeError, IndexError):
            raise VaultDamaged("journal content unreadable") from None

    def _apply(self, op: list[Any]) -> None:
        verb, name = op[0], op[1]
        tables = self._tables
        if verb == "p":
            key = op[2]
            tables[name][key] = adopt(op[3], name, key, self)
        elif verb == "d":
            del tables[name][op[2]]
        elif verb == "t":
            tables.setdefault(name, {})
        elif verb == "c":
            tables[name] = {}
        elif verb == "x":
            del tables[name]
        else:
            raise ValueError(verb)


def _diff_table(change: Change, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Changes between two versions of one table dict (TinyDB rebuilt ``new``)."""
    n_old = len(old)
    if (
        len(new) >= n_old
        and all(map(operator.is_, new.values(), old.values()))
        and all(map(operator.eq, new.keys(), old.keys()))
    ):
        # Same documents in the same order, maybe some appended: an update or insert.
        for key, doc in islice(new.items(), n_old, None):
            change.put(name, key, doc)
        return
    kept = [key for key in old if key in new]
    added = [key for key in new if key not in old]
    if kept + added != list(new):
        # Reordered: replaying puts would not reproduce the order, so rewrite the table.
        change.ops.append(f'["c",{_encode(name)}]')
        for key, doc in new.items():
            change.put(name, key, doc)
        return
    for key in old:
        if key not in new:
            change.ops.append(f'["d",{_encode(name)},{_encode(key)}]')
    for key in kept:
        if new[key] is not old[key]:
            change.put(name, key, new[key])
    for key in added:
        change.put(name, key, new[key])
