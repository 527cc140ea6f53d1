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
