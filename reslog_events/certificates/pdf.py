"""The certificate of attendance as a PDF, in the invitee's language.

Set with fpdf2 and its HarfBuzz text shaping (uharfbuzz): Arabic letters join and run right to
left, Turkish letters are the fonts' own glyphs, and the text extracted from the PDF is the text
that was written. The fonts travel with the app (static/vendor/fonts, made from PyPI packages by
tools/make_certificate_fonts.py; no system font is assumed) and are embedded, subset, in every
PDF:

- Noto Sans: Latin with every Turkish and Swedish letter;
- IBM Plex Sans Arabic: Arabic, with whole glyphs for the letters' joined forms (a font that
  draws the dots as separate marks leaves stray characters in the extracted text).

Each line is set in the font of its own script, the other font standing in for any letter it
lacks, so a Turkish organisation's name on an Arabic certificate keeps its Turkish letters.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf import FPDF

from ..core.datetimes import day as day_text
from ..core.web import list_sep
from ..invitations.qr import qr_png

LATIN, ARABIC = "latin", "arabic"
_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
#: A4 landscape, millimetres
WIDTH, HEIGHT, MARGIN = 297, 210, 18
INK, ACCENT, MUTED = (27, 31, 36), (11, 92, 142), (85, 93, 102)


@dataclass(frozen=True)
class CertificateText:
    """What the certificate says (the names as recorded, the days in the event's zone)."""

    full_name: str
    organisation: str | None
    event_title: str
    place: str
    days: list[date]
    verify_url: str
    language: str


def font_files() -> dict[tuple[str, str], str]:
    """(family, style) → the font file."""
    folder = Path(current_app.static_folder or "static") / "vendor" / "fonts"
    return {
        (family, style): str(folder / f"certificate-{family}-{weight}.ttf")
        for family in (LATIN, ARABIC)
        for style, weight in (("", 400), ("B", 700))
    }


def _family(text: str) -> str:
    return ARABIC if _ARABIC_LETTERS.search(text) else LATIN


class _Certificate(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        for (family, style), path in font_files().items():
            self.add_font(family, style, path)
        self.set_text_shaping(True)
        self.set_auto_page_break(False)
        self.set_margins(MARGIN + 8, MARGIN, MARGIN + 8)

    def line(
        self, text: str, size: float, *, bold: bool = False, color=INK, gap: float = 2
    ) -> None:
        family = _family(text)
        self.set_font(family, "B" if bold else "", size)
        self.set_fallback_fonts([ARABIC if family == LATIN else LATIN], exact_match=False)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def render_certificate(text: CertificateText) -> bytes:
    """The PDF (one A4 landscape page), its words in the current locale."""
    pdf = _Certificate()
    pdf.set_lang(text.language)
    pdf.set_title(_("Certificate of attendance"))
    pdf.set_creator("RESLOG Events")
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN / 2, MARGIN / 2, WIDTH - MARGIN, HEIGHT - MARGIN)
    pdf.set_y(MARGIN + 2)
    pdf.line(_("RESLOG — Resilience in Local Governance"), 10, color=MUTED, gap=6)
    pdf.line(_("Certificate of attendance"), 26, bold=True, color=ACCENT, gap=8)
    pdf.line(_("This certifies that"), 12, color=MUTED)
    pdf.line(text.full_name, 22, bold=True)
    if text.organisation:
        pdf.line(text.organisation, 13)
    pdf.ln(2)
    pdf.line(_("attended"), 12, color=MUTED)
    pdf.line(text.event_title, 17, bold=True)
    if text.place:
        pdf.line(text.place, 12)
    pdf.ln(2)
    days = [day_text(d, "long") for d in text.days]
    label = ngettext("Day attended", "Days attended", len(days))
    pdf.line(label, 11, color=MUTED, gap=0)
    pdf.line(list_sep().join(days), 12)

    size = 30
    top = HEIGHT - MARGIN - size
    pdf.image(io.BytesIO(qr_png(text.verify_url, box_size=4, border=2)), x=MARGIN, y=top, w=size)
    pdf.set_xy(MARGIN + size + 4, top + 8)
    pdf.set_font(_family(_("Verify this certificate:")), "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, _("Verify this certificate:"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(MARGIN + size + 4)
    pdf.set_font(LATIN, "", 9)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 5, text.verify_url, link=text.verify_url)
    return bytes(pdf.output())
