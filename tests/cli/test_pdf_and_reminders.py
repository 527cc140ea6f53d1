"""``pdf export``/``pdf verify`` and ``reminders list``/``ics`` (in-process)."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from mus.demo import EXAMPLE_ID
from tests.cli.conftest import PASSPHRASE, Cli

TJ = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj", re.DOTALL)


@pytest.fixture
def plan_pdf(demo_cli: Cli, tmp_path: Path) -> Path:
    out = tmp_path / "plan.pdf"
    result = demo_cli("pdf", "export", "--conversation", "latest", "--out", str(out))
    assert result.code == 0, result.err
    return out


def test_export_of_an_unchanged_plan_is_the_agreed_version(demo_cli: Cli, plan_pdf: Path) -> None:
    assert stat.S_IMODE(plan_pdf.stat().st_mode) == 0o600
    info = PdfReader(plan_pdf).metadata
    assert info is not None
    keywords = str(info["/Keywords"]).split()
    assert "status:agreed" in keywords
    assert "version:1" in keywords
    assert demo_cli("pdf", "verify", str(plan_pdf)).code == 0


def test_verify_accepts_the_summary_in_english(demo_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    made = demo_cli(
        "pdf", "export", "--conversation", EXAMPLE_ID, "--out", str(out), "--summary",
        "--language", "en",
    )  # fmt: skip
    assert made.code == 0, made.err
    assert "agreed version 1" in made.out
    result = demo_cli("pdf", "verify", str(out))
    assert result.code == 0, result.err
    assert result.out.startswith("Ægte: PDF'en er aftalt version 1")


def tampered(source: Path, target: Path) -> Path:
    """The PDF with one glyph of the subtitle (the unit) changed to another glyph."""
    reader = PdfReader(source)
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    data = contents.get_data()
    strings = list(TJ.finditer(data))
    unit = strings[2]  # header, title, subtitle
    start = unit.start(1) + 1  # the low byte of the first glyph id
    changed = data[:start] + bytes([data[start] ^ 0x01]) + data[start + 1 :]
    stream = ContentStream(None, writer)
    stream.set_data(changed)
    page.replace_contents(stream)
    buffer = BytesIO()
    writer.write(buffer)
    target.write_bytes(buffer.getvalue())
    return target


def test_a_changed_letter_is_found(demo_cli: Cli, plan_pdf: Path, tmp_path: Path) -> None:
    bad = tampered(plan_pdf, tmp_path / "bad.pdf")
    result = demo_cli("pdf", "verify", str(bad))
    assert result.code == 3
    assert result.error_line.startswith("Ikke bekræftet: teksten i PDF'en er ikke")


def test_a_draft_is_not_an_agreed_version(demo_cli: Cli, tmp_path: Path) -> None:
    session = demo_cli.session()
    session.unlock(PASSPHRASE)
    repo = session.conversations()
    record = repo.get(EXAMPLE_ID)
    assert record is not None
    repo.save(replace(record, conversation=replace(record.conversation, unit="Ny enhed")))
    session.lock()
    out = tmp_path / "draft.pdf"
    made = demo_cli("pdf", "export", "--conversation", "latest", "--out", str(out))
    assert made.code == 0
    assert "UDKAST" in made.out
    result = demo_cli("pdf", "verify", str(out))
    assert result.code == 3
    assert "udkast" in result.error_line


def test_a_pdf_from_another_vault_is_unknown(plan_pdf: Path, tmp_path: Path) -> None:
    other = Cli(tmp_path / "other")
    assert other("vault", "init").code == 0
    result = other("pdf", "verify", str(plan_pdf))
    assert result.code == 3
    assert "hører ikke til nogen aftalt version" in result.error_line


def test_a_file_that_is_no_pdf_or_has_no_fingerprint(demo_cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really")
    result = demo_cli("pdf", "verify", str(junk))
    assert result.code == 3
    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with blank.open("wb") as f:
        writer.write(f)
    result = demo_cli("pdf", "verify", str(blank))
    assert result.code == 3
    assert result.error_line == "Ikke bekræftet: PDF'en har intet læsbart fingeraftryk."


@pytest.mark.parametrize("source", ["sparse", "/dev/zero"])
def test_verify_reads_no_more_than_50_mib(demo_cli: Cli, tmp_path: Path, source: str) -> None:
    """A 1 TiB sparse file is refused from its size; ``/dev/zero`` after 50 MiB + 1 byte."""
    path = Path(source)
    if source == "sparse":
        path = tmp_path / "huge.pdf"
        with path.open("wb") as f:
            f.truncate(2**40)
    result = demo_cli("pdf", "verify", str(path))
    assert result.code == 3
    assert result.error_line.startswith("Ikke bekræftet: filen er større end 50 MiB")


def test_an_encrypted_export_verifies_with_its_password(demo_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "locked.pdf"
    env = {"PDF_PW": "hemmeligt kodeord"}
    made = demo_cli(
        "pdf", "export", "--conversation", "latest", "--out", str(out), "--password-env",
        "PDF_PW", env=env,
    )  # fmt: skip
    assert made.code == 0, made.err
    assert PdfReader(out).is_encrypted
    assert demo_cli("pdf", "verify", str(out)).code == 2
    assert demo_cli("pdf", "verify", str(out), "--password-env", "PDF_PW", env=env).code == 0
    missing = demo_cli("pdf", "verify", str(out), "--password-env", "NOT_SET")
    assert missing.code == 1
    assert "NOT_SET" in missing.error_line


def test_export_of_an_unknown_conversation(demo_cli: Cli, tmp_path: Path) -> None:
    result = demo_cli("pdf", "export", "--conversation", "nope", "--out", str(tmp_path / "x"))
    assert result.code == 1
    assert result.error_line == "Der er ingen samtale med det id."
    no_folder = demo_cli("pdf", "export", "--conversation", "latest", "--out", "/no/such/x.pdf")
    assert no_folder.code == 1


def test_reminders_list_shows_the_examples_due_item(demo_cli: Cli) -> None:
    result = demo_cli("reminders", "list")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 2
    overdue, coming = lines
    assert "over tiden" in overdue
    assert "Opfølgning på aktivitet" in overdue
    assert "Sidemandsoplæring" in overdue
    assert "Frist for aktivitet" in coming
    for personal in ("Sofie", "Lars", "Rolig og venlig", "Mødelokale"):
        assert personal not in result.out


def test_reminders_list_without_activity_text_in_english(demo_cli: Cli) -> None:
    result = demo_cli("reminders", "list", "--no-activity-text", "--language", "en", "--days", "0")
    assert result.code == 0
    assert len(result.out.splitlines()) == 1
    assert "overdue" in result.out
    assert "Sidemandsoplæring" not in result.out


def test_reminders_ics_parses_back(demo_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "musling.ics"
    result = demo_cli("reminders", "ics", "--out", str(out))
    assert result.code == 0, result.err
    calendar = Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    assert all(str(e["UID"]).endswith("@musling.invalid") for e in events)
    text = out.read_text("utf-8")
    assert "Sofie" not in text and "Lars" not in text
