"""Emoji in PDFs: drawn from the bundled monochrome Noto Emoji, never "�" or a box.

What a reader extracts (the code points), which fonts the file embeds, and that
the embedded glyph for each emoji has an outline (not ``.notdef``, not empty).
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from fontTools import ttLib
from pypdf import PdfReader

from mus.i18n import Translator
from mus.model import ConversationRecord
from mus.pdf import REPLACEMENT, drawable, render
from mus.report import Report, missing_text, plan_report
from tests.pdf.conftest import CREATED

DA = Translator("da")
TITLE = "Blive tryg 😀 i digital selvbetjening 🚀👍🏽"
WHY = "Flere borgere 🎉 skal klare sagerne selv ✅ – også 𓀀 her"
EMOJI = "🚀👍🎉✅"  # none of them in DejaVu Sans


def _with_emoji(record: ConversationRecord) -> ConversationRecord:
    goal = replace(record.goals[0], title=TITLE, why=WHY)
    return replace(record, goals=(goal, *record.goals[1:]))


@pytest.fixture(scope="module")
def emoji_plan() -> tuple[Report, bytes]:
    from tests.pdf.conftest import demo_record

    report = plan_report(_with_emoji(demo_record()), DA)
    return report, render(report, created=CREATED)


def _fonts(data: bytes) -> dict[str, Any]:
    """Every embedded font of the file by its base name (subset prefix dropped)."""
    fonts: dict[str, Any] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = font
    return fonts


def test_emoji_are_in_the_text_a_reader_extracts(emoji_plan: tuple[Report, bytes]) -> None:
    report, data = emoji_plan
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Blive tryg 😀 i digital selvbetjening 🚀👍" in text
    assert "Flere borgere 🎉 skal klare sagerne selv ✅ – også � her" in text
    assert "\U0001f3fd" not in text  # the skin tone is left out, the thumb stays
    assert text.count(REPLACEMENT) == 1  # only the hieroglyph no bundled font has
    assert missing_text(report, [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]) == ()


def test_the_emoji_font_draws_them_with_outlines(emoji_plan: tuple[Report, bytes]) -> None:
    _, data = emoji_plan
    fonts = _fonts(data)
    emoji = next(f for name, f in fonts.items() if name.startswith("NotoEmoji"))
    descendant = emoji["/DescendantFonts"][0].get_object()
    program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    font = ttLib.TTFont(io.BytesIO(program))
    cmap = font.getBestCmap()
    glyf: Any = font["glyf"]
    for ch in EMOJI:
        name = cmap[ord(ch)]
        assert name != ".notdef", ch
        assert glyf[name].numberOfContours != 0, ch  # a drawn glyph, not an empty box


def test_a_document_without_emoji_embeds_only_dejavu(record: ConversationRecord) -> None:
    data = render(plan_report(record, DA), created=CREATED)
    assert sorted(_fonts(data)) == ["DejaVuSansBold", "DejaVuSansBook"]


def test_the_font_cache_changes_nothing_with_emoji_either(
    emoji_plan: tuple[Report, bytes],
) -> None:
    report, data = emoji_plan
    assert render(report, created=CREATED, cached_fonts=False) == data


def test_one_emoji_font_serves_bold_headings_and_body_text(
    emoji_plan: tuple[Report, bytes],
) -> None:
    _, data = emoji_plan
    assert sorted(_fonts(data)) == ["DejaVuSansBold", "DejaVuSansBook", "NotoEmoji"]


def test_skin_tones_are_left_out_and_the_rest_replaced_once_per_run() -> None:
    covered = frozenset(map(ord, "ab👍"))
    assert drawable("a👍🏽b", covered) == "a👍b"
    assert drawable("a🏽🏿b", covered) == "ab"
    assert drawable("a𓀀𓀁🏽b", covered) == f"a{REPLACEMENT}b"
