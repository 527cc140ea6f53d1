"""The reports as plain data: labels, dates, private notes, verification helpers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mus.agreement import AgreedVersion, group_fingerprint
from mus.i18n import Translator, catalog
from mus.model import ConversationRecord, PrepNote
from mus.report import (
    Fields,
    ReportKind,
    Table,
    comparable,
    expected_text_lines,
    extract_fingerprint,
    extract_fingerprints,
    format_date,
    mini_mus_report,
    missing_text,
    plan_report,
    report_lines,
    summary_report,
)
from tests.pdf.conftest import AGREED_AT

ROOT = Path(__file__).resolve().parents[2]
DA, EN = Translator("da"), Translator("en")


def test_dates_in_danish_and_english() -> None:
    day = date(2026, 11, 24)
    assert format_date(day, DA) == "24. november 2026"
    assert format_date(day, DA, short=True) == "24.11.2026"
    assert format_date(date(2027, 3, 5), DA, short=True) == "05.03.2027"
    assert format_date(day, EN) == "24 November 2026"
    assert [format_date(date(2026, m, 1), DA).split()[1] for m in (1, 5, 12)] == [
        "januar",
        "maj",
        "december",
    ]


def test_the_plan_report_holds_every_field_in_order(record: ConversationRecord) -> None:
    report = plan_report(record, DA)
    lines = report_lines(report)
    text = "\n".join(lines)
    c = record.conversation
    for value in (c.employee_name, c.leader_name, c.unit):
        assert value in text
    order = [lines.index("Faglige mål"), lines.index("Personlige og sociale mål")]
    assert order == sorted(order)
    for goal in record.goals:
        assert any(goal.title in line for line in lines)
        assert goal.why in lines and goal.success_signs in lines
    for a in record.activities:
        assert any(a.description in line for line in lines)
        assert a.use_of_skills in lines
        assert any(a.follow_up_how in line for line in lines)
    assert "HR, uddannelseskonsulenten" in lines  # responsible "other" shows the name
    assert report.draft and report.version is None
    assert "UDKAST" in report.footer


def test_activity_tables_have_five_columns(record: ConversationRecord) -> None:
    tables = [b for s in plan_report(record, DA).sections for b in s.blocks if isinstance(b, Table)]
    assert tables
    for table in tables:
        assert len(table.widths) == len(table.headings)
        assert all(len(row) == len(table.headings) for row in table.rows)


def test_an_agreed_version_shows_who_agreed_when(version: AgreedVersion) -> None:
    report = plan_report(version, DA)
    lines = report_lines(report)
    assert not report.draft and report.version == 1
    assert "24. november 2026 kl. 14:05" in lines
    assert group_fingerprint(version.fingerprint) in lines
    assert report.footer == f"Fingeraftryk: {group_fingerprint(version.fingerprint)} · version 1"
    assert "fingerprint:" + version.fingerprint in report.metadata.keywords
    assert "version:1" in report.metadata.keywords


def test_english_labels(version: AgreedVersion) -> None:
    report = plan_report(version, EN)
    assert report.title == "Development plan " + str(version.plan.year)
    assert report.page_label == "page {page} of {pages}"
    assert report.metadata.language == "en"


def test_summary_leaves_private_notes_out_by_default(record: ConversationRecord) -> None:
    private = "Foråret var presset, da to kolleger var syge."
    shared_note = record.preparation.shared_notes()[0].text
    default = "\n".join(report_lines(summary_report(record, DA)))
    assert private not in default
    assert shared_note in default
    assert "Forberedelse (delt)" in default
    assert "Forberedelse (privat)" not in default
    included = "\n".join(report_lines(summary_report(record, DA, include_private_notes=True)))
    assert private in included and "Forberedelse (privat)" in included
    assert "Kursus i digital borgerbetjening" in included  # course wish, private


def test_summary_of_a_version_needs_the_preparation_for_private_notes(
    record: ConversationRecord, version: AgreedVersion
) -> None:
    with pytest.raises(ValueError, match="preparation"):
        summary_report(version, DA, include_private_notes=True)
    report = summary_report(version, DA, include_private_notes=True, preparation=record.preparation)
    assert any("presset" in line for line in report_lines(report))


def test_summary_topics_follow_the_form(record: ConversationRecord) -> None:
    report = summary_report(record, EN)
    topic_titles = [s.title for s in report.sections if s.level == 1]
    noted = [t for t in record.meeting_notes.topics if t.said]
    assert topic_titles[-1] == "Other topics"  # the topics without notes, in one line
    assert len(topic_titles) == len(noted) + 1
    assert topic_titles[0].startswith("1. ")
    assert all(re.match(r"\d+\. ", t) for t in topic_titles[:-1])


def test_shared_notes_are_stacked_under_their_question(record: ConversationRecord) -> None:
    shared = next(
        s for s in summary_report(record, DA).sections if s.title == "Forberedelse (delt)"
    )
    block = shared.blocks[0]
    assert isinstance(block, Fields) and block.stacked


def test_mini_mus_report(record: ConversationRecord) -> None:
    mini = replace(record.check_ins[0], id="mini-1")
    from mus.model import MiniMus

    m = MiniMus(
        "mini-1", mini, new_initiatives="Book læringsmakker-møder.", next_date=date(2027, 5, 1)
    )
    report = mini_mus_report(record, m, DA)
    lines = report_lines(report)
    assert report.kind is ReportKind.MINI_MUS and not report.draft
    assert "Book læringsmakker-møder." in lines
    assert "1. maj 2027" in lines
    assert "Gennemført" in lines
    assert any("Kursus i digital borgerbetjening" in line for line in lines)


def test_extract_fingerprint() -> None:
    text = (
        "foo\nFingeraftryk: 3f2a 9c1b\n0d4e 7a88 · version 2\nside 1 af 2\n"
        "Fingerprint: 3f2a9c1b0d4e7a88"
    )
    assert extract_fingerprints(text) == ("3f2a9c1b0d4e7a88", "3f2a9c1b0d4e7a88")
    assert extract_fingerprint(text) == "3f2a9c1b0d4e7a88"
    assert (
        extract_fingerprint("Fingeraftryk: 3f2a 9c1b 0d4e 7a89 … Fingeraftryk: 3f2a 9c1b 0d4e 7a88")
        is None
    )
    assert extract_fingerprint("dead beef cafe babe") is None
    assert extract_fingerprint("Fingeraftryk: 3f2a 9c1b 0d4e 7a88ff") is None


def test_missing_text_finds_a_changed_line(version: AgreedVersion) -> None:
    report = plan_report(version, DA)
    body = "\n".join(report_lines(report))
    assert missing_text(report, [body]) == ()
    tampered = body.replace("3 dage", "5 dage")
    assert missing_text(report, [tampered]) != ()
    assert comparable("Æble – “x” 😀 1") == "Æblex1"


def test_expected_text_lines_match_the_report(version: AgreedVersion) -> None:
    assert expected_text_lines(version, "en") == report_lines(plan_report(version, EN))
    assert expected_text_lines(version, "da", ReportKind.SUMMARY) == report_lines(
        summary_report(version, DA)
    )


def test_every_pdf_key_is_used_and_every_used_key_exists() -> None:
    source = "".join((ROOT / "mus" / n).read_text("utf-8") for n in ("report.py", "agreement.py"))
    keys = {k for k in catalog("da") if k.startswith("pdf.")}
    dynamic = ("pdf.month.", "pdf.goal_kind_plural.", "pdf.meta.subject.", "pdf.agreement.")
    unused = sorted(k for k in keys if f'"{k}"' not in source and not k.startswith(dynamic))
    assert unused == []
    used = set(re.findall(r'"(pdf\.[a-z0-9_.]+)"', source))
    assert sorted(used - keys) == []


def test_private_note_marked_shared_moves_to_the_shared_section(
    record: ConversationRecord,
) -> None:
    prep = record.preparation.with_note(PrepNote("A3", "Nu delt med Lars.", AGREED_AT, shared=True))
    lines = report_lines(summary_report(replace(record, preparation=prep), DA))
    assert "Nu delt med Lars." in lines
