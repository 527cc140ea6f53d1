"""What a leader reads: topics without notes in one line, owners by name, course wishes.

Report level (plain data) and, where it matters, the rendered PDF's text.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from mus.agreement import AgreedVersion, PlannedCourse, changed_since, fingerprint, snapshot
from mus.i18n import Translator
from mus.model import ConversationRecord, MeetingNotes, Responsible, TopicNote
from mus.pdf import render
from mus.report import (
    EDITIONS,
    Fields,
    Paragraph,
    ReportKind,
    Section,
    Table,
    missing_text,
    plan_report,
    summary_report,
)
from storage.cli_pdf import matching_version
from storage.codec import decode, encode
from tests.pdf.conftest import AGREED_AT, CREATED, agree_confirmed, demo_version

DA, EN = Translator("da"), Translator("en")

#: The example's agreed fingerprint before course wishes could be put in the plan
#: (also in docs/data-format.md): what was agreed then must still verify.
DEMO_FINGERPRINT = "363c730a2aa25395"


def _section(sections: tuple[Section, ...], title: str) -> Section:
    return next(s for s in sections if s.title == title)


def _fields(section: Section) -> dict[str, str]:
    return {row.label: row.value for b in section.blocks if isinstance(b, Fields) for row in b.rows}


def _texts(report_sections: tuple[Section, ...]) -> list[str]:
    return [b.text for s in report_sections for b in s.blocks if isinstance(b, Paragraph)]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------- the summary's topics


def _with_topics(record: ConversationRecord, *topics: TopicNote) -> ConversationRecord:
    return replace(record, meeting_notes=MeetingNotes(topics=topics, summary="Aftalt."))


def test_topics_without_notes_are_one_line_not_a_page_of_nothing_noted(
    record: ConversationRecord,
) -> None:
    report = summary_report(record, DA)
    assert "Intet noteret." not in _texts(report.sections)
    topics = [s for s in report.sections if s.level == 1]
    noted = [t for t in record.meeting_notes.topics if t.said]
    assert [s.title.split(". ", 1)[0] for s in topics[:-1]] == [
        str(n) for n in range(1, len(noted) + 1)
    ]
    assert [s.blocks for s in topics[:-1]] == [(Paragraph(t.said),) for t in noted]
    rest = _fields(_section(report.sections, "Øvrige emner"))
    assert list(rest) == ["Gennemgået uden noter"]  # every topic of the example was covered
    unnoted = rest["Gennemgået uden noter"].split(" · ")
    assert len(unnoted) == len(record.meeting_notes.topics) - len(noted)
    in_form = [t.text("da") for t in snapshot(record).summary.topics if not t.said]
    assert unnoted == in_form  # titles, in the form's order


def test_a_topic_not_reached_is_listed_in_one_line(record: ConversationRecord) -> None:
    ids = record.form.question_ids
    notes = _with_topics(
        record,
        TopicNote(ids[0], said="Godt år.", covered=True),
        TopicNote(ids[1], said="Talt lidt om det.", covered=False),  # notes count
        TopicNote(ids[2], covered=True),
    )
    report = summary_report(notes, EN)
    headings = [s.title for s in report.sections if s.level == 1]
    assert headings[0].startswith("1. ") and headings[1].startswith("2. ")
    assert headings[2] == "Other topics"
    rest = _fields(_section(report.sections, "Other topics"))
    assert list(rest) == ["Covered, nothing noted", "Not reached"]
    assert len(rest["Not reached"].split(" · ")) == len(ids) - 3
    text = _pdf_text(render(report, created=CREATED))
    assert "Not reached" in text and "Nothing noted." not in text


def test_no_topic_with_notes_says_so_once(record: ConversationRecord) -> None:
    report = summary_report(_with_topics(record), DA)
    assert not [s for s in report.sections if s.level == 1]
    topics = _section(report.sections, "Emner")
    assert topics.blocks[0] == Paragraph("Der er ikke noteret noget til emnerne.", muted=True)
    assert list(_fields(topics)) == ["Ikke nået"]


# ---------------------------------------------------------------- owners by name


def _owner_cells(report_sections: tuple[Section, ...], column: int) -> list[str]:
    return [
        row[column]
        for s in report_sections
        for b in s.blocks
        if isinstance(b, Table)
        for row in b.rows
        if len(b.headings) > column and b.headings[column] == "Ansvarlig"
    ]


def test_activity_owners_show_the_plans_names(record: ConversationRecord) -> None:
    by_role = {a.responsible: a.id for a in record.activities}
    assert set(by_role) == set(Responsible)  # the example has one of each
    expected = {
        Responsible.BOTH: "Sofie Eksempel og Lars Eksempel",
        Responsible.EMPLOYEE: "Sofie Eksempel (medarbejder)",
        Responsible.LEADER: "Lars Eksempel (leder)",
        Responsible.OTHER: "HR, uddannelseskonsulenten",
    }
    cells = set(_owner_cells(plan_report(record, DA).sections, 1))
    assert set(expected.values()) <= cells
    assert DA("responsible.employee") not in cells and DA("responsible.leader") not in cells
    assert set(expected.values()) <= set(_owner_cells(summary_report(record, DA).sections, 2))
    english = plan_report(record, EN).sections
    assert "Sofie Eksempel (employee)" in {
        row[1] for s in english for b in s.blocks if isinstance(b, Table) for row in b.rows
    }


def test_an_owner_without_a_name_keeps_the_role_word(record: ConversationRecord) -> None:
    nameless = replace(record, conversation=replace(record.conversation, employee_name=" "))
    cells = set(_owner_cells(plan_report(nameless, DA).sections, 1))
    assert DA("responsible.employee") in cells  # employee, and "both" needs both names
    assert DA("responsible.both") in cells
    assert "Lars Eksempel (leder)" in cells


# ---------------------------------------------------------------- course wishes in the plan


def _chosen(record: ConversationRecord) -> ConversationRecord:
    wishes = tuple(replace(w, in_plan=True) for w in record.preparation.course_wishes)
    return replace(record, preparation=replace(record.preparation, course_wishes=wishes))


def test_a_course_wish_is_in_the_plan_only_when_chosen(record: ConversationRecord) -> None:
    assert not record.preparation.course_wishes[0].in_plan
    titles = [s.title for s in plan_report(record, DA).sections]
    assert "Kursusønsker" not in titles
    chosen = plan_report(_chosen(record), DA)
    section = _section(chosen.sections, "Kursusønsker")
    table = section.blocks[0]
    assert isinstance(table, Table)
    assert table.headings == ("Kursus eller uddannelse", "Pris", "Tid")
    wish = record.preparation.course_wishes[0]
    assert table.rows == (
        (wish.title, wish.cost, f"{wish.time_needed}\nEgen tid: {wish.own_time}"),
    )
    assert wish.gain_for_workplace not in str(chosen)  # the argument stays private
    titles = [s.title for s in chosen.sections]
    assert titles.index("Kursusønsker") < titles.index("Opfølgning på sidste plan")
    text = _pdf_text(render(chosen, created=CREATED)).replace("\n", " ")
    assert "Kursusønsker" in text and "Kursus i digital borgerbetjening" in text


def test_a_chosen_course_wish_is_agreed_content(record: ConversationRecord) -> None:
    before = agree_confirmed(record, "Sofie Eksempel", "Lars Eksempel", AGREED_AT)
    chosen = _chosen(record)
    assert changed_since(chosen, before)  # choosing it changes what is agreed
    wish = record.preparation.course_wishes[0]
    assert snapshot(chosen).course_wishes == (
        PlannedCourse(wish.id, wish.title, wish.cost, wish.time_needed, wish.own_time),
    )
    after = agree_confirmed(chosen, "Sofie Eksempel", "Lars Eksempel", AGREED_AT, previous=before)
    assert after.fingerprint != before.fingerprint
    assert "Kursusønsker" in [s.title for s in plan_report(after, DA).sections]
    # Changing the private argument of a chosen wish changes nothing agreed.
    private = replace(wish, in_plan=True, gain_for_workplace="Andet argument")
    edited = replace(chosen, preparation=replace(chosen.preparation, course_wishes=(private,)))
    assert not changed_since(edited, after)


def test_versions_agreed_before_course_wishes_keep_their_fingerprint() -> None:
    version = demo_version()
    assert version.fingerprint == DEMO_FINGERPRINT
    assert fingerprint(version.content) == DEMO_FINGERPRINT
    stored = encode(version)
    del stored["content"]["course_wishes"]  # as an app before this field stored it
    loaded: AgreedVersion = decode(AgreedVersion, stored)
    assert loaded == version
    assert fingerprint(loaded.content) == loaded.agreement.fingerprint == DEMO_FINGERPRINT


# ---------------------------------------------------------------- older PDFs still verify


EDITION_1 = Path(__file__).resolve().parents[1] / "golden" / "edition1"


@pytest.mark.parametrize(
    ("name", "kind", "language"),
    [
        ("plan_demo_agreed_da.pdf", ReportKind.PLAN, "da"),
        ("summary_demo_agreed_en.pdf", ReportKind.SUMMARY, "en"),
    ],
)
def test_a_pdf_exported_before_this_layout_still_verifies(
    name: str, kind: ReportKind, language: str
) -> None:
    """The example's PDFs as Musling exported them before issue 11 (the goldens of
    commit 7c38f00): ``pdf verify`` finds their version through edition 1."""
    version = demo_version()
    texts = [p.extract_text() for p in PdfReader(EDITION_1 / name).pages]
    t = Translator(language)
    build = plan_report if kind is ReportKind.PLAN else summary_report
    assert missing_text(build(version, t), texts) != ()  # today's layout differs
    assert missing_text(build(version, t, edition=1), texts) == ()
    assert matching_version(texts, (version,), (kind,)) == version
    changed = [text.replace("Eksempel Kommune", "Eksempel Komune") for text in texts]
    assert matching_version(changed, (version,), (kind,)) is None  # a changed text still fails


def test_every_edition_builds_without_error(record: ConversationRecord) -> None:
    for edition in EDITIONS:
        assert plan_report(_chosen(record), DA, edition=edition).sections
        assert summary_report(record, EN, edition=edition).sections
