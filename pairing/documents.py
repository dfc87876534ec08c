"""Plaque certificate and agreement PDFs of a pair (fpdf2, with the Noto CJK fonts installed by the setup).

The documents are official papers and default to Chinese; ``lang`` renders them in another interface language.
The fonts are embedded as subsets, so the file shows the same text on any machine, with no font download.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from .models import Pair

RED = (200, 16, 46)
DARK = (40, 40, 40)


class FontMissing(Exception):
    """A PDF font file is not installed on this server (the page says what to install)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@functools.cache
def _simplified_chinese_face(path: str) -> int:
    """Index of the Simplified Chinese face in a font collection (0 for a single font)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = font["name"].getDebugName(1) or ""
            if family.endswith(" SC") or "SC" in family.split():
                return index
    finally:
        collection.close()
    return 0


def _new_pdf(orientation: str, title: str) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for style, path in (("", settings.PDF_FONT_REGULAR), ("B", settings.PDF_FONT_BOLD)):
        if not Path(path).is_file():
            raise FontMissing(path)
        pdf.add_font("cjk", style=style, fname=path, collection_font_number=_simplified_chinese_face(path))
    pdf.set_title(title)
    pdf.set_creator("Lianmeng")
    pdf.set_lang(translation.get_language() or "zh-hans")
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def _org_names(pair: Pair) -> tuple[str, list[str]]:
    return pair.organ.name, [p.name for p in pair.partners.order_by("path")]


def _long_date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def plaque_pdf(pair: Pair, lang: str = "zh-hans") -> bytes:
    """The “party-building co-construction unit” (党建共建单位) certificate given to each pair."""
    with translation.override(lang):
        organ, partners = _org_names(pair)
        title = _("Party-building co-construction unit")
        pdf = _new_pdf("L", title)
        pdf.add_page()
        w, h = pdf.w, pdf.h
        pdf.set_draw_color(*RED)
        pdf.set_line_width(2.2)
        pdf.rect(10, 10, w - 20, h - 20)
        pdf.set_line_width(0.6)
        pdf.rect(15, 15, w - 30, h - 30)
        pdf.set_text_color(*DARK)
        pdf.set_font("cjk", size=13)
        pdf.set_xy(20, 26)
        pdf.cell(w - 40, 8, pair.programme.name, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*RED)
        pdf.set_font("cjk", "B", size=50 if len(title) <= 8 else 30)
        pdf.set_xy(20, 44)
        pdf.cell(w - 40, 26, title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*DARK)
        pdf.set_font("cjk", "B", size=19)
        pdf.set_xy(30, 84)
        pdf.multi_cell(w - 60, 10, organ, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        pdf.set_font("cjk", size=14)
        pdf.set_x(30)
        pdf.cell(w - 60, 9, _("paired with"), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("cjk", "B", size=19 if len(partners) <= 2 else 15)
        for name in partners:
            pdf.set_x(30)
            pdf.multi_cell(w - 60, 9, name, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        pdf.set_font("cjk", size=13)
        pdf.set_xy(w / 2, h - 48)
        pdf.cell(w / 2 - 30, 8, pair.programme.owner.name, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(w / 2)
        pdf.cell(w / 2 - 30, 8, _long_date(pair.signed_on or pair.starts_on), align=Align.R)
        pdf.set_font("cjk", size=9)
        pdf.set_text_color(120, 120, 120)
        pdf.set_xy(30, h - 30)
        pdf.cell(80, 6, _("No. %(number)s") % {"number": document_number(pair)})
        return bytes(pdf.output())


def document_number(pair: Pair) -> str:
    return f"{pair.programme_id:03d}-{pair.pk:04d}"


def agreement_pdf(pair: Pair, lang: str = "zh-hans") -> bytes:
    """The pairing agreement: parties, period, goals, the three constructions, targets and signatures."""
    with translation.override(lang):
        organ, partners = _org_names(pair)
        title = _("Pairing co-construction agreement")
        pdf = _new_pdf("P", title)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_text_color(*RED)
        pdf.set_font("cjk", "B", size=22)
        pdf.cell(width, 14, title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*DARK)
        pdf.set_font("cjk", size=11)
        pdf.cell(width, 7, f"{pair.programme.name} · " + _("No. %(number)s") % {"number": document_number(pair)},
                 align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)

        def line(label: str, value: str) -> None:
            pdf.set_font("cjk", "B", size=12)
            pdf.cell(32, 8, label)
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(width - 32, 8, value, wrapmode=WrapMode.CHAR, align=Align.L, new_x=XPos.LMARGIN)

        def section(heading: str, body: str) -> None:
            pdf.ln(2)
            pdf.set_font("cjk", "B", size=13)
            pdf.cell(width, 9, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(width, 7.5, body or "—", wrapmode=WrapMode.CHAR, align=Align.L, new_x=XPos.LMARGIN)

        line(_("Party A:"), organ)
        line(_("Party B:"), "、".join(partners))
        line(_("Period:"), f"{_long_date(pair.starts_on)} – {_long_date(pair.ends_on)}")
        section(_("1. Goals"), pair.goals)
        section(_("2. Teams trained together"), pair.teams_content)
        section(_("3. Activities held together"), pair.activities_content)
        section(_("4. Appeals settled together"), pair.appeals_content)
        section(_("5. Targets"), _("The parties hold at least %(n)d joint activities each quarter. Each joint activity "
                                   "is recorded once on the platform and counts for both parties.")
                % {"n": pair.target_activities_per_quarter})
        section(_("6. Review"), _("The programme's organizers review the pair every year with a rating and comments; "
                                  "after the review the pair is renewed or ended."))
        pdf.ln(8)
        pdf.set_font("cjk", size=12)
        for label, name in [(_("Party A:"), organ)] + [(_("Party B:"), p) for p in partners]:
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.set_font("cjk", "B", size=12)
            pdf.cell(width, 8, f"{label} {name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("cjk", size=12)
            pdf.cell(width / 2, 8, _("Signature of the secretary:"))
            pdf.cell(width / 2, 8, _("Date:"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(4)
        return bytes(pdf.output())
