"""A :class:`~mus.report.Report` as PDF bytes: the only module that imports fpdf2.

A4, the bundled DejaVu Sans (parsed once per process, see :func:`_template`),
a header with the title and the people and a footer with the fingerprint and
"side 2 af 3" on every page, "UDKAST" on every page of a draft, tables whose
heading row repeats after a page break, and an outline (bookmarks) of the
sections.

Determinism: the same report and ``created`` give byte-identical output (the
document ID is fpdf2's MD5 of the content and the creation date). With a
password the file is AES-256 encrypted, which uses random salts and IVs, so
encrypted output differs from run to run; its metadata is encrypted too, and
``/Lang`` is left out (fpdf2 writes it unencrypted, which breaks pdfminer).

Emoji DejaVu Sans lacks are drawn with the bundled monochrome Noto Emoji, an
fpdf2 fallback font that is embedded only in a document that uses it (a
fallback font makes fpdf2 look at every character, so other documents do
without). Skin-tone modifiers are left out (one colourless emoji instead of
an emoji and a swatch). Text neither font can draw (rare scripts) is replaced
by U+FFFD "�", one per run of missing characters; control characters are
already gone (:func:`mus.agreement.clean_text`). Right-to-left text is drawn
in logical order without shaping (no HarfBuzz on the phone): legible for
short names, never a crash.

Speed: text is broken into lines here, once, from per-process width tables
(fpdf2's ``multi_cell`` re-measures a line for every character it adds, and
its tables lay each cell out twice), then drawn a line at a time with
``cell``. ``bench/bench_pdf.py`` measures it against bare fpdf2.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import (
    AccessPermission,
    Align,
    EncryptionMethod,
    TextEmphasis,
    XPos,
    YPos,
)
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.prefs import ViewerPreferences

from mus.report import (
    Block,
    Bullets,
    Field,
    Fields,
    Paragraph,
    Report,
    Section,
    Table,
    report_lines,
)

FONT_DIR = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FAMILY = "dejavu"
_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
EMOJI_FAMILY = "notoemoji"
EMOJI_FILE = "NotoEmoji-Regular.ttf"
REPLACEMENT = "\ufffd"
#: Where fpdf2 writes the page count. Its default, "{nb}", could be typed in a
#: goal and would print as a number; control characters never survive clean_text.
PAGES = "\x00pages\x00"
#: Emoji modifiers a monochrome font cannot show (skin tones): left out.
DROPPED = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))

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
PAD_TOP, PAD_RIGHT, PAD_BOTTOM, PAD_LEFT = 1.4, 1.6, 1.4, 1.6  # table cells

INK = (33, 37, 41)
MUTED = (100, 108, 116)
ACCENT = (0, 121, 107)  # teal 700, the app's seed colour
ACCENT_LIGHT = (224, 242, 241)  # teal 50
RULE = (190, 198, 204)
DRAFT = (198, 40, 40)
WATERMARK = (252, 234, 234)

#: Section headings by outline level: size (pt), colour, space above and below (mm).
HEADINGS: dict[int, tuple[float, tuple[int, int, int], float, float]] = {
    0: (14.0, ACCENT, 5.0, 2.0),
    1: (12.0, INK, 3.0, 1.5),
}
HEADING_DEEPER = (11.0, INK, 3.0, 1.5)


# ---------------------------------------------------------------- fonts, parsed once


@cache
def _template(path: str) -> TTFFont:
    """The parsed font (cmap, widths, descriptor); ~40 ms, so once per process."""
    return TTFFont(FPDF(), Path(path), FAMILY, "")


@cache
def coverage(path: str) -> frozenset[int]:
    """The code points the font at ``path`` can draw."""
    return frozenset(_template(path).cmap)


#: Tables fpdf2 tells fontTools to drop when it subsets a font (fpdf/output.py).
#: fontTools still decompiles GSUB and GPOS first (to check their formats), a
#: fifth of the time a subset takes; a handle without them gives the same bytes.
_DROPPED_TABLES = frozenset(
    {"FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT"}
    | {"EBLC", "EBSC", "SVG ", "CPAL", "COLR"}
)


def _install(pdf: FPDF, style: str, path: Path, family: str = FAMILY) -> None:
    """Add the cached font to ``pdf`` as fpdf2's ``add_font`` would, without re-parsing.

    Per document: a fresh fontTools handle (fpdf2 subsets it in place when it
    writes the file) without the tables fpdf2 drops, a fresh subset map, widths
    and descriptor; the parsed tables are shared read-only. Tests check the
    output equals ``add_font``'s, byte for byte.
    """
    template = _template(str(path))
    font: TTFFont = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(template, name):
            setattr(font, name, getattr(template, name))
    fontkey = f"{family}{style}"
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
    tags = set(font.ttfont.keys())
    # fontTools drops the legacy kern table of a font that has GPOS.
    for tag in _DROPPED_TABLES.intersection(tags) | ({"kern"} & tags if "GPOS" in tags else set()):
        del font.ttfont[tag]  # dropped by fpdf2's subsetting anyway, after fontTools read them
    font.cw = copy.copy(template.cw)  # a defaultdict: the copy keeps its default width
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[fontkey] = font


def _add_font(pdf: FPDF, family: str, style: str, path: Path, *, cached: bool) -> None:
    if cached:
        _install(pdf, style, path, family)
    else:
        pdf.add_font(family, style, str(path))


def _add_fonts(pdf: FPDF, font_dir: Path, *, cached: bool) -> None:
    for style, name in _FILES.items():
        _add_font(pdf, FAMILY, style, font_dir / name, cached=cached)


class _Widths(dict[str, int]):
    """Advance widths (1/1000 em) by character in one face, taken from the fallback
    face where the face has no glyph; filled on first use."""

    def __init__(self, face: TTFFont, fallback: TTFFont | None) -> None:
        super().__init__()
        self.face = face
        self.fallback = fallback

    def __missing__(self, ch: str) -> int:
        code = ord(ch)
        if code not in self.face.cmap and self.fallback and code in self.fallback.cmap:
            width = int(self.fallback.cw[code])
        else:
            width = int(self.face.cw[code])
        self[ch] = width
        return width


@cache
def _widths(path: str, fallback: str | None) -> _Widths:
    """The width table of a face (with its fallback), shared by every document."""
    return _Widths(_template(path), _template(fallback) if fallback else None)


def drawable(text: str, covered: frozenset[int]) -> str:
    """``text`` with each run of characters outside ``covered`` as one U+FFFD;
    skin-tone modifiers are left out."""
    out: list[str] = []
    for ch in text:
        if ch in DROPPED:
            continue
        if ch == "\n" or ord(ch) in covered:
            out.append(ch)
        elif not out or out[-1] != REPLACEMENT:
            out.append(REPLACEMENT)
    return "".join(out)


def report_texts(report: Report) -> Iterable[str]:
    """Every text the renderer draws for ``report``, furniture included."""
    yield from report_lines(report)
    yield from (report.header, report.footer, report.page_label, report.draft_mark)


def _needs_emoji(texts: Iterable[str], font_dir: Path) -> bool:
    """Whether a text holds a character the text faces lack and the emoji font has."""
    both = coverage(str(font_dir / _FILES[""])) & coverage(str(font_dir / _FILES["B"]))
    emoji = coverage(str(font_dir / EMOJI_FILE))
    used = {ord(c) for c in itertools.chain.from_iterable(texts)}
    return any(c in emoji for c in used - both if chr(c) not in DROPPED)


# ---------------------------------------------------------------- the document


class _Document(FPDF):
    """FPDF with Musling's page furniture: header, draft watermark, footer."""

    def __init__(self, report: Report, font_dir: Path, *, cached_fonts: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        _add_fonts(self, font_dir, cached=cached_fonts)
        paths = {style: str(font_dir / name) for style, name in _FILES.items()}
        emoji: str | None = None
        if _needs_emoji(report_texts(report), font_dir):
            emoji = str(font_dir / EMOJI_FILE)
            _add_font(self, EMOJI_FAMILY, "", Path(emoji), cached=cached_fonts)
            self.set_fallback_fonts([EMOJI_FAMILY], exact_match=False)
        extra = coverage(emoji) if emoji else frozenset()
        self._covered = {style: coverage(path) | extra for style, path in paths.items()}
        self._widths = {style: _widths(path, emoji) for style, path in paths.items()}
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        self.alias_nb_pages(PAGES)

    # -------------------------------------------------- text helpers

    def txt(self, text: str, style: str = "") -> str:
        return drawable(text, self._covered[style])

    def use(
        self, style: str = "", size: float = BODY_PT, colour: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*colour)

    def width(self, text: str) -> float:
        """The width of ``text`` in mm in the current font (like ``get_string_width``)."""
        units = self._widths[self.font_style]
        return sum(map(units.__getitem__, text)) * self.font_size_pt / 1000 / self.k

    def wrap(self, text: str, width: float) -> list[str]:
        """The lines ``text`` (already drawable) takes in a ``width`` mm cell, in the
        current font: breaks at spaces and at "\\n"; inside a word only when the
        word alone is wider than a line. One pass, from the cached width table."""
        units = self._widths[self.font_style]
        limit = (width - 2 * self.c_margin) * self.k * 1000 / self.font_size_pt
        space = units[" "]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                wide = sum(map(units.__getitem__, word))
                if line and used + space + wide <= limit:
                    line.append(word)
                    used += space + wide
                    continue
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                if wide <= limit:
                    line, used = [word], wide
                    continue
                piece, used = "", 0.0
                for ch in word:  # a word wider than a line: cut where it must be
                    if piece and used + units[ch] > limit:
                        lines.append(piece)  # no hyphen: a search finds the word whole
                        piece, used = "", 0.0
                    piece += ch
                    used += units[ch]
                line = [piece]  # ``used`` is its width
            lines.append(" ".join(line))
        return lines

    def draw(self, lines: Sequence[str], x: float, width: float, lh: float) -> None:
        """Draw lines from the current y, each a ``cell`` at ``x``; a page break
        between lines continues at ``x`` on the next page."""
        for line in lines:
            if self.will_page_break(lh):
                self.add_page()
            self.set_x(x)
            self.cell(width, lh, line, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def para(
        self, text: str, *, style: str = "", lh: float = BODY_LH, x: float | None = None
    ) -> None:
        left = self.l_margin if x is None else x
        width = self.w - self.r_margin - left
        self.draw(self.wrap(self.txt(text, style), width), left, width, lh)
        self.set_x(self.l_margin)

    def fit(self, text: str, width: float, lines: int) -> str:
        """``text`` cut (with "…") so it fits in ``lines`` lines of ``width``."""
        if self.width(text) <= width * lines * 0.92:
            return text
        cut = text
        while cut and self.width(cut + "…") > width * lines * 0.92:
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
            right = self.width(mark) + 4
            self.set_xy(self.w - self.r_margin - right + 4, top)
            self.cell(right - 4, 4, mark, align=Align.R)
        self.use("", SMALL_PT, MUTED)
        width = self.epw - right
        self.set_y(top)
        lines = self.wrap(self.fit(self.txt(r.header), width, 2), width)[:2]
        self.draw(lines, self.l_margin, width, 3.6)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        line_y = max(self.get_y() + 1, 15.0)
        self.line(self.l_margin, line_y, self.w - self.r_margin, line_y)
        self.set_y(MARGIN_TOP)
        self.use()

    def _watermark(self) -> None:
        self.use("B", 96, WATERMARK)
        mark = self.txt(self.report.draft_mark, "B")
        w = self.width(mark)
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
        before, _, after = r.page_label.partition("{pages}")
        page = self.page_no()
        label = self.txt(before.format(page=page)) + PAGES + self.txt(after.format(page=page))
        widest = r.page_label.format(page=888, pages=888)
        label_w = self.width(widest) + 1
        self.cell(self.epw - label_w, 4, self.txt(r.footer), new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(label_w, 4, label, align=Align.L)

    # -------------------------------------------------- body

    def title_block(self) -> None:
        r = self.report
        self.use("B", 20, ACCENT)
        self.para(r.title, style="B", lh=9)
        if r.subtitle:
            self.use("", 11, MUTED)
            self.para(r.subtitle, lh=5.5)
        self.ln(2)

    def lines(self, text: str, width: float, style: str = "") -> int:
        """How many lines ``text`` takes in a ``width`` mm cell in the current font."""
        return len(self.wrap(self.txt(text, style), width))

    def first_height(self, block: Block) -> float:
        """The height of a block's first unbreakable piece (a row, two lines)."""
        if isinstance(block, Table):
            widths = self.column_widths(block)
            self.use("B", TABLE_PT)
            head = self.row_height(self.cell_lines(block.headings, widths))
            self.use("", TABLE_PT)
            first = self.cell_lines(block.rows[0], widths) if block.rows else []
            return head + (self.row_height(first) if first else 0.0)
        if isinstance(block, Fields) and block.rows:
            self.use("", BODY_PT)
            return min(self.lines(block.rows[0].value, self.epw - LABEL_W), 3) * BODY_LH + 2
        return 2 * BODY_LH

    def needed(self, sections: tuple[Section, ...], index: int) -> float:
        """Room a heading needs below it: its own height and the start of what follows."""
        section = sections[index]
        self.use("B", 14 if section.level == 0 else 12)
        own = (12.0 if section.level == 0 else 9.0) + (
            self.lines(section.title, self.epw, "B") - 1
        ) * 6
        if section.blocks:
            return own + self.first_height(section.blocks[0])
        if index + 1 < len(sections) and sections[index + 1].level > section.level:
            return own + self.needed(sections, index + 1)
        return own

    def heading(self, title: str, level: int) -> None:
        """A section's title in bold, and its outline entry (bookmark).

        Drawn here rather than by fpdf2's section title styles, which lay the
        title out twice and tag it alone (as a figure) in an otherwise
        untagged file.
        """
        size, colour, above, below = HEADINGS.get(level, HEADING_DEEPER)
        self.start_section(title, level=level, strict=False)
        self.ln(above)
        self.use("B", size, colour)
        self.draw(self.wrap(title, self.epw), self.l_margin, self.epw, self.font_size)
        self.ln(below)

    def section(self, section: Section, needed: float) -> None:
        if self.will_page_break(needed):
            self.add_page()
        self.heading(self.txt(section.title, "B"), section.level)
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
            label = self.wrap(self.txt(row.label, "B"), LABEL_W - 3)
            stacked = block.stacked or len(label) > 2
            if self.will_page_break(2 * BODY_LH + 2):
                self.add_page()
            top = self.get_y()
            if stacked:
                self.para(row.label, style="B", lh=4.6)
                self.use("", BODY_PT, MUTED if row.muted else INK)
                self.para(row.value)
            else:
                self.draw(label, self.l_margin, LABEL_W - 3, 4.6)
                label_end, label_page = self.get_y(), self.page
                self.set_y(top + 0.4)
                self.use("", BODY_PT, MUTED if row.muted else INK)
                self.draw(self.wrap(self.txt(row.value), value_w), value_x, value_w, BODY_LH)
                if self.page == label_page:
                    self.set_y(max(self.get_y(), label_end))
            self.ln(1.2)
        self.ln(1)

    def bullets(self, block: Bullets) -> None:
        self.use("", BODY_PT, INK)
        for item in block.items:
            if self.will_page_break(BODY_LH):
                self.add_page()
            y = self.get_y()
            self.set_x(self.l_margin + 1)
            self.cell(4, BODY_LH, "•")
            self.set_xy(self.l_margin + 5, y)
            self.para(item, x=self.l_margin + 5)
        self.ln(1.5)

    # -------------------------------------------------- tables

    def column_widths(self, block: Table) -> list[float]:
        """The text width of each column: its share of the page, less the padding."""
        total = sum(block.widths)
        return [self.epw * w / total - PAD_LEFT - PAD_RIGHT for w in block.widths]

    def cell_lines(self, cells: Sequence[str], widths: Sequence[float]) -> list[list[str]]:
        """Each cell's lines; a cell's text fills its width (no cell margin inside padding)."""
        style = self.font_style
        return [
            self.wrap(self.txt(c, style), w + 2 * self.c_margin)
            for c, w in zip(cells, widths, strict=False)
        ]

    def table_block(self, block: Table) -> None:
        """The table; a row too tall for a page (rows are never split) is drawn
        as label–value lines between two parts of the table instead (after the
        heading row, so the texts keep the order :func:`mus.report.missing_text`
        checks)."""
        self.use("", TABLE_PT, INK)
        widths = self.column_widths(block)
        limit = (self.h - MARGIN_TOP - MARGIN_BOTTOM) * TALL_ROW
        part: list[list[list[str]]] = []
        drawn = False
        for cells in block.rows:
            self.use("", TABLE_PT, INK)
            lines = self.cell_lines(cells, widths)
            if self.row_height(lines) > limit:
                if part or not drawn:  # the heading row first, as the text is read
                    self.table_part(block, part)
                    part, drawn = [], True
                rows = tuple(Field(h, c) for h, c in zip(block.headings, cells, strict=False))
                self.fields(Fields(rows, stacked=True))
            else:
                part.append(lines)
        if part or not block.rows:
            self.table_part(block, part)

    def table_part(self, block: Table, rows: list[list[list[str]]]) -> None:
        """Heading row, then the rows; after a page break the heading row again."""
        widths = self.column_widths(block)
        self.use("B", TABLE_PT, ACCENT)
        heading = self.cell_lines(block.headings, widths)
        head_h = self.row_height(heading)
        first_h = self.row_height(rows[0]) if rows else 0.0
        if self.will_page_break(head_h + first_h):
            self.add_page()
        self.table_row(heading, widths, heading=True)
        for lines in rows:
            if self.will_page_break(self.row_height(lines)):
                self.add_page()
                self.use("B", TABLE_PT, ACCENT)
                self.table_row(heading, widths, heading=True)
            self.table_row(lines, widths, heading=False)
        self.use()
        self.ln(3)

    @staticmethod
    def row_height(lines: list[list[str]]) -> float:
        return max(map(len, lines), default=1) * TABLE_LH + PAD_TOP + PAD_BOTTOM

    def table_row(self, lines: list[list[str]], widths: Sequence[float], *, heading: bool) -> None:
        """One row at the current y: the heading's fill, each cell's lines, a rule below."""
        top, height = self.get_y(), self.row_height(lines)
        if heading:
            self.set_fill_color(*ACCENT_LIGHT)
            self.rect(self.l_margin, top, self.epw, height, style="F")
            self.use("B", TABLE_PT, ACCENT)
        else:
            self.use("", TABLE_PT, INK)
        margin, self.c_margin = self.c_margin, 0.0
        x = self.l_margin
        for cell, width in zip(lines, widths, strict=False):
            for number, line in enumerate(cell):
                self.set_xy(x + PAD_LEFT, top + PAD_TOP + number * TABLE_LH)
                self.cell(width, TABLE_LH, line, align=Align.L)
            x += width + PAD_LEFT + PAD_RIGHT
        self.c_margin = margin
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, top + height, self.l_margin + self.epw, top + height)
        self.set_xy(self.l_margin, top + height)


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
