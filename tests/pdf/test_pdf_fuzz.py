"""Any content gives a readable PDF: long texts, emoji, RTL, control characters, many goals."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from mus.agreement import clean_text
from mus.i18n import Translator
from mus.model import Activity, ActivityKind, Goal, GoalKind, Responsible
from mus.pdf import render
from mus.report import extract_fingerprint, plan_report, summary_report
from tests.pdf.conftest import CREATED, agree_confirmed, demo_record

ODD = [
    "😀👍🏽🧑‍🤝‍🧑🇩🇰",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "\x00\x07\x1b[31m\r\n\t",
    "𓀀𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "日本語のテキスト",
    "æøå ÆØÅ – “citat” € …",
    "e\u0301 a\u030a",
    "\ufeff\u200b\u00ad",
    "x" * 400,
    "ord " * 300,
]
text = st.one_of(
    st.text(max_size=120),
    st.sampled_from(ODD),
    st.lists(st.sampled_from(ODD), max_size=4).map(" ".join),
)
days = st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2100, 12, 31)))


@st.composite
def records(draw: st.DrawFn, max_goals: int = 6) -> object:
    base = demo_record()
    n = draw(st.integers(0, max_goals))
    goals = tuple(
        Goal(f"goal-{i}", draw(st.sampled_from(GoalKind)), draw(text), draw(text), draw(text))
        for i in range(n)
    )
    activities = tuple(
        Activity(
            f"activity-{i}-{j}",
            f"goal-{i}",
            draw(st.sampled_from(ActivityKind)),
            draw(text),
            draw(st.sampled_from(Responsible)),
            draw(text),
            draw(days),
            draw(text),
            draw(days),
            draw(text),
        )
        for i in range(n)
        for j in range(draw(st.integers(0, 2)))
    )
    conversation = replace(
        base.conversation, employee_name=draw(text), leader_name=draw(text), unit=draw(text)
    )
    notes = replace(base.meeting_notes, summary=draw(text))
    return replace(
        base, conversation=conversation, goals=goals, activities=activities, meeting_notes=notes
    )


def readable(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [p.extract_text() for p in reader.pages]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from(["da", "en"]))
def test_any_plan_renders_to_a_readable_pdf(record: object, language: str) -> None:
    from mus.model import ConversationRecord

    assert isinstance(record, ConversationRecord)
    report = plan_report(record, Translator(language))
    texts = readable(render(report, created=CREATED))
    assert texts
    assert extract_fingerprint(texts[0]) == report.fingerprint


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(max_goals=3), text, text)
def test_any_summary_and_agreement_render(record: object, employee: str, leader: str) -> None:
    from mus.model import ConversationRecord

    assert isinstance(record, ConversationRecord)
    version = agree_confirmed(
        record, employee + "x", leader + "y", datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert version.agreement.employee_typed == clean_text(employee + "x")
    report = summary_report(version, Translator("da"))
    assert readable(render(report, created=CREATED))


def test_two_hundred_goals() -> None:
    base = demo_record()
    goals = tuple(
        Goal(f"goal-{i}", list(GoalKind)[i % 3], f"Mål {i} 😀 שלום", "Hvorfor " * 5, "Tegn")
        for i in range(200)
    )
    activities = tuple(
        Activity(
            f"activity-{i}", f"goal-{i}", ActivityKind.COURSE, f"Kursus {i}", when=date(2027, 1, 1)
        )
        for i in range(200)
    )
    report = plan_report(replace(base, goals=goals, activities=activities), Translator("da"))
    texts = readable(render(report, created=CREATED))
    assert len(texts) > 20
    assert f"side {len(texts)} af {len(texts)}" in texts[-1]
