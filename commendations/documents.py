"""The commendation's papers as PDF (fpdf2 with the Noto CJK fonts, as the pairing plaques): the decision
(表彰决定) with its document number and final list, a certificate per honour, and the public notice for notice
boards. Official papers: Chinese by default, ``lang`` for another interface language. The notice shows name,
gender, organization and post only — never ID numbers or phones."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

# The font loading and its "font missing" answer are the pairing papers' (one place for the setup's fonts).
from pairing.documents import DARK, RED, FontMissing, _new_pdf

from .choices import NominationStatus
from .models import Decision, Honour, Notice
from .selectors import notice_rows

__all__ = ["FontMissing", "certificate_pdf", "decision_pdf", "notice_pdf"]


def _long_date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _heading(pdf: FPDF, width: float, issuer: str, number: str) -> None:
    """The red header of an official paper: the issuing organization, its document number and a red rule."""
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", "B", size=24 if len(issuer) <= 14 else 18)
    pdf.multi_cell(width, 13, issuer, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
    pdf.set_text_color(*DARK)
    pdf.set_font("cjk", size=12)
    if number:
        pdf.cell(width, 9, number, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    y = pdf.get_y() + 2
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_y(y + 6)


def _paragraph(pdf: FPDF, width: float, text: str, size: int = 12, bold: bool = False) -> None:
    pdf.set_font("cjk", "B" if bold else "", size=size)
    pdf.multi_cell(width, 7.5, text, wrapmode=WrapMode.CHAR, align=Align.L, new_x=XPos.LMARGIN)


def decision_pdf(decision: Decision, lang: str = "zh-hans") -> bytes:
    """The decision: header, title, basis, the final list by category, the signing organization and date."""
    with translation.override(lang):
        campaign = decision.campaign
        title = _("Decision on commending: %(title)s") % {"title": campaign.title}
        pdf = _new_pdf("P", title)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        _heading(pdf, width, decision.signer.name, decision.number)
        pdf.set_font("cjk", "B", size=17)
        pdf.multi_cell(width, 10, title, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        pdf.ln(3)
        if campaign.basis:
            _paragraph(pdf, width, campaign.basis)
            pdf.ln(2)
        _paragraph(pdf, width, _("After recommendation, review and public notice, it is decided to commend the "
                                 "following:"))
        approved = (campaign.nominations.filter(status=NominationStatus.APPROVED)
                    .select_related("category", "person", "organization").order_by("category_id", "id"))
        for category, rows in groupby(approved, key=lambda n: n.category):
            names = []
            for n in rows:
                snap = n.snapshot or {}
                org = snap.get("organization") if n.person_id else ""
                names.append(f"{n.nominee_name}（{org}）" if org and org != n.nominee_name else n.nominee_name)
            pdf.ln(2)
            _paragraph(pdf, width, _("%(category)s (%(n)d)") % {"category": category.name, "n": len(names)},
                       size=13, bold=True)
            _paragraph(pdf, width, "、".join(names))
        pdf.ln(10)
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.set_font("cjk", size=12)
        pdf.set_x(pdf.w / 2)
        pdf.cell(width / 2, 8, decision.signer.name, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.w / 2)
        pdf.cell(width / 2, 8, _long_date(decision.date), align=Align.R)
        return bytes(pdf.output())


def certificate_pdf(honour: Honour, lang: str = "zh-hans") -> bytes:
    """An honour certificate (荣誉证书) for its holder."""
    with translation.override(lang):
        heading = _("Certificate of honour")
        pdf = _new_pdf("L", heading)
        pdf.add_page()
        w, h = pdf.w, pdf.h
        pdf.set_draw_color(*RED)
        pdf.set_line_width(2.2)
        pdf.rect(10, 10, w - 20, h - 20)
        pdf.set_line_width(0.6)
        pdf.rect(15, 15, w - 30, h - 30)
        pdf.set_text_color(*RED)
        pdf.set_font("cjk", "B", size=44 if len(heading) <= 6 else 28)
        pdf.set_xy(20, 36)
        pdf.cell(w - 40, 24, heading, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*DARK)
        holder = str(honour.person or honour.organization)
        pdf.set_font("cjk", "B", size=22)
        pdf.set_xy(30, 80)
        pdf.multi_cell(w - 60, 12, holder, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        pdf.set_font("cjk", size=16)
        pdf.set_x(30)
        pdf.multi_cell(w - 60, 11, _("is awarded the title of %(year)s %(honour)s.")
                       % {"year": honour.year, "honour": honour.category_name},
                       align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        decision = honour.decision
        if decision is not None:
            pdf.set_font("cjk", size=13)
            pdf.set_xy(w / 2, h - 52)
            pdf.cell(w / 2 - 30, 8, decision.signer.name, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_x(w / 2)
            pdf.cell(w / 2 - 30, 8, _long_date(decision.date), align=Align.R)
            pdf.set_font("cjk", size=9)
            pdf.set_text_color(120, 120, 120)
            pdf.set_xy(30, h - 30)
            pdf.cell(120, 6, decision.number)
        return bytes(pdf.output())


def notice_pdf(notice: Notice, lang: str = "zh-hans") -> bytes:
    """The public notice for notice boards: period, the names (name, gender, organization, post) and the contact."""
    with translation.override(lang):
        campaign = notice.campaign
        title = _("Public notice: %(title)s") % {"title": campaign.title}
        pdf = _new_pdf("P", title)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_text_color(*RED)
        pdf.set_font("cjk", "B", size=18)
        pdf.multi_cell(width, 11, title, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN)
        pdf.set_text_color(*DARK)
        pdf.ln(2)
        _paragraph(pdf, width, _("The following are publicly noticed from %(start)s to %(end)s. Objections are "
                                 "taken during the notice with your real name, unit and phone.")
                   % {"start": _long_date(notice.starts_on), "end": _long_date(notice.ends_on)})
        pdf.ln(2)
        columns = ((_("Name"), 0.2), (_("Gender"), 0.1), (_("Organization"), 0.4), (_("Post"), 0.3))
        for category, rows in groupby(notice_rows(notice), key=lambda r: r.nomination.category.name):
            pdf.ln(2)
            _paragraph(pdf, width, category, size=13, bold=True)
            pdf.set_font("cjk", "B", size=11)
            for label, share in columns:
                pdf.cell(width * share, 8, label, border=1)
            pdf.ln()
            pdf.set_font("cjk", size=11)
            for row in rows:
                for value, (_label, share) in zip((row.name, row.gender, row.organization, row.post), columns,
                                                  strict=True):
                    pdf.cell(width * share, 8, value[:40], border=1)
                pdf.ln()
        pdf.ln(6)
        _paragraph(pdf, width, _("Contact:") + " " + notice.contact)
        pdf.ln(6)
        pdf.set_font("cjk", size=12)
        pdf.set_x(pdf.w / 2)
        pdf.cell(width / 2, 8, campaign.issuer.name, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())
