"""Domain dataclasses ⇄ JSON-ready documents, with a schema version.

Generic over the frozen dataclasses of ``mus.model`` (and any other module
whose dataclasses keep to the same field types: str, int, bool, date,
datetime, StrEnum, ``X | None``, ``tuple[X, ...]`` and nested dataclasses), so a
new field needs no codec change. Unknown keys are ignored and missing keys take
the field's default: an older app reading a newer minor change keeps working,
and a document written before a field existed still loads.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from mus.errors import NewerFormat, VaultDamaged

SCHEMA_VERSION = 1
"""The shape of stored documents; bump it with a migration in ``MIGRATIONS``."""

Document = dict[str, Any]
Migration = Callable[[Document], Document]

#: ``MIGRATIONS[n]`` turns a schema-``n`` document into schema ``n + 1``.
MIGRATIONS: dict[int, Migration] = {}

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A domain value as JSON-ready data (dicts, lists, str, int, bool, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(tp: Any, data: Any) -> Any:  # noqa: PLR0911, PLR0912 - a branch per kind of type
    """The value of type ``tp`` that ``data`` (from :func:`encode`) describes."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        return decode(next(a for a in typing.get_args(tp) if a is not type(None)), data)
    if origin is tuple:
        args: tuple[Any, ...] = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        if len(args) != len(data):
            raise TypeError("tuple of the wrong length")
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, Mapping):
            raise TypeError(f"{tp.__name__} needs a mapping")
        hints = _hints(tp)
        kwargs = {
            f.name: decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data and f.init
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is date:
        return date.fromisoformat(data)
    if tp in (str, int, bool, float):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise TypeError(f"expected {tp.__name__}")
        return data
    if tp is Any:
        return data
    raise TypeError(f"cannot decode {tp!r}")


def to_document(value: Any) -> Document:
    """A dataclass as a stored document, stamped with the schema version."""
    doc: Document = encode(value)
    doc["_schema"] = SCHEMA_VERSION
    return doc


def from_document(cls: type[T], doc: Mapping[str, Any]) -> T:
    """Migrate a stored document to the current schema, then decode it.

    A document from a newer app is refused (``NewerFormat``) rather than read
    half-way; a document that does not decode is ``VaultDamaged``: the app
    never shows a record it could not read whole.
    """
    version = doc.get("_schema", 1)
    if not isinstance(version, int) or version < 0:
        raise VaultDamaged()
    if version > SCHEMA_VERSION:
        raise NewerFormat()
    current: Document = dict(doc)
    while version < SCHEMA_VERSION:
        current = MIGRATIONS[version](current)
        version += 1
    try:
        result: T = decode(cls, current)
    except (TypeError, ValueError, KeyError) as e:
        raise VaultDamaged() from e
    return result
