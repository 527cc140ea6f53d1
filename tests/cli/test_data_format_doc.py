"""``docs/data-format.md`` describes every field the export writes, and nothing else."""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from pathlib import Path

from mus.agreement import AgreedVersion
from mus.model import ConversationRecord
from mus.reminders import Schedule

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"
HEADING = re.compile(r"^### `(\w+)`$", re.MULTILINE)
ROW = re.compile(r"^\| `(\w+)` \|", re.MULTILINE)


def _reachable() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Field names of every dataclass, and values of every enum, the records hold."""
    classes: dict[str, tuple[str, ...]] = {}
    enums: dict[str, tuple[str, ...]] = {}

    def walk(tp: object) -> None:
        origin = typing.get_origin(tp)
        if origin in (types.UnionType, typing.Union, tuple):
            for arg in typing.get_args(tp):
                walk(arg)
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            if tp.__name__ in classes:
                return
            classes[tp.__name__] = tuple(f.name for f in dataclasses.fields(tp))
            for hint in typing.get_type_hints(tp).values():
                walk(hint)
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            enums[tp.__name__] = tuple(str(m.value) for m in tp)

    for root in (ConversationRecord, AgreedVersion, Schedule):
        walk(root)
    return classes, enums


def _documented() -> dict[str, tuple[str, ...]]:
    text = DOC.read_text("utf-8")
    sections = HEADING.split(text)[1:]
    return {
        name: tuple(ROW.findall(body.split("\n## ")[0]))
        for name, body in zip(sections[::2], sections[1::2], strict=True)
    }


def test_every_record_type_is_documented_field_by_field() -> None:
    classes, _ = _reachable()
    documented = _documented()
    assert sorted(set(classes) - set(documented)) == [], "add a section to docs/data-format.md"
    assert sorted(set(documented) - set(classes)) == [], "remove a stale section"
    for name, fields in classes.items():
        assert documented[name] == fields, f"{name}: update its table in docs/data-format.md"


def test_every_enum_value_is_listed() -> None:
    _, enums = _reachable()
    text = DOC.read_text("utf-8")
    for name, values in enums.items():
        line = next((ln for ln in text.splitlines() if ln.startswith(f"* `{name}`:")), "")
        assert line, f"list the values of {name}"
        assert re.findall(r"`(\w+)`", line.split(":", 1)[1]) == list(values)
