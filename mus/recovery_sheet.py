"""The recovery code as a one-page PDF sheet to print and keep away from the phone.

No names and no data: the code, what it is for, where to keep it and the day it
was made. Drawn with the report PDFs' fonts (``mus.pdf``), so "æøå" and the
code's characters print the same.
"""

from __future__ import annotations

from datetime import datetime

from mus.i18n import Translator
from mus.pdf import ACCENT, FAMILY, INK, MARGIN_X, plain_document
from mus.report import format_date


def recovery_sheet(code: str, t: Translator, created: datetime) -> bytes:
    """One A4 page: title, what the code opens, the code large, how to keep it."""
    pdf = plain_document(created)
    pdf.set_title(t("vault.recovery.sheet.title"))
    pdf.set_creator("Musling")
    pdf.set_lang(t.language)
    pdf.set_margins(MARGIN_X, 30, MARGIN_X)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN_X
    pdf.set_font(FAMILY, "B", 20)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(width, 10, t("vault.recovery.sheet.title"))
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_text_color(*INK)
    pdf.multi_cell(width, 6, t("vault.recovery.intro"), align="L")
    pdf.ln(10)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.set_font(FAMILY, "B", 20)
    pdf.multi_cell(width, 12, "\n".join(code_lines(code)), border=1, align="C", padding=4)
    pdf.ln(10)
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(width, 6, t("vault.recovery.keep"), align="L")
    pdf.ln(4)
    pdf.multi_cell(width, 6, t("vault.recovery.sheet.how"), align="L")
    pdf.ln(8)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(width, 5, t("vault.recovery.sheet.made", date=format_date(created.date(), t)))
    return bytes(pdf.output())


def code_lines(code: str, groups_per_line: int = 4) -> list[str]:
    """The code broken between its groups, never inside one (the dash stays at the end)."""
    groups = code.split("-")
    lines = [
        "-".join(groups[i : i + groups_per_line]) for i in range(0, len(groups), groups_per_line)
    ]
    return [line + "-" for line in lines[:-1]] + lines[-1:]
