"""FORMAT.md's tables of what is and is not detected name a test for each line:
every test they name exists (so the document cannot drift from the proof)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMAT = ROOT / "storage" / "FORMAT.md"
REFERENCE = re.compile(r"`((?:tests/[a-z_/]+/)?test_[a-z0-9_]+\.py)?(?:::(\w+)(?:\[[\w.-]+\])?)?`")


def named_tests() -> list[tuple[Path, str | None]]:
    """(file, test or None) for every backticked test reference in the tables;
    ``::name`` alone continues the file named before it on the same line."""
    found: list[tuple[Path, str | None]] = []
    for line in FORMAT.read_text("utf-8").splitlines():
        if not line.startswith("|"):
            continue
        current: Path | None = None
        for file, test in REFERENCE.findall(line):
            if file:
                current = ROOT / file if file.startswith("tests/") else _find(file)
            if current is not None and (file or test):
                found.append((current, test or None))
    return found


def _find(name: str) -> Path:
    matches = list((ROOT / "tests").rglob(name))
    assert len(matches) == 1, name
    return matches[0]


def test_every_line_names_an_existing_test() -> None:
    references = named_tests()
    assert len(references) >= 30
    for path, test in references:
        assert path.is_file(), path
        if test is not None:
            assert re.search(rf"^def {test}\(", path.read_text("utf-8"), re.M), (path, test)


def test_every_table_line_has_a_test() -> None:
    text = FORMAT.read_text("utf-8")
    section = text[text.index("## What is detected") : text.index("## Version 1")]
    rows = [
        line
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| change") and "---" not in line
    ]
    rows = [row for row in rows if not row.startswith("| state ")]
    assert len(rows) >= 20
    for row in rows:
        assert "test_" in row.split("|")[-2], row
