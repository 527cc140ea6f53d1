"""Musling's own line breaking and tables (fpdf2 draws single lines only)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from mus.i18n import Translator
from mus.model import Activity, ActivityKind, ConversationRecord
from mus.pdf import BODY_PT, FONT_DIR, TABLE_PT, _Document, render
from mus.report import Field, Fields, missing_text, plan_report
from tests.pdf.conftest import CREATED, demo_record

DA = Translator("da")


def _document() -> _Document:
    doc = _Document(plan_report(demo_record(), DA), FONT_DIR, cached_fonts=True)
    doc.add_page()
    doc.use("", BODY_PT)
    return doc


DOC = _document()

words = st.lists(
    st.text(alphabet="abcæøå ÆØÅ–“”0123456789WMil.,", min_size=0, max_size=60), max_size=30
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(words, st.floats(8.0, 170.0), st.sampled_from(["", "B"]))
def test_every_line_fits_and_no_word_is_lost(text: str, width: float, style: str) -> None:
    DOC.use(style, BODY_PT)
    text = " ".join(text.split())  # as clean_text leaves it: one space between words
    lines = DOC.wrap(text, width)
    inner = width - 2 * DOC.c_margin
    for line in lines:
        assert DOC.width(line) <= inner + 1e-9 or len(line) == 1, (line, width)
        assert (
            DOC.width(line) == DOC.get_string_width(line)
            or abs(DOC.width(line) - DOC.get_string_width(line)) < 1e-6
        )  # the same widths fpdf2 measures
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert " ".join(lines).split() == text.split() or any(
        DOC.width(w) > inner for w in text.split()
    )


def test_line_breaks_blank_lines_and_a_word_wider_than_the_line() -> None:
    DOC.use("", BODY_PT)
    assert DOC.wrap("første\n\nanden", 100) == ["første", "", "anden"]
    long = "uddannelseskonsulenten" * 3
    pieces = DOC.wrap(f"HR {long} slut", 30)
    assert pieces[0] == "HR" and len(pieces) > 3
    assert "".join(pieces).replace(" ", "") == f"HR{long}slut"
    assert all(DOC.width(p) <= 30 - 2 * DOC.c_margin for p in pieces)


def test_a_label_is_stacked_over_its_value_when_it_takes_more_than_two_lines() -> None:
    doc = _document()
    doc.use("B", 9)
    assert len(doc.wrap("Sådan ser vi, at målet er nået", 47)) == 2
    long_label = "Et meget langt spørgsmål, der ikke kan stå i den smalle kolonne til venstre"
    assert len(doc.wrap(long_label, 47)) > 2
    above = len(doc.wrap(long_label, doc.epw))  # stacked: the label over the whole width
    before = doc.get_y()
    doc.fields(Fields((Field(long_label, "Svar"),)))
    assert doc.get_y() - before == pytest.approx(above * 4.6 + 5 + 1.2 + 1)  # then the value


def _many_activities(n: int) -> ConversationRecord:
    base = demo_record()
    goal = base.goals[0]
    activities = tuple(
        Activity(
            f"a-{i}",
            goal.id,
            ActivityKind.COURSE,
            f"Aktivitet {i} med en beskrivelse, der fylder et par linjer i tabellen",
            when=date(2027, 1, 1),
            follow_up_how="Vi følger op på det ugentlige møde",
        )
        for i in range(n)
    )
    return replace(base, goals=(goal,), activities=activities)


def test_a_table_over_several_pages_repeats_its_heading_row_on_each() -> None:
    report = plan_report(_many_activities(40), DA)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render(report, created=CREATED))).pages]
    table_pages = [p for p in pages if "Aktivitet 1" in p or "Aktivitet 3" in p]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert text.count("Sådan bruges det") == 1, text[:300]  # one heading row per page
    assert missing_text(report, pages) == ()


def test_a_row_too_tall_for_a_page_is_drawn_as_fields() -> None:
    base = _many_activities(1)
    huge = replace(base.activities[0], use_of_skills="Mange ord " * 900)
    report = plan_report(replace(base, activities=(huge,)), DA)
    data = render(report, created=CREATED)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) > 2
    assert missing_text(report, pages) == ()
    doc = _document()
    doc.use("", TABLE_PT)
    assert doc.row_height(doc.cell_lines(["Mange ord " * 900], [30.0])) > doc.h


def test_text_that_looks_like_fpdf2s_page_count_alias_prints_as_typed() -> None:
    base = demo_record()
    goal = replace(base.goals[0], why="Se side {nb} i bilaget")
    report = plan_report(replace(base, goals=(goal, *base.goals[1:])), DA)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render(report, created=CREATED))).pages]
    assert "Se side {nb} i bilaget" in pages[0]
    assert all(f"side {n} af {len(pages)}" in text for n, text in enumerate(pages, 1))
