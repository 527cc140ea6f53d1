"""``data import`` refuses what no export holds with one line: too large, nested too deep,
years outside 1900-2200, numbers outside 0-10000; "Uventet fejl" never appears for a
file, whatever it holds (hypothesis fuzzes it). The app's import uses the same
``storage.portability.parse`` (``tests/storage/test_import_limits.py``).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import shutil
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mus.agreement import AgreedContent, AgreedVersion, fingerprint
from mus.model import ConversationRecord
from mus.reminders import Schedule
from storage.codec import decode
from storage.portability import (
    MAX_DEPTH,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MIB,
    NUMBERS,
    YEARS,
    ImportRejected,
    nests_deeper,
    parse,
)
from tests.cli.conftest import Cli, Result

TOO_LARGE = f"Filen er større end {MAX_IMPORT_MIB} MiB"
TOO_DEEP = "Filen er ikke en eksport fra Musling: den har lister eller objekter inden i"
NOT_EXPORT = "Filen er ikke en eksport fra Musling"
BUG = ("Uventet", "Unexpected", "Traceback")

Doc = dict[str, Any]


@pytest.fixture
def exported(demo_cli: Cli, tmp_path: Path) -> Doc:
    """The example as an export file holds it."""
    path = tmp_path / "example.json"
    assert demo_cli("data", "export", str(path)).code == 0
    data: Doc = json.loads(path.read_text("utf-8"))
    return data


def import_doc(cli: Cli, doc: Doc | bytes, folder: Path, *extra: str) -> Result:
    path = folder / "import.json"
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode())
    result = cli("data", "import", str(path), *extra)
    assert not any(word in result.err for word in BUG), result.err
    return result


def refit(doc: Doc) -> Doc:
    """Agreed versions get the fingerprint of their (changed) content, as a forger would."""
    for version in doc["agreed_versions"]:
        version["agreement"]["fingerprint"] = fingerprint(decode(AgreedContent, version["content"]))
    return doc


# ---------------------------------------------------------------- size


def test_a_file_over_the_limit_is_refused_unread(demo_cli: Cli, tmp_path: Path) -> None:
    """A sparse file of 1 TiB: refused from its size alone (reading it would never end)."""
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(2**40)
    result = demo_cli("data", "import", str(path))
    assert result.code == 1
    assert result.error_line.startswith(TOO_LARGE)
    assert result.error_line.endswith("Intet er importeret.")


def test_a_device_is_read_no_further_than_the_limit(demo_cli: Cli) -> None:
    """``/dev/zero`` never ends; the import stops reading one byte past the limit."""
    result = demo_cli("data", "import", "/dev/zero")
    assert result.code == 1
    assert result.error_line.startswith(TOO_LARGE)


def test_one_byte_over_is_refused_and_the_limit_itself_is_not(
    demo_cli: Cli, exported: Doc, tmp_path: Path
) -> None:
    body = json.dumps(exported).encode()
    padding = MAX_IMPORT_BYTES - len(body)
    assert import_doc(demo_cli, body + b" " * padding, tmp_path).code == 0
    over = import_doc(demo_cli, body + b" " * (padding + 1), tmp_path)
    assert over.code == 1
    assert over.error_line.startswith(TOO_LARGE)


# ---------------------------------------------------------------- nesting


def _deep_in_a_record(doc: Doc, depth: int) -> Doc:
    doc["conversations"][0]["conversation"]["unit"] = json.loads("[" * depth + "]" * depth)
    return doc


@pytest.mark.parametrize(
    "bomb",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"[" * 1_000_000,  # never closed
        b'{"format": "musling-export", "version": 1, "conversations": '
        + b"[{" * 50_000
        + b"}]" * 50_000
        + b"}",
    ],
    ids=["lists", "objects", "unclosed", "inside-an-export"],
)
def test_a_json_bomb_is_refused_in_one_line(demo_cli: Cli, tmp_path: Path, bomb: bytes) -> None:
    result = import_doc(demo_cli, bomb, tmp_path)
    assert result.code == 1
    assert result.error_line.startswith(TOO_DEEP)


def test_one_level_over_the_limit_is_too_deep(demo_cli: Cli, exported: Doc, tmp_path: Path) -> None:
    """The unit is 4 levels in; the list there takes the file to ``MAX_DEPTH + 1``."""
    over = import_doc(demo_cli, _deep_in_a_record(exported, MAX_DEPTH + 1 - 4), tmp_path)
    assert over.code == 1
    assert over.error_line.startswith(TOO_DEEP)
    within = import_doc(demo_cli, _deep_in_a_record(exported, MAX_DEPTH - 4), tmp_path)
    assert within.code == 3  # deep enough to parse; a list is no unit
    assert within.error_line.startswith("Posten conversations[0]")


def _type_depth(tp: object) -> int:
    """How deeply ``storage.codec.encode`` nests a value of this type (0 for a leaf)."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return max(_type_depth(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is tuple:
        return 1 + max(_type_depth(a) for a in typing.get_args(tp) if a is not Ellipsis)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return 1 + max(_type_depth(hints[f.name]) for f in dataclasses.fields(tp))
    return 0


def test_the_format_itself_nests_well_within_the_limit(exported: Doc) -> None:
    """Top object, then an array of records: 2 + the deepest record type."""
    needed = 2 + max(_type_depth(t) for t in (ConversationRecord, AgreedVersion, Schedule))
    assert needed <= MAX_DEPTH // 2
    assert not nests_deeper(json.dumps(exported).encode(), needed)
    assert nests_deeper(json.dumps(exported).encode(), 3)


@pytest.mark.parametrize(
    ("text", "deeper_than_2"),
    [
        ('[[1], {"a": 2}]', False),
        ('[[1], {"a": [2]}]', True),
        ("[[[1]]]", True),
        ('{"a": {"b": {"c": 1}}}', True),
        ('{"a": "[[[[[[", "b": "\\"[[[[["}', False),  # brackets in strings do not count
        ('["\\\\", "[[[[", 1]', False),  # an escaped backslash escapes no quote
        ("[{[]}]", True),  # one level per pass, also when kinds alternate
        ("[}", False),  # unpaired: json refuses it, not the depth check
    ],
)
def test_nesting_is_measured_outside_strings(text: str, deeper_than_2: bool) -> None:
    assert nests_deeper(text.encode(), 2) is deeper_than_2


# ---------------------------------------------------------------- years and numbers

Edit = Callable[[Doc], object]


def _conversation(doc: Doc) -> Doc:
    record: Doc = doc["conversations"][0]
    return record


def _agreed_in_1800(doc: Doc) -> None:
    doc["agreed_versions"][0]["content"]["plan"]["year"] = 1800
    refit(doc)


YEAR_CASES: dict[str, tuple[Edit, str]] = {
    "year-1899": (lambda d: _conversation(d)["conversation"].update(year=1899), "conversations"),
    "year-2201": (lambda d: _conversation(d)["conversation"].update(year=2201), "conversations"),
    "meeting-0001": (
        lambda d: _conversation(d)["conversation"].update(meeting_date="0001-01-01"),
        "conversations",
    ),
    "meeting-9999": (
        lambda d: _conversation(d)["conversation"].update(meeting_date="9999-12-31"),
        "conversations",
    ),
    "created-1899": (
        lambda d: _conversation(d)["conversation"].update(created_at="1899-12-31T23:59:59+00:00"),
        "conversations",
    ),
    "activity-2201": (
        lambda d: _conversation(d)["activities"][0].update(when="2201-01-01"),
        "conversations",
    ),
    "reminder-9999": (
        lambda d: d["schedules"][0]["reminders"][0].update(due="9999-12-31"),
        "schedules",
    ),
    "agreed-plan-year": (_agreed_in_1800, "agreed_versions"),
}


@pytest.mark.parametrize("case", sorted(YEAR_CASES))
def test_a_year_outside_1900_2200_is_refused(
    demo_cli: Cli, exported: Doc, tmp_path: Path, case: str
) -> None:
    edit, kind = YEAR_CASES[case]
    edit(exported)
    result = import_doc(demo_cli, exported, tmp_path, "--replace")
    assert result.code == 3
    assert result.error_line == (
        f"Posten {kind}[0] i filen har et årstal uden for 1900–2200. Intet er importeret."
    )


NUMBER_CASES: dict[str, Edit] = {
    "days-before-deadline": lambda d: d["schedules"][0]["settings"].update(
        days_before_deadline=10_001
    ),
    "quarter-months": lambda d: d["schedules"][0]["settings"].update(quarter_months=10**9),
    "revision-negative": lambda d: d["schedules"][0]["reminders"][0].update(revision=-1),
    "revision-huge": lambda d: d["schedules"][0]["reminders"][0].update(revision=10**30),
}


@pytest.mark.parametrize("case", sorted(NUMBER_CASES))
def test_a_number_outside_0_10000_is_refused(
    demo_cli: Cli, exported: Doc, tmp_path: Path, case: str
) -> None:
    NUMBER_CASES[case](exported)
    result = import_doc(demo_cli, exported, tmp_path, "--replace")
    assert result.code == 3
    assert result.error_line == (
        "Posten schedules[0] i filen har et tal over 10000 eller under 0. Intet er importeret."
    )


def test_the_edges_are_accepted_and_every_command_copes(
    demo_cli: Cli, exported: Doc, tmp_path: Path
) -> None:
    """1900-01-01, 2200-12-31 and 10000 everywhere: imported, listed, put in a calendar
    and a PDF without an error (no date arithmetic leaves the calendar)."""
    record = _conversation(exported)
    record["conversation"].update(year=2200, meeting_date="2200-12-31")
    record["activities"][0].update(when="1900-01-01", follow_up_when="2200-12-31")
    settings_ = exported["schedules"][0]["settings"]
    for name in settings_:
        if isinstance(settings_[name], int):
            settings_[name] = 10_000
    exported["schedules"][0]["reminders"][0].update(due="1900-01-01", revision=10_000)
    assert import_doc(demo_cli, exported, tmp_path, "--replace").code == 0
    for args in (
        ("reminders", "list", "--days", "3660"),
        ("reminders", "ics", "--out", str(tmp_path / "r.ics")),
        ("pdf", "export", "--conversation", "latest", "--out", str(tmp_path / "p.pdf")),
        ("data", "export", str(tmp_path / "again.json")),
    ):
        result = demo_cli(*args)
        assert result.code == 0, (args, result.err)


# ---------------------------------------------------------------- fuzzing

_DATE = st.one_of(
    st.dates(date(1899, 12, 25), date(2201, 1, 5)),
    st.dates(),
    st.sampled_from([date.min, date.max]),
).map(date.isoformat)
_OFFSET = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
_DATETIME = st.datetimes(timezones=_OFFSET).map(datetime.isoformat)
_ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _leaves(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, dict):
        return [path] + [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [path] + [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


def _odd_value(original: object) -> st.SearchStrategy[object]:
    """Something of roughly the original's kind, or anything at all."""
    text = original if isinstance(original, str) else ""
    if isinstance(original, bool):
        alike: st.SearchStrategy[object] = st.booleans()
    elif isinstance(original, int):
        edges = [-1, 0, 1, 1899, 1900, 2200, 2201, 10_000, 10_001, 2**63]
        alike = st.integers() | st.sampled_from(edges)
    elif len(text) == 10 and text[4:5] == "-":
        alike = _DATE
    elif text[4:5] == "-" and "T" in text:
        alike = _DATETIME
    elif isinstance(original, str):
        alike = st.text() | st.sampled_from(["", "00:00", "24:00", "9:5", "example"])
    elif isinstance(original, list):
        alike = st.just([]) | st.just(original * 2)
    else:
        return _ANY_JSON
    return alike | _ANY_JSON


def _at(doc: Doc, path: tuple[str | int, ...]) -> object:
    node: Any = doc
    for key in path:
        node = node[key]
    return node


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Doc]:
    """One data folder with the example, copied for every example the fuzzer tries."""
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    cli = Cli(folder)
    assert cli("demo").code == 0
    assert cli("data", "export", str(folder.parent / "example.json")).code == 0
    return folder, json.loads((folder.parent / "example.json").read_text("utf-8"))


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), replace=st.booleans())
def test_fuzzed_imports_end_in_a_refusal_or_a_success(
    fuzz_base: tuple[Path, Doc], tmp_path_factory: pytest.TempPathFactory, data: Any, replace: bool
) -> None:
    """Up to three leaves of the example changed to odd values (agreed versions refitted,
    so their content is judged, not their fingerprint): exit 0, 1, 3 or 5 with one line;
    after a success, the commands that compute dates from the records still work."""
    base, example = fuzz_base
    doc = copy.deepcopy(example)
    paths = [p for p in _leaves(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            parent: Any = _at(doc, path[:-1])
            parent[path[-1]] = data.draw(_odd_value(_at(doc, path)))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced what this path went through
    with contextlib.suppress(Exception):  # content that does not decode keeps its print
        refit(doc)
    folder = tmp_path_factory.mktemp("fuzzed") / "data"
    shutil.copytree(base, folder)
    cli = Cli(folder)
    result = import_doc(cli, doc, folder.parent, *(["--replace"] if replace else []))
    assert result.code in (0, 1, 3, 5), result.err
    if result.code:
        assert result.error_line.endswith("Intet er importeret."), result.err
        return
    for args in (
        ("reminders", "list"),
        ("reminders", "ics", "--out", str(folder.parent / "r.ics")),
        ("data", "export", str(folder.parent / "again.json")),
    ):
        after = cli(*args)
        assert not any(word in after.err for word in BUG), (args, after.err)
        assert after.code == 0, (args, after.err)


@settings(max_examples=300, deadline=None, database=None)
@given(raw=st.binary(max_size=200) | _ANY_JSON.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_parse_to_a_refusal_or_data(raw: bytes) -> None:
    """The parser alone (the app's import too): only ``ImportRejected`` ever leaves it."""
    with contextlib.suppress(ImportRejected):
        parse(raw)


@settings(max_examples=300, deadline=None, database=None)
@given(
    key=st.sampled_from(["conversations", "agreed_versions", "schedules", "preferences"]),
    value=_ANY_JSON,
)
def test_any_json_in_an_export_parses_to_a_refusal_or_data(key: str, value: object) -> None:
    doc = {"format": "musling-export", "version": 1, key: value}
    with contextlib.suppress(ImportRejected):
        parse(json.dumps(doc).encode())


def test_the_documents_state_the_limits_the_code_has() -> None:
    root = Path(__file__).resolve().parents[2]
    rules = (root / "docs" / "data-format.md").read_text("utf-8")
    cli_doc = (root / "docs" / "cli.md").read_text("utf-8")
    for text in (rules, cli_doc):
        assert f"{MAX_IMPORT_MIB} MiB" in text
        assert f"{MAX_DEPTH} levels" in text
        assert f"{YEARS[0]}–{YEARS[-1]}" in text
        assert f"{NUMBERS[0]}–{NUMBERS[-1]}" in text
