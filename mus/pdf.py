"""A :class:`~mus.report.Report` as PDF bytes: the only module that imports fpdf2.

A4, the bundled DejaVu Sans (parsed once per process, see :func:`_font`), a
header with the title and the people and a footer with the fingerprint and
"side 2 af 3" on every page, "UDKAST" on every page of a draft, tables whose
heading row repeats after a page break, and an outline (bookmarks) of the
sections.

Determinism: the same report and ``created`` give byte-identical output (the
document ID is fpdf2's MD5 of the content and the creation date). With a
password the file is AES-256 encrypted, which uses random salts and IVs, so
encrypted output differs from run to run; its metadata is encrypted too, and
``/Lang`` is left out (fpdf2 writes it unencrypted, which breaks pdfminer).

Text the font cannot draw (most emoji, rare scripts) is replaced by U+FFFD
"�", one per run of missing characters; control characters are already gone
(:func:`mus.agreement.clean_text`). Right-to-left text is drawn in logical
order without shaping (no HarfBuzz on the phone): legible for short names,
never a crash.
"""

from __future__ import annotations

import copy
import math
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fpdf import FPDF, FontFace, TextStyle
from fpdf.enums import (
    AccessPermission,
    Align,
    EncryptionMethod,
    TableBordersLayout,
    TextEmphasis,
    VAlign,
    XPos,
    YPos,
)
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.prefs import ViewerPreferences

from mus.report import Block, Bullets, Field, Fields, Paragraph, Report, Section, Table

FONT_DIR = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FAMILY = "dejavu"
_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
REPLACEMENT = "\ufffd"

# Layout, in mm and points.
MARGIN_X = 18.0
MARGIN_TOP = 22.0
MARGIN_BOTTOM = 20.0
BODY_PT = 10.0
BODY_LH = 5.0
SMALL_PT = 8.0
TABLE_PT = 8.5
TABLE_LH = 4.2
LABEL_W = 50.0
TALL_ROW = 0.6  # a table row taller than this share of the page is drawn as fields

INK = (33, 37, 41)
MUTED = (100, 108, 116)
ACCENT = (0, 121, 107)  # teal 700, the app's seed colour
ACCENT_LIGHT = (224, 242, 241)  # teal 50
RULE = (190, 198, 204)
DRAFT = (198, 40, 40)
WATERMARK = (252, 234, 234)


# ---------------------------------------------------------------- fonts, parsed once


@cache
def _template(path: str) -> TTFFont:
    """The parsed font (cmap, widths, descriptor); ~40 ms, so once per process."""
    return TTFFont(FPDF(), Path(path), FAMILY, "")


@cache
def coverage(path: str) -> frozenset[int]:
    """The code points the font at ``path`` can draw."""
    return frozenset(_template(path).cmap)


def _install(pdf: FPDF, style: str, path: Path) -> None:
    """Add the cached font to ``pdf`` as fpdf2's ``add_font`` would, without re-parsing.

    Per document: a fresh fontTools handle (fpdf2 subsets it in place when it
    writes the file), a fresh subset map, widths and descriptor; the parsed
    tables are shared read-only. A test checks the output equals ``add_font``'s.
    """
    template = _template(str(path))
    font: TTFFont = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(template, name):
            setattr(font, name, getattr(template, name))
    fontkey = f"{FAMILY}{style}"
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
    font.cw = copy.copy(template.cw)  # a defaultdict: the copy keeps its default width
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[fontkey] = font


def _add_fonts(pdf: FPDF, font_dir: Path, *, cached: bool) -> None:
    for style, name in _FILES.items():
        if cached:
            _install(pdf, style, font_dir / name)
        else:
            pdf.add_font(FAMILY, style, str(font_dir / name))


def drawable(text: str, covered: frozenset[int]) -> str:
    """``text`` with each run of characters outside ``covered`` as one U+FFFD."""
    out: list[str] = []
    for ch in text:
        if ch == "\n" or ord(ch) in covered:
            out.append(ch)
        elif not out or out[-1] != REPLACEMENT:
            out.append(REPLACEMENT)
    return "".join(out)


# ---------------------------------------------------------------- the document


class _Document(FPDF):
    """FPDF with Musling's page furniture: header, draft watermark, footer."""

    def __init__(self, report: Report, font_dir: Path, *, cached_fonts: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        _add_fonts(self, font_dir, cached=cached_fonts)
        self._covered = {
            "": coverage(str(font_dir / _FILES[""])),
            "B": coverage(str(font_dir / _FILES["B"])),
        }
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        self.set_section_title_styles(
            TextStyle(FAMILY, "B", 14, ACCENT, t_margin=5, b_margin=2),
            TextStyle(FAMILY, "B", 12, INK, t_margin=3, b_margin=1.5),
            TextStyle(FAMILY, "B", 11, INK, t_margin=3, b_margin=1.5),
        )

    # -------------------------------------------------- text helpers

    def txt(self, text: str, style: str = "") -> str:
        return drawable(text, self._covered[style])

    def use(
        self, style: str = "", size: float = BODY_PT, colour: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*colour)

    def para(
        self, text: str, *, style: str = "", lh: float = BODY_LH, x: float | None = None
    ) -> None:
        if x is not None:
            self.set_x(x)
        self.multi_cell(
            0 if x is None else self.w - self.r_margin - x,
            lh,
            self.txt(text, style),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def fit(self, text: str, width: float, lines: int) -> str:
        """``text`` cut (with "…") so it fits in ``lines`` lines of ``width``."""
        if self.get_string_width(text) <= width * lines * 0.92:
            return text
        cut = text
        while cut and self.get_string_width(cut + "…") > width * lines * 0.92:
            cut = cut[: max(1, len(cut) * 9 // 10 - 1)] if len(cut) > 40 else cut[:-1]
        return cut.rstrip() + "…"

    # -------------------------------------------------- furniture

    def header(self) -> None:
        r = self.report
        if r.draft:
            self._watermark()
        top = 9.0
        right = 0.0
        if r.draft:
            self.use("B", 9, DRAFT)
            mark = self.txt(r.draft_mark, "B")
            right = self.get_string_width(mark) + 4
            self.set_xy(self.w - self.r_margin - right + 4, top)
            self.cell(right - 4, 4, mark, align=Align.R)
        self.use("", SMALL_PT, MUTED)
        width = self.epw - right
        self.set_xy(self.l_margin, top)
        self.multi_cell(
            width,
            3.6,
            self.fit(self.txt(r.header), width, 2),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        line_y = max(self.get_y() + 1, 15.0)
        self.line(self.l_margin, line_y, self.w - self.r_margin, line_y)
        self.set_y(MARGIN_TOP)
        self.use()

    def _watermark(self) -> None:
        self.use("B", 96, WATERMARK)
        mark = self.txt(self.report.draft_mark, "B")
        w = self.get_string_width(mark)
        cx, cy = self.w / 2, self.h / 2
        with self.rotation(45, cx, cy):
            self.text(cx - w / 2, cy + 12, mark)

    def footer(self) -> None:
        r = self.report
        self.set_y(-MARGIN_BOTTOM + 5)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_y(self.get_y() + 1.5)
        self.use("", SMALL_PT, MUTED)
        label = r.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        widest = r.page_label.format(page=888, pages=888)
        label_w = self.get_string_width(widest) + 1
        self.cell(self.epw - label_w, 4, self.txt(r.footer), new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(label_w, 4, self.txt(label), align=Align.L)

    # -------------------------------------------------- body

    def title_block(self) -> None:
        r = self.report
        self.use("B", 20, ACCENT)
        self.para(r.title, style="B", lh=9)
        if r.subtitle:
            self.use("", 11, MUTED)
            self.para(r.subtitle, lh=5.5)
        self.ln(2)

    def lines(self, text: str, width: float) -> int:
        """About how many lines ``text`` takes at ``width`` in the current font."""
        usable = max(width, 1.0)
        return sum(
            max(1, math.ceil(self.get_string_width(part) * 1.08 / usable))
            for part in text.split("\n")
        )

    def first_height(self, block: Block) -> float:
        """About the height of a block's first unbreakable piece (a row, two lines)."""
        if isinstance(block, Table):
            self.use("B", TABLE_PT)
            widths = [self.epw * w / sum(block.widths) - 3.2 for w in block.widths]
            head = max(self.lines(h, w) for h, w in zip(block.headings, widths, strict=False))
            self.use("", TABLE_PT)
            first = block.rows[0] if block.rows else ()
            row = max((self.lines(c, w) for c, w in zip(first, widths, strict=False)), default=0)
            return (head + row) * TABLE_LH + 6
        if isinstance(block, Fields) and block.rows:
            self.use("", BODY_PT)
            return min(self.lines(block.rows[0].value, self.epw - LABEL_W), 3) * BODY_LH + 2
        return 2 * BODY_LH

    def needed(self, sections: tuple[Section, ...], index: int) -> float:
        """Room a heading needs below it: its own height and the start of what follows."""
        section = sections[index]
        own = (12.0 if section.level == 0 else 9.0) + self.lines(section.title, self.epw) * 2
        if section.blocks:
            return own + self.first_height(section.blocks[0])
        if index + 1 < len(sections) and sections[index + 1].level > section.level:
            return own + self.needed(sections, index + 1)
        return own

    def section(self, section: Section, needed: float) -> None:
        if self.will_page_break(needed):
            self.add_page()
        self.start_section(self.txt(section.title, "B"), level=section.level, strict=False)
        self.use()
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.use("", BODY_PT, MUTED if block.muted else INK)
                self.para(block.text)
                self.ln(1.5)
            elif isinstance(block, Fields):
                self.fields(block)
            elif isinstance(block, Table):
                self.table_block(block)
            elif isinstance(block, Bullets):
                self.bullets(block)

    def fields(self, block: Fields) -> None:
        value_x = self.l_margin + LABEL_W
        value_w = self.epw - LABEL_W
        for row in block.rows:
            self.use("B", 9, MUTED)
            label = self.txt(row.label, "B")
            stacked = block.stacked or self.get_string_width(label) > (LABEL_W - 3) * 2
            if self.will_page_break(2 * BODY_LH + 2):
                self.add_page()
            top = self.get_y()
            if stacked:
                self.para(row.label, style="B", lh=4.6)
                self.use("", BODY_PT, MUTED if row.muted else INK)
                self.para(row.value)
            else:
                self.multi_cell(
                    LABEL_W - 3, 4.6, label, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
                label_end, label_page = self.get_y(), self.page
                self.set_y(top + 0.4)
                self.use("", BODY_PT, MUTED if row.muted else INK)
                self.set_x(value_x)
                self.multi_cell(
                    value_w,
                    BODY_LH,
                    self.txt(row.value),
                    align=Align.L,
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
                if self.page == label_page:
                    self.set_y(max(self.get_y(), label_end))
            self.ln(1.2)
        self.ln(1)

    def bullets(self, block: Bullets) -> None:
        self.use("", BODY_PT, INK)
        for item in block.items:
            y = self.get_y()
            self.set_x(self.l_margin + 1)
            self.cell(4, BODY_LH, "•")
            self.set_xy(self.l_margin + 5, y)
            self.para(item, x=self.l_margin + 5)
        self.ln(1.5)

    def row_height(self, cells: tuple[str, ...], widths: list[float]) -> float:
        """About how tall a table row is (in the table font), from string widths."""
        lines = max((self.lines(c, w) for c, w in zip(cells, widths, strict=False)), default=1)
        return lines * TABLE_LH + 2.8

    def table_block(self, block: Table) -> None:
        """The table; a row too tall for a page (fpdf2 cannot split rows) is drawn
        as label–value lines between two parts of the table instead."""
        self.use("", TABLE_PT, INK)
        widths = [self.epw * w / sum(block.widths) - 3.2 for w in block.widths]
        limit = (self.h - MARGIN_TOP - MARGIN_BOTTOM) * TALL_ROW
        part: list[tuple[str, ...]] = []
        for cells in block.rows:
            if self.row_height(cells, widths) > limit:
                if part:
                    self.table_part(block, part)
                    part = []
                rows = tuple(Field(h, c) for h, c in zip(block.headings, cells, strict=False))
                self.fields(Fields(rows, stacked=True))
                self.use("", TABLE_PT, INK)
            else:
                part.append(cells)
        if part or not block.rows:
            self.table_part(block, part)

    def table_part(self, block: Table, rows: list[tuple[str, ...]]) -> None:
        self.use("", TABLE_PT, INK)
        headings = FontFace(emphasis="BOLD", color=ACCENT, fill_color=ACCENT_LIGHT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=block.widths,
            width=self.epw,
            line_height=TABLE_LH,
            text_align=Align.L,
            v_align=VAlign.T,
            headings_style=headings,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            padding=(1.4, 1.6, 1.4, 1.6),
            repeat_headings=1,
        ) as table:
            head = table.row()
            for text in block.headings:
                head.cell(self.txt(text, "B"))
            for cells in rows:
                row = table.row()
                for text in cells:
                    row.cell(self.txt(text))
        self.ln(3)


# ---------------------------------------------------------------- render


def _deterministic(created: datetime) -> datetime:
    """Naive times are taken as UTC, so output never depends on the machine's zone."""
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def plain_document(created: datetime) -> FPDF:
    """An A4 page set with the reports' fonts and a reproducible date, for a one-off
    sheet that is not a report (the recovery code's)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    _add_fonts(pdf, FONT_DIR, cached=True)
    pdf.set_creation_date(_deterministic(created))
    return pdf


def render(
    report: Report,
    *,
    created: datetime,
    password: str | None = None,
    font_dir: Path = FONT_DIR,
    cached_fonts: bool = True,
) -> bytes:
    """The report as PDF bytes; byte-identical for the same input unless encrypted.

    ``password`` (non-empty) encrypts with AES-256 (never RC4): the file then
    opens only with it. ``cached_fonts=False`` parses the fonts with fpdf2's own
    ``add_font`` (slower; for tests that the cache changes nothing).
    """
    pdf = _Document(report, font_dir, cached_fonts=cached_fonts)
    meta = report.metadata
    pdf.set_creation_date(_deterministic(created))
    pdf.set_title(meta.title)
    pdf.set_author(meta.author)
    pdf.set_subject(meta.subject)
    pdf.set_keywords(meta.keywords)
    pdf.set_creator(meta.creator)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    if password:
        pdf.set_encryption(
            owner_password=password,
            user_password=password,
            encryption_method=EncryptionMethod.AES_256,
            permissions=AccessPermission.all(),
            encrypt_metadata=True,
        )
    else:
        pdf.set_lang(meta.language)
    pdf.add_page()
    pdf.title_block()
    for index, section in enumerate(report.sections):
        pdf.section(section, pdf.needed(report.sections, index))
    out: Any = pdf.output()
    return bytes(out)
