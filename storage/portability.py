"""Export all my data, and import it again: the vault's records as one documented JSON file.

The right to data portability (GDPR art. 20) asks for a structured, commonly
used, machine-readable format; ``docs/data-format.md`` describes this one
field by field. Records are encoded with ``storage.codec.encode`` (the same
shapes the vault stores), so the importer decodes them with the codec too and
runs the same schema migrations the vault does.

Importing is all-or-nothing at validation: every record is decoded before
anything is written; one bad record refuses the whole file. Before JSON is
parsed at all, the file's size and nesting are bounded (``MAX_IMPORT_BYTES``,
``MAX_DEPTH``), so no file can exhaust the memory or the stack; every year
must lie in ``YEARS``, so no later date arithmetic overflows. Records then merge
by id: new ones are added, existing ones replaced only when asked. Agreed
versions are never replaced (what two people agreed stays as it was); one
whose number already holds a different agreement is reported as a conflict.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mus.agreement import AgreedVersion, fingerprint
from mus.errors import IMPORT_REFUSALS, NewerFormat, VaultDamaged
from mus.merge import KINDS, MergeReport, Tally
from mus.model import ConversationRecord
from mus.reminders import Schedule
from mus.settings import Preferences
from storage.codec import SCHEMA_VERSION, encode, from_document
from storage.repositories import VERSIONS

if TYPE_CHECKING:  # the session calls in here; this module only takes one
    from storage.session import VaultSession

EXPORT_FORMAT = "musling-export"
EXPORT_VERSION = 1
"""Bumped when the file's own shape changes; records carry ``record_schema``."""

MAX_IMPORT_MIB = 20
MAX_IMPORT_BYTES = MAX_IMPORT_MIB * 1024 * 1024
"""The largest file an import reads (docs/data-format.md). Generous: the text of
several thousand full conversations; checked before the file is read whole."""

MAX_DEPTH = 16
"""How deeply arrays and objects may nest. The format itself needs 8 (a check-in's
items inside a mini-MUS inside a conversation); a test keeps this at least twice that."""

YEARS = range(1900, 2201)
"""The years an imported ``year``, date or date-time may have: anything outside is
a typing error, and dates near the calendar's ends overflow in reminder arithmetic."""

NUMBERS = range(0, 10_001)
"""Every other whole number in an imported record (version and revision numbers,
a schedule's months, weeks, days and minutes): far above any real one, and low
enough that no reminder computed from it leaves the calendar."""

T = TypeVar("T")


def app_version() -> str:
    """The installed package's version, else the source tree's pyproject, else "unknown"."""
    try:
        return metadata.version("musling")
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        version = tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"
    return str(version)


class ImportRejected(Exception):
    """The file is not imported at all. ``reason`` names the catalog key ``cli.import.<reason>``."""

    REASONS: tuple[str, ...] = tuple(IMPORT_REFUSALS)

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params

    @property
    def exit_code(self) -> int:
        """The CLI's exit code: the same as the app's error for this reason."""
        return IMPORT_REFUSALS[self.reason].exit_code


def too_large() -> ImportRejected:
    return ImportRejected("too_large", mib=MAX_IMPORT_MIB)


# ---------------------------------------------------------------- export


@dataclass(frozen=True, slots=True)
class ExportedData:
    """Everything one export carries, as domain objects."""

    conversations: tuple[ConversationRecord, ...] = ()
    agreed_versions: tuple[AgreedVersion, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    preferences: Preferences = field(default_factory=Preferences)

    def counts(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in KINDS}


def every_agreed_version(session: VaultSession) -> tuple[AgreedVersion, ...]:
    """All agreed versions, also of conversations since deleted (the repository asks per
    conversation; an export must miss nothing)."""
    table = (session.vault.read() or {}).get(VERSIONS, {})
    versions = [from_document(AgreedVersion, doc) for doc in table.values()]
    return tuple(sorted(versions, key=lambda v: (v.plan.conversation_id, v.version)))


def collect(session: VaultSession, preferences: Preferences) -> ExportedData:
    """What the open vault holds, read through its repositories."""
    repo = session.conversations()
    records = tuple(r for c in repo.list() if (r := repo.get(c.id)) is not None)
    schedules = sorted(session.schedules().all(), key=lambda s: s.conversation_id)
    return ExportedData(records, every_agreed_version(session), tuple(schedules), preferences)


def export_document(contents: ExportedData, now: datetime) -> dict[str, Any]:
    """The top-level object of ``docs/data-format.md``."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "app_version": app_version(),
        "record_schema": SCHEMA_VERSION,
        "conversations": [encode(r) for r in contents.conversations],
        "agreed_versions": [encode(v) for v in contents.agreed_versions],
        "schedules": [encode(s) for s in contents.schedules],
        "preferences": contents.preferences.to_dict(),
    }


def dump(document: Mapping[str, Any]) -> bytes:
    """UTF-8, indented, letters as they are (æøå, emoji, RTL readable in any editor).

    Text the UTF-8 codec cannot hold (a lone surrogate pasted from somewhere)
    falls back to ``\\u`` escapes for the whole file, which stays valid JSON.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(document, ensure_ascii=True, indent=2) + "\n").encode("ascii")


# ---------------------------------------------------------------- import


def parse(raw: bytes) -> ExportedData:
    """Validate the whole file and decode every record, or raise ``ImportRejected``.

    Size first, then nesting (``json`` recurses once per level, so a file of
    100,000 ``[`` would end in RecursionError), and only then JSON.
    """
    if len(raw) > MAX_IMPORT_BYTES:
        raise too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRejected("not_export") from None
    if nests_deeper(raw, MAX_DEPTH):
        raise ImportRejected("too_deep", depth=MAX_DEPTH)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise ImportRejected("not_export") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportRejected("not_export")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRejected("not_export")
    if version > EXPORT_VERSION:
        raise ImportRejected("newer")
    schema = document.get("record_schema", 1)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise ImportRejected("not_export")
    if schema > SCHEMA_VERSION:
        raise ImportRejected("newer")

    records = _decode_all(document, "conversations", ConversationRecord, schema)
    versions = _decode_all(document, "agreed_versions", AgreedVersion, schema)
    schedules = _decode_all(document, "schedules", Schedule, schema)
    for index, v in enumerate(versions):
        if fingerprint(v.content) != v.fingerprint:  # content edited or cut: not what was agreed
            raise ImportRejected("bad_record", kind="agreed_versions", index=index)
    _check_ranges(records, "conversations")
    _check_ranges(versions, "agreed_versions")
    _check_ranges(schedules, "schedules")
    _unique(records, "conversations", lambda r: r.id)
    _unique(versions, "agreed_versions", lambda v: (v.plan.conversation_id, v.version))
    _unique(schedules, "schedules", lambda s: s.conversation_id)
    preferences = Preferences.from_dict(document.get("preferences"))
    return ExportedData(records, versions, schedules, preferences)


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_PAIR = re.compile(rb"\[\]|\{\}")


def nests_deeper(raw: bytes, limit: int) -> bool:
    """Whether the JSON in UTF-8 ``raw`` nests arrays and objects more than ``limit`` deep.

    Without recursion, at C speed (about as long as ``json.loads`` of the same
    file; under 10 % of a whole ``parse``): strings are removed (``"`` and ``\\`` are ASCII,
    never part of a longer UTF-8 letter), then everything but brackets; each
    pass removes the innermost empty pairs, one level. A run of ``limit + 1``
    opening brackets is too deep at once. Brackets that do not pair are left to
    ``json`` to refuse, unless they are too deep before they go wrong.
    """
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    too_many_open = re.compile(rb"[\[{]" + b"{%d}" % (limit + 1))
    for _ in range(limit):
        if too_many_open.search(brackets):
            return True
        brackets, removed = _PAIR.subn(b"", brackets)
        if not removed:
            return False
    return bool(_PAIR.search(brackets) or too_many_open.search(brackets))


def _check_ranges(items: tuple[object, ...], kind: str) -> None:
    for index, item in enumerate(items):
        problem = _out_of_range(item)
        if problem == "bad_year":
            raise ImportRejected(problem, kind=kind, index=index, first=YEARS[0], last=YEARS[-1])
        if problem == "bad_number":
            raise ImportRejected(problem, kind=kind, index=index, last=NUMBERS[-1])


def _out_of_range(value: object) -> str | None:
    """``bad_year`` for a date, date-time or ``year`` outside ``YEARS``, ``bad_number``
    for another whole number outside ``NUMBERS``, anywhere in a decoded record."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, date):  # a datetime is a date too
            if item.year not in YEARS:
                return "bad_year"
        elif isinstance(item, tuple):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            for f in dataclasses.fields(item):
                inner = getattr(item, f.name)
                if isinstance(inner, int) and not isinstance(inner, bool):
                    if f.name == "year" and inner not in YEARS:
                        return "bad_year"
                    if f.name != "year" and inner not in NUMBERS:
                        return "bad_number"
                stack.append(inner)
    return None


def _decode_all(document: Mapping[str, Any], kind: str, cls: type[T], schema: int) -> tuple[T, ...]:
    items = document.get(kind, [])
    if not isinstance(items, list):
        raise ImportRejected("not_export")
    out: list[T] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ImportRejected("bad_record", kind=kind, index=index)
        try:
            out.append(from_document(cls, {**item, "_schema": schema}))
        except NewerFormat:
            raise ImportRejected("newer") from None
        except (VaultDamaged, TypeError, ValueError, KeyError):
            raise ImportRejected("bad_record", kind=kind, index=index) from None
    return tuple(out)


def _unique(items: tuple[T, ...], kind: str, key: Callable[[T], object]) -> None:
    seen: set[object] = set()
    for index, item in enumerate(items):
        k = key(item)
        if k in seen:
            raise ImportRejected("duplicate", kind=kind, index=index)
        seen.add(k)


def merge(session: VaultSession, contents: ExportedData, *, replace: bool) -> MergeReport:
    """Write the decoded records into the open vault, by id.

    Each record is saved durably as it goes; an import cut short (power, disk
    full) leaves the records saved so far, and running it again finishes it,
    since identical records count as unchanged.
    """
    report = MergeReport()
    conversations = session.conversations()
    tally = report.tallies["conversations"]
    for record in contents.conversations:
        if _decide(tally, conversations.get(record.id), record, replace):
            conversations.save(record)

    versions = session.versions()
    tally = report.tallies["agreed_versions"]
    for version in contents.agreed_versions:
        existing = next(
            (
                v
                for v in versions.for_conversation(version.plan.conversation_id)
                if v.version == version.version
            ),
            None,
        )
        if _decide(tally, existing, version, replace=False):
            versions.add(version)

    schedules = session.schedules()
    tally = report.tallies["schedules"]
    for schedule in contents.schedules:
        if _decide(tally, schedules.get(schedule.conversation_id), schedule, replace):
            schedules.save(schedule)
    return report


def _decide(tally: Tally, existing: object | None, incoming: object, replace: bool) -> bool:
    """Count what happens to one record; True when it is to be written."""
    if existing is None:
        tally.added += 1
        return True
    if existing == incoming:
        tally.unchanged += 1
        return False
    if replace:
        tally.replaced += 1
        return True
    tally.skipped += 1
    return False
