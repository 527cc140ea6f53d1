"""The PDF bytes: goldens, text a reader extracts, pages, draft mark, password, qpdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from mus.agreement import AgreedVersion, group_fingerprint
from mus.i18n import Translator
from mus.model import ConversationRecord, MiniMus
from mus.pdf import REPLACEMENT, drawable, render
from mus.report import (
    Report,
    extract_fingerprint,
    extract_fingerprints,
    mini_mus_report,
    missing_text,
    plan_report,
    summary_report,
)
from tests.pdf.conftest import (
    AGREED_AT,
    CREATED,
    GOLDEN,
    agree_confirmed,
    demo_record,
    demo_version,
    long_record,
)

DA, EN = Translator("da"), Translator("en")


def pages_text(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def long_version() -> AgreedVersion:
    return agree_confirmed(long_record(), "Sofie Eksempel", "Lars Eksempel", AGREED_AT)


def mini_mus(record: ConversationRecord) -> MiniMus:
    from dataclasses import replace
    from datetime import date

    check_in = replace(record.check_ins[0], id="mini-check-in-1")
    return MiniMus(
        "mini-1",
        check_in,
        new_initiatives="Læringsmakker-møderne sættes i kalenderen for resten af året.",
        next_date=date(2027, 5, 20),
    )


# ---------------------------------------------------------------- goldens

GOLDENS = {
    "plan_demo_agreed_da.pdf": lambda: plan_report(demo_version(), DA),
    "plan_long_draft_da.pdf": lambda: plan_report(long_record(), DA),
    "summary_demo_agreed_en.pdf": lambda: summary_report(demo_version(), EN),
    "mini_mus_demo_da.pdf": lambda: mini_mus_report(demo_record(), mini_mus(demo_record()), DA),
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden(name: str, regen_golden: bool) -> None:
    """Byte-exact: fpdf2's document ID is an MD5 of the content and the fixed creation date."""
    data = render(GOLDENS[name](), created=CREATED)
    path = GOLDEN / name
    if regen_golden or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if not regen_golden:
            pytest.fail(f"{name} was missing and has been written; check it and commit it")
    assert data == path.read_bytes(), f"{name} changed: rerun with --regen-golden and look"


def test_same_input_gives_identical_bytes(version: AgreedVersion) -> None:
    report = plan_report(version, DA)
    assert render(report, created=CREATED) == render(report, created=CREATED)
    later = render(report, created=datetime(2027, 1, 1, tzinfo=CREATED.tzinfo))
    assert later != render(report, created=CREATED)


def test_the_font_cache_changes_nothing(version: AgreedVersion) -> None:
    report = plan_report(version, DA)
    cached = render(report, created=CREATED)
    assert render(report, created=CREATED, cached_fonts=False) == cached


# ---------------------------------------------------------------- what a reader sees


@pytest.fixture(scope="module")
def long_draft() -> tuple[Report, bytes]:
    report = plan_report(long_record(), DA)
    return report, render(report, created=CREATED)


@pytest.fixture(scope="module")
def demo_agreed() -> tuple[Report, bytes]:
    report = plan_report(demo_version(), DA)
    return report, render(report, created=CREATED)


def test_every_field_is_in_the_text_in_order(
    long_draft: tuple[Report, bytes], demo_agreed: tuple[Report, bytes]
) -> None:
    for report, data in (long_draft, demo_agreed):
        assert missing_text(report, pages_text(data)) == ()


def test_reader_finds_the_danish_values(demo_agreed: tuple[Report, bytes]) -> None:
    _, data = demo_agreed
    flat = re.sub(r"\s+", "", "".join(pages_text(data)))  # wrapping adds breaks anywhere
    for value in (
        "Sofie Eksempel",
        "Lars Eksempel",
        "Eksempel Kommune, Borgerservice",
        "Blive tryg i at vejlede borgere i digital selvbetjening",
        "Sofie Eksempel og Lars Eksempel",  # an activity both start, by name
        "HR, uddannelseskonsulenten",
        "Laver en kort tjekliste til skranken, som alle kan bruge.",
        "Sidemandsoplæring",
        "Opfølgning på sidste plan",
        "24. november 2026 kl. 14:05",
    ):
        assert re.sub(r"\s+", "", value) in flat, value


def test_long_plan_runs_over_pages_numbered_on_each(long_draft: tuple[Report, bytes]) -> None:
    _, data = long_draft
    texts = pages_text(data)
    assert len(texts) > 3
    for number, text in enumerate(texts, 1):
        assert f"side {number} af {len(texts)}" in text


def test_fingerprint_on_every_page_and_in_metadata(demo_agreed: tuple[Report, bytes]) -> None:
    report, data = demo_agreed
    texts = pages_text(data)
    assert all(extract_fingerprint(t) == report.fingerprint for t in texts)
    assert len(extract_fingerprints("\n".join(texts))) >= len(texts)
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert f"fingerprint:{report.fingerprint}" in str(meta.get("/Keywords"))
    assert "version:1" in str(meta.get("/Keywords"))
    assert meta.get("/Creator") == "Musling"
    assert meta.title == report.metadata.title
    assert group_fingerprint(report.fingerprint) in texts[-1]


def test_draft_mark_on_every_page_of_a_draft_only(
    long_draft: tuple[Report, bytes], demo_agreed: tuple[Report, bytes]
) -> None:
    draft_pages = pages_text(long_draft[1])
    assert all("UDKAST" in t for t in draft_pages)
    assert all("UDKAST" not in t for t in pages_text(demo_agreed[1]))


def test_english_pages(version: AgreedVersion) -> None:
    texts = pages_text(render(plan_report(version, EN), created=CREATED))
    assert all(f"page {i} of {len(texts)}" in t for i, t in enumerate(texts, 1))
    assert "Development plan" in texts[0]


def test_summary_text_private_notes(record: ConversationRecord) -> None:
    private = "Foråret var presset"
    default = " ".join(pages_text(render(summary_report(record, DA), created=CREATED)))
    assert private not in default and "Forberedelse (delt)" in default
    with_private = summary_report(record, DA, include_private_notes=True)
    assert private in " ".join(pages_text(render(with_private, created=CREATED)))


def test_mini_mus_fits_one_page(record: ConversationRecord) -> None:
    data = render(mini_mus_report(record, mini_mus(record), DA), created=CREATED)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_language_is_set_when_not_encrypted(demo_agreed: tuple[Report, bytes]) -> None:
    root = PdfReader(io.BytesIO(demo_agreed[1])).root_object
    assert str(root["/Lang"]) == "da"
    assert "/Outlines" in root


# ---------------------------------------------------------------- password


def test_password_protected_pdf_needs_its_password(version: AgreedVersion) -> None:
    report = plan_report(version, DA)
    data = render(report, created=CREATED, password="hemmelig æøå")
    assert b"/AESV3" in data and b"/V 5" in data
    assert b"Sofie" not in data  # metadata is encrypted too
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    wrong = PdfReader(io.BytesIO(data))
    assert not wrong.decrypt("forkert")
    texts = pages_text(data, "hemmelig æøå")
    assert extract_fingerprint(texts[0]) == report.fingerprint
    assert missing_text(report, texts) == ()
    opened = PdfReader(io.BytesIO(data))
    opened.decrypt("hemmelig æøå")
    assert "/Lang" not in opened.root_object


# ---------------------------------------------------------------- qpdf


QPDF = shutil.which("qpdf")


@pytest.mark.skipif(QPDF is None, reason="qpdf is not installed (Debian package qpdf)")
def test_qpdf_check_passes(
    tmp_path: Path,
    record: ConversationRecord,
    long_draft: tuple[Report, bytes],
    demo_agreed: tuple[Report, bytes],
) -> None:
    files = {
        "long.pdf": long_draft[1],
        "agreed.pdf": demo_agreed[1],
        "summary.pdf": render(
            summary_report(record, DA, include_private_notes=True), created=CREATED
        ),
        "mini.pdf": render(mini_mus_report(record, mini_mus(record), EN), created=CREATED),
        "encrypted.pdf": render(demo_agreed[0], created=CREATED, password="pw"),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        args = [str(QPDF), "--check"]
        if name == "encrypted.pdf":
            args.append("--password=pw")
        out = subprocess.run([*args, str(path)], capture_output=True, text=True, check=False)
        assert out.returncode == 0, (name, out.stdout, out.stderr)
        assert "No syntax or stream encoding errors" in out.stdout, name


# ---------------------------------------------------------------- characters


def test_characters_outside_the_font_become_one_replacement_each() -> None:
    covered = frozenset(map(ord, "abc \n"))
    assert drawable("a🧑‍🤝‍🧑b\nc", covered) == f"a{REPLACEMENT}b\nc"
    assert drawable("𓀀𓀁 a", covered) == f"{REPLACEMENT} a"
