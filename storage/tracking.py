"""Documents that notice their own in-place changes.

TinyDB hands ``write()`` the whole database after mutating documents in place
(``table[id].update(fields)``), so object identity cannot tell what changed and
comparing 10,000 documents costs ~0.4 s. Instead every dict and list the vault
hands out is a tracked subclass: its first mutation reports the owning document
(and a JSON copy of it as it was, for rollback) to a ``Sink``. ``write()`` then
serialises only the reported documents, inserts and deletes.

Reads are plain ``dict``/``list`` operations at C speed; only mutators are
overridden. Copies (``copy``, ``deepcopy``, pickle) are plain containers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, Protocol, SupportsIndex


class Sink(Protocol):
    def touched(self, owner: Owner) -> None: ...


class Owner:
    """One stored document: where it lives and whom to tell when it changes."""

    __slots__ = ("key", "root", "sink", "table")

    def __init__(self, table: str, key: str, sink: Sink | None) -> None:
        self.table = table
        self.key = key
        self.sink = sink
        self.root: Any = None

    def touch(self) -> None:
        sink = self.sink
        if sink is not None:
            sink.touched(self)


class TrackedDict(dict[Any, Any]):
    __slots__ = ("_owner",)
    _owner: Owner

    def __setitem__(self, key: Any, value: Any) -> None:
        self._owner.touch()
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._owner.touch()
        super().__delitem__(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._owner.touch()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self._owner.touch()
        return super().pop(*args)

    def popitem(self) -> tuple[Any, Any]:
        self._owner.touch()
        return super().popitem()

    def clear(self) -> None:
        self._owner.touch()
        super().clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._owner.touch()
        return super().setdefault(key, default)

    def __ior__(self, other: Any) -> TrackedDict:  # type: ignore[misc]
        self._owner.touch()
        super().update(other)
        return self

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return {key: copy.deepcopy(value, memo) for key, value in self.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class TrackedList(list[Any]):
    __slots__ = ("_owner",)
    _owner: Owner

    def __setitem__(self, index: Any, value: Any) -> None:
        self._owner.touch()
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        self._owner.touch()
        super().__delitem__(index)

    def __iadd__(self, other: Iterable[Any]) -> TrackedList:  # type: ignore[misc]
        self._owner.touch()
        super().extend(other)
        return self

    def __imul__(self, count: SupportsIndex) -> TrackedList:
        self._owner.touch()
        super().__imul__(count)
        return self

    def append(self, value: Any) -> None:
        self._owner.touch()
        super().append(value)

    def extend(self, values: Iterable[Any]) -> None:
        self._owner.touch()
        super().extend(values)

    def insert(self, index: SupportsIndex, value: Any) -> None:
        self._owner.touch()
        super().insert(index, value)

    def remove(self, value: Any) -> None:
        self._owner.touch()
        super().remove(value)

    def pop(self, index: SupportsIndex = -1) -> Any:
        self._owner.touch()
        return super().pop(index)

    def clear(self) -> None:
        self._owner.touch()
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._owner.touch()
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        self._owner.touch()
        super().reverse()

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(value, memo) for value in self]

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


_set_item = dict.__setitem__


def _adopt(value: Any, owner: Owner) -> Any:
    kind = type(value)
    if kind is dict:
        out = TrackedDict(value)
        out._owner = owner
        for key, item in value.items():
            item_kind = type(item)
            if item_kind is dict or item_kind is list:
                _set_item(out, key, _adopt(item, owner))
        return out
    if kind is list:
        items = TrackedList(
            _adopt(item, owner) if type(item) is dict or type(item) is list else item
            for item in value
        )
        items._owner = owner
        return items
    return value


def adopt(value: Any, table: str, key: str, sink: Sink | None) -> Any:
    """A tracked copy of a freshly decoded JSON document (plain dicts and lists)."""
    owner = Owner(table, key, sink)
    root = _adopt(value, owner)
    owner.root = root
    return root


def readopt(root: Any, value: Any) -> None:
    """Put ``value`` (decoded JSON) back into ``root`` in place, tracking kept."""
    owner: Owner = root._owner
    if type(root) is TrackedDict:
        dict.clear(root)
        for key, item in value.items():
            _set_item(root, key, _adopt(item, owner))
    elif type(root) is TrackedList:
        list.clear(root)
        list.extend(root, (_adopt(item, owner) for item in value))


def owner_of(doc: Any) -> Owner | None:
    """The document's owner, if ``doc`` is one the vault handed out."""
    kind = type(doc)
    if kind is TrackedDict or kind is TrackedList:
        owner: Owner = doc._owner
        return owner
    return None
