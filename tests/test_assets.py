"""What the app ships: a font that covers what phones type, an offline page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ASSETS = Path(__file__).resolve().parents[1] / "assets"
PHONE_TYPOGRAPHY = "æøåÆØÅéüö€–—“”‘’„…•·×✓★"


@pytest.mark.parametrize("name", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_bundled_font_covers_danish_and_phone_typography(name: str) -> None:
    cmap = TTFont(ASSETS / "fonts" / name).getBestCmap()
    assert [c for c in PHONE_TYPOGRAPHY if ord(c) not in cmap] == []


def test_index_html_is_offline_and_accessible() -> None:
    html = (ASSETS / "index.html").read_text("utf-8")
    assert '<html lang="da">' in html
    assert "Content-Security-Policy" in html
    assert "flt-semantics-placeholder" in html
    assert "flutter-first-frame" in html
    # No address of another host anywhere in the page.
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []


EMOJI_TYPED = "😀👍🎉🙏😊🤔✅🔥💪🌟👏😅🥳📅🎓☕️"


def test_emoji_fonts_cover_what_phones_type() -> None:
    """The app's colour font (COLR) and the PDF's monochrome font both draw the
    emoji people type most; the colour font leaves ASCII to DejaVu (its blank
    keycap digits once hid the digits of every time shown)."""
    colour = TTFont(ASSETS / "fonts" / "TwemojiMozilla.ttf")
    mono = TTFont(ASSETS / "fonts" / "NotoEmoji-Regular.ttf")
    assert "COLR" in colour and "CPAL" in colour
    dejavu = TTFont(ASSETS / "fonts" / "DejaVuSans.ttf").getBestCmap()
    wanted = [c for c in EMOJI_TYPED if ord(c) >= 0x2000 and c != "\ufe0f"]
    assert [c for c in wanted if ord(c) not in mono.getBestCmap()] == []
    # In the app DejaVu draws the few it has (☕, in black); the colour font the rest.
    drawn = colour.getBestCmap().keys() | dejavu.keys()
    assert [c for c in wanted if ord(c) not in drawn] == []
    assert not [cp for cp in colour.getBestCmap() if cp < 0x2000]


def test_every_bundled_font_has_its_licence_beside_it() -> None:
    fonts = ASSETS / "fonts"
    for name, licence in (
        ("DejaVuSans.ttf", "DejaVu-LICENSE.txt"),
        ("TwemojiMozilla.ttf", "TwemojiMozilla-LICENSE.txt"),
        ("NotoEmoji-Regular.ttf", "NotoEmoji-LICENSE.txt"),
    ):
        assert (fonts / name).is_file()
        assert "Open Font License" in (fonts / licence).read_text("utf-8") or name.startswith(
            "DejaVu"
        )
