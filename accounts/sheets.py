"""The workbook of a bulk account creation: the one-time passwords, handed out once."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.exporting import text_row

if TYPE_CHECKING:
    from .services import MemberAccounts


def member_accounts_workbook(result: MemberAccounts) -> bytes:
    workbook = Workbook()
    created = workbook.active
    created.title = _("Accounts")[:31]
    created.append([_("Name"), _("Organization"), _("Username"), _("One-time password")])
    for person, user, password in result.created:
        created.append(text_row(created, [person.name, str(result.organization), user.get_username(), password]))
    for column, width in zip("ABCD", (16, 30, 14, 18), strict=True):
        created.column_dimensions[column].width = width
    skipped = workbook.create_sheet(_("Skipped")[:31])
    skipped.append([_("Name"), _("Reason")])
    for person, reason in result.skipped:
        skipped.append(text_row(skipped, [person.name, reason]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
